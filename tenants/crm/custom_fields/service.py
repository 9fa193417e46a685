"""Custom field definition use cases.

Services flush, never commit: the edge that opened the transaction commits it.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tenants.crm.custom_fields import repository as custom_fields_repository
from tenants.crm.custom_fields.values import FieldSpec, FieldType, coerce_value
from tenants.crm.models import (
    CustomFieldDefinition,
)
from tenants.crm.schemas import (
    CustomFieldIn,
)
from tenants.crm.settings.service import tenant_region
from tenants.database.conflicts import flush_or_conflict
from tenants.errors import BadUserInput, NotFound
from tenants.identity.principal import Principal
from tenants.identity.roles import MANAGERS


def spec_of(row: CustomFieldDefinition) -> FieldSpec:
    """The validation rules of a stored definition."""
    return FieldSpec(
        key=row.key,
        type=FieldType(row.type),
        required=row.required,
        unique=row.unique,
        default=row.default,
        options=tuple(row.options),
    )


async def list_custom_fields(
    *, session: AsyncSession, principal: Principal
) -> list[CustomFieldDefinition]:
    """The tenant's custom field definitions."""
    return await custom_fields_repository.list_custom_fields(session, tenant_id=principal.tenant_id)


async def get_custom_field(
    *, session: AsyncSession, principal: Principal, field_id: uuid.UUID
) -> CustomFieldDefinition:
    """One custom field definition of the tenant."""
    row = await custom_fields_repository.custom_field_by_id(
        session, tenant_id=principal.tenant_id, field_id=field_id
    )
    if row is None:
        raise NotFound("custom field not found")
    return row


async def _checked_definition(
    session: AsyncSession, tenant_id: uuid.UUID, field_in: CustomFieldIn
) -> Any:
    is_choice = field_in.type in (FieldType.SELECT, FieldType.MULTI_SELECT)
    if is_choice and not field_in.options:
        raise BadUserInput("options: a select field needs options", field="options")
    if not is_choice and field_in.options:
        raise BadUserInput("options: only select fields take options", field="options")
    if field_in.unique and field_in.type in (FieldType.MULTI_SELECT, FieldType.BOOLEAN):
        raise BadUserInput(f"unique: not supported for {field_in.type} fields", field="unique")
    if field_in.default is None:
        return None
    spec = FieldSpec(key=field_in.key, type=field_in.type, options=tuple(field_in.options))
    region = await tenant_region(session, tenant_id=tenant_id)
    return coerce_value(spec, field_in.default, region=region, prefix="default")


async def create_custom_field(
    *, session: AsyncSession, principal: Principal, field_in: CustomFieldIn
) -> CustomFieldDefinition:
    """Define a customer field (owners and admins)."""
    principal.require(MANAGERS, "define custom fields")
    default = await _checked_definition(session, principal.tenant_id, field_in)
    row = CustomFieldDefinition(
        id=uuid.uuid4(),
        tenant_id=principal.tenant_id,
        key=field_in.key,
        label=field_in.label,
        type=field_in.type.value,
        required=field_in.required,
        unique=field_in.unique,
        default=default,
        options=list(field_in.options),
        position=field_in.position,
    )
    session.add(row)
    await flush_or_conflict(session, f"custom field {field_in.key!r} already exists")
    await session.refresh(row)
    return row


async def update_custom_field(
    *, session: AsyncSession, principal: Principal, field_id: uuid.UUID, field_in: CustomFieldIn
) -> CustomFieldDefinition:
    """Change a field's label, rules or options; its key and type are fixed once created."""
    principal.require(MANAGERS, "define custom fields")
    row = await get_custom_field(session=session, principal=principal, field_id=field_id)
    if field_in.key != row.key or field_in.type.value != row.type:
        raise BadUserInput("key and type of a custom field cannot change", field="key")
    row.default = await _checked_definition(session, principal.tenant_id, field_in)
    row.label = field_in.label
    row.required = field_in.required
    row.unique = field_in.unique
    row.options = list(field_in.options)
    row.position = field_in.position
    await session.flush()
    await session.refresh(row)
    return row


async def delete_custom_field(
    *, session: AsyncSession, principal: Principal, field_id: uuid.UUID
) -> uuid.UUID:
    """Remove a field definition; stored values are ignored from then on."""
    principal.require(MANAGERS, "define custom fields")
    row = await get_custom_field(session=session, principal=principal, field_id=field_id)
    await session.delete(row)
    await session.flush()
    return field_id
