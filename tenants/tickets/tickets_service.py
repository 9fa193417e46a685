"""Ticket use cases: open, update, move through the workflow, list; the sticky assignee.

Services flush, never commit: the edge that opened the transaction commits it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tenants.crm.custom_fields.values import validate_values
from tenants.crm.customers import repository as crm_repository
from tenants.crm.customers import service as crm_service
from tenants.crm.settings import service as crm_settings
from tenants.crm.settings.regions import RegionCache
from tenants.database.pagination import Page, PageRequest
from tenants.errors import BadUserInput, Conflict, NotFound
from tenants.identity.principal import Principal
from tenants.tickets import repository
from tenants.tickets.models import Ticket, WorkflowStep
from tenants.tickets.schemas import (
    TicketCreateIn,
    TicketFilterIn,
    TicketStatus,
    TicketUpdateIn,
    Transition,
    TransitionIn,
)
from tenants.tickets.service import _active_users, field_specs, get_category, steps_of
from tenants.tickets.workflow import StepOwnership, guard_transition


def _now() -> datetime:
    return datetime.now(UTC)


async def get_ticket(
    *, session: AsyncSession, principal: Principal, ticket_id: uuid.UUID, for_update: bool = False
) -> Ticket:
    """One ticket of the tenant."""
    row = await repository.ticket_by_id(
        session, tenant_id=principal.tenant_id, ticket_id=ticket_id, for_update=for_update
    )
    if row is None:
        raise NotFound("ticket not found")
    return row


async def _check_assignee(
    session: AsyncSession, tenant_id: uuid.UUID, step: WorkflowStep | None, user_id: uuid.UUID
) -> None:
    await _active_users(session, tenant_id, [user_id], "assigneeId")
    if (
        step is not None
        and step.team_id is not None
        and not await repository.is_team_member(
            session, tenant_id=tenant_id, team_id=step.team_id, user_id=user_id
        )
    ):
        raise BadUserInput(
            f"assigneeId: not a member of the team owning step {step.name!r}", field="assigneeId"
        )


def _enter_step(ticket: Ticket, step: WorkflowStep, at: datetime) -> None:
    ticket.current_step_id = step.id
    ticket.step_seq = (ticket.step_seq or 0) + 1
    ticket.step_started_at = at
    ticket.step_due_at = at + timedelta(seconds=step.sla_seconds)


async def create_ticket(
    *,
    session: AsyncSession,
    principal: Principal,
    ticket_in: TicketCreateIn,
    regions: RegionCache | None = None,
) -> Ticket:
    """Open a ticket at its category's first step; the caller's number pre-fills the customer."""
    tenant_id = principal.tenant_id
    try:
        category = await get_category(
            session=session, principal=principal, category_id=ticket_in.category_id
        )
    except NotFound as err:
        raise BadUserInput("categoryId: unknown ticket category", field="categoryId") from err
    steps = await steps_of(session=session, principal=principal, category_id=category.id)
    customer_id = ticket_in.customer_id
    if customer_id is not None:
        if not await crm_repository.customer_by_id(
            session, tenant_id=tenant_id, customer_id=customer_id
        ):
            raise BadUserInput("customerId: unknown customer", field="customerId")
    elif ticket_in.caller_number:
        _, customer = await crm_service.find_by_number(
            session=session, principal=principal, number=ticket_in.caller_number, regions=regions
        )
        customer_id = customer.id if customer else None
    region = await crm_settings.tenant_region(session, tenant_id=tenant_id, regions=regions)
    values = validate_values(
        field_specs(category), ticket_in.fields, region=region, prefix="fields"
    )
    first = steps[0] if steps else None
    if ticket_in.assignee_id is not None:
        await _check_assignee(session, tenant_id, first, ticket_in.assignee_id)
    now = _now()
    ticket = Ticket(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        customer_id=customer_id,
        category_id=category.id,
        subject=ticket_in.subject,
        description=ticket_in.description,
        fields=values,
        priority=ticket_in.priority.value,
        status=TicketStatus.OPEN.value,
        assignee_id=ticket_in.assignee_id,
        call_id=ticket_in.call_id,
        created_by=principal.user_id,
        step_seq=0,
        due_at=now + timedelta(seconds=sum(s.sla_seconds for s in steps)) if steps else None,
    )
    if first is not None:
        _enter_step(ticket, first, now)
    # Taken last: the counter row stays locked until commit, so keep that window short.
    ticket.number = await repository.next_ticket_number(session, tenant_id=tenant_id)
    session.add(ticket)
    await session.flush()
    await repository.add_history(
        session,
        ticket=ticket,
        actor_id=principal.user_id,
        action="created",
        to_step_id=ticket.current_step_id,
        detail={"call_id": ticket.call_id} if ticket.call_id else {},
    )
    await session.flush()
    await session.refresh(ticket)
    return ticket


async def update_ticket(
    *,
    session: AsyncSession,
    principal: Principal,
    ticket_id: uuid.UUID,
    ticket_in: TicketUpdateIn,
    regions: RegionCache | None = None,
) -> Ticket:
    """Change a ticket's subject, description, fields or priority."""
    ticket = await get_ticket(
        session=session, principal=principal, ticket_id=ticket_id, for_update=True
    )
    changed: dict[str, Any] = {}
    if ticket_in.subject is not None:
        ticket.subject = changed["subject"] = ticket_in.subject
    if ticket_in.description is not None:
        ticket.description = ticket_in.description
        changed["description"] = True
    if ticket_in.priority is not None:
        ticket.priority = changed["priority"] = ticket_in.priority.value
    if ticket_in.fields is not None:
        category = await get_category(
            session=session, principal=principal, category_id=ticket.category_id
        )
        region = await crm_settings.tenant_region(
            session, tenant_id=principal.tenant_id, regions=regions
        )
        ticket.fields = validate_values(
            field_specs(category),
            ticket_in.fields,
            region=region,
            existing=dict(ticket.fields),
            prefix="fields",
        )
        changed["fields"] = sorted(ticket_in.fields)
    await repository.add_history(
        session, ticket=ticket, actor_id=principal.user_id, action="updated", detail=changed
    )
    await session.flush()
    await session.refresh(ticket)
    return ticket


