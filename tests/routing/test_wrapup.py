"""Wrap-up in the engine: a queue that requires a disposition holds the agent in ACW.

The rule: without a recorded disposition the agent cannot become available (nor take a
break) from ACW; only signing off is allowed. When the ACW time runs out first, the agent
stays in ACW (offered nothing) and the disposition, once recorded, ends the wrap-up at once.
"""

from __future__ import annotations

import pytest
from redis.asyncio import Redis

from routing.engine.engine import AcdEngine
from tenants.errors import BadUserInput, Conflict, NotFound
from tests.routing.conftest import Center, FakeClock


@pytest.fixture
def center(redis: Redis, clock: FakeClock, tenant_id: str) -> Center:
    """An empty contact center whose engine reads ``clock``."""
    return Center(redis, AcdEngine(redis, clock=clock), tenant_id)


async def handled(center: Center, queue: str, agent: str, call_id: str) -> None:
    await center.call(queue, call_id)
    assert (await center.call_state(call_id))["agent_id"] == agent
    await center.event(call_id, "answered")
    await center.event(call_id, "ended", by="caller")


async def wrap(center: Center, agent: str, call_id: str, **extra: object):  # type: ignore[no-untyped-def]
    return await center.engine.wrap_up(
        tenant_id=center.tenant_id, agent_id=agent, call_id=call_id, **extra
    )


async def test_required_disposition_blocks_available_until_recorded(
    center: Center, clock: FakeClock
) -> None:
    q = await center.queue(wrapup_s=30, require_disposition=1)
    a = await center.agent([q])
    await handled(center, q, a, "c1")
    assert await center.state(a) == "acw"
    with pytest.raises(Conflict):
        await center.set_state(a, "available")
    with pytest.raises(Conflict):
        await center.set_state(a, "break:lunch")
    with pytest.raises(Conflict):
        await wrap(center, a, "", finish=True)
    assert await center.state(a) == "acw"
    await wrap(center, a, "c1", disposition_id="d-1", disposition_code="sale", note="two seats")
    assert await center.state(a) == "acw", "recording alone keeps the ACW time"
    wrapped = [e for e in await center.events() if e["type"] == "call.wrapped_up"]
    assert len(wrapped) == 1
    assert wrapped[0]["disposition_code"] == "sale"
    assert wrapped[0]["note"] == "two seats"
    assert wrapped[0]["agent_id"] == a and wrapped[0]["queue_id"] == q
    assert wrapped[0]["event_id"] and wrapped[0]["tenant_id"] == center.tenant_id
    await center.set_state(a, "available")
    assert await center.state(a) == "available"


async def test_acw_timeout_without_disposition_keeps_the_agent_in_acw(
    center: Center, clock: FakeClock
) -> None:
    q = await center.queue(wrapup_s=5, require_disposition=1)
    a = await center.agent([q])
    await handled(center, q, a, "c1")
    await center.call(q, "c2")
    clock.advance(5.1)
    assert (await center.engine.fire_timers(tenant_id=center.tenant_id)).extra["fired"] == 1
    assert await center.state(a) == "acw"
    assert (await center.call_state("c2"))["state"] == "queued", "no call while owed"
    assert "agent.wrap_up_overdue" in await center.types()
    result = await wrap(center, a, "c1", disposition_id="d-1", disposition_code="sale")
    assert result.extra["state"] == "reserved", "overdue: the disposition ends ACW at once"
    assert (await center.call_state("c2"))["agent_id"] == a


async def test_finish_early_with_the_disposition(center: Center, clock: FakeClock) -> None:
    q = await center.queue(wrapup_s=60, require_disposition=1)
    a = await center.agent([q])
    await handled(center, q, a, "c1")
    result = await wrap(center, a, "c1", disposition_id="d-1", disposition_code="sale", finish=True)
    assert result.extra["state"] == "available"
    clock.advance(61)
    assert (await center.engine.fire_timers(tenant_id=center.tenant_id)).extra["fired"] == 0


async def test_no_wrapup_time_still_holds_for_the_disposition(center: Center) -> None:
    q = await center.queue(wrapup_s=0, require_disposition=1)
    a = await center.agent([q])
    await handled(center, q, a, "c1")
    assert await center.state(a) == "acw"
    await wrap(center, a, "c1", disposition_id="d-1", disposition_code="sale")
    assert await center.state(a) == "available", "no ACW time: recording ends it"


async def test_disposition_during_the_call_skips_the_hold(center: Center) -> None:
    q = await center.queue(wrapup_s=0, require_disposition=1)
    a = await center.agent([q])
    await center.call(q, "c1")
    await center.event("c1", "answered")
    await wrap(center, a, "c1", disposition_id="d-1", disposition_code="sale")
    assert await center.state(a) == "on_contact"
    await center.event("c1", "ended", by="agent")
    assert await center.state(a) == "available"


async def test_queue_without_the_rule_and_offline_escape(center: Center, clock: FakeClock) -> None:
    free = await center.queue(wrapup_s=10)
    a = await center.agent([free])
    await handled(center, free, a, "c1")
    result = await wrap(center, a, "", finish=True)
    assert result.extra["state"] == "available", "finish early needs nothing here"
    strict = await center.queue(wrapup_s=10, require_disposition=1)
    b = await center.agent([strict])
    await handled(center, strict, b, "c2")
    await center.set_state(b, "offline")
    assert await center.state(b) == "offline", "signing off is always allowed"


async def test_only_the_handling_agent_wraps_up(center: Center, tenant_id: str) -> None:
    q = await center.queue(wrapup_s=10, require_disposition=1)
    a = await center.agent([q])
    other = await center.agent([q], available=False)
    await handled(center, q, a, "c1")
    with pytest.raises(NotFound):
        await wrap(center, other, "c1", disposition_id="d", disposition_code="x")
    with pytest.raises(NotFound):
        await wrap(center, a, "nope", disposition_id="d", disposition_code="x")
    with pytest.raises(BadUserInput):
        await wrap(center, other, "", finish=True)


async def test_another_tenant_cannot_wrap_up_the_call(
    center: Center, redis: Redis, clock: FakeClock
) -> None:
    q = await center.queue(wrapup_s=10, require_disposition=1)
    a = await center.agent([q])
    await handled(center, q, a, "c1")
    stranger = Center(redis, center.engine, "00000000-0000-4000-8000-" + "0" * 11 + "1")
    await stranger.queue()
    with pytest.raises(NotFound):
        await stranger.engine.wrap_up(
            tenant_id=stranger.tenant_id, agent_id=a, call_id="c1", disposition_id="d"
        )
    assert await center.state(a) == "acw"
    assert "call.wrapped_up" not in await center.types()
