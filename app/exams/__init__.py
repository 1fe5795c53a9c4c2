"""Question banks, exams, grading queue, certifications and admission to the line."""
