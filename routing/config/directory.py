"""Publishes the routing configuration into Redis, where the ACD reads it.

The key layout is a contract, written down (and built) in ``tenants/redis_keys.py``.

PostgreSQL is the source of truth. Writes here happen after the configuration's
transaction commits; ``sync_tenant``/``sync_all`` rebuild the projection and remove stale
keys, so a publish that failed heals at the next sync.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from routing.config.events import publish_queue_configured
from routing.config.projection import (
    AgentEntry,
    DidEntry,
    FlowVersionEntry,
    QueueEntry,
    QueueMusicEntry,
    TenantEntry,
    TenantSnapshot,
    load_snapshot,
)
from tenants import redis_keys as keys
from tenants.database.session import Database, bind_tenant
from tenants.identity.models import Tenant

log = logging.getLogger("hotline.routing.config.directory")

# Delete a DID only while it still routes to the tenant that is removing it, so a late
# removal cannot clobber a number another tenant has claimed since.
_REMOVE_DID = """
local value = redis.call('GET', KEYS[1])
if not value then return 0 end
local ok, decoded = pcall(cjson.decode, value)
if ok and decoded['tenant_id'] ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


@dataclass
class _Published:
    """Configuration keys found in Redis for one tenant."""

    keys: set[str] = field(default_factory=set)
    dids: set[str] = field(default_factory=set)


