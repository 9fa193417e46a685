"""Roles and what each may do."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A user's or API key's role within one tenant."""

    OWNER = "owner"
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    AGENT = "agent"


MANAGERS = frozenset({Role.OWNER, Role.ADMIN})
"""Roles that manage users, API keys and the tenant's configuration."""

SUPERVISORS = frozenset({Role.OWNER, Role.ADMIN, Role.SUPERVISOR})
"""Roles that see every agent and queue of the tenant live."""
