"""CRM settings queries: the tenant's row, created once with the default categories.

Tenant tables are always read through ``scoped``.
"""

from __future__ import annotations

import uuid

from sqlalchemy import (
    select,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.crm.models import (
    CrmSettings,
    CustomerCategory,
)
from tenants.database.scoping import scoped

DEFAULT_CATEGORIES = (
    ("VIP", "priority"),
    ("blacklist", "reject"),
    ("prospect", "none"),
    ("follow-up", "none"),
)


async def settings_row(session: AsyncSession, *, tenant_id: uuid.UUID) -> CrmSettings | None:
    """The tenant's CRM settings row, if it was created yet."""
    return await session.scalar(scoped(select(CrmSettings), tenant_id))


async def default_region(session: AsyncSession, *, tenant_id: uuid.UUID) -> str | None:
    """Just the tenant's default region (one indexed read on the hot path)."""
    return await session.scalar(scoped(select(CrmSettings.default_region), tenant_id))


async def create_settings_once(session: AsyncSession, *, tenant_id: uuid.UUID) -> bool:
    """Create the settings row and default categories unless they exist; True if created.

    Two first requests may race: ``ON CONFLICT`` makes the loser wait for the winner's
    row and insert nothing, so categories are seeded exactly once.
    """
    created = await session.scalar(
        insert(CrmSettings)
        .values(tenant_id=tenant_id)
        .on_conflict_do_nothing(index_elements=["tenant_id"])
        .returning(CrmSettings.tenant_id)
    )
    if created is None:
        return False
    await session.execute(
        insert(CustomerCategory),
        [
            {
                "id": uuid.uuid4(),
                "tenant_id": tenant_id,
                "name": name,
                "routing": routing,
                "position": i,
            }
            for i, (name, routing) in enumerate(DEFAULT_CATEGORIES)
        ],
    )
    return True
