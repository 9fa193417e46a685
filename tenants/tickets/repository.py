"""Every ticket query. Tenant tables are always read through ``scoped``."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.database.pagination import Page, PageRequest, decode_cursor, encode_cursor
from tenants.database.scoping import scoped
from tenants.tickets.models import (
    Team,
    TeamMember,
    Ticket,
    TicketAttachment,
    TicketCategory,
    TicketComment,
    TicketCounter,
    TicketHistory,
    WorkflowStep,
)


async def next_ticket_number(session: AsyncSession, *, tenant_id: uuid.UUID) -> int:
    """The tenant's next ticket number, gap-free.

    The upsert takes the counter row's lock until the transaction ends, so concurrent
    creators queue behind each other, and a rolled-back ticket gives its number back.
    """
    statement = (
        insert(TicketCounter)
        .values(tenant_id=tenant_id, last_number=1)
        .on_conflict_do_update(
            index_elements=["tenant_id"],
            set_={"last_number": TicketCounter.last_number + 1},
        )
        .returning(TicketCounter.last_number)
    )
    number = await session.scalar(statement)
    assert number is not None
    return int(number)


# --- teams --------------------------------------------------------------------------------


async def team_by_id(
    session: AsyncSession, *, tenant_id: uuid.UUID, team_id: uuid.UUID
) -> Team | None:
    """One team of the tenant."""
    return await session.scalar(scoped(select(Team), tenant_id).where(Team.id == team_id))


async def teams_by_ids(
    session: AsyncSession, *, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Team]:
    """Teams by id (for DataLoaders)."""
    rows = await session.scalars(scoped(select(Team), tenant_id).where(Team.id.in_(ids)))
    return {row.id: row for row in rows}


async def list_teams(session: AsyncSession, *, tenant_id: uuid.UUID) -> list[Team]:
    """The tenant's teams by name."""
    return list(await session.scalars(scoped(select(Team), tenant_id).order_by(Team.name)))


