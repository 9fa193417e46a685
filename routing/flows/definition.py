"""A call flow's definition: the JSON an admin edits, parsed into typed nodes.

The JSON shape (camelCase, as GraphQL shows it; ids are the API's global ids)::

    {"start": "welcome",
     "hours": {"tz": "Europe/Paris", "windows": {"mon": [["09:00", "18:00"]]}},
     "holidays": ["2026-12-25"],
     "nodes": {"welcome": {"type": "play", "prompt": "<Prompt id>", "next": "menu1"},
               "menu1": {"type": "menu", "prompt": "<Prompt id>",
                         "options": {"1": "sales", "2": "support"}, "timeoutS": 5,
                         "retries": 2, "invalidPrompt": "<Prompt id>", "fallback": "sales"},
               "sales": {"type": "enqueue", "queue": "<Queue id>"}, ...}}

Holidays are per flow (dates in the flow's hours time zone), so they are versioned and
published with the flow. ``parse_definition`` raises BAD_USER_INPUT whose ``field`` is the
path of the first problem (``nodes.menu1.options.2``); graph rules live in
``routing.flows.validation``.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tenants.errors import BadUserInput, NotFound
from tenants.graphql.relay import expect_global_id

NODE_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,39}$")
VARIABLE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,39}$")
DIGIT_KEYS = frozenset("0123456789*#")
E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
MAX_NODES = 200
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CRM_KINDS = (
    "known_customer",
    "vip",
    "blacklisted",
    "category",
    "open_ticket",
    "custom_field",
    "last_agent",
    "variable",
)
WAITING = frozenset({"menu", "collect"})
"""Nodes that wait for the caller (DTMF or a timeout)."""
TERMINAL = frozenset({"enqueue", "transfer", "voicemail", "hangup"})
"""Nodes that end the flow: the call leaves the IVR."""


@dataclass(frozen=True)
class SkillNeed:
    skill_id: uuid.UUID
    min_level: int


@dataclass(frozen=True)
class CrmCondition:
    kind: str
    value: str = ""
    name: str = ""


@dataclass(frozen=True)
class Node:
    """One node; only the fields of its ``type`` are meaningful."""

    id: str
    type: str
    prompt: uuid.UUID | None = None
    next: str | None = None
    options: dict[str, str] = field(default_factory=dict)
    timeout_s: int = 5
    retries: int = 2
    invalid_prompt: uuid.UUID | None = None
    timeout_prompt: uuid.UUID | None = None
    fallback: str | None = None
    variable: str = ""
    min_digits: int = 1
    max_digits: int = 10
    terminator: str = "#"
    hours: str = ""
    open: str | None = None
    closed: str | None = None
    holiday: str | None = None
    condition: CrmCondition | None = None
    then: str | None = None
    otherwise: str | None = None
    priority: int | None = None
    skills: tuple[SkillNeed, ...] | None = None
    queue: uuid.UUID | None = None
    prefer_last_agent: bool = False
    number: str = ""
    max_seconds: int = 120

    def targets(self) -> list[tuple[str, str]]:
        """``(field path below the node, target node id)`` of every outgoing edge."""
        pairs: list[tuple[str, str | None]] = [
            ("next", self.next),
            ("fallback", self.fallback),
            ("open", self.open),
            ("closed", self.closed),
            ("holiday", self.holiday),
            ("then", self.then),
            ("else", self.otherwise),
        ]
        pairs += [(f"options.{digit}", target) for digit, target in self.options.items()]
        return [(path, target) for path, target in pairs if target is not None]

    def prompts(self) -> list[tuple[str, uuid.UUID]]:
        """``(field, prompt id)`` of every prompt the node plays."""
        pairs = [
            ("prompt", self.prompt),
            ("invalidPrompt", self.invalid_prompt),
            ("timeoutPrompt", self.timeout_prompt),
        ]
        return [(path, prompt) for path, prompt in pairs if prompt is not None]


@dataclass(frozen=True)
class FlowDefinition:
    start: str
    nodes: dict[str, Node]
    hours: str = ""
    holidays: frozenset[date] = frozenset()


class _Reader:
    """Reads one JSON object, naming ``path.key`` in every error."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, dict):
            raise _bad(path, "must be an object")
        self.data, self.path = data, path

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def raw(self, key: str, *, required: bool = False) -> Any:
        value = self.data.get(key)
        if value is None and required:
            raise _bad(self.at(key), "is required")
        return value

    def text(self, key: str, *, required: bool = False, default: str = "") -> str:
        value = self.raw(key, required=required)
        if value is None:
            return default
        if not isinstance(value, str):
            raise _bad(self.at(key), "must be a string")
        return value

    def integer(self, key: str, *, low: int, high: int, default: int | None) -> int | None:
        value = self.raw(key)
        if value is None:
            return default
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise _bad(self.at(key), f"must be a whole number from {low} to {high}")
        return value

    def target(self, key: str, *, required: bool = True) -> str | None:
        value = self.text(key, required=required) or None
        if value is not None and not NODE_ID.match(value):
            raise _bad(self.at(key), f"{value!r} is not a node id")
        return value

    def ref(self, key: str, type_name: str, *, required: bool = False) -> uuid.UUID | None:
        value = self.text(key, required=required)
        if not value:
            return None
        try:
            return expect_global_id(value, type_name)
        except NotFound as err:
            raise _bad(self.at(key), f"is not a {type_name} id") from err


