"""Customer category queries. Tenant tables are always read through ``scoped``."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import (
    func,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.crm.models import (
    CustomerCategory,
)
from tenants.database.scoping import scoped


async def list_categories(session: AsyncSession, *, tenant_id: uuid.UUID) -> list[CustomerCategory]:
    """The tenant's categories in display order."""
    statement = scoped(select(CustomerCategory), tenant_id).order_by(
        CustomerCategory.position, CustomerCategory.name
    )
    return list(await session.scalars(statement))


async def category_by_id(
    session: AsyncSession, *, tenant_id: uuid.UUID, category_id: uuid.UUID
) -> CustomerCategory | None:
    """One category of the tenant."""
    statement = scoped(select(CustomerCategory), tenant_id).where(
        CustomerCategory.id == category_id
    )
    return await session.scalar(statement)


async def category_by_name(
    session: AsyncSession, *, tenant_id: uuid.UUID, name: str
) -> CustomerCategory | None:
    """The tenant's category with this name, case-insensitively."""
    statement = scoped(select(CustomerCategory), tenant_id).where(
        func.lower(CustomerCategory.name) == name.lower()
    )
    return await session.scalar(statement)


async def categories_by_ids(
    session: AsyncSession, *, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, CustomerCategory]:
    """Categories by id (for DataLoaders)."""
    statement = scoped(select(CustomerCategory), tenant_id).where(CustomerCategory.id.in_(ids))
    return {row.id: row for row in await session.scalars(statement)}
