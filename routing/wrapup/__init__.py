"""Wrap-up: what an agent records about a call it handled, and leaving ACW."""
