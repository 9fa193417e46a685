"""The call-flow interpreter: pure, no I/O, no clock of its own.

``next_step(flow, state, event, facts)`` takes a published flow version, where the call is
(``FlowState``, None at the start), what just happened (``Start``, ``Digits``, ``Timeout``)
and the facts the runtime looked up (``CallFacts``: the time, the caller's CRM record), and
returns the new state and one ``Action`` for the media side to perform:

- ``Collect``: play ``prompts`` in order, then collect up to ``max_digits`` DTMF digits
  (ending early on ``terminator``), waiting ``timeout_s`` for them; answer with ``Digits``
  (what was pressed, terminator excluded) or ``Timeout`` (nothing pressed). Digits pressed
  while the prompts play count (type-ahead), as callers expect from commercial IVRs.
- ``Enqueue``, ``Transfer``, ``Voicemail``, ``Hangup``: play ``prompts``, then do it. These end
  the flow; the call leaves the interpreter.

Play, hours, CRM and set nodes never wait: the interpreter walks through them in one step,
gathering the prompts that play nodes contribute into the next action's ``prompts``.

Menus and collects share one retry budget for no input and invalid input: a timeout plays
the node's timeout prompt (if any), an invalid entry its invalid prompt (if any), then the
node's own prompt again, up to ``retries`` times; once exhausted, that same timeout/invalid
prompt plays and the flow goes to ``fallback``.

Call variables (``FlowState.variables``, collected digits by variable name) travel with the
call: ``Enqueue``/``Transfer``/``Voicemail`` carry them, and the runtime stores them on the
call (``docs/call-flows.md``) for the screen pop and the facts.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from routing.flows.definition import TERMINAL, CrmCondition, FlowDefinition, Node, SkillNeed
from routing.hours import is_open

MAX_HOPS = 64
"""Nodes walked in one step at most; validation forbids the loops that would need more."""


class FlowInputError(ValueError):
    """An event that does not fit the call's state (a runtime bug, never a caller's)."""


# --- inputs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Start:
    """The call entered the flow."""


@dataclass(frozen=True)
class Digits:
    """DTMF the caller pressed during a ``Collect`` (terminator excluded)."""

    digits: str


@dataclass(frozen=True)
class Timeout:
    """A ``Collect`` ended with nothing pressed."""


Event = Start | Digits | Timeout


@dataclass(frozen=True)
class CallFacts:
    """What the runtime knows about the call when it asks for a step."""

    now: datetime
    known_customer: bool = False
    category: str | None = None
    is_vip: bool = False
    is_blacklisted: bool = False
    open_ticket: bool = False
    custom_fields: dict[str, str] = field(default_factory=dict)
    last_agent_id: uuid.UUID | None = None


# --- state -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlowState:
    """Where a call is in its flow; JSON-serialisable (``to_json``/``from_json``)."""

    version_id: uuid.UUID
    node: str
    attempts: int = 0
    variables: dict[str, str] = field(default_factory=dict)
    priority: int | None = None
    skills: tuple[SkillNeed, ...] = ()
    finished: bool = False

    def to_json(self) -> str:
        return json.dumps(
            {
                "version_id": str(self.version_id),
                "node": self.node,
                "attempts": self.attempts,
                "variables": self.variables,
                "priority": self.priority,
                "skills": [[str(s.skill_id), s.min_level] for s in self.skills],
                "finished": self.finished,
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, raw: str) -> FlowState:
        data: dict[str, Any] = json.loads(raw)
        return cls(
            version_id=uuid.UUID(data["version_id"]),
            node=data["node"],
            attempts=int(data["attempts"]),
            variables={str(k): str(v) for k, v in data["variables"].items()},
            priority=data["priority"],
            skills=tuple(SkillNeed(uuid.UUID(s), int(level)) for s, level in data["skills"]),
            finished=bool(data["finished"]),
        )


# --- actions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Collect:
    prompts: tuple[uuid.UUID, ...]
    max_digits: int
    timeout_s: int
    terminator: str = ""


@dataclass(frozen=True)
class Enqueue:
    prompts: tuple[uuid.UUID, ...]
    queue_id: uuid.UUID
    priority: int | None
    skills: tuple[SkillNeed, ...]
    preferred_agent_id: uuid.UUID | None
    variables: dict[str, str]


@dataclass(frozen=True)
class Transfer:
    prompts: tuple[uuid.UUID, ...]
    number: str
    variables: dict[str, str]


@dataclass(frozen=True)
class Voicemail:
    prompts: tuple[uuid.UUID, ...]
    queue_id: uuid.UUID | None
    max_seconds: int
    variables: dict[str, str]


@dataclass(frozen=True)
class Hangup:
    prompts: tuple[uuid.UUID, ...]
    reason: str = "flow"


Action = Collect | Enqueue | Transfer | Voicemail | Hangup


@dataclass(frozen=True)
class Step:
    state: FlowState
    action: Action


# --- the walk ----------------------------------------------------------------------------


def _crm(condition: CrmCondition, facts: CallFacts, state: FlowState) -> bool:
    kind, wanted = condition.kind, condition.value.casefold()
    if kind == "known_customer":
        return facts.known_customer
    if kind == "vip":
        return facts.is_vip
    if kind == "blacklisted":
        return facts.is_blacklisted
    if kind == "category":
        return (facts.category or "").casefold() == wanted
    if kind == "open_ticket":
        return facts.open_ticket
    if kind == "custom_field":
        return facts.custom_fields.get(condition.name, "").casefold() == wanted
    if kind == "last_agent":
        return facts.last_agent_id is not None
    return state.variables.get(condition.name, "").casefold() == wanted


def _hours_target(flow: FlowDefinition, node: Node, facts: CallFacts) -> str | None:
    hours = node.hours or flow.hours
    if flow.holidays:
        zone = json.loads(hours).get("tz") if hours else None
        local = facts.now.astimezone(_zone(zone)).date()
        if local in flow.holidays:
            return node.holiday or node.closed
    return node.open if is_open(hours, facts.now) else node.closed


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _terminal(node: Node, state: FlowState, prompts: list[uuid.UUID], facts: CallFacts) -> Action:
    played = tuple(prompts + ([node.prompt] if node.prompt else []))
    variables = dict(state.variables)
    if node.type == "enqueue":
        assert node.queue is not None
        return Enqueue(
            prompts=played,
            queue_id=node.queue,
            priority=state.priority,
            skills=state.skills,
            preferred_agent_id=facts.last_agent_id if node.prefer_last_agent else None,
            variables=variables,
        )
    if node.type == "transfer":
        return Transfer(prompts=played, number=node.number, variables=variables)
    if node.type == "voicemail":
        return Voicemail(
            prompts=played, queue_id=node.queue, max_seconds=node.max_seconds, variables=variables
        )
    return Hangup(prompts=played)


def _collect(node: Node, prompts: list[uuid.UUID]) -> Collect:
    own = [node.prompt] if node.prompt else []
    if node.type == "menu":
        return Collect(
            prompts=tuple(prompts + own),
            max_digits=max(len(key) for key in node.options),
            timeout_s=node.timeout_s,
        )
    return Collect(
        prompts=tuple(prompts + own),
        max_digits=node.max_digits,
        timeout_s=node.timeout_s,
        terminator=node.terminator,
    )


def _walk(
    flow: FlowDefinition, state: FlowState, target: str, prompts: list[uuid.UUID], facts: CallFacts
) -> Step:
    """From ``target``, through the nodes that do not wait, to the next action."""
    for _ in range(MAX_HOPS):
        node = flow.nodes[target]
        state = replace(state, node=target, attempts=0)
        if node.type in TERMINAL:
            return Step(replace(state, finished=True), _terminal(node, state, prompts, facts))
        if node.type in {"menu", "collect"}:
            return Step(state, _collect(node, prompts))
        if node.type == "play":
            assert node.prompt is not None
            prompts = [*prompts, node.prompt]
            nxt = node.next
        elif node.type == "hours":
            nxt = _hours_target(flow, node, facts)
        elif node.type == "crm":
            assert node.condition is not None
            nxt = node.then if _crm(node.condition, facts, state) else node.otherwise
        else:  # set
            if node.priority is not None:
                state = replace(state, priority=node.priority)
            if node.skills is not None:
                state = replace(state, skills=node.skills)
            nxt = node.next
        assert nxt is not None
        target = nxt
    return Step(replace(state, finished=True), Hangup(prompts=tuple(prompts), reason="loop"))


def _retry(
    flow: FlowDefinition, state: FlowState, node: Node, notice: uuid.UUID | None, facts: CallFacts
) -> Step:
    said = [notice] if notice else []
    if state.attempts < node.retries:
        retried = replace(state, attempts=state.attempts + 1)
        return Step(retried, _collect(node, said))
    assert node.fallback is not None
    return _walk(flow, state, node.fallback, said, facts)


def _answer(
    flow: FlowDefinition, state: FlowState, node: Node, digits: str, facts: CallFacts
) -> Step:
    if node.type == "menu":
        target = node.options.get(digits)
        if target is None:
            return _retry(flow, state, node, node.invalid_prompt, facts)
        return _walk(flow, state, target, [], facts)
    entered = digits.removesuffix(node.terminator) if node.terminator else digits
    if not entered.isdigit() or not node.min_digits <= len(entered) <= node.max_digits:
        return _retry(flow, state, node, node.invalid_prompt, facts)
    stored = replace(state, variables={**state.variables, node.variable: entered})
    assert node.next is not None
    return _walk(flow, stored, node.next, [], facts)


def next_step(
    flow: FlowDefinition,
    *,
    version_id: uuid.UUID,
    state: FlowState | None,
    event: Event,
    facts: CallFacts,
) -> Step:
    """The call's next state and action (module docstring); raises FlowInputError when
    ``event`` does not fit ``state``."""
    if state is None:
        if not isinstance(event, Start):
            raise FlowInputError("a call enters its flow with Start")
        return _walk(flow, FlowState(version_id=version_id, node=flow.start), flow.start, [], facts)
    if state.version_id != version_id:
        raise FlowInputError("the call runs another flow version")
    if state.finished:
        raise FlowInputError("the call has left its flow")
    node = flow.nodes.get(state.node)
    if node is None or node.type not in {"menu", "collect"}:
        raise FlowInputError(f"node {state.node} does not wait for input")
    if isinstance(event, Timeout):
        return _retry(flow, state, node, node.timeout_prompt, facts)
    if isinstance(event, Digits):
        return _answer(flow, state, node, event.digits, facts)
    raise FlowInputError("Start only begins a call")
