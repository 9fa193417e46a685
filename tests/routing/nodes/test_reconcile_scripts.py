"""The reconciliation scripts (issue 16, item 1) on real Valkey: a lost or restarted node's
calls end once, the sweep, the maximum call duration and the bounded re-sends."""

from __future__ import annotations

from dataclasses import replace

from redis.asyncio import Redis

from routing.engine.engine import AcdEngine
from tests.routing.conftest import Center, FakeClock, new_call
from tests.routing.invariants import (
    check_agent_transitions,
    check_exactly_once,
    check_no_double_reservation,
    check_replay,
    replay,
    stored_state,
)


async def assert_invariants(
    center: Center, *, agents: list[str], calls: list[str], queues: list[str]
) -> dict[str, str]:
    events = await center.events()
    outcomes = check_exactly_once(events, calls)
    check_agent_transitions(events)
    check_no_double_reservation(events)
    stored = await stored_state(
        center.redis, center.tenant_id, agent_ids=agents, call_ids=calls, queue_ids=queues
    )
    check_replay(replay(events, agent_ids=agents, call_ids=calls), stored)
    return outcomes


def of_type(events: list[dict[str, str]], kind: str) -> dict[str, dict[str, str]]:
    return {e["call_id"]: e for e in events if e["type"] == kind}


async def test_lost_node_abandons_queued_and_ends_connected_calls_once(center: Center) -> None:
    wrapup = await center.queue(wrapup_s=30)
    plain = await center.queue()
    busy = await center.agent([wrapup])
    free = await center.agent([plain])
    await center.call(wrapup, "talking")
    await center.event("talking", "answered")
    await center.call(plain, "ringing")  # reserved to ``free``
    await center.call(plain, "waiting")  # nobody left: queued
    await center.engine.enqueue(
        tenant_id=center.tenant_id, call=replace(new_call(wrapup, "elsewhere"), node="k2")
    )

    result = await center.engine.node_lost(
        tenant_id=center.tenant_id, node="kamailio-1", boot="", restarted=False
    )

    assert result.extra["ended"] == 3
    events = await center.events()
    ended = of_type(events, "call.ended")["talking"]
    assert (ended["by"], ended["reason"]) == ("system", "node_lost")
    assert {c: e["reason"] for c, e in of_type(events, "call.abandoned").items()} == {
        "ringing": "node_lost",
        "waiting": "node_lost",
    }
    # The agents follow their queue: ACW after a wrap-up queue, available after the other.
    assert await center.state(busy) == "acw"
    assert await center.state(free) == "available"
    assert (await center.call_state("elsewhere"))["state"] == "queued"

    # Again (another replica, or a repeated pass): nothing more happens.
    again = await center.engine.node_lost(
        tenant_id=center.tenant_id, node="kamailio-1", boot="", restarted=False
    )
    assert again.extra["ended"] == 0
    # The node's late events are answered idempotently and never revive a call.
    late = await center.event("talking", "ended", by="caller")
    assert late.status == "duplicate"
    assert any("reconciliation" in note for note in late.notes)
    assert (await center.event("ringing", "answered")).status == "duplicate"
    assert (await center.call_state("ringing"))["state"] == "abandoned"
    assert await center.state(free) == "available"
    assert len(await center.events()) == len(events)

    await center.engine.node_lost(tenant_id=center.tenant_id, node="k2", boot="", restarted=False)
    outcomes = await assert_invariants(
        center,
        agents=[busy, free],
        calls=["talking", "ringing", "waiting", "elsewhere"],
        queues=[plain, wrapup],
    )
    assert set(outcomes.values()) == {"answered", "abandoned"}
    assert outcomes["talking"] == "answered"


async def test_restarted_node_keeps_the_calls_of_its_new_boot(center: Center) -> None:
    queue = await center.queue()
    await center.call(queue, "before", node_boot="b1")
    await center.call(queue, "after", node_boot="b2")

    result = await center.engine.node_lost(
        tenant_id=center.tenant_id, node="kamailio-1", boot="b2", restarted=True
    )

    assert result.extra["ended"] == 1
    assert (await center.call_state("before"))["state"] == "abandoned"
    assert (await center.call_state("after"))["state"] == "queued"
    # A loss of boot b1 reported late ends nothing of b2 either.
    late = await center.engine.node_lost(
        tenant_id=center.tenant_id, node="kamailio-1", boot="b1", restarted=False
    )
    assert late.extra["ended"] == 0


