"""The routing configuration as the ACD reads it from Redis (the key layout is a contract).

- ``hotline:did:<E.164>``: STRING, JSON ``{"tenant_id", "queue_id"}``
- ``{t:<tenant>}:queues``: SET of queue ids
- ``{t:<tenant>}:queue:<queue_id>``: HASH (see ``routing.config.projection.queue_entry``)
- ``{t:<tenant>}:agent:<user_id>:profile``: HASH ``skills``, ``queues``, ``display_name``,
  ``sip_user``
- ``{t:<tenant>}:tenant``: HASH ``slug``, ``max_concurrent_calls``

PostgreSQL is the source of truth. Writes here happen after the configuration's
transaction commits; ``sync_tenant``/``sync_all`` rebuild the projection and remove stale
keys, so a publish that failed (or raced) heals at the next sync.
"""

from __future__ import annotations

import json
import logging
import re
import uuid

from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from routing.config.projection import (
    AgentEntry,
    DidEntry,
    QueueEntry,
    TenantEntry,
    TenantSnapshot,
    load_snapshot,
)
from tenants.database.session import bind_tenant
from tenants.identity.models import Tenant

log = logging.getLogger("hotline.routing.directory")

DID_PREFIX = "hotline:did:"
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# Only exact configuration keys: the engine keeps its own keys under the same tag
# (for example a queue's waiting list), and sync must never touch those.
_QUEUE_KEY = re.compile(rf"^\{{t:({_UUID})\}}:queue:({_UUID})$")
_AGENT_KEY = re.compile(rf"^\{{t:({_UUID})\}}:agent:({_UUID}):profile$")
_TENANT_KEYS = re.compile(rf"^\{{t:({_UUID})\}}:(queues|tenant)$")

# Delete a DID only while it still routes to the tenant that is removing it, so a late
# removal cannot clobber a number another tenant has claimed since.
_REMOVE_DID = """
local value = redis.call('GET', KEYS[1])
if not value then return 0 end
local ok, decoded = pcall(cjson.decode, value)
if ok and decoded['tenant_id'] ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
"""


def tag(tenant_id: uuid.UUID) -> str:
    """The hash tag every routing key of the tenant starts with."""
    return f"{{t:{tenant_id}}}"


def did_key(e164: str) -> str:
    """Key of a DID's route."""
    return f"{DID_PREFIX}{e164}"


def queues_key(tenant_id: uuid.UUID) -> str:
    """Key of the tenant's SET of queue ids."""
    return f"{tag(tenant_id)}:queues"


def queue_key(tenant_id: uuid.UUID, queue_id: uuid.UUID | str) -> str:
    """Key of one queue's HASH."""
    return f"{tag(tenant_id)}:queue:{queue_id}"


def agent_profile_key(tenant_id: uuid.UUID, user_id: uuid.UUID | str) -> str:
    """Key of one agent's profile HASH."""
    return f"{tag(tenant_id)}:agent:{user_id}:profile"


def tenant_key(tenant_id: uuid.UUID) -> str:
    """Key of the tenant's routing HASH."""
    return f"{tag(tenant_id)}:tenant"


