"""Applies one event to the facts, idempotently, and says what counters it moved."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from analytics.events import Event, MalformedEvent
from analytics.facts import repository, rollups
from tenants.followups import service as followups

DEQUEUE_OUTCOMES = frozenset({"answered", "abandoned", "short_abandoned", "callback", "flowout"})


@dataclass(frozen=True)
class Observation:
    """A Prometheus update to make once the facts it came from are committed."""

    kind: str
    queue_id: uuid.UUID | None = None
    value: float = 0.0
    label: str = ""
    thresholds: tuple[float, float] | None = None
    """The queue's T and S, on ``wait`` and ``configured`` observations."""


@dataclass
class Applied:
    """The result of applying an event: new or a redelivery, and what to observe."""

    new: bool
    observations: list[Observation] = field(default_factory=list)
    touched_queues: list[tuple[uuid.UUID | None, datetime | None]] = field(default_factory=list)
    touched_agents: list[tuple[uuid.UUID, datetime, datetime]] = field(default_factory=list)

    def acw(self, updates: list[repository.AcwUpdate]) -> None:
        """Note ACW refreshes: counters for final ones, buckets for moved handle times."""
        for update in updates:
            if update.became_final:
                self.observations.append(Observation("acw", update.queue_id, update.acw_ms / 1000))
            if update.old_handled_at != update.new_handled_at:
                self.touched_queues.append((update.queue_id, update.old_handled_at))
                self.touched_queues.append((update.queue_id, update.new_handled_at))


async def refresh_rollups(
    session: AsyncSession, tenant_id: uuid.UUID, batch: list[Applied]
) -> None:
    """Recompute every rollup bucket the batch's events touched, from the facts."""
    await rollups.refresh_queue_buckets(
        session,
        tenant_id=tenant_id,
        touched=[t for applied in batch for t in applied.touched_queues],
    )
    spans: dict[uuid.UUID, tuple[datetime, datetime]] = {}
    for applied in batch:
        for agent, start, end in applied.touched_agents:
            low, high = spans.get(agent, (start, end))
            spans[agent] = (min(low, start), max(high, end))
    for agent, (start, end) in sorted(spans.items()):
        await rollups.refresh_agent_states(
            session, tenant_id=tenant_id, agent_id=agent, start=start, end=end
        )


async def apply_event(session: AsyncSession, event: Event) -> Applied:
    """Write ``event``'s facts unless it was applied before (keyed by ``event_id``)."""
    tenant = event.tenant_id
    if not await repository.mark_processed(
        session, tenant_id=tenant, event_id=event.event_id, type_=event.type, at=event.at
    ):
        return Applied(new=False)
    handler = _HANDLERS.get(event.type)
    applied = Applied(new=True)
    if handler is not None:
        await handler(session, event, applied)
    return applied


async def _enqueued(session: AsyncSession, event: Event, applied: Applied) -> None:
    tenant, call_id = event.tenant_id, event.call_id()
    queue_id = event.required_uuid("queue_id")
    await repository.register_queue(session, tenant_id=tenant, queue_id=queue_id)
    old_enqueued, _ = await repository.leg_times(
        session, tenant_id=tenant, call_id=call_id, queue_id=queue_id
    )
    applied.touched_queues += [(queue_id, old_enqueued), (queue_id, event.at)]
    await repository.upsert_leg_enqueued(
        session,
        tenant_id=tenant,
        call_id=call_id,
        queue_id=queue_id,
        enqueued_at=event.at,
        priority=event.integer("priority"),
    )
    await repository.upsert_contact(
        session,
        tenant_id=tenant,
        call_id=call_id,
        arrived_at=event.at,
        first_queue_id=queue_id,
        from_number=event.text("from"),
        to_number=event.text("to"),
        customer_id=event.uuid("customer_id"),
    )
    applied.observations.append(Observation("offered", queue_id))


