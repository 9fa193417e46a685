"""Embedded PostgreSQL and Valkey for one-machine runs and tests."""
