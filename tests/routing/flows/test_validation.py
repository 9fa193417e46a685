"""Flow validation: every broken flow is BAD_USER_INPUT naming the node in ``field``."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from routing.flows.definition import parse_definition
from routing.flows.validation import validate_flow
from tenants.errors import BadUserInput
from tests.routing.flows.flow_builders import (
    KNOWN,
    MENU,
    PARIS_HOURS,
    SALES,
    prompt,
    queue,
    two_level_menu,
)


def check(definition: dict[str, Any]) -> None:
    validate_flow(parse_definition(definition), KNOWN)


def failure(definition: dict[str, Any]) -> BadUserInput:
    with pytest.raises(BadUserInput) as caught:
        check(definition)
    return caught.value


def test_the_two_level_menu_is_valid() -> None:
    check(two_level_menu())


def test_missing_menu_target_names_the_option() -> None:
    definition = two_level_menu()
    definition["nodes"]["menu1"]["options"]["2"] = "nowhere"
    err = failure(definition)
    assert err.field == "nodes.menu1.options.2"
    assert "menu1" in str(err) and "nowhere" in str(err)


def test_missing_start() -> None:
    definition = two_level_menu()
    definition["start"] = "ghost"
    assert failure(definition).field == "start"


def test_unreachable_node() -> None:
    definition = two_level_menu()
    definition["nodes"]["orphan"] = {"type": "hangup"}
    err = failure(definition)
    assert err.field == "nodes.orphan"
    assert "unreachable" in str(err)


def test_loop_with_no_exit() -> None:
    definition = {
        "start": "m",
        "nodes": {
            "m": {
                "type": "menu",
                "prompt": prompt(MENU),
                "options": {"1": "a", "2": "q"},
                "fallback": "a",
            },
            "a": {
                "type": "menu",
                "prompt": prompt(MENU),
                "options": {"1": "b"},
                "fallback": "b",
            },
            "b": {"type": "play", "prompt": prompt(MENU), "next": "a"},
            "q": {"type": "enqueue", "queue": queue(SALES)},
        },
    }
    err = failure(definition)
    assert err.field == "nodes.a"
    assert "loop with no exit" in str(err)


def test_menu_retry_loop_and_a_loop_with_an_exit_are_fine() -> None:
    definition = {
        "start": "m",
        "nodes": {
            "m": {
                "type": "menu",
                "prompt": prompt(MENU),
                "options": {"1": "again", "2": "q"},
                "retries": 3,
                "fallback": "q",
            },
            "again": {"type": "play", "prompt": prompt(MENU), "next": "m"},
            "q": {"type": "enqueue", "queue": queue(SALES)},
        },
    }
    check(definition)


def test_a_loop_that_never_waits_is_refused_even_with_an_exit() -> None:
    definition = {
        "start": "h",
        "nodes": {
            "h": {"type": "hours", "hours": PARIS_HOURS, "open": "q", "closed": "p"},
            "p": {"type": "set", "priority": 1, "next": "h"},
            "q": {"type": "enqueue", "queue": queue(SALES)},
        },
    }
    err = failure(definition)
    assert err.field in {"nodes.h", "nodes.p"}
    assert "never waits" in str(err)


@pytest.mark.parametrize(
    ("node", "key", "field"),
    [
        ("sales", "queue", "nodes.sales.queue"),
        ("menu1", "prompt", "nodes.menu1.prompt"),
        ("menu1", "invalidPrompt", "nodes.menu1.invalidPrompt"),
        ("welcome", "prompt", "nodes.welcome.prompt"),
    ],
)
def test_unknown_queue_or_prompt_names_the_node(node: str, key: str, field: str) -> None:
    definition = two_level_menu()
    kind = "Queue" if key == "queue" else "Prompt"
    definition["nodes"][node][key] = (queue if kind == "Queue" else prompt)(uuid.uuid4())
    err = failure(definition)
    assert err.field == field
    assert node in str(err)


def test_unknown_skill() -> None:
    definition = two_level_menu()
    definition["nodes"]["goldSkills"]["skills"][0]["skillId"] = queue(uuid.uuid4())
    assert failure(definition).field == "nodes.goldSkills.skills.0.skillId"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["nodes"]["menu1"].update(type="dance"), "nodes.menu1.type"),
        (lambda d: d["nodes"]["menu1"]["options"].update({"x": "sales"}), "nodes.menu1.options.x"),
        (lambda d: d["nodes"]["menu1"].update(timeoutS=0), "nodes.menu1.timeoutS"),
        (lambda d: d["nodes"]["menu1"].update(retries=9), "nodes.menu1.retries"),
        (lambda d: d["nodes"]["menu1"].pop("fallback"), "nodes.menu1.fallback"),
        (lambda d: d["nodes"]["account"].update(variable="9x"), "nodes.account.variable"),
        (lambda d: d["nodes"]["account"].update(minDigits=9), "nodes.account.minDigits"),
        (
            lambda d: d["nodes"]["vip"]["condition"].update(kind="zodiac"),
            "nodes.vip.condition.kind",
        ),
        (lambda d: d["nodes"]["vipPriority"].pop("priority"), "nodes.vipPriority"),
        (lambda d: d["nodes"]["sales"].update(queue="garbage"), "nodes.sales.queue"),
        (lambda d: d.update(holidays=["25/12"]), "holidays.0"),
        (lambda d: d["hours"]["windows"].update(funday=[]), "hours.windows.funday"),
        (lambda d: d.update(nodes={}), "nodes"),
        (lambda d: d["hours"].update(tz="Mars/Olympus"), "hours.tz"),
        (
            lambda d: d["nodes"].update(x={"type": "transfer", "number": "555"}),
            "nodes.x.number",
        ),
    ],
)
def test_malformed_fields_are_named(change: Any, field: str) -> None:
    definition = two_level_menu()
    change(definition)
    err = failure(definition)
    assert err.field == field, str(err)


def test_an_hours_node_needs_hours() -> None:
    definition = two_level_menu()
    del definition["hours"]
    err = failure(definition)
    assert err.field == "nodes.hours.hours"
    definition["nodes"]["hours"]["hours"] = {"tz": "UTC", "windows": {"mon": [["09:00", "17:00"]]}}
    check(definition)
