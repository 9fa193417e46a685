"""``hotline worker``: consumes the tenants' event streams into PostgreSQL facts.

Workers share one consumer group, so replicas split the entries. An entry is
acknowledged only after the transaction holding its facts commits; a crash before that
leaves it pending, and another worker reclaims it with ``XAUTOCLAIM`` once it has been
idle for ``claim_idle_ms``. Facts are keyed by ``event_id``, so a redelivery is a no-op.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import signal
import socket
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from redis.asyncio import Redis
from redis.exceptions import ResponseError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from analytics import metrics
from analytics.events import (
    Event,
    MalformedEvent,
    parse_event,
    tenant_of_stream,
    type_label,
)
from analytics.facts import repository
from analytics.facts.apply import Applied, Observation, apply_event, refresh_rollups
from tenants import redis_keys
from tenants.agent_states import state_label
from tenants.database.session import Database, bind_tenant
from tenants.identity import repository as identity_repository
from tenants.redis_connection import connect as connect_redis
from tenants.redis_connection import is_cluster
from tenants.settings import Settings

log = logging.getLogger("hotline.analytics.worker")

GROUP = "analytics"
RETRIES = 5
TRANSIENT_SQLSTATES = frozenset({"40P01", "40001"})
"""Deadlock and serialization failures: the transaction is safe to run again."""

Entry = tuple[str, dict[str, str]]


@dataclass
class WorkerConfig:
    """How one worker reads: batch size, blocking read time and the reclaim idle time."""

    group: str = GROUP
    streams_set: str = redis_keys.EVENT_STREAMS
    consumer: str = field(default_factory=lambda: f"{socket.gethostname()}-{os.getpid()}")
    batch_size: int = 200
    block_ms: int = 1000
    claim_idle_ms: int = 60_000
    thresholds_refresh_s: float = 30.0
    """How often the queues' T and S are re-read, so replicas that handled no event of a
    reconfigured queue export its new thresholds too."""


class EventWorker:
    """One consumer of the analytics group."""

    def __init__(self, *, database: Database, redis: Redis, config: WorkerConfig) -> None:
        self.database = database
        self.redis = redis
        self.config = config
        self._grouped: set[str] = set()
        self._slugs: dict[uuid.UUID, str] = {}
        self._queues: dict[uuid.UUID, set[uuid.UUID]] = {}
        self._newest_event = 0.0
        self._thresholds_read = time.monotonic()

    async def streams(self) -> list[str]:
        """Every tenant stream routing has announced, each with our group on it."""
        keys = sorted(await self.redis.smembers(self.config.streams_set))
        for key in keys:
            if key not in self._grouped:
                try:
                    await self.redis.xgroup_create(key, self.config.group, id="0", mkstream=True)
                except ResponseError as err:
                    if "BUSYGROUP" not in str(err):
                        raise
                self._grouped.add(key)
        return keys

    async def run_once(self, *, block_ms: int | None = None) -> int:
        """Reclaim stale entries, read new ones, apply and acknowledge them; returns a count."""
        keys = await self.streams()
        if not keys:
            if block_ms:
                await asyncio.sleep(block_ms / 1000)
            return 0
        handled = 0
        for key in keys:
            handled += await self._handle(key, await self._reclaim(key))
        block = self.config.block_ms if block_ms is None else block_ms
        for key, entries in await self._read_new(keys, block_ms=block):
            handled += await self._handle(key, entries)
        await self._export_lag(keys)
        return handled

    async def _read_new(self, keys: list[str], *, block_ms: int) -> list[tuple[str, list[Entry]]]:
        """New entries of ``keys`` for this consumer, waiting up to ``block_ms`` for some.

        One server: one ``XREADGROUP`` over every stream. A cluster: each tenant's stream
        lives in its own slot and one command cannot span slots, so each stream is read
        without blocking, and an empty round waits ``block_ms`` (at most 100 ms) before the
        next.
        """
        if not is_cluster(self.redis):
            response = await self.redis.xreadgroup(
                self.config.group,
                self.config.consumer,
                dict.fromkeys(keys, ">"),
                count=self.config.batch_size,
                # BLOCK 0 would wait forever; no BLOCK at all returns at once.
                block=block_ms or None,
            )
            return list(response or [])
        found: list[tuple[str, list[Entry]]] = []
        for key in keys:
            response = await self.redis.xreadgroup(
                self.config.group, self.config.consumer, {key: ">"}, count=self.config.batch_size
            )
            found.extend((stream, entries) for stream, entries in response or [] if entries)
        if not found and block_ms:
            await asyncio.sleep(min(block_ms, 100) / 1000)
        return found

    async def run(self, stop: asyncio.Event) -> None:
        """Consume until ``stop`` is set."""
        log.info("analytics worker %s consuming group %s", self.config.consumer, self.config.group)
        while not stop.is_set():
            try:
                await self.run_once()
                if time.monotonic() - self._thresholds_read >= self.config.thresholds_refresh_s:
                    await self.refresh_thresholds()
            except Exception:
                log.exception("analytics worker %s: loop failed; retrying", self.config.consumer)
                await asyncio.sleep(1)

    async def refresh_thresholds(self) -> None:
        """Re-read T and S of every queue this worker exports series for."""
        self._thresholds_read = time.monotonic()
        for tenant_id, queue_ids in list(self._queues.items()):
            async with self.database.transaction(tenant_id) as session:
                found = await repository.queue_thresholds(
                    session, tenant_id=tenant_id, queue_ids=sorted(queue_ids)
                )
            tenant = metrics.tenant_label(self._slugs.get(tenant_id, str(tenant_id)))
            for queue_id, (answer_s, short_s) in found.items():
                metrics.QUEUE_WAIT.set_thresholds(tenant, str(queue_id), answer_s, short_s)

    async def _reclaim(self, key: str) -> list[Entry]:
        claimed: list[Entry] = []
        start = "0-0"
        while True:
            result = await self.redis.xautoclaim(
                key,
                self.config.group,
                self.config.consumer,
                min_idle_time=self.config.claim_idle_ms,
                start_id=start,
                count=self.config.batch_size,
            )
            start, entries = result[0], result[1]
            claimed.extend(e for e in entries if e and e[1] is not None)
            if start in ("0-0", b"0-0") or len(claimed) >= self.config.batch_size:
                break
        if claimed:
            metrics.WORKER_RECLAIMED.inc(len(claimed))
            log.info("reclaimed %s pending entries of %s", len(claimed), key)
        return claimed

    async def _handle(self, key: str, entries: Sequence[Entry]) -> int:
        if not entries:
            return 0
        tenant_id = tenant_of_stream(key)
        events: list[Event] = []
        done_ids: list[str] = []
        for entry_id, fields in entries:
            try:
                event = parse_event(fields, entry_id=entry_id)
                if event.tenant_id != tenant_id:
                    raise MalformedEvent(f"entry {entry_id} names another tenant than {key}")
            except MalformedEvent as err:
                log.error("skipping malformed entry %s of %s: %s", entry_id, key, err)
                metrics.WORKER_EVENTS.labels(type_label(fields.get("type")), "malformed").inc()
                done_ids.append(entry_id)
                continue
            events.append(event)
            done_ids.append(entry_id)
        try:
            results = await self._apply_batch(tenant_id, events)
        except (MalformedEvent, DBAPIError) as err:
            if isinstance(err, DBAPIError) and not _is_data_error(err):
                raise
            # One bad entry must not block its neighbours: apply them one by one.
            results = []
            for event in events:
                try:
                    results.extend(await self._apply_batch(tenant_id, [event]))
                except (MalformedEvent, DBAPIError) as one_err:
                    if isinstance(one_err, DBAPIError) and not _is_data_error(one_err):
                        raise
                    log.error("skipping event %s of %s: %s", event.event_id, key, one_err)
                    metrics.WORKER_EVENTS.labels(type_label(event.type), "malformed").inc()
        if done_ids:
            await self.redis.xack(key, self.config.group, *done_ids)
        await self._observe(tenant_id, results)
        return len(entries)

    async def _apply_batch(
        self, tenant_id: uuid.UUID, events: list[Event]
    ) -> list[tuple[Event, Applied]]:
        # Workers of one group may write the same agent's timeline or register the same
        # queue at once; PostgreSQL then aborts one transaction, which simply retries.
        for attempt in range(1, RETRIES + 1):
            try:
                return await self._apply_once(tenant_id, events)
            except DBAPIError as err:
                if _sqlstate(err) not in TRANSIENT_SQLSTATES or attempt == RETRIES:
                    raise
                log.info("retrying a batch of %s events after %s", len(events), _sqlstate(err))
                await asyncio.sleep(random.uniform(0.01, 0.05) * attempt)
        raise AssertionError("unreachable")

    async def _apply_once(
        self, tenant_id: uuid.UUID, events: list[Event]
    ) -> list[tuple[Event, Applied]]:
        results: list[tuple[Event, Applied]] = []
        if not events:
            return results
        async with self.database.transaction(tenant_id) as session:
            for event in events:
                results.append((event, await apply_event(session, event)))
            await refresh_rollups(session, tenant_id, [applied for _, applied in results])
            if tenant_id not in self._slugs:
                self._slugs[tenant_id] = await _tenant_slug(session, tenant_id)
        return results

    async def _observe(self, tenant_id: uuid.UUID, results: list[tuple[Event, Applied]]) -> None:
        tenant = metrics.tenant_label(self._slugs.get(tenant_id, str(tenant_id)))
        newest = 0.0
        for event, applied in results:
            metrics.WORKER_EVENTS.labels(
                type_label(event.type), "applied" if applied.new else "duplicate"
            ).inc()
            newest = max(newest, event.at.timestamp())
            for observation in applied.observations:
                if observation.thresholds is not None and observation.queue_id is not None:
                    self._queues.setdefault(tenant_id, set()).add(observation.queue_id)
                _observe_one(tenant, observation)
        if newest > self._newest_event:
            self._newest_event = newest
            metrics.WORKER_LAST_EVENT.set(newest)

    async def _export_lag(self, keys: list[str]) -> None:
        lag = pending = 0
        for key in keys:
            for group in await self.redis.xinfo_groups(key):
                if group.get("name") == self.config.group:
                    lag += int(group.get("lag") or 0)
                    pending += int(group.get("pending") or 0)
        metrics.WORKER_STREAM_LAG.set(lag)
        metrics.WORKER_PENDING.set(pending)


def _is_data_error(err: DBAPIError) -> bool:
    """A value PostgreSQL refuses (class 22, data exception; 23, constraint): the event's
    fault, so retrying cannot help; skipping it keeps the stream moving."""
    state = _sqlstate(err) or ""
    return state.startswith(("22", "23"))


def _sqlstate(err: DBAPIError) -> str | None:
    original = err.orig
    return getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)


def _observe_one(tenant: str, observation: Observation) -> None:
    queue = str(observation.queue_id) if observation.queue_id else "none"
    if observation.thresholds is not None:
        metrics.QUEUE_WAIT.set_thresholds(tenant, queue, *observation.thresholds)
    if observation.kind == "offered":
        metrics.CONTACTS_OFFERED.labels(tenant, queue).inc()
    elif observation.kind == "wait":
        metrics.QUEUE_WAIT.observe(tenant, queue, observation.label, observation.value)
    elif observation.kind == "handled":
        metrics.CONTACTS_HANDLED.labels(tenant, queue).inc()
        metrics.HANDLE_SECONDS.labels(tenant, queue).inc(observation.value)
    elif observation.kind == "acw":
        metrics.HANDLE_SECONDS.labels(tenant, queue).inc(observation.value)
    elif observation.kind == "state":
        metrics.AGENT_STATE_SECONDS.labels(tenant, state_label(observation.label)).inc(
            observation.value
        )


async def _tenant_slug(session: AsyncSession, tenant_id: uuid.UUID) -> str:
    await bind_tenant(session, tenant_id)
    return await identity_repository.tenant_slug(session, tenant_id) or str(tenant_id)


async def serve(
    settings: Settings,
    *,
    stop: asyncio.Event | None = None,
    install_signals: bool = True,
    http_port: int | None = None,
) -> None:
    """Build the worker from ``settings`` and consume until ``stop`` (or SIGINT/SIGTERM).

    With ``http_port`` (or ``HOTLINE_WORKER_PORT``), ``/healthz``, ``/readyz`` and
    ``/metrics`` are served on ``HOTLINE_WORKER_HOST`` meanwhile. ``hotline up`` can run it
    beside the API with its own ``stop`` and ``install_signals=False``.
    """
    if not settings.database.url or not settings.redis.url:
        raise RuntimeError("hotline worker needs HOTLINE_DATABASE_URL and HOTLINE_REDIS_URL")
    metrics.configure_tenant_label_cap(settings.metrics.tenant_label_cap)
    database = Database(settings.database.url, pool_size=settings.database.pool_size)
    redis = connect_redis(settings.redis.url)
    stop = stop or asyncio.Event()
    if install_signals:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
    port = http_port or settings.worker.port
    server = None
    served = None
    if port:
        from analytics.worker_http import worker_http_server

        server = worker_http_server(
            database=database,
            redis=redis,
            host=settings.worker.host,
            port=port,
            log_level=settings.log_level,
        )
        served = asyncio.create_task(server.serve())
    try:
        await EventWorker(database=database, redis=redis, config=WorkerConfig()).run(stop)
    finally:
        if server is not None and served is not None:
            server.should_exit = True
            await asyncio.wait([served], timeout=5)
        await database.dispose()
        await redis.aclose()


def run_worker(settings: Settings, *, metrics_port: int | None = None) -> None:
    """The ``hotline worker`` entry: consumes, and serves probes and ``/metrics`` on
    ``metrics_port`` (or ``HOTLINE_WORKER_PORT``) when one is given."""
    started = time.monotonic()
    asyncio.run(serve(settings, http_port=metrics_port))
    log.info("analytics worker stopped after %.0f s", time.monotonic() - started)
