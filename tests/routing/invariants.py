"""Routing's invariants, checked by replaying a tenant's event log (docs/events.md).

Each check takes the events in stream order (dicts of strings, as ``XRANGE`` returns them)
and raises ``AssertionError`` naming the first event that breaks the invariant.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from redis.asyncio import Redis

from tenants import redis_keys as keys

Event = Mapping[str, str]

TERMINAL = {"call.ended": "answered", "call.abandoned": "abandoned", "call.rejected": "rejected"}
"""A call's terminal event and the outcome it stands for."""

CALL_STATES = {
    "call.enqueued": "queued",
    "call.reserved": "reserved",
    "call.agent_failed": "queued",
    "call.answered": "connected",
    "call.ended": "ended",
    "call.abandoned": "abandoned",
    "call.rejected": "rejected",
}
"""The call state each event leaves the call in (the engine's ``state`` field)."""


@dataclass(frozen=True)
class RoutingRules:
    """Who may take which calls: queue minimums, agents' levels, sign-ins."""

    queue_minimums: Mapping[str, Mapping[str, int]]
    agent_skills: Mapping[str, Mapping[str, int]]
    signed_in: Mapping[str, set[str]]

    def eligible(self, agent_id: str, queue_id: str) -> bool:
        """Signed in to the queue, with every required skill at its minimum level."""
        if queue_id not in self.signed_in.get(agent_id, set()):
            return False
        levels = self.agent_skills.get(agent_id, {})
        minimums = self.queue_minimums.get(queue_id, {})
        return all(levels.get(skill, 0) >= level for skill, level in minimums.items())


def check_exactly_once(events: Iterable[Event], call_ids: Iterable[str]) -> dict[str, str]:
    """Every call of ``call_ids`` ends exactly once, and no other call appears.

    A call ends with ``call.ended`` (answered: it must have had ``call.answered``),
    ``call.abandoned`` or ``call.rejected``; no ``call.*`` event follows its end. Returns
    each call's outcome (answered, abandoned, rejected, or ``overflowed`` when it was
    moved to another queue before it ended).
    """
    expected = set(call_ids)
    ended: dict[str, str] = {}
    answered: set[str] = set()
    for event in events:
        kind = event["type"]
        if not kind.startswith("call."):
            continue
        call_id = event["call_id"]
        assert call_id in expected, f"event of a call nobody placed: {dict(event)}"
        assert call_id not in ended, f"{call_id} already {ended[call_id]}: {dict(event)}"
        if kind == "call.answered":
            answered.add(call_id)
        elif kind in TERMINAL:
            assert kind != "call.ended" or call_id in answered, (
                f"{call_id} ended without an answer: {dict(event)}"
            )
            ended[call_id] = TERMINAL[kind]
    missing = sorted(expected - set(ended))
    assert not missing, f"{len(missing)} calls never ended, e.g. {missing[:5]}"
    return ended


def overflowed_calls(events: Iterable[Event]) -> set[str]:
    """Calls moved to another queue (after max wait) before they ended."""
    return {e["call_id"] for e in events if e["type"] == "call.overflowed"}


def check_agent_transitions(events: Iterable[Event]) -> int:
    """Each agent's transitions chain up (``previous_state`` is its last state), and it is
    reserved only from ``available``. Returns the number of reservations."""
    last: dict[str, str] = {}
    reservations = 0
    for event in events:
        if event["type"] != "agent.state_changed":
            continue
        agent = event["agent_id"]
        if agent in last:
            assert event["previous_state"] == last[agent], f"broken chain: {dict(event)}"
        if event["state"] == "reserved":
            assert event["previous_state"] == "available", f"reserved from: {dict(event)}"
            reservations += 1
        last[agent] = event["state"]
    return reservations


def check_no_double_reservation(events: Iterable[Event]) -> None:
    """No agent is reserved while it holds a call: from its reservation until the call is
    released (agent_failed, abandoned or rejected while ringing, ended) and, after an
    ended call, until its after-call work ends."""
    busy: dict[str, str] = {}
    holder: dict[str, str] = {}
    for event in events:
        kind = event["type"]
        if kind == "call.reserved":
            agent, call_id = event["agent_id"], event["call_id"]
            assert agent not in busy, f"{agent} reserved while holding {busy[agent]}: {dict(event)}"
            busy[agent] = call_id
            holder[call_id] = agent
        elif kind in {"call.agent_failed", "call.ended", "call.abandoned", "call.rejected"}:
            agent = holder.pop(event["call_id"], "")
            if agent and busy.get(agent) == event["call_id"]:
                del busy[agent]
        elif kind == "agent.state_changed":
            agent = event["agent_id"]
            if event["state"] == "acw":
                assert agent not in busy, f"{agent} in ACW while holding {busy[agent]}"
                busy[agent] = f"acw after {event.get('call_id', '')}"
            elif event["previous_state"] == "acw" and busy.get(agent, "").startswith("acw"):
                del busy[agent]


