"""Every fact write of analytics. Upserts converge whatever order events arrive in."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.models import (
    AgentSegment,
    AgentStateInterval,
    Contact,
    ProcessedEvent,
    QueueDefinition,
    QueueLeg,
    TenantReportSettings,
)
from tenants.database.scoping import scoped


async def mark_processed(
    session: AsyncSession, *, tenant_id: uuid.UUID, event_id: str, type_: str, at: datetime
) -> bool:
    """Record the event; False when it was already applied (a redelivery)."""
    statement = (
        insert(ProcessedEvent)
        .values(tenant_id=tenant_id, event_id=event_id, type=type_, at=at)
        .on_conflict_do_nothing()
        .returning(ProcessedEvent.event_id)
    )
    return (await session.execute(statement)).first() is not None


async def register_queue(
    session: AsyncSession, *, tenant_id: uuid.UUID, queue_id: uuid.UUID
) -> None:
    """Make the queue known to reports, with the default definitions."""
    await session.execute(
        insert(QueueDefinition)
        .values(tenant_id=tenant_id, queue_id=queue_id)
        .on_conflict_do_nothing()
    )


async def set_queue_definition(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    queue_id: uuid.UUID,
    answer_seconds: int,
    short_abandon_seconds: int,
    sl_formula: str,
) -> QueueDefinition:
    """Create or replace the queue's T, S and formula."""
    values = {
        "answer_seconds": answer_seconds,
        "short_abandon_seconds": short_abandon_seconds,
        "sl_formula": sl_formula,
    }
    statement = insert(QueueDefinition).values(tenant_id=tenant_id, queue_id=queue_id, **values)
    row = await session.execute(
        statement.on_conflict_do_update(
            index_elements=["tenant_id", "queue_id"], set_=values
        ).returning(QueueDefinition)
    )
    return row.scalar_one()


async def queue_definition(
    session: AsyncSession, *, tenant_id: uuid.UUID, queue_id: uuid.UUID
) -> tuple[int, int, str] | None:
    """The queue's ``(T, S, formula)`` when analytics knows the queue."""
    row = (
        await session.execute(
            scoped(
                select(
                    QueueDefinition.answer_seconds,
                    QueueDefinition.short_abandon_seconds,
                    QueueDefinition.sl_formula,
                ),
                tenant_id,
            ).where(QueueDefinition.queue_id == queue_id)
        )
    ).first()
    return None if row is None else (row[0], row[1], row[2])


async def queue_thresholds(
    session: AsyncSession, *, tenant_id: uuid.UUID, queue_ids: list[uuid.UUID]
) -> dict[uuid.UUID, tuple[int, int]]:
    """``{queue: (T, S)}`` of the tenant's queues among ``queue_ids`` that analytics knows."""
    rows = await session.execute(
        scoped(
            select(
                QueueDefinition.queue_id,
                QueueDefinition.answer_seconds,
                QueueDefinition.short_abandon_seconds,
            ),
            tenant_id,
        ).where(QueueDefinition.queue_id.in_(queue_ids))
    )
    return {row[0]: (row[1], row[2]) for row in rows}


async def contact_number(
    session: AsyncSession, *, tenant_id: uuid.UUID, call_id: uuid.UUID
) -> str | None:
    """The calling number of a contact, when its ``call.enqueued`` was applied."""
    return await session.scalar(
        scoped(select(Contact.from_number), tenant_id).where(Contact.call_id == call_id)
    )


async def tenant_time_zone(session: AsyncSession, *, tenant_id: uuid.UUID) -> str:
    """The tenant's report time zone (UTC until set)."""
    zone = await session.scalar(scoped(select(TenantReportSettings.time_zone), tenant_id))
    return zone or "UTC"


async def set_tenant_time_zone(
    session: AsyncSession, *, tenant_id: uuid.UUID, time_zone: str
) -> None:
    """Set the tenant's report time zone."""
    statement = insert(TenantReportSettings).values(tenant_id=tenant_id, time_zone=time_zone)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["tenant_id"], set_={"time_zone": statement.excluded.time_zone}
        )
    )


async def upsert_contact(
    session: AsyncSession, *, tenant_id: uuid.UUID, call_id: str, **values: Any
) -> None:
    """Create the contact or fill in what this event knows.

    ``arrived_at`` keeps the earliest value and ``ended_at`` the latest; other columns
    keep the first value seen, except ``outcome``, which the latest decision sets.
    """
    table = Contact.__table__
    statement = insert(Contact).values(tenant_id=tenant_id, call_id=call_id, **values)
    excluded = statement.excluded
    merge: dict[str, Any] = {}
    for name in values:
        column, new = table.c[name], excluded[name]
        if name == "arrived_at":
            merge[name] = func.least(column, new)
        elif name == "ended_at":
            merge[name] = func.greatest(column, new)
        elif name == "outcome":
            merge[name] = func.coalesce(new, column)
        else:
            merge[name] = func.coalesce(column, new)
    await session.execute(
        statement.on_conflict_do_update(index_elements=["tenant_id", "call_id"], set_=merge)
        if merge
        else statement.on_conflict_do_nothing()
    )


