"""Redis publications that wait for their transaction to commit.

Services record what routing must see; the edge applies the record only after its commit
succeeded, so Redis never shows configuration that PostgreSQL rolled back. A publish that
fails after the commit is logged and healed by the next ``RoutingDirectory.sync_*``.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from routing.config.directory import RoutingDirectory
from routing.config.projection import (
    AgentEntry,
    DidEntry,
    FlowVersionEntry,
    QueueEntry,
    QueueMusicEntry,
    TenantEntry,
)

log = logging.getLogger("hotline.routing.config")


class Publications:
    """An ordered list of directory writes, applied in order after commit."""

    def __init__(self) -> None:
        self._ops: list[tuple[str, tuple[Any, ...]]] = []
        self._tenants: set[uuid.UUID] = set()

    def __len__(self) -> int:
        return len(self._ops)

    def put_tenant(self, tenant_id: uuid.UUID, entry: TenantEntry) -> None:
        """Publish the tenant hash."""
        self._tenants.add(tenant_id)
        self._ops.append(("put_tenant", (tenant_id, entry)))

    def put_queue(self, tenant_id: uuid.UUID, entry: QueueEntry) -> None:
        """Publish a queue."""
        self._tenants.add(tenant_id)
        self._ops.append(("put_queue", (tenant_id, entry)))

    def announce_queue(self, tenant_id: uuid.UUID, entry: QueueEntry) -> None:
        """Publish ``queue.configured`` for analytics (after the routing hash)."""
        self._tenants.add(tenant_id)
        self._ops.append(("announce_queue", (tenant_id, entry)))

    def remove_queue(self, tenant_id: uuid.UUID, queue_id: uuid.UUID) -> None:
        """Unpublish a queue."""
        self._tenants.add(tenant_id)
        self._ops.append(("remove_queue", (tenant_id, queue_id)))

    def put_did(self, entry: DidEntry) -> None:
        """Publish a DID route."""
        self._tenants.add(entry.tenant_id)
        self._ops.append(("put_did", (entry,)))

    def remove_did(self, tenant_id: uuid.UUID, e164: str) -> None:
        """Unpublish a DID route of ``tenant_id``."""
        self._tenants.add(tenant_id)
        self._ops.append(("remove_did", (tenant_id, e164)))

    def put_queue_music(self, tenant_id: uuid.UUID, entry: QueueMusicEntry) -> None:
        """Publish a queue's own music on hold."""
        self._tenants.add(tenant_id)
        self._ops.append(("put_queue_music", (tenant_id, entry)))

    def remove_queue_music(self, tenant_id: uuid.UUID, queue_id: uuid.UUID) -> None:
        """Give a queue the default music on hold again."""
        self._tenants.add(tenant_id)
        self._ops.append(("remove_queue_music", (tenant_id, queue_id)))

    def put_flow_version(self, tenant_id: uuid.UUID, entry: FlowVersionEntry) -> None:
        """Publish a call-flow version (before the DIDs that name it)."""
        self._tenants.add(tenant_id)
        self._ops.append(("put_flow_version", (tenant_id, entry)))

    def put_agent_profile(self, tenant_id: uuid.UUID, entry: AgentEntry) -> None:
        """Publish an agent profile."""
        self._tenants.add(tenant_id)
        self._ops.append(("put_agent_profile", (tenant_id, entry)))

    def remove_agent_profile(self, tenant_id: uuid.UUID, user_id: uuid.UUID) -> None:
        """Unpublish an agent profile."""
        self._tenants.add(tenant_id)
        self._ops.append(("remove_agent_profile", (tenant_id, user_id)))

    async def apply(self, directory: RoutingDirectory) -> bool:
        """Write everything recorded, in order; False (and logged) if Redis failed.

        Holds the tenants' configuration locks, so a concurrent sync that read
        PostgreSQL before this change committed cannot overwrite it afterwards.
        """
        ops, self._ops = self._ops, []
        tenants, self._tenants = self._tenants, set()
        if not ops:
            return True
        try:
            async with directory.tenant_lock(tenants):
                for name, args in ops:
                    await getattr(directory, name)(*args)
        except Exception:
            # The configuration is committed; the next sync republishes it.
            log.exception("routing directory publish failed; it heals at the next sync")
            return False
        return True
