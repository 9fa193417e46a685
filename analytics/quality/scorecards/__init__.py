"""QA scorecards."""
