"""Break-reason use cases: managers keep the list, agents choose from it."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from routing.break_reasons import repository
from routing.break_reasons.models import BreakReason
from routing.break_reasons.schemas import BreakReasonIn
from tenants.errors import BadUserInput, Conflict, NotFound
from tenants.identity.principal import Principal
from tenants.identity.roles import MANAGERS


async def list_break_reasons(*, session: AsyncSession, principal: Principal) -> list[BreakReason]:
    """The tenant's break reasons (every role: agents pick from them)."""
    return await repository.list_reasons(session, tenant_id=principal.tenant_id)


async def _unique(
    session: AsyncSession, tenant_id: uuid.UUID, name: str, current: uuid.UUID | None = None
) -> None:
    existing = await repository.reason_by_name(session, tenant_id=tenant_id, name=name)
    if existing is not None and existing.id != current:
        raise Conflict(f"a break reason named {name} already exists", field="name")


async def create_break_reason(
    *, session: AsyncSession, principal: Principal, reason_in: BreakReasonIn
) -> BreakReason:
    """Add a break reason (owners and admins)."""
    principal.require(MANAGERS, "manage break reasons")
    await _unique(session, principal.tenant_id, reason_in.name)
    reason = BreakReason(id=uuid.uuid4(), tenant_id=principal.tenant_id, name=reason_in.name)
    session.add(reason)
    await session.flush()
    await session.refresh(reason)
    return reason


async def _get(session: AsyncSession, principal: Principal, reason_id: uuid.UUID) -> BreakReason:
    reason = await repository.reason_by_id(
        session, tenant_id=principal.tenant_id, reason_id=reason_id
    )
    if reason is None:
        raise NotFound("break reason not found")
    return reason


async def update_break_reason(
    *, session: AsyncSession, principal: Principal, reason_id: uuid.UUID, reason_in: BreakReasonIn
) -> BreakReason:
    """Rename a break reason; agents on it keep their current break until they change."""
    principal.require(MANAGERS, "manage break reasons")
    reason = await _get(session, principal, reason_id)
    await _unique(session, principal.tenant_id, reason_in.name, current=reason.id)
    reason.name = reason_in.name
    await session.flush()
    await session.refresh(reason)
    return reason


async def delete_break_reason(
    *, session: AsyncSession, principal: Principal, reason_id: uuid.UUID
) -> None:
    """Remove a break reason."""
    principal.require(MANAGERS, "manage break reasons")
    await _get(session, principal, reason_id)
    await repository.delete_reason(session, tenant_id=principal.tenant_id, reason_id=reason_id)


async def check_break_reason(*, session: AsyncSession, principal: Principal, reason: str) -> None:
    """BAD_USER_INPUT unless ``reason`` is one of the tenant's (any reason when it has none)."""
    reasons = await repository.list_reasons(session, tenant_id=principal.tenant_id)
    if reasons and reason not in {r.name for r in reasons}:
        names = ", ".join(r.name for r in reasons)
        raise BadUserInput(f"unknown break reason {reason}: choose one of {names}", field="reason")
