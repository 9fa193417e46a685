"""QA scorecards, evaluations of recorded calls and the QA report."""
