"""QA report."""