def _bad(path: str, message: str) -> BadUserInput:
    node = path.split(".")[1] if path.startswith("nodes.") else None
    where = f"node {node}: " if node else ""
    return BadUserInput(f"{where}{path} {message}", field=path)


def _hours(value: Any, path: str) -> str:
    if value is None:
        return ""
    spec = _Reader(value, path)
    tz = spec.text("tz", required=True)
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise _bad(f"{path}.tz", f"{tz!r} is not a time zone") from err
    windows = _Reader(spec.raw("windows") or {}, f"{path}.windows")
    for day, ranges in windows.data.items():
        where = f"{path}.windows.{day}"
        if day not in DAYS:
            raise _bad(where, f"is not a day ({', '.join(DAYS)})")
        if not isinstance(ranges, list) or not all(
            isinstance(r, list) and len(r) == 2 and all(isinstance(c, str) for c in r)
            for r in ranges
        ):
            raise _bad(where, 'must be a list of ["HH:MM", "HH:MM"] pairs')
    return json.dumps({"tz": tz, "windows": windows.data}, sort_keys=True)


def _condition(value: Any, path: str) -> CrmCondition:
    cond = _Reader(value, path)
    kind = cond.text("kind", required=True)
    if kind not in CRM_KINDS:
        raise _bad(f"{path}.kind", f"must be one of {', '.join(CRM_KINDS)}")
    needs_name = kind in {"custom_field", "variable"}
    name = cond.text("name", required=needs_name)
    value_text = cond.text("equals", required=kind in {"category", "custom_field", "variable"})
    return CrmCondition(kind=kind, value=value_text, name=name)


