"""Ticket use cases: teams, categories and workflows, tickets, transitions, comments.

Services flush, never commit: the edge that opened the transaction commits it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.crm.custom_fields.values import FieldSpec, FieldType, validate_values
from tenants.crm.customers import repository as crm_repository
from tenants.crm.customers import service as crm_service
from tenants.crm.schemas import CustomFieldIn
from tenants.crm.settings import service as crm_settings
from tenants.database.pagination import Page, PageRequest
from tenants.errors import BadUserInput, Conflict, NotFound
from tenants.identity import repository as identity_repository
from tenants.identity.principal import Principal
from tenants.identity.roles import MANAGERS
from tenants.tickets import repository
from tenants.tickets.models import (
    Team,
    Ticket,
    TicketAttachment,
    TicketCategory,
    TicketComment,
    TicketHistory,
    WorkflowStep,
)
from tenants.tickets.schemas import (
    AttachmentIn,
    CommentIn,
    TeamIn,
    TicketCategoryIn,
    TicketCreateIn,
    TicketFilterIn,
    TicketStatus,
    TicketUpdateIn,
    Transition,
    TransitionIn,
)
from tenants.tickets.workflow import StepOwnership, guard_transition


def _now() -> datetime:
    return datetime.now(UTC)


async def _flush_or_conflict(session: AsyncSession, message: str) -> None:
    try:
        await session.flush()
    except IntegrityError as err:
        raise Conflict(message) from err


async def _active_users(
    session: AsyncSession, tenant_id: uuid.UUID, user_ids: Sequence[uuid.UUID], field: str
) -> None:
    found = await identity_repository.users_by_ids(session, tenant_id=tenant_id, ids=user_ids)
    for user_id in user_ids:
        user = found.get(user_id)
        if user is None or not user.active:
            raise BadUserInput(f"{field}: no such active user", field=field)


# --- teams --------------------------------------------------------------------------------


async def get_team(*, session: AsyncSession, principal: Principal, team_id: uuid.UUID) -> Team:
    """One team of the tenant."""
    row = await repository.team_by_id(session, tenant_id=principal.tenant_id, team_id=team_id)
    if row is None:
        raise NotFound("team not found")
    return row


async def list_teams(*, session: AsyncSession, principal: Principal) -> list[Team]:
    """The tenant's teams."""
    return await repository.list_teams(session, tenant_id=principal.tenant_id)


async def save_team(
    *, session: AsyncSession, principal: Principal, team_in: TeamIn, team_id: uuid.UUID | None
) -> Team:
    """Create (no id) or update a team and, when given, its members (owners and admins)."""
    principal.require(MANAGERS, "manage teams")
    if team_id is None:
        team = Team(id=uuid.uuid4(), tenant_id=principal.tenant_id, name=team_in.name)
        session.add(team)
    else:
        team = await get_team(session=session, principal=principal, team_id=team_id)
        team.name = team_in.name
    await _flush_or_conflict(session, f"team {team_in.name!r} already exists")
    if team_in.member_ids is not None:
        await _active_users(session, principal.tenant_id, team_in.member_ids, "memberIds")
        await repository.set_team_members(
            session, tenant_id=principal.tenant_id, team_id=team.id, user_ids=team_in.member_ids
        )
        await session.flush()
    await session.refresh(team)
    return team


async def delete_team(
    *, session: AsyncSession, principal: Principal, team_id: uuid.UUID
) -> uuid.UUID:
    """Remove a team; steps it owned keep only their role (owners and admins)."""
    principal.require(MANAGERS, "manage teams")
    team = await get_team(session=session, principal=principal, team_id=team_id)
    await session.delete(team)
    await session.flush()
    return team_id


# --- categories and workflows -------------------------------------------------------------


def field_specs(category: TicketCategory) -> list[FieldSpec]:
    """The validation rules of a category's field schema."""
    return [
        FieldSpec(
            key=f["key"],
            type=FieldType(f["type"]),
            required=bool(f.get("required")),
            default=f.get("default"),
            options=tuple(f.get("options") or ()),
        )
        for f in category.fields
    ]


