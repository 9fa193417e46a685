"""Ticket use cases: teams, categories and workflows (tickets themselves:
``tickets_service``; their comments and attachments: ``comments_service``).

Services flush, never commit: the edge that opened the transaction commits it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tenants.crm.custom_fields.values import FieldSpec, FieldType, validate_values
from tenants.crm.schemas import CustomFieldIn
from tenants.database.conflicts import flush_or_conflict
from tenants.errors import BadUserInput, Conflict, NotFound
from tenants.identity import repository as identity_repository
from tenants.identity.principal import Principal
from tenants.identity.roles import MANAGERS
from tenants.tickets import repository
from tenants.tickets.models import Team, TicketCategory, WorkflowStep
from tenants.tickets.schemas import TeamIn, TicketCategoryIn


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
    await flush_or_conflict(session, f"team {team_in.name!r} already exists")
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
    await flush_or_conflict(session, f"ticket category {category_in.name!r} already exists")
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