def _skills(value: Any, path: str) -> tuple[SkillNeed, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise _bad(path, "must be a list")
    needs = []
    for index, item in enumerate(value):
        need = _Reader(item, f"{path}.{index}")
        skill_id = need.ref("skillId", "Skill", required=True)
        level = need.integer("minLevel", low=1, high=10, default=1)
        assert skill_id is not None and level is not None
        needs.append(SkillNeed(skill_id=skill_id, min_level=level))
    return tuple(needs)


def _node(node_id: str, value: Any) -> Node:
    path = f"nodes.{node_id}"
    if not NODE_ID.match(node_id):
        raise _bad(path, "has an invalid id (a letter, then letters, digits, - or _)")
    r = _Reader(value, path)
    kind = r.text("type", required=True)
    common: dict[str, Any] = {"id": node_id, "type": kind}
    if kind == "play":
        return Node(
            **common, prompt=r.ref("prompt", "Prompt", required=True), next=r.target("next")
        )
    if kind in WAITING:
        common |= {
            "prompt": r.ref("prompt", "Prompt", required=kind == "menu"),
            "timeout_s": r.integer("timeoutS", low=1, high=60, default=5),
            "retries": r.integer("retries", low=0, high=5, default=2),
            "invalid_prompt": r.ref("invalidPrompt", "Prompt"),
            "timeout_prompt": r.ref("timeoutPrompt", "Prompt"),
            "fallback": r.target("fallback"),
        }
    if kind == "menu":
        options = _Reader(r.raw("options", required=True), f"{path}.options")
        if not options.data:
            raise _bad(f"{path}.options", "needs at least one digit")
        for digit in options.data:
            if digit not in DIGIT_KEYS:
                raise _bad(f"{path}.options.{digit}", "must be one key: 0-9, * or #")
        targets = {digit: options.target(digit) for digit in options.data}
        return Node(**common, options={k: v for k, v in targets.items() if v})
    if kind == "collect":
        variable = r.text("variable", required=True)
        if not VARIABLE.match(variable):
            raise _bad(f"{path}.variable", "must be a letter, then letters, digits or _")
        low = r.integer("minDigits", low=1, high=32, default=1)
        high = r.integer("maxDigits", low=1, high=32, default=10)
        assert low is not None and high is not None
        if low > high:
            raise _bad(f"{path}.minDigits", "must not exceed maxDigits")
        terminator = r.text("terminator", default="#")
        if terminator not in {"", "#", "*"}:
            raise _bad(f"{path}.terminator", 'must be "#", "*" or empty')
        return Node(
            **common,
            variable=variable,
            min_digits=low,
            max_digits=high,
            terminator=terminator,
            next=r.target("next"),
        )
    if kind == "hours":
        return Node(
            **common,
            hours=_hours(r.raw("hours"), f"{path}.hours"),
            open=r.target("open"),
            closed=r.target("closed"),
            holiday=r.target("holiday", required=False),
        )
    if kind == "crm":
        return Node(
            **common,
            condition=_condition(r.raw("condition", required=True), f"{path}.condition"),
            then=r.target("then"),
            otherwise=r.target("else"),
        )
    if kind == "set":
        priority = r.integer("priority", low=-100, high=100, default=None)
        skills = _skills(r.raw("skills"), f"{path}.skills")
        if priority is None and skills is None:
            raise _bad(path, "sets nothing: give priority or skills")
        return Node(**common, priority=priority, skills=skills, next=r.target("next"))
    if kind == "enqueue":
        prefer = r.raw("preferLastAgent")
        if prefer is not None and not isinstance(prefer, bool):
            raise _bad(f"{path}.preferLastAgent", "must be true or false")
        return Node(
            **common,
            prompt=r.ref("prompt", "Prompt"),
            queue=r.ref("queue", "Queue", required=True),
            prefer_last_agent=bool(prefer),
        )
    if kind == "transfer":
        number = r.text("number", required=True)
        if not E164.match(number):
            raise _bad(f"{path}.number", "must be an E.164 number (+ and digits)")
        return Node(**common, prompt=r.ref("prompt", "Prompt"), number=number)
    if kind == "voicemail":
        return Node(
            **common,
            prompt=r.ref("prompt", "Prompt"),
            queue=r.ref("queue", "Queue"),
            max_seconds=r.integer("maxSeconds", low=10, high=600, default=120),
        )
    if kind == "hangup":
        return Node(**common, prompt=r.ref("prompt", "Prompt"))
    kinds = "play, menu, collect, hours, crm, set, enqueue, transfer, voicemail, hangup"
    raise _bad(f"{path}.type", f"must be one of {kinds}")


def parse_definition(data: Any) -> FlowDefinition:
    """The typed flow of ``data``; BAD_USER_INPUT naming the first malformed field."""
    top = _Reader(data, "")
    nodes = _Reader(top.raw("nodes", required=True), "nodes")
    if not nodes.data:
        raise _bad("nodes", "needs at least one node")
    if len(nodes.data) > MAX_NODES:
        raise _bad("nodes", f"has more than {MAX_NODES} nodes")
    start = top.target("start")
    assert start is not None
    holidays_raw = top.raw("holidays") or []
    if not isinstance(holidays_raw, list):
        raise _bad("holidays", "must be a list of dates (YYYY-MM-DD)")
    holidays = set()
    for index, day in enumerate(holidays_raw):
        try:
            holidays.add(date.fromisoformat(day))
        except (TypeError, ValueError) as err:
            raise _bad(f"holidays.{index}", "must be a date (YYYY-MM-DD)") from err
    return FlowDefinition(
        start=start,
        nodes={node_id: _node(node_id, value) for node_id, value in nodes.data.items()},
        hours=_hours(top.raw("hours"), "hours"),
        holidays=frozenset(holidays),
    )
