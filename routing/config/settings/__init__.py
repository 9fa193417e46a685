"""Tenant routing settings: limits and the default region for numbers."""
