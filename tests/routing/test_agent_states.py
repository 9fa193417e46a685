"""The agent state machine: allowed and refused transitions, each one an event."""

from __future__ import annotations

import pytest

from tenants.errors import BadUserInput, NotFound
from tests.routing.conftest import Center


async def test_manual_transitions_emit_events(center: Center) -> None:
    q = await center.queue()
    a = await center.agent([q], available=False)
    for state in ("available", "break:lunch", "available", "offline"):
        await center.set_state(a, state)
        assert await center.state(a) == state
    changes = [e for e in await center.events() if e["type"] == "agent.state_changed"]
    assert [(e["previous_state"], e["state"]) for e in changes] == [
        ("offline", "available"),
        ("available", "break:lunch"),
        ("break:lunch", "available"),
        ("available", "offline"),
    ]
    assert changes[1]["reason"] == "lunch"
    assert all(e["agent_id"] == a and e["tenant_id"] == center.tenant_id for e in changes)
    assert all(len(e["event_id"]) == 32 and e["v"] == "1" and int(e["at"]) > 0 for e in changes)


async def test_same_state_is_unchanged_and_silent(center: Center) -> None:
    q = await center.queue()
    a = await center.agent([q])
    before = len(await center.events())
    result = await center.set_state(a, "available")
    assert result.status == "unchanged"
    assert len(await center.events()) == before


@pytest.mark.parametrize("target", ["on_contact", "reserved", "acw", "not_ready:missed", "break:"])
async def test_system_states_cannot_be_set(center: Center, target: str) -> None:
    q = await center.queue()
    a = await center.agent([q])
    with pytest.raises(BadUserInput):
        await center.set_state(a, target)
    assert await center.state(a) == "available"


async def test_cannot_leave_a_ringing_or_connected_call(center: Center) -> None:
    q = await center.queue()
    a = await center.agent([q])
    call = (await center.call(q)).reservations[0].call_id
    assert await center.state(a) == "reserved"
    with pytest.raises(BadUserInput):
        await center.set_state(a, "offline")
    await center.event(call, "answered")
    assert await center.state(a) == "on_contact"
    with pytest.raises(BadUserInput):
        await center.set_state(a, "break:coffee")
    assert await center.state(a) == "on_contact"


async def test_unknown_agent_is_not_found(center: Center) -> None:
    await center.queue()
    with pytest.raises(NotFound):
        await center.set_state("no-such-agent", "available")


async def test_acw_can_end_early(center: Center) -> None:
    q = await center.queue(wrapup_s=60)
    a = await center.agent([q])
    call = (await center.call(q)).reservations[0].call_id
    await center.event(call, "answered")
    await center.event(call, "ended", by="caller")
    assert await center.state(a) == "acw"
    await center.set_state(a, "available")
    assert await center.state(a) == "available"
    timers = await center.redis.zrange(f"{{t:{center.tenant_id}}}:rt:timers", 0, -1)
    assert not [t for t in timers if t.startswith("acw|")]


async def test_membership_follows_profile(center: Center) -> None:
    q1 = await center.queue()
    q2 = await center.queue()
    a = await center.agent([q1])
    with pytest.raises(BadUserInput):
        await center.engine.sign_in(tenant_id=center.tenant_id, agent_id=a, queue_id=q2)
    with pytest.raises(NotFound):
        await center.engine.sign_in(tenant_id=center.tenant_id, agent_id=a, queue_id="nope")
    await center.engine.sign_out(tenant_id=center.tenant_id, agent_id=a, queue_id=q1)
    result = await center.call(q1)
    assert result.reservations == []
    await center.engine.sign_in(tenant_id=center.tenant_id, agent_id=a, queue_id=q1)
    assert await center.state(a) == "reserved"


async def test_other_tenant_cannot_touch_agent(center: Center, engine, tenant_id: str) -> None:  # type: ignore[no-untyped-def]
    import uuid

    q = await center.queue()
    a = await center.agent([q])
    other = str(uuid.uuid4())
    with pytest.raises(NotFound):
        await engine.set_agent_state(tenant_id=other, agent_id=a, state="offline")
    with pytest.raises(NotFound):
        await engine.sign_out(tenant_id=other, agent_id=a, queue_id=q)
    assert await center.state(a) == "available"
    assert (await engine.agents(tenant_id=other)) == []
