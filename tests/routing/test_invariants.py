"""The event-log checks of ``tests/routing/invariants.py`` pass on a sound log and fail on a
hand-made log that breaks their invariant (a check that cannot fail proves nothing)."""

from __future__ import annotations

import pytest

from tests.routing.invariants import (
    RoutingRules,
    RoutingState,
    check_agent_transitions,
    check_exactly_once,
    check_longest_idle,
    check_no_double_reservation,
    check_replay,
    overflowed_calls,
    replay,
)

Q, Q2 = "q-fr-billing", "q-en-tech"
RULES = RoutingRules(
    queue_minimums={Q: {"fr": 2, "billing": 1}, Q2: {"en": 1}},
    agent_skills={
        "ann": {"fr": 3, "billing": 1},
        "bob": {"fr": 2, "billing": 2},
        "cid": {"fr": 1, "billing": 3, "en": 1},  # signed in to Q but below its fr minimum
    },
    signed_in={"ann": {Q}, "bob": {Q}, "cid": {Q, Q2}},
)


def state(agent: str, new: str, previous: str, at: int, **extra: str) -> dict[str, str]:
    return {
        "type": "agent.state_changed",
        "agent_id": agent,
        "state": new,
        "previous_state": previous,
        "at": str(at),
        **extra,
    }


def call(kind: str, call_id: str, at: int = 0, **extra: str) -> dict[str, str]:
    return {"type": f"call.{kind}", "call_id": call_id, "queue_id": Q, "at": str(at), **extra}


def reserve(call_id: str, agent: str, at: int, previous: str = "available") -> list[dict]:
    """What ``reserve()`` in acd.lua emits, in its order."""
    return [
        state(agent, "reserved", previous, at, call_id=call_id),
        call("reserved", call_id, at, agent_id=agent),
    ]


def answered_call(call_id: str, agent: str, at: int, *, wrapup: bool = False) -> list[dict]:
    """A call from enqueue to end; the agent starts and ends available (or in ACW)."""
    after = (
        [state(agent, "acw", "on_contact", at + 3, call_id=call_id)]
        if wrapup
        else [state(agent, "available", "on_contact", at + 3)]
    )
    return [
        call("enqueued", call_id, at),
        *reserve(call_id, agent, at),
        state(agent, "on_contact", "reserved", at + 1, call_id=call_id),
        call("dequeued", call_id, at + 1, outcome="answered"),
        call("answered", call_id, at + 1, agent_id=agent),
        call("ended", call_id, at + 3, agent_id=agent),
        *after,
    ]


SIGN_ON = [state("ann", "available", "offline", 10), state("bob", "available", "offline", 20)]


def sound_log() -> list[dict[str, str]]:
    return [
        *SIGN_ON,
        state("cid", "available", "offline", 5),
        *answered_call("c1", "ann", 100, wrapup=True),  # ann idle the longest (cid cannot)
        *answered_call("c2", "bob", 110),
        state("ann", "available", "acw", 200),
        call("enqueued", "c3", 300),
        call("dequeued", "c3", 305, outcome="abandoned"),
        call("abandoned", "c3", 305),
        call("rejected", "c4", 310),
    ]


def test_sound_log_passes_every_check() -> None:
    events = sound_log()
    outcomes = check_exactly_once(events, ["c1", "c2", "c3", "c4"])
    assert outcomes == {"c1": "answered", "c2": "answered", "c3": "abandoned", "c4": "rejected"}
    assert check_agent_transitions(events) == 2
    check_no_double_reservation(events)
    seen = check_longest_idle(events, RULES)
    # cid, idle since 5, is signed in to Q without its fr level: passed over both times.
    assert (seen.reservations, seen.skill_skips) == (2, 2)
    without_cid = [e for e in events if e.get("agent_id") != "cid"]
    assert check_longest_idle(without_cid, RULES).skill_skips == 0


def test_exactly_once_fails_on_a_second_end_a_missing_end_or_a_ghost() -> None:
    twice = [*answered_call("c1", "ann", 100), call("abandoned", "c1", 200)]
    with pytest.raises(AssertionError, match="already answered"):
        check_exactly_once(twice, ["c1"])
    with pytest.raises(AssertionError, match="never ended"):
        check_exactly_once([call("enqueued", "c1")], ["c1"])
    with pytest.raises(AssertionError, match="nobody placed"):
        check_exactly_once([call("rejected", "ghost")], ["c1"])
    unanswered = [call("enqueued", "c1"), *reserve("c1", "ann", 1), call("ended", "c1", 2)]
    with pytest.raises(AssertionError, match="without an answer"):
        check_exactly_once(unanswered, ["c1"])


def test_exactly_once_counts_an_overflowed_call() -> None:
    events = [
        call("enqueued", "c1"),
        call("overflowed", "c1", target_queue_id=Q2),
        call("enqueued", "c1"),
        call("abandoned", "c1"),
    ]
    assert check_exactly_once(events, ["c1"]) == {"c1": "abandoned"}
    assert overflowed_calls(events) == {"c1"}


