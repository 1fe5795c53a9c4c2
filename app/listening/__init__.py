"""Daily listening: calls for QA listeners to grade, exemplary calls for operators to learn from."""
