"""Saved custom reports and their CSV export."""
