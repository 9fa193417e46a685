"""Routing's Prometheus metrics, with the names DESIGN.md's metrics contract fixes.

Routing exports the live gauges and ``hotline_routing_decision_seconds`` only. The contract
counters and the wait histogram (offered, handled, handle and agent-state seconds, queue
wait) have one exporter, the analytics worker (``analytics/metrics.py``): were routing to
count them too, ``sum by (tenant, queue)`` over every scraped process would count each
call twice. The engine's scripts still report those items in ``ScriptResult.metrics``;
routing ignores them.

Gauges describe shared Redis state, so each replica reports the same snapshot, refreshed
in the background; aggregate them with ``max`` across replicas, not ``sum``. The decision
histogram is per process (sum it).
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from redis.asyncio import Redis

from routing.directory_reader import tenant_slug
from routing.engine.engine import AcdEngine
from routing.engine.results import ScriptResult
from routing.nodes.edge_metrics import SipEdgeCounters
from routing.nodes.metrics import ReconcileMetrics
from routing.nodes.registry import NodeRegistry
from tenants import redis_keys as keys
from tenants.agent_states import state_label
from tenants.cancellation import raise_if_cancel_requested

log = logging.getLogger("hotline.routing.metrics")

DECISION_BUCKETS = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1)
OTHER = "other"


class TenantLabels:
    """Tenant slug labels, capped: the first ``cap`` tenants seen keep their slug."""

    def __init__(self, redis: Redis, cap: int) -> None:
        self.redis = redis
        self.cap = cap
        self._labels: dict[str, str] = {}
        self._named = 0

    async def label(self, tenant_id: str) -> str:
        """The label for ``tenant_id`` (its slug, or ``other`` beyond the cap)."""
        found = self._labels.get(tenant_id)
        if found is not None:
            return found
        if self._named >= self.cap:
            label = OTHER
        else:
            label = await tenant_slug(self.redis, tenant_id)
            self._named += 1
        self._labels[tenant_id] = label
        return label


class LiveSnapshot(Collector):
    """Gauges read from Redis: waiting, oldest enqueued, agents by state."""

    def __init__(self) -> None:
        self.waiting: dict[tuple[str, str], float] = {}
        self.oldest: dict[tuple[str, str], float] = {}
        self.agents: dict[tuple[str, str], float] = {}

    def collect(self) -> Iterator[Metric]:
        """The last snapshot as gauge families."""
        waiting = GaugeMetricFamily(
            "hotline_queue_contacts_waiting",
            "Contacts waiting in queue.",
            labels=["tenant", "queue"],
        )
        for labels, value in self.waiting.items():
            waiting.add_metric(list(labels), value)
        oldest = GaugeMetricFamily(
            "hotline_queue_oldest_contact_enqueued_timestamp_seconds",
            "Enqueue time of the longest-waiting contact.",
            labels=["tenant", "queue"],
        )
        for labels, value in self.oldest.items():
            oldest.add_metric(list(labels), value)
        agents = GaugeMetricFamily("hotline_agents", "Agents by state.", labels=["tenant", "state"])
        for labels, value in self.agents.items():
            agents.add_metric(list(labels), value)
        yield from (waiting, oldest, agents)


class RoutingMetrics:
    """Every routing metric, in a registry of its own (no process-global state)."""

    def __init__(self, redis: Redis, *, tenant_label_cap: int) -> None:
        self.redis = redis
        # Its own engine, unobserved: reading the gauges is not a routing decision.
        self._gauges = AcdEngine(redis, dispatches=False)
        self.registry = CollectorRegistry()
        self.labels = TenantLabels(redis, tenant_label_cap)
        self.decision = Histogram(
            "hotline_routing_decision_seconds",
            "Time of one routing decision (a Lua script that can reserve).",
            buckets=DECISION_BUCKETS,
            registry=self.registry,
        )
        self.live = LiveSnapshot()
        self.registry.register(self.live)
        self.reconcile = ReconcileMetrics(self.registry)
        self.edge = SipEdgeCounters()
        self.registry.register(self.edge)
        # Read only (names and records): the lease length matters to heartbeats alone.
        self._nodes = NodeRegistry(redis, lease_s=0)

    async def observe(self, result: ScriptResult, script: str, elapsed: float) -> None:
        """Record what one script run did (the engine's observer)."""
        self.reconcile.observe(result)
        if script in {"enqueue", "call_event", "agent_state", "membership", "timers"}:
            self.decision.observe(elapsed)

    async def refresh(self) -> None:
        """Read the live gauges from Redis: one script call per tenant with routing state."""
        waiting: dict[tuple[str, str], float] = {}
        oldest: dict[tuple[str, str], float] = {}
        agents: dict[tuple[str, str], float] = {}
        for tenant_id in await self.redis.smembers(keys.ROUTING_TENANTS):
            tenant = await self.labels.label(tenant_id)
            gauges = await self._gauges.gauges(tenant_id=tenant_id)
            for queue_id, count in gauges.waiting.items():
                label = (tenant, queue_id)
                waiting[label] = waiting.get(label, 0) + count
            for queue_id, enq_ms in gauges.oldest_enqueued_ms.items():
                label = (tenant, queue_id)
                oldest[label] = min(oldest.get(label, math.inf), enq_ms / 1000)
            for state, count in gauges.agents_by_state.items():
                label = (tenant, state_label(state))
                agents[label] = agents.get(label, 0) + count
        self.live.waiting, self.live.oldest, self.live.agents = waiting, oldest, agents
        await self.edge.refresh(self._nodes)

    async def refresh_forever(self, interval: float) -> None:
        """Refresh the gauges every ``interval`` seconds until cancelled."""
        while True:
            raise_if_cancel_requested()
            started = time.monotonic()
            try:
                await self.refresh()
            except Exception:  # a failed refresh keeps the last snapshot; retry next tick
                raise_if_cancel_requested()
                log.exception("refreshing routing gauges failed")
            await asyncio.sleep(max(0.0, interval - (time.monotonic() - started)))
