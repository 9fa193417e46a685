"""CRM settings use cases: the tenant's default region, and the settings row with the
default categories, created on first use.

Services flush, never commit: the edge that opened the transaction commits it.
"""

from __future__ import annotations

import time
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from tenants.crm.models import (
    CrmSettings,
)
from tenants.crm.schemas import (
    CrmSettingsIn,
)
from tenants.crm.settings import repository as settings_repository
from tenants.identity.principal import Principal
from tenants.identity.roles import MANAGERS

DEFAULT_REGION = "US"


REGION_TTL_S = 2.0
"""How long a process reuses a tenant's default region it read (screen pops read it per
call). A change applies at once in the process that made it, within this elsewhere."""


_regions: dict[uuid.UUID, tuple[float, str]] = {}


async def tenant_region(session: AsyncSession, *, tenant_id: uuid.UUID) -> str:
    """The tenant's default phone region (``US`` until an admin sets one)."""
    cached = _regions.get(tenant_id)
    if cached is not None and time.monotonic() < cached[0]:
        return cached[1]
    region = (
        await settings_repository.default_region(session, tenant_id=tenant_id) or DEFAULT_REGION
    )
    if len(_regions) >= 10_000:
        _regions.clear()
    _regions[tenant_id] = (time.monotonic() + REGION_TTL_S, region)
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
    *, session: AsyncSession, principal: Principal, settings_in: CrmSettingsIn
) -> CrmSettings:
    """Change the tenant's CRM settings (owners and admins)."""
    principal.require(MANAGERS, "change CRM settings")
    row = await get_settings(session=session, principal=principal)
    row.default_region = settings_in.default_region
    _regions.pop(principal.tenant_id, None)
    await session.flush()
    await session.refresh(row)
    return row
