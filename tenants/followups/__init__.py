"""Missed-call follow-ups: a task for every abandon that is not a short one (issue 4 §8)."""