def test_agent_transitions_fail_on_a_broken_chain_or_a_reservation_from_break() -> None:
    with pytest.raises(AssertionError, match="broken chain"):
        check_agent_transitions([*SIGN_ON, state("ann", "acw", "on_contact", 30)])
    on_break = [state("ann", "break:lunch", "offline", 1), *reserve("c1", "ann", 2, "break:lunch")]
    with pytest.raises(AssertionError, match="reserved from"):
        check_agent_transitions(on_break)


def test_double_reservation_fails_while_ringing_talking_or_in_acw() -> None:
    ringing = [
        *SIGN_ON,
        call("reserved", "c1", agent_id="ann"),
        call("reserved", "c2", agent_id="ann"),
    ]
    with pytest.raises(AssertionError, match="holding c1"):
        check_no_double_reservation(ringing)
    talking = [*answered_call("c1", "ann", 100)[:5], call("reserved", "c2", agent_id="ann")]
    with pytest.raises(AssertionError, match="holding c1"):
        check_no_double_reservation(talking)
    in_acw = [*answered_call("c1", "ann", 100, wrapup=True), call("reserved", "c2", agent_id="ann")]
    with pytest.raises(AssertionError, match="holding acw after c1"):
        check_no_double_reservation(in_acw)


def test_double_reservation_allows_a_new_call_once_released() -> None:
    events = [
        *reserve("c1", "ann", 1),
        call("agent_failed", "c1", 2, agent_id="ann"),
        *reserve("c2", "ann", 3),
        call("abandoned", "c2", 4),
        *reserve("c3", "ann", 5),
    ]
    check_no_double_reservation(events)


def test_longest_idle_fails_when_a_longer_idle_eligible_agent_is_passed_over() -> None:
    # bob became available after ann, yet takes the call.
    with pytest.raises(AssertionError, match="ann was idle since 10"):
        check_longest_idle([*SIGN_ON, *reserve("c1", "bob", 50)], RULES)


def test_longest_idle_ignores_agents_who_do_not_qualify_or_are_not_signed_in() -> None:
    # cid has waited longest but lacks fr level 2 for Q; for Q2 ann is not signed in.
    events = [state("cid", "available", "offline", 1), *SIGN_ON, *reserve("c1", "ann", 50)]
    assert check_longest_idle(events, RULES).reservations == 1
    to_q2 = [*SIGN_ON, state("cid", "available", "offline", 30)]
    to_q2 += [
        state("cid", "reserved", "available", 50),
        {**call("reserved", "c2", 50, agent_id="cid"), "queue_id": Q2},
    ]
    assert check_longest_idle(to_q2, RULES).reservations == 1


def test_longest_idle_fails_on_an_ineligible_agent() -> None:
    events = [state("cid", "available", "offline", 1), *reserve("c1", "cid", 5)]
    with pytest.raises(AssertionError, match="not eligible"):
        check_longest_idle(events, RULES)


def test_longest_idle_keeps_the_place_of_an_agent_whose_caller_hung_up() -> None:
    abandoned_ring = [
        *SIGN_ON,
        *reserve("c1", "ann", 50),
        call("abandoned", "c1", 51),
        state("ann", "available", "reserved", 51, reason="caller_abandoned"),
    ]
    # ann is idle since 10 again, so she comes before bob (20).
    assert check_longest_idle([*abandoned_ring, *reserve("c2", "ann", 60)], RULES).reservations == 2
    with pytest.raises(AssertionError, match="ann was idle since 10"):
        check_longest_idle([*abandoned_ring, *reserve("c2", "bob", 60)], RULES)
    # Without the reason, ann's idle time restarts at 51 and bob comes first.
    restarted = [*abandoned_ring[:-1], state("ann", "available", "reserved", 51)]
    with pytest.raises(AssertionError, match="bob was idle since 20"):
        check_longest_idle([*restarted, *reserve("c2", "ann", 60)], RULES)


def test_replay_rebuilds_the_state_and_fails_on_any_difference() -> None:
    events = [*sound_log(), call("enqueued", "c5", 400)]
    replayed = replay(events, agent_ids=["ann", "bob", "cid"], call_ids=["c1", "c3", "c5"])
    assert replayed.agents == {
        "ann": ("available", ""),
        "bob": ("available", ""),
        "cid": ("available", ""),
    }
    assert replayed.calls == {"c1": "ended", "c3": "abandoned", "c5": "queued"}
    assert replayed.waiting == {Q: {"c5"}}
    stored = RoutingState(
        agents=dict(replayed.agents), calls=dict(replayed.calls), waiting={Q: {"c5"}}
    )
    check_replay(replayed, stored)
    with pytest.raises(AssertionError, match="agents differ"):
        check_replay(
            replayed,
            RoutingState({**stored.agents, "bob": ("acw", "c2")}, stored.calls, stored.waiting),
        )
    with pytest.raises(AssertionError, match="calls differ"):
        check_replay(
            replayed, RoutingState(stored.agents, {**stored.calls, "c3": "queued"}, stored.waiting)
        )
    with pytest.raises(AssertionError, match="waiting calls differ"):
        check_replay(replayed, RoutingState(stored.agents, stored.calls, {}))
