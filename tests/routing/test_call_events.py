"""Call events: the happy path, duplicates, out-of-order and unknown calls."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from routing.engine.engine import AcdEngine
from tests.routing.conftest import Center, FakeClock


async def test_answer_end_events_follow_the_contract(center: Center) -> None:
    q = await center.queue(wrapup_s=10)
    a = await center.agent([q])
    await center.call(q, "c1")
    await center.event("c1", "ringing")
    await center.event("c1", "answered")
    await center.event("c1", "ended", by="caller")
    events = {e["type"]: e for e in await center.events() if e.get("call_id") == "c1"}
    assert set(events) >= {
        "call.enqueued",
        "call.reserved",
        "call.dequeued",
        "call.answered",
        "call.ended",
    }
    assert events["call.enqueued"]["queue_id"] == q
    assert events["call.enqueued"]["from"] == "+33612345678"
    assert events["call.dequeued"]["outcome"] == "answered"
    assert events["call.dequeued"]["agent_id"] == a
    assert int(events["call.answered"]["wait_ms"]) >= 0
    assert events["call.ended"]["by"] == "caller"
    assert "talk_ms" in events["call.ended"]
    assert await center.state(a) == "acw"
    assert (await center.call_state("c1"))["state"] == "ended"


async def test_duplicates_are_idempotent(center: Center) -> None:
    q = await center.queue()
    await center.agent([q])
    await center.call(q, "c1")
    assert (await center.event("c1", "answered")).status == "ok"
    count = len(await center.events())
    assert (await center.event("c1", "answered")).status == "duplicate"
    assert len(await center.events()) == count
    assert (await center.event("c1", "ended", by="agent")).status == "ok"
    count = len(await center.events())
    for event_type in ("ended", "answered", "abandoned", "agent_failed"):
        result = await center.event("c1", event_type)
        assert result.status in {"duplicate", "ignored"}
    assert len(await center.events()) == count


async def test_ended_before_answered(center: Center) -> None:
    q = await center.queue()
    a = await center.agent([q])
    await center.call(q, "c1")
    result = await center.event("c1", "ended", by="agent")
    assert result.status == "ok"
    assert any("answer inferred" in n for n in result.notes)
    late = await center.event("c1", "answered")
    assert late.status == "duplicate"
    types = [e["type"] for e in await center.events() if e.get("call_id") == "c1"]
    assert types.count("call.answered") == 1 and types.count("call.ended") == 1
    assert await center.state(a) == "available"


async def test_abandon_while_queued_and_short_abandon(center: Center) -> None:
    q = await center.queue(short_abandon_s=5)
    await center.call(q, "short")
    await center.event("short", "abandoned")
    dequeued = {e["call_id"]: e for e in await center.events() if e["type"] == "call.dequeued"}
    abandoned = {e["call_id"]: e for e in await center.events() if e["type"] == "call.abandoned"}
    assert dequeued["short"]["outcome"] == "short_abandoned"
    assert abandoned["short"]["short"] == "1"
    assert (await center.call_state("short"))["state"] == "abandoned"


async def test_abandon_uses_hangup_time(center: Center) -> None:
    q = await center.queue(short_abandon_s=0)
    await center.call(q, "c")
    enq = int((await center.call_state("c"))["enq_ms"])
    await asyncio.sleep(0.05)
    await center.event("c", "abandoned", at_ms=enq + 20)
    dequeued = next(e for e in await center.events() if e["type"] == "call.dequeued")
    assert dequeued["wait_ms"] == "20"
    assert dequeued["at"] == str(enq + 20)
    assert dequeued["outcome"] == "abandoned"


async def test_stale_agent_failed_is_ignored(center: Center) -> None:
    q = await center.queue()
    a = await center.agent([q])
    await center.call(q, "c")
    reserved_ms = int((await center.call_state("c"))["reserved_ms"])
    result = await center.event("c", "agent_failed", at_ms=reserved_ms - 5000)
    assert result.status == "duplicate"
    assert await center.state(a) == "reserved"


async def test_unknown_call_and_other_tenant(center: Center, engine) -> None:  # type: ignore[no-untyped-def]
    import uuid

    q = await center.queue()
    a = await center.agent([q])
    await center.call(q, "mine")
    assert (await center.event("ghost", "answered")).status == "not_found"
    other = await engine.call_event(
        tenant_id=str(uuid.uuid4()), call_id="mine", event_type="answered"
    )
    assert other.status == "not_found"
    assert await center.state(a) == "reserved"


async def test_long_abandon_creates_a_missed_call(center: Center) -> None:
    import uuid

    q = await center.queue(short_abandon_s=0)
    await center.call(q, "quick")
    enq = int((await center.call_state("quick"))["enq_ms"])
    await center.event("quick", "abandoned", at_ms=enq)
    await center.call(q, "patient")
    enq = int((await center.call_state("patient"))["enq_ms"])
    await asyncio.sleep(0.05)
    await center.event("patient", "abandoned", at_ms=enq + 40)
    missed = [e for e in await center.events() if e["type"] == "missed_call.created"]
    assert [(e["call_id"], e["wait_ms"], e["number"]) for e in missed] == [
        ("patient", "40", "+33612345678")
    ]
    assert uuid.UUID(missed[0]["task_id"]).version == 5


async def test_holds_are_timed_and_excluded_from_talk(
    redis: Redis, clock: FakeClock, tenant_id: str
) -> None:
    center = Center(redis, AcdEngine(redis, clock=clock), tenant_id)
    q = await center.queue(wrapup_s=10)
    a = await center.agent([q])
    await center.call(q, "h1")
    enq = int((await center.call_state("h1"))["enq_ms"])
    clock.advance(0.8)  # every stamp below is then in the past, as Kamailio's are

    async def event(event_type: str, offset_ms: int, by: str = "") -> str:
        result = await center.event("h1", event_type, by=by, at_ms=enq + offset_ms)
        return result.status

    assert await event("held", 50) == "ignored"  # before the answer a hold means nothing
    assert await event("answered", 100) == "ok"
    assert await event("resumed", 150) == "duplicate"  # not held
    assert await event("held", 200, "agent") == "ok"
    assert await event("held", 250, "agent") == "duplicate"
    assert await event("resumed", 300, "agent") == "ok"
    assert await event("held", 400, "caller") == "ok"
    # Ended while still on hold: the open hold counts up to the end.
    assert await event("ended", 600, "caller") == "ok"
    events = [e for e in await center.events() if e.get("call_id") == "h1"]
    types = [e["type"] for e in events]
    assert types.count("call.held") == 2 and types.count("call.resumed") == 1
    resumed = next(e for e in events if e["type"] == "call.resumed")
    assert (resumed["hold_ms"], resumed["by"], resumed["agent_id"]) == ("100", "agent", a)
    ended = next(e for e in events if e["type"] == "call.ended")
    assert (ended["hold_ms"], ended["talk_ms"]) == ("300", "200")
    assert await center.state(a) == "acw"
    assert await event("held", 700) == "ignored"
