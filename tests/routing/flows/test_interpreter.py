"""The call-flow interpreter, without telephony: every node kind and every bad input."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from routing.flows.definition import SkillNeed, parse_definition
from routing.flows.interpreter import (
    CallFacts,
    Collect,
    Digits,
    Enqueue,
    FlowInputError,
    FlowState,
    Hangup,
    Start,
    Step,
    Timeout,
    Transfer,
    Voicemail,
    next_step,
)
from tests.routing.flows.flow_builders import (
    ACCOUNT,
    BYE,
    CLOSED,
    GOLD,
    INVALID,
    MENU,
    SALES,
    SUPPORT,
    TIMEOUT,
    VIPQ,
    WELCOME,
    prompt,
    queue,
    two_level_menu,
)

VERSION = uuid.uuid4()
MONDAY_OPEN = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)  # 11:00 in Paris
MONDAY_LATE = datetime(2026, 12, 7, 19, 0, tzinfo=UTC)  # 20:00 in Paris
CHRISTMAS = datetime(2026, 12, 25, 10, 0, tzinfo=UTC)  # a Friday, and a holiday
OPEN = CallFacts(now=MONDAY_OPEN)


def run(
    definition: dict[str, Any], *events: Start | Digits | Timeout, facts: CallFacts = OPEN
) -> list[Step]:
    flow = parse_definition(definition)
    steps: list[Step] = []
    state: FlowState | None = None
    for event in (Start(), *events):
        step = next_step(flow, version_id=VERSION, state=state, event=event, facts=facts)
        steps.append(step)
        state = step.state
    return steps


def test_start_plays_welcome_then_the_menu_prompt() -> None:
    [step] = run(two_level_menu())
    assert step.action == Collect(prompts=(WELCOME, MENU), max_digits=1, timeout_s=4)
    assert step.state.node == "menu1"
    assert step.state.version_id == VERSION


def test_press_1_enqueues_to_sales() -> None:
    *_, last = run(two_level_menu(), Digits("1"))
    assert last.action == Enqueue(
        prompts=(),
        queue_id=SALES,
        priority=None,
        skills=(),
        preferred_agent_id=None,
        variables={},
    )
    assert last.state.finished


def test_two_level_menu_collects_the_account_into_a_call_variable() -> None:
    facts = CallFacts(now=MONDAY_OPEN, custom_fields={"tier": "gold"})
    _, collect, done = run(two_level_menu(), Digits("2"), Digits("123456#"), facts=facts)
    assert collect.action == Collect(prompts=(ACCOUNT,), max_digits=8, timeout_s=5, terminator="#")
    assert isinstance(done.action, Enqueue)
    assert done.action.queue_id == SUPPORT
    assert done.action.variables == {"account": "123456"}
    assert done.action.skills == (SkillNeed(GOLD, 5),)


def test_custom_field_mismatch_takes_the_else_branch() -> None:
    facts = CallFacts(now=MONDAY_OPEN, custom_fields={"tier": "silver"})
    *_, done = run(two_level_menu(), Digits("2"), Digits("1234"), facts=facts)
    assert isinstance(done.action, Enqueue)
    assert done.action.skills == ()


def test_invalid_digit_plays_invalid_prompt_retries_then_falls_back() -> None:
    _, retry, fallback = run(two_level_menu(), Digits("9"), Digits("7"))
    assert retry.action == Collect(prompts=(INVALID, MENU), max_digits=1, timeout_s=4)
    assert retry.state.attempts == 1
    assert isinstance(fallback.action, Enqueue)
    assert fallback.action.queue_id == SALES
    assert fallback.action.prompts == (INVALID,)


def test_timeout_plays_timeout_prompt_retries_then_falls_back() -> None:
    _, retry, fallback = run(two_level_menu(), Timeout(), Timeout())
    assert retry.action == Collect(prompts=(TIMEOUT, MENU), max_digits=1, timeout_s=4)
    assert isinstance(fallback.action, Enqueue)
    assert fallback.action.prompts == (TIMEOUT,)
    assert fallback.action.queue_id == SALES


def test_timeout_then_valid_digit_after_the_retry() -> None:
    *_, done = run(two_level_menu(), Timeout(), Digits("1"))
    assert isinstance(done.action, Enqueue)
    assert done.action.queue_id == SALES
    assert done.action.prompts == ()


def test_too_short_account_without_retries_goes_to_fallback() -> None:
    *_, done = run(two_level_menu(), Digits("2"), Digits("12#"))
    assert isinstance(done.action, Enqueue)
    assert done.action.queue_id == SUPPORT
    assert done.action.prompts == (INVALID,)
    assert done.action.variables == {}


def test_closed_goes_to_voicemail() -> None:
    [step] = run(two_level_menu(), facts=CallFacts(now=MONDAY_LATE))
    assert step.action == Voicemail(
        prompts=(WELCOME, CLOSED), queue_id=SUPPORT, max_seconds=120, variables={}
    )


def test_holiday_takes_the_holiday_branch_even_inside_the_window() -> None:
    definition = two_level_menu()
    definition["hours"]["windows"]["fri"] = [["00:00", "24:00"]]
    [step] = run(definition, facts=CallFacts(now=CHRISTMAS))
    assert step.action == Hangup(prompts=(WELCOME, BYE))


def test_holiday_without_its_own_target_is_closed() -> None:
    definition = two_level_menu()
    del definition["nodes"]["hours"]["holiday"]
    del definition["nodes"]["bye"]
    [step] = run(definition, facts=CallFacts(now=CHRISTMAS))
    assert isinstance(step.action, Voicemail)


def test_vip_gets_priority_and_the_last_agent() -> None:
    last_agent = uuid.uuid4()
    facts = CallFacts(now=MONDAY_OPEN, is_vip=True, last_agent_id=last_agent)
    [step] = run(two_level_menu(), facts=facts)
    assert step.action == Enqueue(
        prompts=(WELCOME,),
        queue_id=VIPQ,
        priority=50,
        skills=(),
        preferred_agent_id=last_agent,
        variables={},
    )


def crm_flow(condition: dict[str, str]) -> dict[str, Any]:
    return {
        "start": "pick",
        "nodes": {
            "pick": {"type": "crm", "condition": condition, "then": "yes", "else": "no"},
            "yes": {"type": "transfer", "number": "+14155550100"},
            "no": {"type": "hangup"},
        },
    }


@pytest.mark.parametrize(
    ("condition", "facts", "expected"),
    [
        ({"kind": "blacklisted"}, CallFacts(now=MONDAY_OPEN, is_blacklisted=True), True),
        ({"kind": "blacklisted"}, CallFacts(now=MONDAY_OPEN), False),
        ({"kind": "known_customer"}, CallFacts(now=MONDAY_OPEN, known_customer=True), True),
        ({"kind": "category", "equals": "VIP"}, CallFacts(now=MONDAY_OPEN, category="vip"), True),
        ({"kind": "category", "equals": "VIP"}, CallFacts(now=MONDAY_OPEN, category="x"), False),
        ({"kind": "open_ticket"}, CallFacts(now=MONDAY_OPEN, open_ticket=True), True),
        ({"kind": "open_ticket"}, CallFacts(now=MONDAY_OPEN), False),
        ({"kind": "last_agent"}, CallFacts(now=MONDAY_OPEN, last_agent_id=uuid.uuid4()), True),
        ({"kind": "last_agent"}, CallFacts(now=MONDAY_OPEN), False),
        ({"kind": "variable", "name": "account", "equals": "1"}, OPEN, False),
    ],
)
def test_crm_branches(condition: dict[str, str], facts: CallFacts, expected: bool) -> None:
    [step] = run(crm_flow(condition), facts=facts)
    if expected:
        assert step.action == Transfer(prompts=(), number="+14155550100", variables={})
    else:
        assert step.action == Hangup(prompts=())


def test_branch_on_a_collected_variable() -> None:
    definition = crm_flow({"kind": "variable", "name": "lang", "equals": "2"})
    definition["start"] = "ask"
    definition["nodes"]["ask"] = {
        "type": "collect",
        "variable": "lang",
        "maxDigits": 1,
        "terminator": "",
        "next": "pick",
        "fallback": "no",
    }
    _, done = run(definition, Digits("2"))
    assert done.action == Transfer(prompts=(), number="+14155550100", variables={"lang": "2"})


def test_transfer_and_hangup_play_their_prompts() -> None:
    definition = {
        "start": "x",
        "nodes": {"x": {"type": "transfer", "number": "+33123456789", "prompt": prompt(BYE)}},
    }
    [step] = run(definition)
    assert step.action == Transfer(prompts=(BYE,), number="+33123456789", variables={})
    definition = {"start": "h", "nodes": {"h": {"type": "hangup", "prompt": prompt(BYE)}}}
    assert run(definition)[0].action == Hangup(prompts=(BYE,))


def test_set_replaces_priority_and_skills_and_enqueue_carries_them() -> None:
    definition = {
        "start": "p",
        "nodes": {
            "p": {"type": "set", "priority": 5, "next": "p2"},
            "p2": {"type": "set", "priority": -3, "next": "q"},
            "q": {"type": "enqueue", "queue": queue(SALES), "prompt": prompt(WELCOME)},
        },
    }
    [step] = run(definition)
    assert isinstance(step.action, Enqueue)
    assert step.action.priority == -3
    assert step.action.prompts == (WELCOME,)
    assert step.action.preferred_agent_id is None


def test_state_round_trips_through_json() -> None:
    facts = CallFacts(now=MONDAY_OPEN, custom_fields={"tier": "gold"})
    flow = parse_definition(two_level_menu())
    state = next_step(flow, version_id=VERSION, state=None, event=Start(), facts=facts).state
    state = next_step(flow, version_id=VERSION, state=state, event=Digits("2"), facts=facts).state
    state = FlowState(
        **{**state.__dict__, "variables": {"x": "1"}, "skills": (SkillNeed(GOLD, 2),)}
    )
    assert FlowState.from_json(state.to_json()) == state


def test_events_out_of_turn_are_refused() -> None:
    flow = parse_definition(two_level_menu())
    with pytest.raises(FlowInputError):
        next_step(flow, version_id=VERSION, state=None, event=Digits("1"), facts=OPEN)
    started = next_step(flow, version_id=VERSION, state=None, event=Start(), facts=OPEN)
    with pytest.raises(FlowInputError):
        next_step(flow, version_id=uuid.uuid4(), state=started.state, event=Timeout(), facts=OPEN)
    with pytest.raises(FlowInputError):
        next_step(flow, version_id=VERSION, state=started.state, event=Start(), facts=OPEN)
    done = next_step(flow, version_id=VERSION, state=started.state, event=Digits("1"), facts=OPEN)
    with pytest.raises(FlowInputError):
        next_step(flow, version_id=VERSION, state=done.state, event=Timeout(), facts=OPEN)


def test_menu_accepts_the_hash_key_as_an_option() -> None:
    definition = {
        "start": "m",
        "nodes": {
            "m": {
                "type": "menu",
                "prompt": prompt(MENU),
                "options": {"1": "a", "#": "a"},
                "retries": 0,
                "fallback": "a",
            },
            "a": {"type": "hangup"},
        },
    }
    [step] = run(definition)
    assert step.action == Collect(prompts=(MENU,), max_digits=1, timeout_s=5)
    _, done = run(definition, Digits("#"))
    assert done.action == Hangup(prompts=())
