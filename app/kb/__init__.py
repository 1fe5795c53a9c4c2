"""Knowledge base: articles with versions, Russian full-text search, lookup report."""