def _stored_fields(fields: Sequence[CustomFieldIn]) -> list[dict[str, Any]]:
    stored = []
    for f in fields:
        if f.type in (FieldType.SELECT, FieldType.MULTI_SELECT) and not f.options:
            raise BadUserInput(f"fields.{f.key}: a select field needs options", field="fields")
        spec = FieldSpec(key=f.key, type=f.type, options=tuple(f.options))
        default = None
        if f.default is not None:
            default = validate_values([spec], {f.key: f.default}, region="US", prefix="default")[
                f.key
            ]
        stored.append(
            {
                "key": f.key,
                "label": f.label,
                "type": f.type.value,
                "required": f.required,
                "default": default,
                "options": list(f.options),
                "position": f.position,
            }
        )
    return stored


async def get_category(
    *, session: AsyncSession, principal: Principal, category_id: uuid.UUID
) -> TicketCategory:
    """One ticket category of the tenant."""
    row = await repository.category_by_id(
        session, tenant_id=principal.tenant_id, category_id=category_id
    )
    if row is None:
        raise NotFound("ticket category not found")
    return row


async def list_categories(*, session: AsyncSession, principal: Principal) -> list[TicketCategory]:
    """The tenant's ticket categories."""
    return await repository.list_categories(session, tenant_id=principal.tenant_id)


async def steps_of(
    *, session: AsyncSession, principal: Principal, category_id: uuid.UUID
) -> list[WorkflowStep]:
    """A category's workflow steps in order."""
    steps = await repository.steps_of(
        session, tenant_id=principal.tenant_id, category_ids=[category_id]
    )
    return steps[category_id]


async def get_step(
    *, session: AsyncSession, principal: Principal, step_id: uuid.UUID
) -> WorkflowStep:
    """One workflow step of the tenant."""
    found = await repository.steps_by_ids(session, tenant_id=principal.tenant_id, ids=[step_id])
    if step_id not in found:
        raise NotFound("workflow step not found")
    return found[step_id]


async def _check_step_owners(
    session: AsyncSession, tenant_id: uuid.UUID, category_in: TicketCategoryIn
) -> None:
    team_ids = {s.team_id for s in category_in.steps if s.team_id is not None}
    if team_ids:
        found = await repository.teams_by_ids(session, tenant_id=tenant_id, ids=list(team_ids))
        if set(found) != team_ids:
            raise BadUserInput("steps.teamId: no such team", field="steps.teamId")
    for i, step in enumerate(category_in.steps):
        if step.team_id is None and step.role is None:
            raise BadUserInput(f"steps.{i}: a step needs a team or a role", field=f"steps.{i}")


async def save_category(
    *,
    session: AsyncSession,
    principal: Principal,
    category_in: TicketCategoryIn,
    category_id: uuid.UUID | None,
) -> TicketCategory:
    """Create or update a category, its field schema and its workflow (owners and admins).

    Steps are matched by position: existing ones are updated in place, new ones appended,
    and trailing ones removed unless an open ticket sits on them (CONFLICT).
    """
    principal.require(MANAGERS, "manage ticket categories")
    tenant_id = principal.tenant_id
    await _check_step_owners(session, tenant_id, category_in)
    fields = _stored_fields(category_in.fields)
    if category_id is None:
        category = TicketCategory(
            id=uuid.uuid4(), tenant_id=tenant_id, name=category_in.name, fields=fields
        )
        session.add(category)
        existing: list[WorkflowStep] = []
    else:
        category = await get_category(session=session, principal=principal, category_id=category_id)
        category.name = category_in.name
        category.fields = fields
        existing = await steps_of(session=session, principal=principal, category_id=category.id)
    await _flush_or_conflict(session, f"ticket category {category_in.name!r} already exists")
    removed = existing[len(category_in.steps) :]
    if removed:
        if await repository.open_tickets_on_steps(
            session, tenant_id=tenant_id, step_ids=[s.id for s in removed]
        ):
            raise Conflict("open tickets sit on a step that would be removed", field="steps")
        for step in removed:
            await session.delete(step)
        await session.flush()
    for position, step_in in enumerate(category_in.steps):
        if position < len(existing):
            step = existing[position]
        else:
            step = WorkflowStep(
                id=uuid.uuid4(), tenant_id=tenant_id, category_id=category.id, position=position
            )
            session.add(step)
        step.name = step_in.name
        step.team_id = step_in.team_id
        step.role = step_in.role.value if step_in.role else None
        step.sla_seconds = step_in.sla_seconds
    await session.flush()
    await session.refresh(category)
    return category


