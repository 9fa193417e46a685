"""Timers fire exactly once, whichever replica claims them.

The center's engine reads a test clock, which a test moves past a timer's due time instead
of sleeping until it.
"""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from routing.engine.engine import AcdEngine
from tests.conftest import ServiceUrls
from tests.routing.conftest import Center, FakeClock


@pytest.fixture
def center(redis: Redis, clock: FakeClock, tenant_id: str) -> Center:
    """An empty contact center whose engine reads ``clock``."""
    return Center(redis, AcdEngine(redis, clock=clock), tenant_id)


async def fire_with_two_claimers(center: Center, service_urls: ServiceUrls) -> int:
    """Two engines on separate connections race for the same due timers."""
    clients = [Redis.from_url(service_urls.redis_url, decode_responses=True) for _ in range(2)]
    try:
        engines = [AcdEngine(c, clock=center.engine.clock) for c in clients]
        results = await asyncio.gather(
            *(e.fire_timers(tenant_id=center.tenant_id) for e in engines for _ in range(3))
        )
    finally:
        for c in clients:
            await c.aclose()
    return sum(r.extra["fired"] for r in results)


async def test_ring_timeout_fires_once(
    center: Center, clock: FakeClock, service_urls: ServiceUrls
) -> None:
    q = await center.queue(ring_timeout_s=1)
    a = await center.agent([q])
    await center.call(q, "c")
    assert (await center.engine.fire_timers(tenant_id=center.tenant_id)).extra["fired"] == 0
    clock.advance(1.1)
    assert await fire_with_two_claimers(center, service_urls) == 1
    assert await center.state(a) == "not_ready:missed"
    assert (await center.call_state("c"))["state"] == "queued"
    failed = [e for e in await center.events() if e["type"] == "call.agent_failed"]
    assert len(failed) == 1 and failed[0]["reason"] == "ring_timeout"


async def test_answered_call_does_not_time_out(center: Center, clock: FakeClock) -> None:
    q = await center.queue(ring_timeout_s=1)
    a = await center.agent([q])
    await center.call(q, "c")
    await center.event("c", "answered")
    clock.advance(1.1)
    assert (await center.engine.fire_timers(tenant_id=center.tenant_id)).extra["fired"] == 0
    assert await center.state(a) == "on_contact"


async def test_acw_expires_once(
    center: Center, clock: FakeClock, service_urls: ServiceUrls
) -> None:
    q = await center.queue(wrapup_s=1)
    a = await center.agent([q])
    await center.call(q, "c1")
    await center.event("c1", "answered")
    await center.event("c1", "ended", by="caller")
    await center.call(q, "c2")
    assert await center.state(a) == "acw"
    clock.advance(1.1)
    assert await fire_with_two_claimers(center, service_urls) == 1
    assert (await center.engine.agent(tenant_id=center.tenant_id, agent_id=a)).call_id == "c2"


async def test_max_wait_reject(center: Center, clock: FakeClock, service_urls: ServiceUrls) -> None:
    q = await center.queue(max_wait_s=1, max_wait_action="reject")
    await center.call(q, "c")
    clock.advance(1.1)
    assert await fire_with_two_claimers(center, service_urls) == 1
    call = await center.call_state("c")
    assert call["state"] == "rejected" and call["reject_code"] == "480"
    outbox = await center.redis.zrange(f"{{t:{center.tenant_id}}}:rt:outbox", 0, -1)
    assert outbox == ["c|x"]
    dequeued = [e for e in await center.events() if e["type"] == "call.dequeued"]
    assert [e["outcome"] for e in dequeued] == ["flowout"]


async def test_max_wait_overflow(center: Center, clock: FakeClock) -> None:
    target = await center.queue()
    q = await center.queue(max_wait_s=1, max_wait_action="overflow", overflow_queue_id=target)
    b = await center.agent([target])
    await center.set_state(b, "offline")
    await center.call(q, "c")
    clock.advance(1.1)
    assert (await center.engine.fire_timers(tenant_id=center.tenant_id)).extra["fired"] == 1
    call = await center.call_state("c")
    assert call["queue_id"] == target and call["state"] == "queued"
    types = await center.types()
    assert "call.overflowed" in types
    enqueued = [e for e in await center.events() if e["type"] == "call.enqueued"]
    assert [e["queue_id"] for e in enqueued] == [q, target]
    await center.set_state(b, "available")
    assert (await center.call_state("c"))["agent_id"] == b


async def test_max_wait_callback_keeps_the_place(center: Center, clock: FakeClock) -> None:
    q = await center.queue(max_wait_s=1, max_wait_action="callback")
    await center.call(q, "c")
    await center.call(q, "later")
    clock.advance(1.1)
    await center.engine.fire_timers(tenant_id=center.tenant_id)
    call = await center.call_state("c")
    assert call["state"] == "queued" and call["callback"] == "1" and call["reject_code"] == "480"
    requested = [e for e in await center.events() if e["type"] == "callback.requested"]
    assert [e["number"] for e in requested][:1] == ["+33612345678"]
    dequeued = [e for e in await center.events() if e["type"] == "call.dequeued"]
    assert dequeued[0]["outcome"] == "callback"
    # The callback kept its place ahead of the later caller.
    agent = await center.agent([q])
    snapshot = await center.engine.agent(tenant_id=center.tenant_id, agent_id=agent)
    assert snapshot.call_id == "c"
    await center.event("c", "answered")
    await center.event("c", "ended", by="agent")
    types = [e["type"] for e in await center.events() if e.get("call_id") == "c"]
    assert "callback.connected" in types and "call.answered" not in types
    assert types.count("call.dequeued") == 1 and types[-1] == "call.ended"


async def test_sticky_agent_waits_then_opens(center: Center, clock: FakeClock) -> None:
    q = await center.queue(sticky_agent_s=1)
    sticky = await center.agent([q])
    other = await center.agent([q])
    await center.set_state(sticky, "break:meeting")
    await center.call(q, "c", sticky_agent_id=sticky)
    assert await center.state(other) == "available"
    clock.advance(1.1)
    await center.engine.fire_timers(tenant_id=center.tenant_id)
    assert (await center.call_state("c"))["agent_id"] == other


async def test_sticky_agent_gets_the_call_when_free(center: Center) -> None:
    q = await center.queue(sticky_agent_s=30)
    sticky = await center.agent([q])
    await center.agent([q])
    await center.set_state(sticky, "break:meeting")
    await center.call(q, "c", sticky_agent_id=sticky)
    await center.set_state(sticky, "available")
    assert (await center.call_state("c"))["agent_id"] == sticky
