"""A short-lived, per-process memory of bearer-token principals.

Authenticating a bearer token costs a user lookup per request (is the user still active,
which role). Within ``TTL_S`` of a successful lookup, this process answers from memory.

Invalidation: deactivating a user or changing their role forgets them in the process that
made the change, so there it takes effect at once; other API processes stop accepting the
user's tokens (or apply the new role) within ``TTL_S``. Token expiry is still
checked on every request (the signature once per token string: ``TokenSigner.verify``).
"""

from __future__ import annotations

import time
import uuid

from tenants.identity.roles import Role

TTL_S = 2.0
MAX_ENTRIES = 10_000

_entries: dict[tuple[uuid.UUID, uuid.UUID], tuple[float, Role]] = {}


def recall(tenant_id: uuid.UUID, user_id: uuid.UUID) -> Role | None:
    """The user's role if it was confirmed less than ``TTL_S`` ago, else None."""
    entry = _entries.get((tenant_id, user_id))
    if entry is None:
        return None
    expires, role = entry
    if time.monotonic() >= expires:
        _entries.pop((tenant_id, user_id), None)
        return None
    return role


def remember(tenant_id: uuid.UUID, user_id: uuid.UUID, role: Role) -> None:
    """Note that the user is active with ``role`` (for ``TTL_S``)."""
    if len(_entries) >= MAX_ENTRIES:
        _entries.clear()
    _entries[(tenant_id, user_id)] = (time.monotonic() + TTL_S, role)


def forget(tenant_id: uuid.UUID, user_id: uuid.UUID) -> None:
    """Drop the user, so their next request is checked against the database."""
    _entries.pop((tenant_id, user_id), None)
