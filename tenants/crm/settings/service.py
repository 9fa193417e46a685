"""CRM settings use cases: the tenant's default region, and the settings row with the
default categories, created on first use.

Services flush, never commit: the edge that opened the transaction commits it.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from tenants.crm.models import (
    CrmSettings,
)
from tenants.crm.schemas import (
    CrmSettingsIn,
)
from tenants.crm.settings import repository as settings_repository
from tenants.crm.settings.regions import RegionCache
from tenants.identity.principal import Principal
from tenants.identity.roles import MANAGERS

DEFAULT_REGION = "US"


async def tenant_region(
    session: AsyncSession, *, tenant_id: uuid.UUID, regions: RegionCache | None = None
) -> str:
    """The tenant's default phone region (``US`` until an admin sets one).

    ``regions`` is the process's memory of recent reads (screen pops read the region per
    call); without one, the database is read.
    """
    if regions is not None:
        cached = regions.recall(tenant_id)
        if cached is not None:
            return cached
    region = (
        await settings_repository.default_region(session, tenant_id=tenant_id) or DEFAULT_REGION
    )
    if regions is not None:
        regions.remember(tenant_id, region)
    return region


async def ensure_defaults(session: AsyncSession, *, tenant_id: uuid.UUID) -> None:
    """Create the tenant's CRM settings and default categories on first use."""
    await settings_repository.create_settings_once(session, tenant_id=tenant_id)


async def get_settings(*, session: AsyncSession, principal: Principal) -> CrmSettings:
    """The tenant's CRM settings (created with defaults on first read)."""
    await ensure_defaults(session, tenant_id=principal.tenant_id)
    row = await settings_repository.settings_row(session, tenant_id=principal.tenant_id)
    assert row is not None
    return row


async def update_settings(
    *,
    session: AsyncSession,
    principal: Principal,
    settings_in: CrmSettingsIn,
    regions: RegionCache | None = None,
) -> CrmSettings:
    """Change the tenant's CRM settings (owners and admins); ``regions`` forgets the old
    region at once."""
    principal.require(MANAGERS, "change CRM settings")
    row = await get_settings(session=session, principal=principal)
    row.default_region = settings_in.default_region
    if regions is not None:
        regions.forget(principal.tenant_id)
    await session.flush()
    await session.refresh(row)
    return row
