"""Who is calling, for routing: a caller's customer and category, or unknown."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from tenants.crm import phones
from tenants.crm.customers import repository as customers_repository
from tenants.crm.customers.service import is_international
from tenants.crm.settings.regions import RegionCache
from tenants.crm.settings.service import DEFAULT_REGION, tenant_region
from tenants.database.session import bind_tenant


@dataclass(frozen=True)
class CallerInfo:
    """What routing needs to know about a caller at ingress."""

    customer_id: uuid.UUID | None
    category_name: str | None
    is_vip: bool
    is_blacklisted: bool


UNKNOWN_CALLER = CallerInfo(
    customer_id=None, category_name=None, is_vip=False, is_blacklisted=False
)


async def classify_caller(
    *, session: AsyncSession, tenant_id: uuid.UUID, number: str, regions: RegionCache | None
) -> CallerInfo:
    """Who is calling ``tenant_id`` from ``number``, for routing at call ingress.

    Binds the session to the tenant (``SET LOCAL``). Never raises for a bad number:
    anonymous or garbled caller ids are simply unknown callers. A category whose
    routing is ``priority`` (VIP by default) makes a VIP; ``reject`` (blacklist) blocks.
    ``regions`` is the process's memory of tenants' regions (None reads the database).
    """
    await bind_tenant(session, tenant_id)
    if is_international(number):
        region = DEFAULT_REGION
    else:
        region = await tenant_region(session, tenant_id=tenant_id, regions=regions)
    e164 = phones.to_e164(number, region=region)
    if e164 is None:
        return UNKNOWN_CALLER
    row = await customers_repository.caller_by_e164(session, tenant_id=tenant_id, e164=e164)
    if row is None:
        return UNKNOWN_CALLER
    return CallerInfo(
        customer_id=row.customer_id,
        category_name=row.category_name,
        is_vip=row.routing == "priority",
        is_blacklisted=row.routing == "reject",
    )
