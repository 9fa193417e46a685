"""Every identity query. Tenant tables are always read through ``scoped``."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.database.pagination import Page, PageRequest, keyset_page
from tenants.database.scoping import scoped
from tenants.identity.models import ApiKey, Tenant, User


async def tenant_by_id(session: AsyncSession, tenant_id: uuid.UUID) -> Tenant | None:
    """The tenant row (the registry is not tenant-scoped)."""
    return await session.get(Tenant, tenant_id)


async def tenant_slug(session: AsyncSession, tenant_id: uuid.UUID) -> str | None:
    """The tenant's slug (None when the tenant does not exist)."""
    return await session.scalar(select(Tenant.slug).where(Tenant.id == tenant_id))


async def tenant_by_slug(session: AsyncSession, slug: str) -> Tenant | None:
    """The tenant with this slug."""
    return await session.scalar(select(Tenant).where(Tenant.slug == slug.lower()))


async def active_tenant_ids(session: AsyncSession) -> list[uuid.UUID]:
    """Ids of every active tenant, for per-tenant background jobs."""
    return list(await session.scalars(select(Tenant.id).where(Tenant.status == "active")))


async def slugs_like(session: AsyncSession, base: str) -> set[str]:
    """Existing slugs equal to ``base`` or ``base-<n>``."""
    rows = await session.scalars(
        select(Tenant.slug).where((Tenant.slug == base) | Tenant.slug.like(f"{base}-%"))
    )
    return set(rows)


async def user_by_id(
    session: AsyncSession, *, tenant_id: uuid.UUID, user_id: uuid.UUID
) -> User | None:
    """One user of the tenant."""
    return await session.scalar(scoped(select(User), tenant_id).where(User.id == user_id))


async def users_by_ids(
    session: AsyncSession, *, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, User]:
    """Users of the tenant by id (for DataLoaders)."""
    statement = scoped(select(User), tenant_id).where(User.id.in_(ids))
    return {user.id: user for user in await session.scalars(statement)}


async def user_by_email(session: AsyncSession, *, tenant_id: uuid.UUID, email: str) -> User | None:
    """The tenant's user with this email, case-insensitively."""
    statement = scoped(select(User), tenant_id).where(func.lower(User.email) == email.lower())
    return await session.scalar(statement)


async def list_users(
    session: AsyncSession, *, tenant_id: uuid.UUID, page: PageRequest, active: bool | None = None
) -> Page[User]:
    """A page of the tenant's users, oldest first."""
    statement = scoped(select(User), tenant_id)
    if active is not None:
        statement = statement.where(User.active == active)
    return await keyset_page(session, statement, User, page)


async def api_key_by_id(
    session: AsyncSession, *, tenant_id: uuid.UUID, key_id: uuid.UUID
) -> ApiKey | None:
    """One API key of the tenant."""
    return await session.scalar(scoped(select(ApiKey), tenant_id).where(ApiKey.id == key_id))


async def api_key_by_prefix(session: AsyncSession, prefix: str) -> ApiKey | None:
    """The key with this prefix, before its tenant is known (see migration 0001)."""
    await session.execute(
        text("SELECT set_config('app.api_key_prefix', :prefix, true)"), {"prefix": prefix}
    )
    try:
        return await session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    finally:
        await session.execute(text("SELECT set_config('app.api_key_prefix', '', true)"))


async def list_api_keys(
    session: AsyncSession, *, tenant_id: uuid.UUID, page: PageRequest
) -> Page[ApiKey]:
    """A page of the tenant's API keys, oldest first."""
    return await keyset_page(session, scoped(select(ApiKey), tenant_id), ApiKey, page)


async def touch_api_key(
    session: AsyncSession, *, tenant_id: uuid.UUID, key_id: uuid.UUID, at: datetime
) -> None:
    """Record that a key was used."""
    await session.execute(
        scoped(update(ApiKey), tenant_id).where(ApiKey.id == key_id).values(last_used_at=at)
    )