async def team_member_ids(
    session: AsyncSession, *, tenant_id: uuid.UUID, team_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Member user ids of each team."""
    statement = scoped(select(TeamMember), tenant_id).where(TeamMember.team_id.in_(team_ids))
    result: dict[uuid.UUID, list[uuid.UUID]] = {team_id: [] for team_id in team_ids}
    for member in await session.scalars(statement):
        result[member.team_id].append(member.user_id)
    return result


async def is_team_member(
    session: AsyncSession, *, tenant_id: uuid.UUID, team_id: uuid.UUID, user_id: uuid.UUID
) -> bool:
    """True when the user belongs to the team."""
    statement = scoped(select(TeamMember.user_id), tenant_id).where(
        TeamMember.team_id == team_id, TeamMember.user_id == user_id
    )
    return await session.scalar(statement) is not None


async def set_team_members(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    team_id: uuid.UUID,
    user_ids: Sequence[uuid.UUID],
) -> None:
    """Make ``user_ids`` the team's members."""
    await session.execute(
        scoped(delete(TeamMember), tenant_id).where(TeamMember.team_id == team_id)
    )
    for user_id in dict.fromkeys(user_ids):
        session.add(TeamMember(tenant_id=tenant_id, team_id=team_id, user_id=user_id))


# --- categories and steps -----------------------------------------------------------------


async def category_by_id(
    session: AsyncSession, *, tenant_id: uuid.UUID, category_id: uuid.UUID
) -> TicketCategory | None:
    """One ticket category of the tenant."""
    statement = scoped(select(TicketCategory), tenant_id).where(TicketCategory.id == category_id)
    return await session.scalar(statement)


async def categories_by_ids(
    session: AsyncSession, *, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, TicketCategory]:
    """Ticket categories by id (for DataLoaders)."""
    statement = scoped(select(TicketCategory), tenant_id).where(TicketCategory.id.in_(ids))
    return {row.id: row for row in await session.scalars(statement)}


async def category_by_name(
    session: AsyncSession, *, tenant_id: uuid.UUID, name: str
) -> TicketCategory | None:
    """The tenant's ticket category with this name, case-insensitively."""
    statement = scoped(select(TicketCategory), tenant_id).where(
        func.lower(TicketCategory.name) == name.lower()
    )
    return await session.scalar(statement)


async def list_categories(session: AsyncSession, *, tenant_id: uuid.UUID) -> list[TicketCategory]:
    """The tenant's ticket categories by name."""
    statement = scoped(select(TicketCategory), tenant_id).order_by(TicketCategory.name)
    return list(await session.scalars(statement))


async def steps_of(
    session: AsyncSession, *, tenant_id: uuid.UUID, category_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[WorkflowStep]]:
    """Each category's steps in order."""
    statement = (
        scoped(select(WorkflowStep), tenant_id)
        .where(WorkflowStep.category_id.in_(category_ids))
        .order_by(WorkflowStep.category_id, WorkflowStep.position)
    )
    result: dict[uuid.UUID, list[WorkflowStep]] = {cid: [] for cid in category_ids}
    for step in await session.scalars(statement):
        result[step.category_id].append(step)
    return result


async def steps_by_ids(
    session: AsyncSession, *, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, WorkflowStep]:
    """Steps by id (for DataLoaders)."""
    statement = scoped(select(WorkflowStep), tenant_id).where(WorkflowStep.id.in_(ids))
    return {row.id: row for row in await session.scalars(statement)}


async def open_tickets_on_steps(
    session: AsyncSession, *, tenant_id: uuid.UUID, step_ids: Sequence[uuid.UUID]
) -> int:
    """How many open tickets sit on any of these steps."""
    statement = scoped(select(Ticket.id), tenant_id).where(
        Ticket.current_step_id.in_(step_ids), Ticket.status == "open"
    )
    return int(await session.scalar(select(func.count()).select_from(statement.subquery())) or 0)


async def tickets_in_category(
    session: AsyncSession, *, tenant_id: uuid.UUID, category_id: uuid.UUID
) -> bool:
    """True when any ticket uses the category."""
    statement = scoped(select(Ticket.id), tenant_id).where(Ticket.category_id == category_id)
    return await session.scalar(statement.limit(1)) is not None


# --- tickets ------------------------------------------------------------------------------


async def ticket_by_id(
    session: AsyncSession, *, tenant_id: uuid.UUID, ticket_id: uuid.UUID, for_update: bool = False
) -> Ticket | None:
    """One ticket of the tenant, optionally locked for a transition."""
    statement = scoped(select(Ticket), tenant_id).where(Ticket.id == ticket_id)
    if for_update:
        statement = statement.with_for_update()
    return await session.scalar(statement)


async def list_tickets(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    page: PageRequest,
    conditions: Sequence[Any] = (),
) -> Page[tuple[Ticket, WorkflowStep | None]]:
    """A keyset page of tickets, newest last, each with its current step (one query)."""
    statement = (
        scoped(select(Ticket), tenant_id)
        .add_columns(WorkflowStep)
        .outerjoin(
            WorkflowStep,
            and_(WorkflowStep.id == Ticket.current_step_id, WorkflowStep.tenant_id == tenant_id),
        )
        .where(*conditions)
    )
    if page.after is not None:
        created, row_id = decode_cursor(page.after)
        statement = statement.where(
            or_(Ticket.created_at > created, and_(Ticket.created_at == created, Ticket.id > row_id))
        )
    statement = statement.order_by(Ticket.created_at, Ticket.id).limit(page.first + 1)
    rows = [(ticket, step) for ticket, step in (await session.execute(statement)).all()]
    return Page(
        items=[(encode_cursor(t.created_at, t.id), (t, s)) for t, s in rows[: page.first]],
        has_next_page=len(rows) > page.first,
        has_previous_page=page.after is not None,
    )


async def open_ticket_assignee(
    session: AsyncSession, *, tenant_id: uuid.UUID, customer_id: uuid.UUID
) -> uuid.UUID | None:
    """The assignee of the customer's most recently updated open ticket that has one."""
    statement = (
        scoped(select(Ticket.assignee_id), tenant_id)
        .where(
            Ticket.customer_id == customer_id,
            Ticket.status == "open",
            Ticket.assignee_id.is_not(None),
        )
        .order_by(Ticket.updated_at.desc())
        .limit(1)
    )
    return await session.scalar(statement)


async def recent_history_of_customer(
    session: AsyncSession, *, tenant_id: uuid.UUID, customer_id: uuid.UUID, limit: int
) -> list[tuple[TicketHistory, Ticket]]:
    """The latest entries of the customer's tickets' trails, newest first."""
    statement = (
        scoped(select(TicketHistory), tenant_id)
        .add_columns(Ticket)
        .join(Ticket, and_(Ticket.id == TicketHistory.ticket_id, Ticket.tenant_id == tenant_id))
        .where(Ticket.customer_id == customer_id)
        .order_by(TicketHistory.at.desc())
        .limit(limit)
    )
    return [(h, t) for h, t in (await session.execute(statement)).all()]


async def history_of(
    session: AsyncSession, *, tenant_id: uuid.UUID, ticket_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[TicketHistory]]:
    """Each ticket's trail, oldest first (one query for all of them)."""
    statement = (
        scoped(select(TicketHistory), tenant_id)
        .where(TicketHistory.ticket_id.in_(ticket_ids))
        .order_by(TicketHistory.at, TicketHistory.id)
    )
    result: dict[uuid.UUID, list[TicketHistory]] = {ticket_id: [] for ticket_id in ticket_ids}
    for row in await session.scalars(statement):
        result[row.ticket_id].append(row)
    return result


async def comments_of(
    session: AsyncSession, *, tenant_id: uuid.UUID, ticket_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[TicketComment]]:
    """Each ticket's comments, oldest first (one query for all of them)."""
    statement = (
        scoped(select(TicketComment), tenant_id)
        .where(TicketComment.ticket_id.in_(ticket_ids))
        .order_by(TicketComment.created_at, TicketComment.id)
    )
    result: dict[uuid.UUID, list[TicketComment]] = {ticket_id: [] for ticket_id in ticket_ids}
    for row in await session.scalars(statement):
        result[row.ticket_id].append(row)
    return result


async def attachments_of(
    session: AsyncSession, *, tenant_id: uuid.UUID, ticket_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[TicketAttachment]]:
    """Each ticket's attachments, oldest first (one query for all of them)."""
    statement = (
        scoped(select(TicketAttachment), tenant_id)
        .where(TicketAttachment.ticket_id.in_(ticket_ids))
        .order_by(TicketAttachment.created_at, TicketAttachment.id)
    )
    result: dict[uuid.UUID, list[TicketAttachment]] = {ticket_id: [] for ticket_id in ticket_ids}
    for row in await session.scalars(statement):
        result[row.ticket_id].append(row)
    return result


async def one_of(
    session: AsyncSession, model: Any, *, tenant_id: uuid.UUID, row_id: uuid.UUID
) -> Any:
    """One comment, attachment or history entry of the tenant by id."""
    return await session.scalar(scoped(select(model), tenant_id).where(model.id == row_id))


async def add_history(
    session: AsyncSession,
    *,
    ticket: Ticket,
    actor_id: uuid.UUID | None,
    action: str,
    from_step_id: uuid.UUID | None = None,
    to_step_id: uuid.UUID | None = None,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> TicketHistory:
    """Append one entry to a ticket's trail."""
    entry = TicketHistory(
        id=uuid.uuid4(),
        tenant_id=ticket.tenant_id,
        ticket_id=ticket.id,
        actor_id=actor_id,
        action=action,
        from_step_id=from_step_id,
        to_step_id=to_step_id,
        detail=detail or {},
    )
    if at is not None:
        entry.at = at
    session.add(entry)
    return entry
