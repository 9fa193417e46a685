"""A short-lived, per-process memory of each tenant's default phone region.

Screen pops and routing's caller classification read the region on every call. Within
``TTL_S`` of reading it, this process answers from memory.

Invalidation: changing the CRM settings forgets the tenant in the process that made the
change, so there it takes effect at once; other processes see it within ``TTL_S``.

One ``RegionCache`` per process, built by the composition root (``ApiServices``, the routing
app's ``RoutingServices``) and passed in; there is no module-level memory. Where no cache
is passed (``None``), the region is read from the database every time.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field

TTL_S = 2.0
MAX_ENTRIES = 10_000


@dataclass
class RegionCache:
    """Default phone regions of recently read tenants, by tenant."""

    ttl_s: float = TTL_S
    max_entries: int = MAX_ENTRIES
    _entries: dict[uuid.UUID, tuple[float, str]] = field(
        default_factory=dict, init=False, repr=False
    )

    def recall(self, tenant_id: uuid.UUID) -> str | None:
        """The tenant's region if it was read less than ``ttl_s`` ago, else None."""
        entry = self._entries.get(tenant_id)
        if entry is None:
            return None
        expires, region = entry
        if time.monotonic() >= expires:
            self._entries.pop(tenant_id, None)
            return None
        return region

    def remember(self, tenant_id: uuid.UUID, region: str) -> None:
        """Note the tenant's region as just read (for ``ttl_s``)."""
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[tenant_id] = (time.monotonic() + self.ttl_s, region)

    def forget(self, tenant_id: uuid.UUID) -> None:
        """Drop the tenant, so its next read goes to the database."""
        self._entries.pop(tenant_id, None)