class RoutingDirectory:
    """Publishes routing configuration into Redis with the contract's key layout.

    ``redis`` may or may not decode responses. Locks wait at most ``lock_wait_s`` and
    then proceed anyway (logged): a late write is better than a lost one.
    """

    def __init__(
        self, redis: Redis, *, lock_ttl_s: float = 60.0, lock_wait_s: float = 10.0
    ) -> None:
        self._redis = redis
        self._remove_did = redis.register_script(_REMOVE_DID)
        self._release = redis.register_script(_RELEASE)
        self._lock_ttl_ms = int(lock_ttl_s * 1000)
        self._lock_wait_s = lock_wait_s

    @asynccontextmanager
    async def tenant_lock(self, tenant_ids: Iterable[uuid.UUID]) -> AsyncIterator[None]:
        """Hold the tenants' configuration locks (in a fixed order, so never deadlocking).

        A sync holds its tenant's lock from reading PostgreSQL to its last write, and
        publications of committed changes take it too. A change committed after the
        sync read is therefore published after the sync wrote, never overwritten by it.
        """
        held: list[tuple[str, str]] = []
        try:
            for tenant_id in sorted(set(tenant_ids), key=str):
                key, token = keys.config_lock(tenant_id), uuid.uuid4().hex
                if await self._acquire(key, token):
                    held.append((key, token))
                else:
                    log.warning("routing config lock %s not acquired; writing anyway", key)
            yield
        finally:
            for key, token in reversed(held):
                await self._release(keys=[key], args=[token])

    async def _acquire(self, key: str, token: str) -> bool:
        deadline = time.monotonic() + self._lock_wait_s
        delay = 0.005
        while not await self._redis.set(key, token, nx=True, px=self._lock_ttl_ms):
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.2)
        return True

    async def put_queue(self, tenant_id: uuid.UUID, entry: QueueEntry) -> None:
        """Publish one queue, replacing its hash atomically."""
        key = keys.queue(tenant_id, entry.queue_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(key)
            pipe.hset(key, mapping=entry.fields)
            pipe.sadd(keys.queues(tenant_id), str(entry.queue_id))
            await pipe.execute()

    async def announce_queue(self, tenant_id: uuid.UUID, entry: QueueEntry) -> None:
        """Publish ``queue.configured`` (T, S, formula) on the tenant's event stream."""
        await publish_queue_configured(self._redis, tenant_id, entry)

    async def remove_queue(self, tenant_id: uuid.UUID, queue_id: uuid.UUID) -> None:
        """Unpublish one queue."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.srem(keys.queues(tenant_id), str(queue_id))
            pipe.delete(keys.queue(tenant_id, queue_id))
            await pipe.execute()

    async def put_did(self, entry: DidEntry) -> None:
        """Route a DID to its tenant's queue."""
        await self._redis.set(keys.did(entry.e164), entry.value())

    async def remove_did(self, tenant_id: uuid.UUID, e164: str) -> None:
        """Stop routing a DID, unless it now belongs to another tenant."""
        await self._remove_did(keys=[keys.did(e164)], args=[str(tenant_id)])

    async def put_queue_music(self, tenant_id: uuid.UUID, entry: QueueMusicEntry) -> None:
        """Publish a queue's own music on hold."""
        await self._redis.set(keys.queue_music(tenant_id, entry.queue_id), entry.value())

    async def remove_queue_music(self, tenant_id: uuid.UUID, queue_id: uuid.UUID) -> None:
        """Back to the default music on hold."""
        await self._redis.delete(keys.queue_music(tenant_id, queue_id))

    async def put_flow_version(self, tenant_id: uuid.UUID, entry: FlowVersionEntry) -> None:
        """Publish one call-flow version (immutable, so a plain SET is idempotent)."""
        await self._redis.set(keys.flow_version(tenant_id, entry.version_id), entry.definition)

    async def put_agent_profile(self, tenant_id: uuid.UUID, entry: AgentEntry) -> None:
        """Publish one agent's profile, replacing its hash atomically."""
        key = keys.agent_profile(tenant_id, entry.user_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(key)
            pipe.hset(key, mapping=entry.fields)
            await pipe.execute()

    async def remove_agent_profile(self, tenant_id: uuid.UUID, user_id: uuid.UUID) -> None:
        """Unpublish one agent's profile."""
        await self._redis.delete(keys.agent_profile(tenant_id, user_id))

    async def put_tenant(self, tenant_id: uuid.UUID, entry: TenantEntry) -> None:
        """Publish the tenant's routing settings."""
        await self._redis.hset(keys.tenant(tenant_id), mapping=entry.fields())

    async def sync_tenant(self, session: AsyncSession, tenant_id: uuid.UUID) -> TenantSnapshot:
        """Rebuild one tenant's projection from PostgreSQL and remove its stale keys.

        Binds ``session`` (which must be in a transaction) to ``tenant_id``. Raises
        LookupError, after removing its keys, when the tenant does not exist.
        """
        published = await self._scan(only=tenant_id)
        found = published.get(str(tenant_id), _Published())
        tenant = await session.get(Tenant, tenant_id)
        if tenant is None:
            await self._remove_keys(tenant_id, found)
            raise LookupError(f"tenant {tenant_id} does not exist")
        return await self._sync_one(session, tenant, found)

    async def sync_all(self, session: AsyncSession) -> int:
        """Rebuild every tenant's projection and remove keys of anything deleted.

        Binds ``session`` (which must be in a transaction) to each tenant in turn, and
        scans the keyspace once. Returns the number of tenants synced.
        """
        # Scan before reading the registry: any key found belongs to a tenant that had
        # committed before it was published, so the registry read below sees it.
        published = await self._scan(only=None)
        tenants = list(await session.scalars(select(Tenant).order_by(Tenant.id)))
        for tenant in tenants:
            await self._sync_one(session, tenant, published.pop(str(tenant.id), _Published()))
        for tenant_id, found in published.items():
            await self._remove_keys(uuid.UUID(tenant_id), found)
        log.info(
            "routing directory synced %s tenants, removed %s gone", len(tenants), len(published)
        )
        return len(tenants)

    async def _sync_one(
        self, session: AsyncSession, tenant: Tenant, found: _Published
    ) -> TenantSnapshot:
        async with self.tenant_lock([tenant.id]):
            await bind_tenant(session, tenant.id)
            snapshot = await load_snapshot(session, tenant_id=tenant.id, slug=tenant.slug)
            await self._write(snapshot)
            live_keys = {keys.tenant(tenant.id), keys.queues(tenant.id)}
            live_keys |= {keys.queue(tenant.id, q.queue_id) for q in snapshot.queues}
            live_keys |= {keys.agent_profile(tenant.id, a.user_id) for a in snapshot.agents}
            live_keys |= {keys.queue_music(tenant.id, m.queue_id) for m in snapshot.queue_music}
            stale = _Published(
                keys=found.keys - live_keys, dids=found.dids - {d.e164 for d in snapshot.dids}
            )
            await self._remove_keys(tenant.id, stale)
            members = {_text(m) for m in await self._redis.smembers(keys.queues(tenant.id))}
            if gone := members - {str(q.queue_id) for q in snapshot.queues}:
                await self._redis.srem(keys.queues(tenant.id), *gone)
        return snapshot

    async def _write(self, snapshot: TenantSnapshot) -> None:
        tenant_id = snapshot.tenant_id
        await self.put_tenant(tenant_id, snapshot.tenant)
        for queue in snapshot.queues:
            await self.put_queue(tenant_id, queue)
            # Analytics heals from a sync too (a lost announcement, queues made before it).
            await self.announce_queue(tenant_id, queue)
        for agent in snapshot.agents:
            await self.put_agent_profile(tenant_id, agent)
        for version in snapshot.flow_versions:
            await self.put_flow_version(tenant_id, version)
        for music in snapshot.queue_music:
            await self.put_queue_music(tenant_id, music)
        if snapshot.dids:
            async with self._redis.pipeline(transaction=False) as pipe:
                for did in snapshot.dids:
                    pipe.set(keys.did(did.e164), did.value())
                await pipe.execute()

    async def _remove_keys(self, tenant_id: uuid.UUID, found: _Published) -> None:
        if found.keys:
            await self._redis.delete(*found.keys)
        for e164 in found.dids:
            await self.remove_did(tenant_id, e164)

    async def _scan(self, *, only: uuid.UUID | None) -> dict[str, _Published]:
        """Configuration keys in Redis, by tenant id (one tenant's, or every tenant's)."""
        result: dict[str, _Published] = {}
        async for raw in self._redis.scan_iter(match=keys.tenant_pattern(only), count=1000):
            key = _text(raw)
            if owner := keys.config_key_owner(key):
                result.setdefault(owner, _Published()).keys.add(key)
        async for raw in self._redis.scan_iter(match=keys.DID_PATTERN, count=1000):
            key = _text(raw)
            value = await self._redis.get(key)
            if value is None:
                continue
            owner = _owner(value)
            if owner is None:
                log.warning("routing directory: removing unreadable %s", key)
                await self._redis.delete(key)
            elif only is None or owner == str(only):
                result.setdefault(owner, _Published()).dids.add(key.removeprefix(keys.DID_PREFIX))
        return result


def _owner(raw: str | bytes) -> str | None:
    try:
        return str(uuid.UUID(json.loads(raw)["tenant_id"]))
    except (ValueError, KeyError, TypeError):
        return None


def _text(value: str | bytes) -> str:
    # Works with clients built with or without ``decode_responses``.
    return value.decode() if isinstance(value, bytes) else value


async def sync_directory(*, database: Database, redis: Redis) -> int:
    """Sync every tenant in one read-only transaction (routing's startup step)."""
    async with database.transaction() as session:
        return await RoutingDirectory(redis).sync_all(session)