async def _dequeued(session: AsyncSession, event: Event, applied: Applied) -> None:
    tenant, call_id = event.tenant_id, event.call_id()
    queue_id = event.required_uuid("queue_id")
    outcome = event.text("outcome")
    wait_ms = event.integer("wait_ms")
    if outcome not in DEQUEUE_OUTCOMES:
        raise MalformedEvent(f"call.dequeued: unknown outcome {outcome!r}")
    if wait_ms is None or wait_ms < 0:
        raise MalformedEvent("call.dequeued: wait_ms must be a non-negative integer")
    await repository.register_queue(session, tenant_id=tenant, queue_id=queue_id)
    definition = await repository.queue_definition(session, tenant_id=tenant, queue_id=queue_id)
    old_enqueued, old_dequeued = await repository.leg_times(
        session, tenant_id=tenant, call_id=call_id, queue_id=queue_id
    )
    derived = event.at - timedelta(milliseconds=wait_ms)
    applied.touched_queues += [
        (queue_id, old_dequeued),
        (queue_id, event.at),
        (queue_id, old_enqueued or derived),
    ]
    await repository.upsert_leg_dequeued(
        session,
        tenant_id=tenant,
        call_id=call_id,
        queue_id=queue_id,
        dequeued_at=event.at,
        outcome=outcome,
        wait_ms=wait_ms,
        agent_id=event.uuid("agent_id"),
        derived_enqueued_at=derived,
    )
    await repository.upsert_contact(session, tenant_id=tenant, call_id=call_id, outcome=outcome)
    thresholds = None if definition is None else (float(definition[0]), float(definition[1]))
    applied.observations.append(
        Observation("wait", queue_id, wait_ms / 1000, outcome, thresholds=thresholds)
    )


async def _answered(session: AsyncSession, event: Event, applied: Applied) -> None:
    tenant, call_id = event.tenant_id, event.call_id()
    agent_id = event.required_uuid("agent_id")
    old_queue, old_handled = await repository.segment_handled(
        session, tenant_id=tenant, call_id=call_id, agent_id=agent_id
    )
    queue_id, handled_at = await repository.upsert_segment(
        session,
        tenant_id=tenant,
        call_id=call_id,
        agent_id=agent_id,
        queue_id=event.uuid("queue_id"),
        answered_at=event.at,
    )
    applied.touched_queues += [(old_queue, old_handled), (queue_id, handled_at)]


async def _ended(session: AsyncSession, event: Event, applied: Applied) -> None:
    tenant, call_id = event.tenant_id, event.call_id()
    agent_id = event.uuid("agent_id")
    await repository.upsert_contact(session, tenant_id=tenant, call_id=call_id, ended_at=event.at)
    if agent_id is None:
        return
    talk_ms = event.integer("talk_ms")
    hold_ms = event.integer("hold_ms")
    if hold_ms is not None and hold_ms < 0:
        raise MalformedEvent("call.ended: hold_ms must not be negative")
    held = {} if hold_ms is None else {"hold_ms": hold_ms}
    old_queue, old_handled = await repository.segment_handled(
        session, tenant_id=tenant, call_id=call_id, agent_id=agent_id
    )
    queue_id, handled_at = await repository.upsert_segment(
        session,
        tenant_id=tenant,
        call_id=call_id,
        agent_id=agent_id,
        queue_id=event.uuid("queue_id"),
        ended_at=event.at,
        ended_by=event.text("by"),
        talk_ms=talk_ms,
        **held,
    )
    applied.touched_queues += [(old_queue, old_handled), (queue_id, handled_at)]
    applied.acw(
        await repository.refresh_segment_acw(
            session, tenant_id=tenant, agent_id=agent_id, call_ids=[call_id]
        )
    )
    handle_ms = (talk_ms or 0) + (hold_ms or 0)  # ACW is added when it closes
    applied.observations.append(Observation("handled", queue_id, handle_ms / 1000))


async def _state_changed(session: AsyncSession, event: Event, applied: Applied) -> None:
    tenant, agent_id = event.tenant_id, event.required_uuid("agent_id")
    state = event.text("state")
    if state is None:
        raise MalformedEvent("agent.state_changed: state is missing")
    change = await repository.insert_state_change(
        session,
        tenant_id=tenant,
        agent_id=agent_id,
        event_id=event.event_id,
        state=state,
        at=event.at,
        seq=event.seq,
        call_id=event.call_id(required=False),
    )
    calls = [c for c in {change.call_id, change.closed_call_id} if c is not None]
    applied.acw(
        await repository.refresh_segment_acw(
            session, tenant_id=tenant, agent_id=agent_id, call_ids=calls
        )
    )
    if change.changed_from is not None and change.changed_to is not None:
        applied.touched_agents.append((agent_id, change.changed_from, change.changed_to))
    if change.closed_state is not None and change.closed_seconds is not None:
        applied.observations.append(
            Observation("state", None, change.closed_seconds, change.closed_state)
        )


async def _rejected(session: AsyncSession, event: Event, applied: Applied) -> None:
    await repository.upsert_contact(
        session,
        tenant_id=event.tenant_id,
        call_id=event.call_id(),
        arrived_at=event.at,
        first_queue_id=event.uuid("queue_id"),
        rejected_code=event.integer("code"),
        outcome="rejected",
    )


