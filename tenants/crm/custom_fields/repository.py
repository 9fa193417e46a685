"""Custom field definition queries. Tenant tables are always read through ``scoped``."""

from __future__ import annotations

import uuid

from sqlalchemy import (
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.crm.models import (
    CustomFieldDefinition,
)
from tenants.database.scoping import scoped


async def list_custom_fields(
    session: AsyncSession, *, tenant_id: uuid.UUID
) -> list[CustomFieldDefinition]:
    """The tenant's custom field definitions in display order."""
    statement = scoped(select(CustomFieldDefinition), tenant_id).order_by(
        CustomFieldDefinition.position, CustomFieldDefinition.key
    )
    return list(await session.scalars(statement))


async def custom_field_by_id(
    session: AsyncSession, *, tenant_id: uuid.UUID, field_id: uuid.UUID
) -> CustomFieldDefinition | None:
    """One custom field definition of the tenant."""
    statement = scoped(select(CustomFieldDefinition), tenant_id).where(
        CustomFieldDefinition.id == field_id
    )
    return await session.scalar(statement)