async def _ownership(
    session: AsyncSession, principal: Principal, ticket: Ticket, steps: list[WorkflowStep]
) -> StepOwnership:
    step = next((s for s in steps if s.id == ticket.current_step_id), None)
    in_team = False
    if step is not None and step.team_id is not None and principal.user_id is not None:
        in_team = await repository.is_team_member(
            session, tenant_id=principal.tenant_id, team_id=step.team_id, user_id=principal.user_id
        )
    return StepOwnership(
        is_assignee=principal.user_id is not None and ticket.assignee_id == principal.user_id,
        in_owning_team=in_team,
        has_owning_role=step is not None and step.role == principal.role.value,
        at_last_step=step is None or step.id == steps[-1].id,
    )


async def transition_ticket(
    *,
    session: AsyncSession,
    principal: Principal,
    ticket_id: uuid.UUID,
    transition_in: TransitionIn,
) -> Ticket:
    """Move a ticket through its workflow; a transition the role may not make is FORBIDDEN."""
    ticket = await get_ticket(
        session=session, principal=principal, ticket_id=ticket_id, for_update=True
    )
    action = transition_in.action
    steps = await steps_of(session=session, principal=principal, category_id=ticket.category_id)
    guard_transition(principal, action, await _ownership(session, principal, ticket, steps))
    closed = ticket.status == TicketStatus.CLOSED.value
    if closed != (action is Transition.REOPEN):
        state = "closed" if closed else "open"
        raise Conflict(f"cannot {action.value.replace('_', ' ')} a {state} ticket")
    now = _now()
    index = next((i for i, s in enumerate(steps) if s.id == ticket.current_step_id), None)
    from_step = ticket.current_step_id
    target: WorkflowStep | None = None
    if action is Transition.ADVANCE:
        if index is None or index + 1 >= len(steps):
            raise Conflict("the ticket is at its last step; close it instead")
        target = steps[index + 1]
    elif action is Transition.SEND_BACK:
        earlier = steps[:index] if index is not None else []
        if not earlier:
            raise Conflict("the ticket is at its first step")
        target = earlier[-1]
        if transition_in.to_step_id is not None:
            target = next((s for s in earlier if s.id == transition_in.to_step_id), None)
            if target is None:
                raise BadUserInput("toStepId: not an earlier step of this ticket", field="toStepId")
    elif action is Transition.REOPEN:
        target = steps[index] if index is not None else (steps[0] if steps else None)
    if action is Transition.CLOSE:
        ticket.status = TicketStatus.CLOSED.value
        ticket.closed_at = now
        ticket.step_due_at = None
    elif action is Transition.REOPEN:
        ticket.status = TicketStatus.OPEN.value
        ticket.closed_at = None
    if target is not None:
        _enter_step(ticket, target, now)
        ticket.assignee_id = None
    if transition_in.assignee_id is not None:
        current = next((s for s in steps if s.id == ticket.current_step_id), None)
        await _check_assignee(session, principal.tenant_id, current, transition_in.assignee_id)
        ticket.assignee_id = transition_in.assignee_id
    detail: dict[str, Any] = {}
    if ticket.assignee_id is not None:
        detail["assignee_id"] = str(ticket.assignee_id)
    if transition_in.comment:
        detail["comment"] = transition_in.comment
    await repository.add_history(
        session,
        ticket=ticket,
        actor_id=principal.user_id,
        action=action.value,
        from_step_id=from_step,
        to_step_id=ticket.current_step_id,
        detail=detail,
    )
    await session.flush()
    await session.refresh(ticket)
    return ticket


def ticket_conditions(principal: Principal, filter_in: TicketFilterIn | None) -> list[Any]:
    """SQL conditions of a ticket filter."""
    if filter_in is None:
        return []
    conditions: list[Any] = []
    if filter_in.status is not None:
        conditions.append(Ticket.status == filter_in.status.value)
    if filter_in.assignee_id is not None:
        conditions.append(Ticket.assignee_id == filter_in.assignee_id)
    if filter_in.mine:
        conditions.append(Ticket.assignee_id == principal.user_id)
    if filter_in.customer_id is not None:
        conditions.append(Ticket.customer_id == filter_in.customer_id)
    if filter_in.category_id is not None:
        conditions.append(Ticket.category_id == filter_in.category_id)
    return conditions


async def list_tickets(
    *,
    session: AsyncSession,
    principal: Principal,
    filter_in: TicketFilterIn | None,
    page: PageRequest,
) -> Page[tuple[Ticket, WorkflowStep | None]]:
    """A page of the tenant's tickets, each with its current step."""
    return await repository.list_tickets(
        session,
        tenant_id=principal.tenant_id,
        page=page,
        conditions=ticket_conditions(principal, filter_in),
    )


async def sticky_assignee(
    *, session: AsyncSession, tenant_id: uuid.UUID, customer_id: uuid.UUID
) -> uuid.UUID | None:
    """The agent a returning caller should reach first: their open ticket's assignee.

    For routing at call ingress (sticky agent); the session must be bound to the tenant.
    """
    return await repository.open_ticket_assignee(
        session, tenant_id=tenant_id, customer_id=customer_id
    )