async def leg_times(
    session: AsyncSession, *, tenant_id: uuid.UUID, call_id: str, queue_id: uuid.UUID
) -> tuple[datetime | None, datetime | None]:
    """The leg's current (enqueued_at, dequeued_at), to know which buckets it leaves."""
    row = (
        await session.execute(
            scoped(select(QueueLeg.enqueued_at, QueueLeg.dequeued_at), tenant_id).where(
                QueueLeg.call_id == call_id, QueueLeg.queue_id == queue_id
            )
        )
    ).first()
    return (row.enqueued_at, row.dequeued_at) if row else (None, None)


async def segment_handled(
    session: AsyncSession, *, tenant_id: uuid.UUID, call_id: str, agent_id: uuid.UUID
) -> tuple[uuid.UUID | None, datetime | None]:
    """The segment's current (queue_id, handled_at)."""
    row = (
        await session.execute(
            scoped(select(AgentSegment.queue_id, AgentSegment.handled_at), tenant_id).where(
                AgentSegment.call_id == call_id, AgentSegment.agent_id == agent_id
            )
        )
    ).first()
    return (row.queue_id, row.handled_at) if row else (None, None)


async def upsert_leg_enqueued(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    call_id: str,
    queue_id: uuid.UUID,
    enqueued_at: datetime,
    priority: int | None,
) -> None:
    """The leg's offer time; it overrides one derived from a dequeue that arrived first."""
    statement = insert(QueueLeg).values(
        tenant_id=tenant_id,
        call_id=call_id,
        queue_id=queue_id,
        enqueued_at=enqueued_at,
        priority=priority,
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["tenant_id", "call_id", "queue_id"],
            set_={
                "enqueued_at": statement.excluded.enqueued_at,
                "priority": statement.excluded.priority,
            },
        )
    )


async def upsert_leg_dequeued(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    call_id: str,
    queue_id: uuid.UUID,
    dequeued_at: datetime,
    outcome: str,
    wait_ms: int,
    agent_id: uuid.UUID | None,
    derived_enqueued_at: datetime,
) -> None:
    """The leg's decision; the offer time is derived from the wait until its event arrives."""
    table = QueueLeg.__table__
    statement = insert(QueueLeg).values(
        tenant_id=tenant_id,
        call_id=call_id,
        queue_id=queue_id,
        enqueued_at=derived_enqueued_at,
        dequeued_at=dequeued_at,
        outcome=outcome,
        wait_ms=wait_ms,
        agent_id=agent_id,
    )
    excluded = statement.excluded
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["tenant_id", "call_id", "queue_id"],
            set_={
                "enqueued_at": func.coalesce(table.c.enqueued_at, excluded.enqueued_at),
                "dequeued_at": excluded.dequeued_at,
                "outcome": excluded.outcome,
                "wait_ms": excluded.wait_ms,
                "agent_id": func.coalesce(excluded.agent_id, table.c.agent_id),
            },
        )
    )


async def upsert_segment(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    call_id: str,
    agent_id: uuid.UUID,
    **values: Any,
) -> tuple[uuid.UUID | None, datetime | None]:
    """Create the agent's segment of the call or fill in this event's part of it.

    Returns the segment's (queue_id, handled_at) afterwards.
    """
    table = AgentSegment.__table__
    statement = insert(AgentSegment).values(
        tenant_id=tenant_id, call_id=call_id, agent_id=agent_id, **values
    )
    merge = {name: func.coalesce(statement.excluded[name], table.c[name]) for name in values}
    if "ended_at" in values:
        merge["handled_at"] = func.coalesce(table.c.acw_ended_at, statement.excluded.ended_at)
    result = await session.execute(
        statement.on_conflict_do_update(
            index_elements=["tenant_id", "call_id", "agent_id"], set_=merge
        ).returning(AgentSegment.queue_id, AgentSegment.handled_at)
    )
    row = result.one()
    return row.queue_id, row.handled_at


@dataclass(frozen=True)
class IntervalChange:
    """What inserting a state change did to the agent's timeline."""

    inserted: bool
    call_id: str | None
    changed_from: datetime | None = None
    changed_to: datetime | None = None
    closed_state: str | None = None
    closed_seconds: float | None = None
    closed_call_id: str | None = None


