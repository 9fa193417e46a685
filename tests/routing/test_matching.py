"""Matching: priority, FIFO, VIP, longest idle, skills and levels, ACW across queues."""

from __future__ import annotations

import asyncio

from tests.routing.conftest import Center, new_call


async def test_fifo_within_a_queue(center: Center) -> None:
    q = await center.queue()
    for call_id in ("c1", "c2", "c3"):
        assert (await center.call(q, call_id)).status == "queued"
    a = await center.agent([q])
    assert (await center.engine.agent(tenant_id=center.tenant_id, agent_id=a)).call_id == "c1"


async def test_higher_priority_queue_first(center: Center) -> None:
    low = await center.queue(priority=1)
    high = await center.queue(priority=5)
    await center.call(low, "old-low")
    await center.call(high, "new-high")
    a = await center.agent([low, high])
    assert (await center.engine.agent(tenant_id=center.tenant_id, agent_id=a)).call_id == "new-high"


async def test_longest_waiting_across_queues_at_equal_priority(center: Center) -> None:
    q1 = await center.queue(priority=3)
    q2 = await center.queue(priority=3)
    await center.call(q2, "first")
    await center.call(q1, "second")
    a = await center.agent([q1, q2])
    assert (await center.engine.agent(tenant_id=center.tenant_id, agent_id=a)).call_id == "first"


async def test_vip_boost_jumps_the_queue(center: Center) -> None:
    q = await center.queue(vip_boost=10)
    await center.call(q, "normal")
    result = await center.call(q, "vip", vip=True)
    events = [e for e in await center.events() if e["type"] == "call.enqueued"]
    assert [e["priority"] for e in events] == ["0", "10"]
    assert result.status == "queued"
    a = await center.agent([q])
    assert (await center.engine.agent(tenant_id=center.tenant_id, agent_id=a)).call_id == "vip"


async def test_longest_idle_agent_gets_the_call(center: Center) -> None:
    q = await center.queue()
    first = await center.agent([q])
    await asyncio.sleep(0.01)
    second = await center.agent([q])
    result = await center.call(q)
    assert [r.agent_id for r in result.reservations] == [first]
    result = await center.call(q)
    assert [r.agent_id for r in result.reservations] == [second]


async def test_skill_levels_are_respected(center: Center) -> None:
    q = await center.queue(skills={"spanish": 3, "billing": 1})
    novice = await center.agent([q], skills={"spanish": 2, "billing": 5})
    await asyncio.sleep(0.01)
    missing = await center.agent([q], skills={"spanish": 5})
    await asyncio.sleep(0.01)
    expert = await center.agent([q], skills={"spanish": 3, "billing": 1})
    result = await center.call(q)
    assert [r.agent_id for r in result.reservations] == [expert]
    assert await center.state(novice) == "available"
    assert await center.state(missing) == "available"
    second = await center.call(q)
    assert second.reservations == []


async def test_acw_is_honoured_across_queues(center: Center) -> None:
    q1 = await center.queue(wrapup_s=30)
    q2 = await center.queue(wrapup_s=0)
    a = await center.agent([q1, q2])
    call = (await center.call(q1)).reservations[0].call_id
    await center.event(call, "answered")
    await center.event(call, "ended", by="agent")
    assert await center.state(a) == "acw"
    result = await center.call(q2)
    assert result.reservations == []
    await center.set_state(a, "available")
    assert await center.state(a) == "reserved"


async def test_no_agent_holds_two_reservations(center: Center) -> None:
    q = await center.queue()
    a = await center.agent([q])
    first = await center.call(q)
    second = await center.call(q)
    assert [r.agent_id for r in first.reservations] == [a]
    assert second.reservations == []
    reserved = [e for e in await center.events() if e["type"] == "call.reserved"]
    assert len(reserved) == 1


async def test_wrapup_zero_takes_the_next_call_at_once(center: Center) -> None:
    q = await center.queue(wrapup_s=0)
    a = await center.agent([q])
    first = (await center.call(q, "one")).reservations[0].call_id
    await center.call(q, "two")
    await center.event(first, "answered")
    result = await center.event(first, "ended", by="caller")
    assert [(r.call_id, r.agent_id) for r in result.reservations] == [("two", a)]


async def test_agent_failed_puts_call_at_front(center: Center) -> None:
    q = await center.queue()
    a = await center.agent([q])
    await center.call(q, "c1")
    await center.call(q, "c2")
    result = await center.event("c1", "agent_failed", reason="busy")
    assert result.reservations == []
    assert await center.state(a) == "not_ready:missed"
    b = await center.agent([q])
    assert (await center.engine.agent(tenant_id=center.tenant_id, agent_id=b)).call_id == "c1"
    failed = [e for e in await center.events() if e["type"] == "call.agent_failed"]
    assert failed[0]["agent_id"] == a and failed[0]["reason"] == "busy"


async def test_abandon_while_ringing_frees_agent_keeping_its_place(center: Center) -> None:
    q = await center.queue()
    a = await center.agent([q])
    await asyncio.sleep(0.01)
    b = await center.agent([q])
    c1 = (await center.call(q)).reservations[0]
    assert c1.agent_id == a
    await center.event(c1.call_id, "abandoned")
    assert await center.state(a) == "available"
    assert (await center.call(q)).reservations[0].agent_id == a
    assert await center.state(b) == "available"


async def test_limits_reject_with_codes(center: Center) -> None:
    from tests.routing.routing_config import publish_tenant

    q = await center.queue(max_size=1)
    assert (await center.call(q, "in")).status == "queued"
    full = await center.call(q, "full")
    assert (full.status, full.extra["code"]) == ("rejected", 486)
    other = await center.queue()
    await publish_tenant(center.redis, center.tenant_id, max_concurrent_calls=1)
    over = await center.call(other, "over")
    assert (over.status, over.extra["code"]) == ("rejected", 503)
    rejected = [e for e in await center.events() if e["type"] == "call.rejected"]
    assert [(e["call_id"], e["code"]) for e in rejected] == [("full", "486"), ("over", "503")]


async def test_duplicate_enqueue_is_idempotent(center: Center) -> None:
    q = await center.queue()
    await center.call(q, "dup")
    again = await center.call(q, "dup")
    assert again.status == "duplicate"
    assert (await center.types()).count("call.enqueued") == 1


async def test_tenants_do_not_share_queues(center: Center, redis, engine) -> None:  # type: ignore[no-untyped-def]
    import uuid

    from tests.routing.conftest import Center as Other

    q = await center.queue()
    other = Other(redis, engine, str(uuid.uuid4()))
    q_other = await other.queue()
    b = await other.agent([q_other])
    await center.call(q)
    assert await other.state(b) == "available"
    # The same queue id in the other tenant's namespace is simply unknown there.
    refused = await engine.enqueue(tenant_id=other.tenant_id, call=new_call(q))
    assert refused.extra["code"] == 404
    assert await other.state(b) == "available"
    assert "call.enqueued" not in await other.types()