async def _callback_requested(session: AsyncSession, event: Event, applied: Applied) -> None:
    await repository.upsert_contact(
        session,
        tenant_id=event.tenant_id,
        call_id=event.call_id(),
        callback_requested_at=event.at,
    )


async def _callback_connected(session: AsyncSession, event: Event, applied: Applied) -> None:
    call_id = event.call_id()
    await repository.upsert_contact(
        session, tenant_id=event.tenant_id, call_id=call_id, callback_connected_at=event.at
    )
    number = event.text("number") or await repository.contact_number(
        session, tenant_id=event.tenant_id, call_id=call_id
    )
    if number:
        await followups.close_by_callback(
            session=session, tenant_id=event.tenant_id, number=number, at=event.at
        )


async def _missed_call(session: AsyncSession, event: Event, applied: Applied) -> None:
    call_id = event.call_id()
    task_id = event.required_uuid("task_id")
    wait_ms = event.integer("wait_ms")
    if wait_ms is None or wait_ms < 0:
        raise MalformedEvent("missed_call.created: wait_ms must be a non-negative integer")
    await repository.upsert_contact(
        session, tenant_id=event.tenant_id, call_id=call_id, missed_call_task_id=str(task_id)
    )
    await followups.record_missed_call(
        session=session,
        tenant_id=event.tenant_id,
        task_id=task_id,
        call_id=call_id,
        queue_id=event.uuid("queue_id"),
        number=event.text("number") or "",
        wait_ms=wait_ms,
        at=event.at,
    )


NOTE_LIMIT = 2000


async def _wrapped_up(session: AsyncSession, event: Event, applied: Applied) -> None:
    code = event.text("disposition_code")
    if code is None or len(code) > 40:
        raise MalformedEvent("call.wrapped_up: disposition_code must be 1-40 characters")
    await repository.record_wrap_up(
        session,
        tenant_id=event.tenant_id,
        call_id=event.call_id() or "",
        agent_id=event.required_uuid("agent_id"),
        values={
            "disposition_id": event.required_uuid("disposition_id"),
            "disposition_code": code,
            "wrap_up_note": (event.text("note") or "")[:NOTE_LIMIT] or None,
            "wrapped_up_by": event.required_uuid("agent_id"),
            "wrapped_up_at": event.at,
        },
    )


ROUTING_FORMULAS = {
    "default": "genesys",
    "genesys": "genesys",
    "answered_only": "answered_only",
    "abandons_met": "abandons_met",
    "abandons_missed": "abandons_missed",
}
"""Routing-config's formula names (``default`` is the Genesys-style one) to analytics'."""


async def _queue_configured(session: AsyncSession, event: Event, applied: Applied) -> None:
    tenant, queue_id = event.tenant_id, event.required_uuid("queue_id")
    answer_s = event.integer("sl_threshold_s")
    short_s = event.integer("short_abandon_s")
    formula = ROUTING_FORMULAS.get(event.text("sl_formula") or "")
    if answer_s is None or short_s is None or not 0 <= short_s <= answer_s:
        raise MalformedEvent("queue.configured: need 0 <= short_abandon_s <= sl_threshold_s")
    if formula is None:
        raise MalformedEvent(f"queue.configured: unknown sl_formula {event.text('sl_formula')!r}")
    before = await repository.queue_definition(session, tenant_id=tenant, queue_id=queue_id)
    await repository.set_queue_definition(
        session,
        tenant_id=tenant,
        queue_id=queue_id,
        answer_seconds=answer_s,
        short_abandon_seconds=short_s,
        sl_formula=formula,
    )
    applied.observations.append(
        Observation("configured", queue_id, thresholds=(float(answer_s), float(short_s)))
    )
    if before is not None and before != (answer_s, short_s, formula):
        # Rollups count "within T" and "short" per bucket: a new T or S recounts them all.
        await rollups.rebuild_queue_rollups(session, tenant_id=tenant, queue_id=queue_id)


_HANDLERS = {
    "call.enqueued": _enqueued,
    "call.dequeued": _dequeued,
    "call.answered": _answered,
    "call.ended": _ended,
    "call.rejected": _rejected,
    "agent.state_changed": _state_changed,
    "callback.requested": _callback_requested,
    "callback.connected": _callback_connected,
    "missed_call.created": _missed_call,
    "queue.configured": _queue_configured,
    "call.wrapped_up": _wrapped_up,
}
"""Types that change facts; others (reserved, agent_failed, recording.stored ...) are only
recorded as processed."""