class RoutingDirectory:
    """Publishes routing configuration into Redis with the contract's key layout."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._remove_did = redis.register_script(_REMOVE_DID)

    async def put_queue(self, tenant_id: uuid.UUID, entry: QueueEntry) -> None:
        """Publish one queue (replacing its hash as a whole)."""
        key = queue_key(tenant_id, entry.queue_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(key)
            pipe.hset(key, mapping=entry.fields)
            pipe.sadd(queues_key(tenant_id), str(entry.queue_id))
            await pipe.execute()

    async def remove_queue(self, tenant_id: uuid.UUID, queue_id: uuid.UUID) -> None:
        """Unpublish one queue."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.srem(queues_key(tenant_id), str(queue_id))
            pipe.delete(queue_key(tenant_id, queue_id))
            await pipe.execute()

    async def put_did(self, entry: DidEntry) -> None:
        """Route a DID to its tenant's queue."""
        await self._redis.set(did_key(entry.e164), entry.value())

    async def remove_did(self, tenant_id: uuid.UUID, e164: str) -> None:
        """Stop routing a DID, unless it now belongs to another tenant."""
        await self._remove_did(keys=[did_key(e164)], args=[str(tenant_id)])

    async def put_agent_profile(self, tenant_id: uuid.UUID, entry: AgentEntry) -> None:
        """Publish one agent's profile (replacing its hash as a whole)."""
        key = agent_profile_key(tenant_id, entry.user_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(key)
            pipe.hset(key, mapping=entry.fields)
            await pipe.execute()

    async def remove_agent_profile(self, tenant_id: uuid.UUID, user_id: uuid.UUID) -> None:
        """Unpublish one agent's profile."""
        await self._redis.delete(agent_profile_key(tenant_id, user_id))

    async def put_tenant(self, tenant_id: uuid.UUID, entry: TenantEntry) -> None:
        """Publish the tenant's routing settings."""
        await self._redis.hset(tenant_key(tenant_id), mapping=entry.fields())

    async def sync_tenant(self, session: AsyncSession, tenant_id: uuid.UUID) -> TenantSnapshot:
        """Rebuild one tenant's projection from PostgreSQL and remove its stale keys.

        Binds ``session`` (which must be in a transaction) to ``tenant_id``.
        """
        tenant = await session.get(Tenant, tenant_id)
        if tenant is None:
            await self._sweep({}, only=tenant_id)
            raise LookupError(f"tenant {tenant_id} does not exist")
        await bind_tenant(session, tenant_id)
        snapshot = await load_snapshot(session, tenant_id=tenant_id, slug=tenant.slug)
        await self._write(snapshot)
        await self._sweep({tenant_id: snapshot}, only=tenant_id)
        return snapshot

    async def sync_all(self, session: AsyncSession) -> int:
        """Rebuild every tenant's projection and remove keys of anything deleted.

        Binds ``session`` (which must be in a transaction) to each tenant in turn.
        Returns the number of tenants synced.
        """
        snapshots: dict[uuid.UUID, TenantSnapshot] = {}
        for tenant in await session.scalars(select(Tenant).order_by(Tenant.id)):
            await bind_tenant(session, tenant.id)
            snapshots[tenant.id] = await load_snapshot(
                session, tenant_id=tenant.id, slug=tenant.slug
            )
        for snapshot in snapshots.values():
            await self._write(snapshot)
        await self._sweep(snapshots, only=None)
        log.info("routing directory synced for %s tenants", len(snapshots))
        return len(snapshots)

    async def _write(self, snapshot: TenantSnapshot) -> None:
        tenant_id = snapshot.tenant_id
        await self.put_tenant(tenant_id, snapshot.tenant)
        for queue in snapshot.queues:
            await self.put_queue(tenant_id, queue)
        for did in snapshot.dids:
            await self.put_did(did)
        for agent in snapshot.agents:
            await self.put_agent_profile(tenant_id, agent)

    async def _sweep(
        self, snapshots: dict[uuid.UUID, TenantSnapshot], *, only: uuid.UUID | None
    ) -> None:
        """Delete configuration keys that the snapshots do not contain.

        ``only`` limits the sweep to one tenant; None sweeps every tenant (keys of tenants
        absent from ``snapshots`` go entirely).
        """
        live_queues = {(str(t), str(q.queue_id)) for t, s in snapshots.items() for q in s.queues}
        live_agents = {(str(t), str(a.user_id)) for t, s in snapshots.items() for a in s.agents}
        live_dids = {d.e164 for s in snapshots.values() for d in s.dids}
        pattern = f"{tag(only)}:*" if only is not None else "{t:*}:*"
        stale: list[str] = []
        dead_tenants: set[uuid.UUID] = set()
        async for raw_key in self._redis.scan_iter(match=pattern, count=1000):
            key = _text(raw_key)
            if match := _QUEUE_KEY.match(key):
                if match.groups() not in live_queues:
                    stale.append(key)
            elif match := _AGENT_KEY.match(key):
                if match.groups() not in live_agents:
                    stale.append(key)
            elif (match := _TENANT_KEYS.match(key)) and uuid.UUID(match[1]) not in snapshots:
                dead_tenants.add(uuid.UUID(match[1]))
        for tenant_id, snapshot in snapshots.items():
            if only is not None and tenant_id != only:
                continue
            members = {_text(m) for m in await self._redis.smembers(queues_key(tenant_id))}
            live = {str(q.queue_id) for q in snapshot.queues}
            if gone := members - live:
                await self._redis.srem(queues_key(tenant_id), *gone)
        if stale:
            await self._redis.delete(*stale)
        await self._remove_tenants(dead_tenants)
        await self._sweep_dids(live_dids, only=only)

    async def _sweep_dids(self, live: set[str], *, only: uuid.UUID | None) -> None:
        async for raw_key in self._redis.scan_iter(match=f"{DID_PREFIX}*", count=1000):
            key = _text(raw_key)
            e164 = key.removeprefix(DID_PREFIX)
            if e164 in live:
                continue
            if only is None:
                await self._redis.delete(key)
            elif await self._did_owner(key) == str(only):
                await self.remove_did(only, e164)

    async def _did_owner(self, key: str) -> str | None:
        raw = await self._redis.get(key)
        try:
            return str(json.loads(raw)["tenant_id"]) if raw else None
        except (ValueError, KeyError, TypeError):
            return None

    async def _remove_tenants(self, tenant_ids: set[uuid.UUID]) -> None:
        for tenant_id in tenant_ids:
            await self._redis.delete(queues_key(tenant_id), tenant_key(tenant_id))


def _text(value: str | bytes) -> str:
    # Works with clients built with or without ``decode_responses``.
    return value.decode() if isinstance(value, bytes) else value
