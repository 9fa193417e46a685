"""QA evaluations."""