async def test_a_node_claiming_another_nodes_call_is_refused(center: Center) -> None:
    queue = await center.queue()
    await center.agent([queue])
    await center.call(queue, "mine")

    refused = await center.event("mine", "answered", node="intruder")
    assert refused.status == "conflict"
    assert (await center.call_state("mine"))["state"] == "reserved"
    again = await center.engine.enqueue(
        tenant_id=center.tenant_id,
        call=replace(new_call(queue, "mine"), node="x"),
    )
    assert again.status == "conflict"
    assert (await center.event("mine", "answered", node="kamailio-1")).status == "ok"


async def test_sweep_ends_calls_gone_from_the_node_after_a_grace(
    redis: Redis, tenant_id: str, clock: FakeClock
) -> None:
    engine = AcdEngine(redis, clock=clock)
    center = Center(redis, engine, tenant_id)
    queue = await center.queue()
    await center.call(queue, "listed")
    await center.call(queue, "vanished")
    clock.advance(30)
    await center.call(queue, "young")

    async def sweep():  # type: ignore[no-untyped-def]
        return await engine.sweep_node(
            tenant_id=tenant_id,
            node="kamailio-1",
            live_call_ids=["listed", "ghost"],
            grace_ms=10_000,
        )

    first = await sweep()  # a first miss may be a dialog whose end is still on its way
    assert first.extra["ended"] == 0
    assert (await center.call_state("vanished"))["state"] == "queued"
    result = await sweep()

    assert result.extra["ended"] == 1
    assert result.extra["unknown"] == ["ghost"]
    states = {c: (await center.call_state(c))["state"] for c in ("listed", "vanished", "young")}
    assert states == {"listed": "queued", "vanished": "abandoned", "young": "queued"}
    abandoned = of_type(await center.events(), "call.abandoned")["vanished"]
    assert abandoned["reason"] == "dialog_gone"


async def test_maximum_call_duration_ends_the_call(
    redis: Redis, tenant_id: str, clock: FakeClock
) -> None:
    engine = AcdEngine(redis, clock=clock, max_call_s=60)
    center = Center(redis, engine, tenant_id)
    queue = await center.queue(wrapup_s=10)
    agent = await center.agent([queue])
    await center.call(queue, "endless")
    await center.event("endless", "answered")

    clock.advance(59)
    assert (await engine.fire_timers(tenant_id=tenant_id)).extra["fired"] == 0
    clock.advance(2)
    fired = await engine.fire_timers(tenant_id=tenant_id)

    assert fired.extra["hangups"] == [{"call_id": "endless", "node": "kamailio-1"}]
    assert ["lost", queue, "max_duration"] in fired.metrics
    ended = of_type(await center.events(), "call.ended")["endless"]
    assert (ended["by"], ended["reason"]) == ("system", "max_duration")
    assert await center.state(agent) == "acw"
    await assert_invariants(center, agents=[agent], calls=["endless"], queues=[queue])


async def test_an_ended_call_cancels_its_duration_timer(
    redis: Redis, tenant_id: str, clock: FakeClock
) -> None:
    engine = AcdEngine(redis, clock=clock, max_call_s=60)
    center = Center(redis, engine, tenant_id)
    queue = await center.queue()
    await center.agent([queue])
    await center.call(queue, "short")
    await center.event("short", "answered")
    await center.event("short", "ended", by="caller")
    clock.advance(120)
    fired = await engine.fire_timers(tenant_id=tenant_id)
    assert fired.extra.get("hangups") is None
    assert fired.extra["popped"] == 0


async def test_continue_resends_are_bounded(redis: Redis, tenant_id: str, clock: FakeClock) -> None:
    engine = AcdEngine(redis, clock=clock, outbox_lease_s=1)
    center = Center(redis, engine, tenant_id)
    queue = await center.queue(ring_timeout_s=600)
    agent = await center.agent([queue])
    decided = await center.call(queue, "unreachable")
    assert decided.dispatch == ["unreachable|1"]

    sent = []
    for _ in range(4):
        clock.advance(2)  # the lease of whoever held the decision ran out
        claimed = await engine.claim_outbox(tenant_id=tenant_id, max_resends=2)
        sent.append((claimed.dispatch, claimed.extra["gave_up"]))

    assert sent == [
        (["unreachable|1"], 0),  # first claim: the decision's own send
        (["unreachable|1"], 0),
        (["unreachable|1"], 0),
        ([], 1),  # a third re-send would pass the bound: the call is lost
    ]
    call = await center.call_state("unreachable")
    assert (call["state"], call["abandon_reason"]) == ("abandoned", "continue_failed")
    assert await center.state(agent) == "available"
    await assert_invariants(center, agents=[agent], calls=["unreachable"], queues=[queue])
