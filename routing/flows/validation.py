"""Graph rules a flow must satisfy before it is saved or published.

Checked in this order, each error naming the node in ``extensions.field``:

1. every target exists (``nodes.menu1.options.2``) and ``start`` names a node;
2. every queue, prompt and skill the flow names exists in the tenant (``nodes.q1.queue``),
   and every hours node has business hours (its own or the flow's);
3. every node is reachable from ``start`` (``nodes.orphan``);
4. no node is stuck in a loop with no exit: from every node some terminal node (enqueue,
   transfer, voicemail, hang up) must be reachable. A menu's or collect's own retries are
   not edges, so a retry loop is fine;
5. no cycle runs without waiting for the caller (only play, hours, CRM and set nodes):
   such a loop would spin forever on one set of facts, even if it has an exit.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from routing.flows.definition import TERMINAL, WAITING, FlowDefinition, Node
from tenants.errors import BadUserInput


@dataclass(frozen=True)
class KnownIds:
    """The tenant's ids a flow may name."""

    queues: frozenset[uuid.UUID]
    prompts: frozenset[uuid.UUID]
    skills: frozenset[uuid.UUID]


def _error(node: str, path: str, message: str) -> BadUserInput:
    field = f"nodes.{node}.{path}" if path else f"nodes.{node}"
    return BadUserInput(f"node {node}: {message}", field=field)


def _check_targets(flow: FlowDefinition) -> None:
    if flow.start not in flow.nodes:
        raise BadUserInput(f"start: node {flow.start} does not exist", field="start")
    for node in flow.nodes.values():
        for path, target in node.targets():
            if target not in flow.nodes:
                raise _error(node.id, path, f"{path} goes to node {target}, which does not exist")


def _check_references(flow: FlowDefinition, known: KnownIds) -> None:
    for node in flow.nodes.values():
        if node.type == "hours" and not (node.hours or flow.hours):
            raise _error(node.id, "hours", "has no business hours: give its own or the flow's")
        for path, prompt in node.prompts():
            if prompt not in known.prompts:
                raise _error(node.id, path, f"{path} names a prompt that does not exist")
        if node.queue is not None and node.queue not in known.queues:
            raise _error(node.id, "queue", "queue names a queue that does not exist")
        for index, need in enumerate(node.skills or ()):
            if need.skill_id not in known.skills:
                raise _error(
                    node.id, f"skills.{index}.skillId", "skills names a skill that does not exist"
                )


def _edges(node: Node) -> list[str]:
    return [target for _, target in node.targets()]


def _reachable(flow: FlowDefinition) -> set[str]:
    seen = {flow.start}
    stack = [flow.start]
    while stack:
        for target in _edges(flow.nodes[stack.pop()]):
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def _can_finish(flow: FlowDefinition) -> set[str]:
    incoming: dict[str, list[str]] = {node_id: [] for node_id in flow.nodes}
    for node in flow.nodes.values():
        for target in _edges(node):
            incoming[target].append(node.id)
    done = {node.id for node in flow.nodes.values() if node.type in TERMINAL}
    stack = list(done)
    while stack:
        for source in incoming[stack.pop()]:
            if source not in done:
                done.add(source)
                stack.append(source)
    return done


def _silent_cycle(flow: FlowDefinition) -> str | None:
    """A node on a cycle of nodes that never wait for the caller, if any."""
    state: dict[str, int] = {}

    def visit(node_id: str) -> str | None:
        state[node_id] = 1
        for target in _edges(flow.nodes[node_id]):
            if flow.nodes[target].type in WAITING:
                continue
            if state.get(target) == 1:
                return target
            if target not in state and (found := visit(target)):
                return found
        state[node_id] = 2
        return None

    for node in flow.nodes.values():
        if node.type not in WAITING and node.id not in state and (found := visit(node.id)):
            return found
    return None


def validate_flow(flow: FlowDefinition, known: KnownIds) -> None:
    """Raise BAD_USER_INPUT naming the first node that breaks a rule (module docstring)."""
    _check_targets(flow)
    _check_references(flow, known)
    reachable = _reachable(flow)
    for node_id in flow.nodes:
        if node_id not in reachable:
            raise _error(node_id, "", f"is unreachable from the start node {flow.start}")
    finishing = _can_finish(flow)
    for node_id in flow.nodes:
        if node_id not in finishing:
            raise _error(
                node_id,
                "",
                "is in a loop with no exit: no enqueue, transfer, voicemail or "
                "hang-up node can be reached from it",
            )
    if (looping := _silent_cycle(flow)) is not None:
        raise _error(
            looping, "", "is in a loop that never waits for the caller (add a menu or collect)"
        )