async def delete_category(
    *, session: AsyncSession, principal: Principal, category_id: uuid.UUID
) -> uuid.UUID:
    """Remove a category no ticket uses (owners and admins)."""
    principal.require(MANAGERS, "manage ticket categories")
    category = await get_category(session=session, principal=principal, category_id=category_id)
    if await repository.tickets_in_category(
        session, tenant_id=principal.tenant_id, category_id=category.id
    ):
        raise Conflict("tickets use this category")
    await session.delete(category)
    await session.flush()
    return category_id


# --- tickets ------------------------------------------------------------------------------


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
    *, session: AsyncSession, principal: Principal, ticket_in: TicketCreateIn
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
            session=session, principal=principal, number=ticket_in.caller_number
        )
        customer_id = customer.id if customer else None
    region = await crm_settings.tenant_region(session, tenant_id=tenant_id)
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
    *, session: AsyncSession, principal: Principal, ticket_id: uuid.UUID, ticket_in: TicketUpdateIn
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
        region = await crm_settings.tenant_region(session, tenant_id=principal.tenant_id)
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


async def add_comment(
    *, session: AsyncSession, principal: Principal, ticket_id: uuid.UUID, comment_in: CommentIn
) -> TicketComment:
    """Comment on a ticket (recorded in its trail)."""
    ticket = await get_ticket(session=session, principal=principal, ticket_id=ticket_id)
    comment = TicketComment(
        id=uuid.uuid4(),
        tenant_id=principal.tenant_id,
        ticket_id=ticket.id,
        author_id=principal.user_id,
        body=comment_in.body,
    )
    session.add(comment)
    await session.flush()
    await repository.add_history(
        session,
        ticket=ticket,
        actor_id=principal.user_id,
        action="commented",
        detail={"comment_id": str(comment.id)},
    )
    await session.flush()
    await session.refresh(comment)
    return comment


async def add_attachment(
    *,
    session: AsyncSession,
    principal: Principal,
    ticket_id: uuid.UUID,
    attachment_in: AttachmentIn,
) -> TicketAttachment:
    """Record a file attached to a ticket (its bytes are already in object storage)."""
    ticket = await get_ticket(session=session, principal=principal, ticket_id=ticket_id)
    prefix = f"{principal.tenant_id}/"
    if not attachment_in.storage_key.startswith(prefix):
        raise BadUserInput(f"storageKey: must start with {prefix}", field="storageKey")
    attachment = TicketAttachment(
        id=uuid.uuid4(),
        tenant_id=principal.tenant_id,
        ticket_id=ticket.id,
        filename=attachment_in.filename,
        content_type=attachment_in.content_type,
        size_bytes=attachment_in.size_bytes,
        storage_key=attachment_in.storage_key,
        uploaded_by=principal.user_id,
    )
    session.add(attachment)
    await session.flush()
    await repository.add_history(
        session,
        ticket=ticket,
        actor_id=principal.user_id,
        action="attachment_added",
        detail={"attachment_id": str(attachment.id), "filename": attachment.filename},
    )
    await session.flush()
    await session.refresh(attachment)
    return attachment


async def get_child(
    *, session: AsyncSession, principal: Principal, model: type[Any], row_id: uuid.UUID
) -> Any:
    """One comment, attachment or history entry of the tenant."""
    row = await repository.one_of(session, model, tenant_id=principal.tenant_id, row_id=row_id)
    if row is None:
        raise NotFound(f"{model.__name__} not found")
    return row


CHILD_MODELS = {
    "TicketComment": TicketComment,
    "TicketAttachment": TicketAttachment,
    "TicketHistoryEntry": TicketHistory,
}


async def sticky_assignee(
    *, session: AsyncSession, tenant_id: uuid.UUID, customer_id: uuid.UUID
) -> uuid.UUID | None:
    """The agent a returning caller should reach first: their open ticket's assignee.

    For routing at call ingress (sticky agent); the session must be bound to the tenant.
    """
    return await repository.open_ticket_assignee(
        session, tenant_id=tenant_id, customer_id=customer_id
    )
