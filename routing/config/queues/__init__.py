"""Queues: required skills, service level, business hours, overflow."""
