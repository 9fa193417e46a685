"""Callbacks waiting for an agent: the work list of callers who asked to be called back."""
