"""Every disposition query, tenant-scoped."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from routing.dispositions.models import Disposition
from tenants.database.scoping import scoped


async def list_dispositions(
    session: AsyncSession, *, tenant_id: uuid.UUID, active_only: bool = False
) -> list[Disposition]:
    """The tenant's dispositions by code."""
    statement = scoped(select(Disposition), tenant_id).order_by(Disposition.code)
    if active_only:
        statement = statement.where(Disposition.active.is_(True))
    return list(await session.scalars(statement))


async def disposition_by_id(
    session: AsyncSession, *, tenant_id: uuid.UUID, disposition_id: uuid.UUID
) -> Disposition | None:
    """One disposition of the tenant."""
    statement = scoped(select(Disposition), tenant_id).where(Disposition.id == disposition_id)
    return await session.scalar(statement)


async def disposition_by_code(
    session: AsyncSession, *, tenant_id: uuid.UUID, code: str
) -> Disposition | None:
    """The tenant's disposition with this code."""
    statement = scoped(select(Disposition), tenant_id).where(Disposition.code == code)
    return await session.scalar(statement)


async def delete_disposition(
    session: AsyncSession, *, tenant_id: uuid.UUID, disposition_id: uuid.UUID
) -> int:
    """Delete one disposition; how many rows went."""
    result = await session.execute(
        delete(Disposition).where(
            Disposition.tenant_id == tenant_id, Disposition.id == disposition_id
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