async def insert_state_change(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    agent_id: uuid.UUID,
    event_id: str,
    state: str,
    at: datetime,
    seq: int,
    call_id: str | None,
) -> IntervalChange:
    """Insert a state change into the agent's timeline, wherever in time it falls.

    The new interval ends where the next known change starts, and the previous interval
    now ends here, so a late event splits the interval it lands in. A transaction-scoped
    advisory lock per agent serialises workers that touch the same timeline.
    """
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
        {"key": f"analytics-agent:{tenant_id}:{agent_id}"},
    )
    position = tuple_(AgentStateInterval.started_at, AgentStateInterval.seq)
    timeline = scoped(select(AgentStateInterval), tenant_id).where(
        AgentStateInterval.agent_id == agent_id
    )
    following = await session.scalar(
        timeline.where(position > tuple_(at, seq))
        .order_by(AgentStateInterval.started_at, AgentStateInterval.seq)
        .limit(1)
    )
    previous = await session.scalar(
        timeline.where(position < tuple_(at, seq))
        .order_by(AgentStateInterval.started_at.desc(), AgentStateInterval.seq.desc())
        .limit(1)
    )
    if (
        call_id is None
        and state == "acw"
        and previous is not None
        and previous.state == "on_contact"
    ):
        call_id = previous.call_id
    inserted = await session.execute(
        insert(AgentStateInterval)
        .values(
            tenant_id=tenant_id,
            event_id=event_id,
            agent_id=agent_id,
            state=state,
            started_at=at,
            seq=seq,
            ended_at=following.started_at if following is not None else None,
            call_id=call_id,
        )
        .on_conflict_do_nothing()
        .returning(AgentStateInterval.event_id)
    )
    if inserted.first() is None:
        return IntervalChange(inserted=False, call_id=call_id)
    changed_to = following.started_at if following is not None else at
    if previous is None:
        return IntervalChange(
            inserted=True, call_id=call_id, changed_from=at, changed_to=changed_to
        )
    was_open = previous.ended_at is None
    await session.execute(
        scoped(update(AgentStateInterval), tenant_id)
        .where(AgentStateInterval.event_id == previous.event_id)
        .values(ended_at=at)
    )
    return IntervalChange(
        inserted=True,
        call_id=call_id,
        changed_from=previous.started_at,
        changed_to=changed_to,
        closed_state=previous.state if was_open else None,
        closed_seconds=(at - previous.started_at).total_seconds() if was_open else None,
        closed_call_id=previous.call_id,
    )


async def refresh_segment_acw(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    agent_id: uuid.UUID,
    call_ids: list[str],
) -> list[AcwUpdate]:
    """Copy ACW time from the agent's ``acw`` intervals onto their call segments."""
    if not call_ids:
        return []
    result = await session.execute(
        text(
            """
            WITH acw AS (
              SELECT call_id,
                     sum(extract(epoch FROM ended_at - started_at) * 1000)::bigint AS ms,
                     CASE WHEN bool_and(ended_at IS NOT NULL) THEN max(ended_at) END AS ended
              FROM analytics_agent_state_intervals
              WHERE tenant_id = :tenant AND agent_id = :agent AND state = 'acw'
                AND call_id = ANY(:calls)
              GROUP BY call_id
            ), previous AS (
              SELECT call_id, acw_ended_at, handled_at FROM analytics_agent_segments
              WHERE tenant_id = :tenant AND agent_id = :agent AND call_id = ANY(:calls)
            )
            UPDATE analytics_agent_segments s
               SET acw_ms = acw.ms,
                   acw_ended_at = acw.ended,
                   handled_at = COALESCE(acw.ended, s.ended_at)
              FROM acw, previous
             WHERE s.tenant_id = :tenant AND s.agent_id = :agent AND s.call_id = acw.call_id
               AND previous.call_id = s.call_id
            RETURNING s.queue_id, acw.ms, previous.handled_at AS old_handled_at,
                      s.handled_at AS new_handled_at,
                      (previous.acw_ended_at IS NULL AND acw.ended IS NOT NULL) AS became_final
            """
        ),
        {"tenant": tenant_id, "agent": agent_id, "calls": call_ids},
    )
    return [
        AcwUpdate(
            queue_id=row.queue_id,
            acw_ms=row.ms or 0,
            became_final=row.became_final,
            old_handled_at=row.old_handled_at,
            new_handled_at=row.new_handled_at,
        )
        for row in result
    ]


@dataclass(frozen=True)
class AcwUpdate:
    """A segment whose ACW was refreshed, and where its handle time moved."""

    queue_id: uuid.UUID | None
    acw_ms: int
    became_final: bool
    old_handled_at: datetime | None
    new_handled_at: datetime | None


async def record_wrap_up(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    call_id: str,
    agent_id: uuid.UUID,
    values: dict[str, Any],
) -> None:
    """Put the disposition on the contact and on the agent's segment; a later wrap-up of the
    same call replaces an earlier one (never the reverse, whatever the delivery order)."""
    contact = Contact.__table__
    statement = insert(Contact).values(tenant_id=tenant_id, call_id=call_id, **values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["tenant_id", "call_id"],
            set_={name: statement.excluded[name] for name in values},
            where=contact.c.wrapped_up_at.is_(None)
            | (contact.c.wrapped_up_at <= statement.excluded.wrapped_up_at),
        )
    )
    current = scoped(select(Contact.disposition_code), tenant_id).where(Contact.call_id == call_id)
    await session.execute(
        update(AgentSegment)
        .where(
            AgentSegment.tenant_id == tenant_id,
            AgentSegment.call_id == call_id,
            AgentSegment.agent_id == agent_id,
        )
        .values(disposition=current.scalar_subquery())
    )