@dataclass
class IdleOrder:
    """What ``check_longest_idle`` saw."""

    reservations: int = 0
    skill_skips: int = 0
    """Reservations for which an agent idle longer, signed in but under the queue's
    minimum levels, was rightly passed over (proof the skill filter was exercised)."""


def check_longest_idle(events: Iterable[Event], rules: RoutingRules) -> IdleOrder:
    """Each reservation goes to an eligible agent, and no other eligible agent was idle
    longer.

    Idle-since is the engine's (``set_agent`` in ``acd.lua``): the time the agent last
    became available, except that an agent whose caller hung up while it rang
    (reason ``caller_abandoned``) keeps the place it had.
    """
    idle_since: dict[str, int] = {}
    available: set[str] = set()
    seen = IdleOrder()
    for event in events:
        kind = event["type"]
        if kind == "agent.state_changed":
            agent, at = event["agent_id"], int(event["at"])
            if event["state"] == "available":
                keep = event.get("reason") == "caller_abandoned" and agent in idle_since
                idle_since[agent] = idle_since[agent] if keep else at
                available.add(agent)
            else:
                available.discard(agent)
        elif kind == "call.reserved":
            agent, queue_id = event["agent_id"], event["queue_id"]
            assert rules.eligible(agent, queue_id), f"{agent} not eligible: {dict(event)}"
            assert agent not in available, f"{agent} still available: {dict(event)}"
            mine = idle_since[agent]
            before = [other for other in available if idle_since[other] < mine]
            longer = [other for other in before if rules.eligible(other, queue_id)]
            assert not longer, (
                f"{agent} (idle since {mine}) reserved while {longer[0]} was idle since "
                f"{idle_since[longer[0]]}: {dict(event)}"
            )
            seen.reservations += 1
            if any(queue_id in rules.signed_in.get(other, set()) for other in before):
                seen.skill_skips += 1
    return seen


@dataclass
class RoutingState:
    """Agents' states and current calls, calls' states, and each queue's waiting calls."""

    agents: dict[str, tuple[str, str]] = field(default_factory=dict)
    calls: dict[str, str] = field(default_factory=dict)
    waiting: dict[str, set[str]] = field(default_factory=dict)


def replay(
    events: Iterable[Event], *, agent_ids: Iterable[str], call_ids: Iterable[str]
) -> RoutingState:
    """The state the event log implies for these agents, calls and their queues."""
    state = RoutingState(
        agents=dict.fromkeys(agent_ids, ("offline", "")), calls=dict.fromkeys(call_ids, "")
    )
    queue_of: dict[str, str] = {}
    for event in events:
        kind = event["type"]
        if kind == "agent.state_changed" and event["agent_id"] in state.agents:
            state.agents[event["agent_id"]] = (event["state"], event.get("call_id", ""))
        elif kind in CALL_STATES and event["call_id"] in state.calls:
            call_id = event["call_id"]
            state.calls[call_id] = CALL_STATES[kind]
            if kind == "call.enqueued":
                queue_of[call_id] = event["queue_id"]
    for call_id, call_state in state.calls.items():
        if call_state == "queued":
            state.waiting.setdefault(queue_of[call_id], set()).add(call_id)
    return state


async def stored_state(
    redis: Redis,
    tenant_id: str,
    *,
    agent_ids: Iterable[str],
    call_ids: Iterable[str],
    queue_ids: Iterable[str],
) -> RoutingState:
    """The same view read from what Redis holds."""
    agent_ids, call_ids, queue_ids = list(agent_ids), list(call_ids), list(queue_ids)
    async with redis.pipeline(transaction=False) as pipe:
        for agent_id in agent_ids:
            pipe.hmget(keys.agent(tenant_id, agent_id), ["state", "call_id"])
        for call_id in call_ids:
            pipe.hget(keys.call(tenant_id, call_id), "state")
        for queue_id in queue_ids:
            pipe.zrange(keys.waiting(tenant_id, queue_id), 0, -1)
        replies = await pipe.execute()
    agents = replies[: len(agent_ids)]
    calls = replies[len(agent_ids) : len(agent_ids) + len(call_ids)]
    waiting = replies[len(agent_ids) + len(call_ids) :]
    return RoutingState(
        agents={a: (s or "offline", c or "") for a, (s, c) in zip(agent_ids, agents, strict=True)},
        calls={c: s or "" for c, s in zip(call_ids, calls, strict=True)},
        waiting={q: set(w) for q, w in zip(queue_ids, waiting, strict=True) if w},
    )


def check_replay(replayed: RoutingState, stored: RoutingState) -> None:
    """Replaying the log rebuilt what Redis holds: every agent, call and waiting list."""
    agents = {a: (v, stored.agents.get(a)) for a, v in replayed.agents.items()}
    assert {a: v for a, v in agents.items() if v[0] != v[1]} == {}, "agents differ"
    calls = {c: (s, stored.calls.get(c)) for c, s in replayed.calls.items()}
    assert {c: v for c, v in calls.items() if v[0] != v[1]} == {}, "calls differ"
    assert replayed.waiting == stored.waiting, "waiting calls differ"
