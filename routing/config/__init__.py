"""Routing configuration: skills, queues, phone numbers, agent profiles, tenant limits.

PostgreSQL is the source of truth; ``routing.config.directory`` projects it into Redis for the ACD.
"""
