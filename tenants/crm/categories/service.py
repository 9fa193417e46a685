"""Customer category use cases.

Services flush, never commit: the edge that opened the transaction commits it.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from tenants.crm.categories import repository as categories_repository
from tenants.crm.models import (
    CustomerCategory,
)
from tenants.crm.schemas import (
    CategoryIn,
)
from tenants.crm.settings.service import ensure_defaults
from tenants.database.conflicts import flush_or_conflict
from tenants.errors import Conflict, NotFound
from tenants.identity.principal import Principal
from tenants.identity.roles import MANAGERS


async def list_categories(*, session: AsyncSession, principal: Principal) -> list[CustomerCategory]:
    """The tenant's customer categories (seeded with VIP, blacklist, prospect, follow-up)."""
    await ensure_defaults(session, tenant_id=principal.tenant_id)
    return await categories_repository.list_categories(session, tenant_id=principal.tenant_id)


async def get_category(
    *, session: AsyncSession, principal: Principal, category_id: uuid.UUID
) -> CustomerCategory:
    """One category of the tenant."""
    row = await categories_repository.category_by_id(
        session, tenant_id=principal.tenant_id, category_id=category_id
    )
    if row is None:
        raise NotFound("category not found")
    return row


async def create_category(
    *, session: AsyncSession, principal: Principal, category_in: CategoryIn
) -> CustomerCategory:
    """Add a category (owners and admins)."""
    principal.require(MANAGERS, "manage customer categories")
    await ensure_defaults(session, tenant_id=principal.tenant_id)
    await _unique_category_name(session, principal.tenant_id, category_in.name, None)
    row = CustomerCategory(
        id=uuid.uuid4(),
        tenant_id=principal.tenant_id,
        name=category_in.name,
        routing=category_in.routing.value,
        position=category_in.position,
    )
    session.add(row)
    await flush_or_conflict(session, f"category {category_in.name!r} already exists")
    await session.refresh(row)
    return row


async def _unique_category_name(
    session: AsyncSession, tenant_id: uuid.UUID, name: str, except_id: uuid.UUID | None
) -> None:
    existing = await categories_repository.category_by_name(session, tenant_id=tenant_id, name=name)
    if existing is not None and existing.id != except_id:
        raise Conflict(f"category {name!r} already exists", field="name")


async def update_category(
    *,
    session: AsyncSession,
    principal: Principal,
    category_id: uuid.UUID,
    category_in: CategoryIn,
) -> CustomerCategory:
    """Rename or re-purpose a category (owners and admins)."""
    principal.require(MANAGERS, "manage customer categories")
    row = await get_category(session=session, principal=principal, category_id=category_id)
    await _unique_category_name(session, principal.tenant_id, category_in.name, row.id)
    row.name = category_in.name
    row.routing = category_in.routing.value
    row.position = category_in.position
    await flush_or_conflict(session, f"category {category_in.name!r} already exists")
    await session.refresh(row)
    return row


async def delete_category(
    *, session: AsyncSession, principal: Principal, category_id: uuid.UUID
) -> uuid.UUID:
    """Remove a category; its customers keep no category (owners and admins)."""
    principal.require(MANAGERS, "manage customer categories")
    row = await get_category(session=session, principal=principal, category_id=category_id)
    await session.delete(row)
    await session.flush()
    return category_id
