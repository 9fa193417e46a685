"""Every break-reason query, tenant-scoped."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from routing.break_reasons.models import BreakReason
from tenants.database.scoping import scoped


async def list_reasons(session: AsyncSession, *, tenant_id: uuid.UUID) -> list[BreakReason]:
    """The tenant's break reasons by name."""
    statement = scoped(select(BreakReason), tenant_id).order_by(BreakReason.name)
    return list(await session.scalars(statement))


async def reason_by_id(
    session: AsyncSession, *, tenant_id: uuid.UUID, reason_id: uuid.UUID
) -> BreakReason | None:
    """One break reason of the tenant."""
    statement = scoped(select(BreakReason), tenant_id).where(BreakReason.id == reason_id)
    return await session.scalar(statement)


async def reason_by_name(
    session: AsyncSession, *, tenant_id: uuid.UUID, name: str
) -> BreakReason | None:
    """The tenant's break reason with this name."""
    statement = scoped(select(BreakReason), tenant_id).where(BreakReason.name == name)
    return await session.scalar(statement)


async def delete_reason(
    session: AsyncSession, *, tenant_id: uuid.UUID, reason_id: uuid.UUID
) -> int:
    """Delete one break reason; how many rows went."""
    result = await session.execute(
        delete(BreakReason).where(BreakReason.tenant_id == tenant_id, BreakReason.id == reason_id)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
