"""SLA reminders: ``ticket.step_due_soon`` and ``ticket.step_overdue``, once per step visit.

The worker calls ``run_sla_reminders`` periodically; any number of replicas may run it
at once. Exactly-once holds because (1) candidate tickets are claimed with
``FOR UPDATE SKIP LOCKED``, so two runners never work the same ticket at the same
time, and (2) the alert row is unique per (ticket, step visit, kind) and inserted with
``ON CONFLICT DO NOTHING``, so a runner that comes later finds it already fired. The
notification is written in the same transaction as the alert. The event is published
after commit from the alert row (an outbox): a crash between commit and publish is
retried next run with the same deterministic ``event_id``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis
from sqlalchemy import and_, case, literal, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.database.scoping import scoped
from tenants.database.session import Database
from tenants.identity import repository as identity_repository
from tenants.notifications import service as notifications
from tenants.tickets import events, repository
from tenants.tickets.models import Ticket, TicketSlaAlert

log = logging.getLogger("hotline.tickets.sla")

DUE_SOON = "due_soon"
OVERDUE = "overdue"
EVENT_TYPES = {DUE_SOON: events.STEP_DUE_SOON, OVERDUE: events.STEP_OVERDUE}


@dataclass(frozen=True)
class SlaPolicy:
    """When "due soon" starts: the smaller of a fixed lead and a fraction of the step SLA."""

    due_soon_seconds: int = 900
    due_soon_fraction: float = 0.25
    batch_size: int = 500


@dataclass(frozen=True)
class SlaRunReport:
    """What one run did."""

    fired: int
    published: int


def _kind(ticket: Ticket, now: datetime, policy: SlaPolicy) -> str | None:
    due = ticket.step_due_at
    assert due is not None
    if now >= due:
        return OVERDUE
    length = (due - ticket.step_started_at).total_seconds() if ticket.step_started_at else 0
    lead = min(policy.due_soon_seconds, length * policy.due_soon_fraction)
    return DUE_SOON if now >= due - timedelta(seconds=lead) else None


async def _claim_candidates(
    session: AsyncSession, tenant_id: uuid.UUID, now: datetime, policy: SlaPolicy
) -> list[Ticket]:
    wanted_kind = case((Ticket.step_due_at <= now, literal(OVERDUE)), else_=literal(DUE_SOON))
    fired = (
        select(TicketSlaAlert.id)
        .where(
            TicketSlaAlert.ticket_id == Ticket.id,
            TicketSlaAlert.step_seq == Ticket.step_seq,
            TicketSlaAlert.kind == wanted_kind,
        )
        .exists()
    )
    statement = (
        scoped(select(Ticket), tenant_id)
        .where(
            Ticket.status == "open",
            Ticket.step_due_at.is_not(None),
            Ticket.step_due_at <= now + timedelta(seconds=policy.due_soon_seconds),
            ~fired,
        )
        .order_by(Ticket.step_due_at)
        .limit(policy.batch_size)
        .with_for_update(skip_locked=True)
    )
    return list(await session.scalars(statement))


async def _recipients(
    session: AsyncSession, tenant_id: uuid.UUID, ticket: Ticket, team_id: uuid.UUID | None
) -> list[uuid.UUID]:
    if ticket.assignee_id is not None:
        return [ticket.assignee_id]
    if team_id is None:
        return []
    members = await repository.team_member_ids(session, tenant_id=tenant_id, team_ids=[team_id])
    return members[team_id]


async def fire_due_alerts(
    session: AsyncSession, *, tenant_id: uuid.UUID, now: datetime, policy: SlaPolicy
) -> int:
    """Record due alerts and notify assignees (or the owning team) in this transaction."""
    tickets = await _claim_candidates(session, tenant_id, now, policy)
    step_ids = [t.current_step_id for t in tickets if t.current_step_id is not None]
    steps = await repository.steps_by_ids(session, tenant_id=tenant_id, ids=step_ids)
    fired = 0
    for ticket in tickets:
        kind = _kind(ticket, now, policy)
        if kind is None:
            continue
        alert_id = await session.scalar(
            insert(TicketSlaAlert)
            .values(
                id=uuid.uuid4(),
                tenant_id=tenant_id,
                ticket_id=ticket.id,
                step_id=ticket.current_step_id,
                step_seq=ticket.step_seq,
                kind=kind,
                event_id=events.sla_event_id(ticket.id, ticket.step_seq, kind),
                at=now,
            )
            .on_conflict_do_nothing(constraint="uq_tickets_sla_alerts_once")
            .returning(TicketSlaAlert.id)
        )
        if alert_id is None:
            continue
        fired += 1
        step = steps.get(ticket.current_step_id) if ticket.current_step_id else None
        step_name = step.name if step else "step"
        title = (
            f"{ticket.display_number}: {step_name} is overdue"
            if kind == OVERDUE
            else f"{ticket.display_number}: {step_name} is due soon"
        )
        for user_id in await _recipients(
            session, tenant_id, ticket, step.team_id if step else None
        ):
            notifications.notify(
                session,
                tenant_id=tenant_id,
                user_id=user_id,
                kind=EVENT_TYPES[kind],
                title=title,
                body=ticket.subject,
                subject_id=ticket.id,
                data={
                    "subject_type": "Ticket",
                    "ticket_number": ticket.display_number,
                    "step_due_at": ticket.step_due_at.isoformat() if ticket.step_due_at else None,
                },
            )
    await session.flush()
    return fired


async def publish_pending(
    session: AsyncSession, *, redis: Redis, tenant_id: uuid.UUID, now: datetime, batch_size: int
) -> int:
    """Publish fired alerts not yet on the stream, then mark them published."""
    statement = (
        scoped(select(TicketSlaAlert), tenant_id)
        .add_columns(Ticket.number, Ticket.assignee_id, Ticket.step_due_at)
        .join(Ticket, and_(Ticket.id == TicketSlaAlert.ticket_id, Ticket.tenant_id == tenant_id))
        .where(TicketSlaAlert.published_at.is_(None))
        .order_by(TicketSlaAlert.at)
        .limit(batch_size)
        .with_for_update(of=TicketSlaAlert, skip_locked=True)
    )
    rows = (await session.execute(statement)).all()
    if not rows:
        return 0
    batch = []
    for alert, number, assignee_id, step_due_at in rows:
        extra = {
            "ticket_id": str(alert.ticket_id),
            "ticket_number": f"T-{number:06d}",
            "step_id": str(alert.step_id or ""),
            "step_seq": str(alert.step_seq),
            "due_at": str(int(step_due_at.timestamp() * 1000)) if step_due_at else "",
        }
        if assignee_id is not None:
            extra["assignee_id"] = str(assignee_id)
        batch.append(
            events.event_fields(
                event_id=alert.event_id,
                tenant_id=tenant_id,
                type=EVENT_TYPES[alert.kind],
                at=alert.at,
                extra=extra,
            )
        )
    await events.publish(redis, tenant_id, batch)
    await session.execute(
        scoped(update(TicketSlaAlert), tenant_id)
        .where(TicketSlaAlert.id.in_([row[0].id for row in rows]))
        .values(published_at=now)
    )
    return len(rows)


async def run_sla_reminders(
    *,
    database: Database,
    redis: Redis,
    now: datetime | None = None,
    policy: SlaPolicy | None = None,
    tenant_ids: Sequence[uuid.UUID] | None = None,
) -> SlaRunReport:
    """One pass over every active tenant (or ``tenant_ids``); safe to run concurrently."""
    now = now or datetime.now(UTC)
    policy = policy or SlaPolicy()
    if tenant_ids is None:
        async with database.transaction() as session:
            tenant_ids = await identity_repository.active_tenant_ids(session)
    fired = published = 0
    for tenant_id in tenant_ids:
        async with database.transaction(tenant_id) as session:
            fired += await fire_due_alerts(session, tenant_id=tenant_id, now=now, policy=policy)
        async with database.transaction(tenant_id) as session:
            published += await publish_pending(
                session, redis=redis, tenant_id=tenant_id, now=now, batch_size=policy.batch_size
            )
    if fired or published:
        log.info("sla reminders: fired %s, published %s", fired, published)
    return SlaRunReport(fired=fired, published=published)
