"""A short-lived, per-process memory of bearer-token principals.

Authenticating a bearer token costs a user lookup per request (is the user still active,
which role). Within ``TTL_S`` of a successful lookup, this process answers from memory.

Invalidation: deactivating a user or changing their role forgets them in the process that
made the change, so there it takes effect at once; other API processes stop accepting the
user's tokens (or apply the new role) within ``TTL_S``. Token expiry is still
checked on every request (the signature once per token string: ``TokenSigner.verify``).

One ``PrincipalCache`` per process, built by the composition root (``ApiServices``) and
passed in through the request context; there is no module-level memory.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field

from tenants.identity.roles import Role

TTL_S = 2.0
MAX_ENTRIES = 10_000


@dataclass
class PrincipalCache:
    """Roles of recently confirmed users, by (tenant, user)."""

    ttl_s: float = TTL_S
    max_entries: int = MAX_ENTRIES
    _entries: dict[tuple[uuid.UUID, uuid.UUID], tuple[float, Role]] = field(
        default_factory=dict, init=False, repr=False
    )

    def recall(self, tenant_id: uuid.UUID, user_id: uuid.UUID) -> Role | None:
        """The user's role if it was confirmed less than ``ttl_s`` ago, else None."""
        entry = self._entries.get((tenant_id, user_id))
        if entry is None:
            return None
        expires, role = entry
        if time.monotonic() >= expires:
            self._entries.pop((tenant_id, user_id), None)
            return None
        return role

    def remember(self, tenant_id: uuid.UUID, user_id: uuid.UUID, role: Role) -> None:
        """Note that the user is active with ``role`` (for ``ttl_s``)."""
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[(tenant_id, user_id)] = (time.monotonic() + self.ttl_s, role)

    def forget(self, tenant_id: uuid.UUID, user_id: uuid.UUID) -> None:
        """Drop the user, so their next request is checked against the database."""
        self._entries.pop((tenant_id, user_id), None)
