"""Live gauges: one script call per tenant, agent counts kept by the state changes."""

from __future__ import annotations

import uuid
from collections import Counter

from redis.asyncio import Redis

from routing.engine.engine import AcdEngine
from routing.metrics import RoutingMetrics
from tenants import redis_keys as keys
from tests.routing.conftest import Center
from tests.routing.routing_config import publish_tenant


async def scanned_states(center: Center) -> dict[str, int]:
    """Agents by state, read agent by agent (what the counters must always equal)."""
    agents = await center.engine.agents(tenant_id=center.tenant_id)
    return dict(Counter(a.state for a in agents))


async def counted_states(center: Center) -> dict[str, int]:
    return (await center.engine.gauges(tenant_id=center.tenant_id)).agents_by_state


async def test_counts_follow_every_transition(center: Center) -> None:
    q = await center.queue(wrapup_s=30)
    assert await counted_states(center) == {}  # no agent yet: the counters start here
    a = await center.agent([q], available=False)
    await center.agent([q])  # the one reserved, then in ACW
    assert await counted_states(center) == {"offline": 1, "available": 1}
    steps = [
        lambda: center.call(q, "c1"),  # b reserved
        lambda: center.event("c1", "answered"),  # b on_contact
        lambda: center.set_state(a, "break:lunch"),
        lambda: center.event("c1", "ended", by="agent"),  # b in ACW
        lambda: center.set_state(a, "available"),
        lambda: center.call(q, "c2"),  # a reserved
        lambda: center.event("c2", "abandoned"),  # a back to available
        lambda: center.set_state(a, "offline"),
    ]
    for step in steps:
        await step()
        assert await counted_states(center) == await scanned_states(center)
    assert await counted_states(center) == {"offline": 1, "acw": 1}


async def test_counts_are_rebuilt_once_when_missing(center: Center, redis: Redis) -> None:
    q = await center.queue()
    agents = [await center.agent([q]) for _ in range(3)]
    await center.set_state(agents[0], "break:coffee")
    # State written before the counters existed (an upgrade): the first read counts it.
    await redis.delete(keys.agent_states(center.tenant_id))
    assert await counted_states(center) == {"available": 2, "break:coffee": 1}
    await center.set_state(agents[1], "offline")
    assert await counted_states(center) == await scanned_states(center)


async def test_waiting_and_oldest_per_queue(center: Center) -> None:
    q1 = await center.queue()
    q2 = await center.queue()
    await center.call(q1, "w1")
    await center.call(q1, "w2", vip=True)  # ahead in the queue, yet not the oldest
    gauges = await center.engine.gauges(tenant_id=center.tenant_id)
    first = int((await center.call_state("w1"))["enq_ms"])
    assert gauges.waiting == {q1: 2, q2: 0}
    assert gauges.oldest_enqueued_ms == {q1: first}


async def test_tenants_see_only_their_own_gauges(redis: Redis, engine: AcdEngine) -> None:
    a = Center(redis, engine, str(uuid.uuid4()))
    b = Center(redis, engine, str(uuid.uuid4()))
    qa = await a.queue()
    await a.agent([qa])
    await a.call(qa, "a-call")
    await a.call(qa, "a-wait")
    before = await engine.gauges(tenant_id=a.tenant_id)
    qb = await b.queue()
    await b.agent([qb], available=False)
    await b.call(qb, "b-wait")
    gauges_b = await engine.gauges(tenant_id=b.tenant_id)
    assert gauges_b.agents_by_state == {"offline": 1}
    assert gauges_b.waiting == {qb: 1}
    assert await engine.gauges(tenant_id=a.tenant_id) == before
    assert before.agents_by_state == {"reserved": 1}
    assert before.waiting == {qa: 1}


async def test_refresh_exports_the_counts(center: Center, redis: Redis) -> None:
    q = await center.queue()
    await publish_tenant(redis, center.tenant_id, slug="gauges")
    await center.agent([q])
    await center.agent([q], available=False)
    await center.call(q, "g1")
    await center.call(q, "g2")
    metrics = RoutingMetrics(redis, tenant_label_cap=10_000)
    await metrics.refresh()
    assert metrics.live.agents[("gauges", "reserved")] == 1
    assert metrics.live.agents[("gauges", "offline")] == 1
    assert metrics.live.waiting[("gauges", q)] == 1
    enq = int((await center.call_state("g2"))["enq_ms"])
    assert metrics.live.oldest[("gauges", q)] == enq / 1000
