"""CRM use cases: settings, categories, custom fields, customers and caller lookup.

Services flush, never commit: the edge that opened the transaction commits it.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.crm import phones
from tenants.crm.categories import repository as categories_repository
from tenants.crm.custom_fields import repository as custom_fields_repository
from tenants.crm.custom_fields.values import FieldSpec, FieldType, coerce_value, validate_values
from tenants.crm.customers import repository as customers_repository
from tenants.crm.models import (
    CrmSettings,
    Customer,
    CustomerCategory,
    CustomerNote,
    CustomFieldDefinition,
)
from tenants.crm.schemas import (
    CategoryIn,
    CrmSettingsIn,
    CustomerCreateIn,
    CustomerFilterIn,
    CustomerSort,
    CustomerUpdateIn,
    CustomFieldIn,
)
from tenants.crm.settings import repository as settings_repository
from tenants.database.pagination import Page, PageRequest
from tenants.database.session import bind_tenant
from tenants.errors import BadUserInput, Conflict, NotFound
from tenants.identity import repository as identity_repository
from tenants.identity.principal import Principal
from tenants.identity.roles import MANAGERS, SUPERVISORS

DEFAULT_REGION = "US"


async def _flush_or_conflict(session: AsyncSession, message: str) -> None:
    try:
        await session.flush()
    except IntegrityError as err:
        raise Conflict(message) from err


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


# --- settings -----------------------------------------------------------------------------


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


# --- categories ---------------------------------------------------------------------------


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
    await _flush_or_conflict(session, f"category {category_in.name!r} already exists")
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
    await _flush_or_conflict(session, f"category {category_in.name!r} already exists")
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


# --- custom fields ------------------------------------------------------------------------


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
    await _flush_or_conflict(session, f"custom field {field_in.key!r} already exists")
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


# --- customers ----------------------------------------------------------------------------


async def get_customer(
    *, session: AsyncSession, principal: Principal, customer_id: uuid.UUID
) -> Customer:
    """One customer of the caller's tenant."""
    row = await customers_repository.customer_by_id(
        session, tenant_id=principal.tenant_id, customer_id=customer_id
    )
    if row is None:
        raise NotFound("customer not found")
    return row


async def _category_id(session: AsyncSession, tenant_id: uuid.UUID, name: str) -> uuid.UUID:
    await ensure_defaults(session, tenant_id=tenant_id)
    row = await categories_repository.category_by_name(session, tenant_id=tenant_id, name=name)
    if row is None:
        raise BadUserInput(f"category: unknown category {name!r}", field="category")
    return row.id


async def _owner_id(session: AsyncSession, tenant_id: uuid.UUID, owner_id: uuid.UUID) -> uuid.UUID:
    user = await identity_repository.user_by_id(session, tenant_id=tenant_id, user_id=owner_id)
    if user is None or not user.active:
        raise BadUserInput("ownerId: no such active user", field="ownerId")
    return user.id


async def _normalised_phones(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    raws: Sequence[str],
    *,
    region: str,
    customer_id: uuid.UUID | None,
) -> list[tuple[str, str]]:
    pairs: dict[str, str] = {}
    for raw in raws:
        pairs.setdefault(phones.normalise(raw, region=region), raw)
    if pairs:
        holders = await customers_repository.phone_holders(
            session, tenant_id=tenant_id, numbers=list(pairs)
        )
        for holder in holders:
            if holder.customer_id != customer_id:
                raise Conflict(
                    f"phone {holder.e164} already belongs to customer {holder.customer_name!r} "
                    f"({holder.customer_id})",
                    field="phones",
                )
    return list(pairs.items())


async def _custom_values(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    values: dict[str, Any] | None,
    *,
    region: str,
    existing: dict[str, Any] | None,
    customer_id: uuid.UUID | None,
) -> dict[str, Any]:
    definitions = await custom_fields_repository.list_custom_fields(session, tenant_id=tenant_id)
    specs = [spec_of(d) for d in definitions]
    result = validate_values(specs, values, region=region, existing=existing)
    for spec in specs:
        if not spec.unique or spec.key not in result:
            continue
        if existing is not None and existing.get(spec.key) == result[spec.key]:
            continue
        # Serialise writers of one unique field so two concurrent claims cannot both pass.
        await session.execute(
            select(func.pg_advisory_xact_lock(func.hashtext(f"crm-unique:{tenant_id}:{spec.key}")))
        )
        holder = await customers_repository.custom_value_taken(
            session,
            tenant_id=tenant_id,
            key=spec.key,
            value=result[spec.key],
            except_customer=customer_id,
        )
        if holder is not None:
            raise Conflict(
                f"customFields.{spec.key}: value already used by customer {holder!r}",
                field=f"customFields.{spec.key}",
            )
    return result


async def create_customer(
    *, session: AsyncSession, principal: Principal, customer_in: CustomerCreateIn
) -> Customer:
    """Add a customer with its phones (a number already held is a CONFLICT naming the holder)."""
    tenant_id = principal.tenant_id
    region = await tenant_region(session, tenant_id=tenant_id)
    category_id = (
        await _category_id(session, tenant_id, customer_in.category)
        if customer_in.category
        else None
    )
    owner_id = (
        await _owner_id(session, tenant_id, customer_in.owner_id) if customer_in.owner_id else None
    )
    phone_pairs = await _normalised_phones(
        session, tenant_id, customer_in.phones, region=region, customer_id=None
    )
    custom = await _custom_values(
        session,
        tenant_id,
        customer_in.custom_fields,
        region=region,
        existing=None,
        customer_id=None,
    )
    if customer_in.external_id and await customers_repository.customer_by_external_id(
        session, tenant_id=tenant_id, external_id=customer_in.external_id
    ):
        raise Conflict(
            f"external id {customer_in.external_id!r} is already used", field="externalId"
        )
    customer = Customer(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        name=customer_in.name,
        company=customer_in.company,
        emails=list(dict.fromkeys(customer_in.emails)),
        category_id=category_id,
        tags=list(dict.fromkeys(customer_in.tags)),
        owner_id=owner_id,
        notes=customer_in.notes,
        custom_fields=custom,
        external_id=customer_in.external_id,
    )
    session.add(customer)
    await _flush_or_conflict(session, "customer conflicts with an existing one")
    await customers_repository.replace_phones(
        session, tenant_id=tenant_id, customer_id=customer.id, phones=phone_pairs
    )
    await _flush_or_conflict(session, "a phone number already belongs to another customer")
    await session.refresh(customer)
    return customer


async def update_customer(
    *,
    session: AsyncSession,
    principal: Principal,
    customer_id: uuid.UUID,
    customer_in: CustomerUpdateIn,
) -> Customer:
    """Change a customer; ``phones`` when given replaces the whole set."""
    tenant_id = principal.tenant_id
    customer = await get_customer(session=session, principal=principal, customer_id=customer_id)
    region = await tenant_region(session, tenant_id=tenant_id)
    if customer_in.name is not None:
        customer.name = customer_in.name
    if customer_in.company is not None:
        customer.company = customer_in.company or None
    if customer_in.emails is not None:
        customer.emails = list(dict.fromkeys(customer_in.emails))
    if customer_in.clear_category:
        customer.category_id = None
    elif customer_in.category is not None:
        customer.category_id = await _category_id(session, tenant_id, customer_in.category)
    if customer_in.tags is not None:
        customer.tags = list(dict.fromkeys(customer_in.tags))
    if customer_in.clear_owner:
        customer.owner_id = None
    elif customer_in.owner_id is not None:
        customer.owner_id = await _owner_id(session, tenant_id, customer_in.owner_id)
    if customer_in.notes is not None:
        customer.notes = customer_in.notes
    if customer_in.external_id is not None and customer_in.external_id != customer.external_id:
        other = await customers_repository.customer_by_external_id(
            session, tenant_id=tenant_id, external_id=customer_in.external_id
        )
        if other is not None:
            raise Conflict(
                f"external id {customer_in.external_id!r} is already used", field="externalId"
            )
        customer.external_id = customer_in.external_id
    if customer_in.custom_fields is not None:
        customer.custom_fields = await _custom_values(
            session,
            tenant_id,
            customer_in.custom_fields,
            region=region,
            existing=dict(customer.custom_fields),
            customer_id=customer.id,
        )
    if customer_in.phones is not None:
        pairs = await _normalised_phones(
            session, tenant_id, customer_in.phones, region=region, customer_id=customer.id
        )
        await customers_repository.replace_phones(
            session, tenant_id=tenant_id, customer_id=customer.id, phones=pairs
        )
    await _flush_or_conflict(session, "customer conflicts with an existing one")
    await session.refresh(customer)
    return customer


async def delete_customer(
    *, session: AsyncSession, principal: Principal, customer_id: uuid.UUID
) -> uuid.UUID:
    """Remove a customer and its phones (supervisors, admins, owners)."""
    principal.require(SUPERVISORS, "delete customers")
    customer = await get_customer(session=session, principal=principal, customer_id=customer_id)
    await session.delete(customer)
    await session.flush()
    return customer_id


async def resolve_filter(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    filter_in: CustomerFilterIn | None,
    principal_user_id: uuid.UUID | None = None,
) -> customers_repository.CustomerQuery:
    """A filter with its phone normalised and its category and fields resolved."""
    if filter_in is None:
        return customers_repository.CustomerQuery()
    e164 = None
    if filter_in.phone:
        region = await tenant_region(session, tenant_id=tenant_id)
        e164 = phones.normalise(filter_in.phone, region=region, field="filter.phone")
    category_id = None
    if filter_in.category:
        row = await categories_repository.category_by_name(
            session, tenant_id=tenant_id, name=filter_in.category
        )
        if row is None:
            raise BadUserInput(
                f"filter.category: unknown category {filter_in.category!r}", field="filter.category"
            )
        category_id = row.id
    custom = None
    if filter_in.custom_fields:
        definitions = {
            d.key: spec_of(d)
            for d in await custom_fields_repository.list_custom_fields(session, tenant_id=tenant_id)
        }
        region = await tenant_region(session, tenant_id=tenant_id)
        custom = {}
        for key, value in filter_in.custom_fields.items():
            spec = definitions.get(key)
            if spec is None:
                raise BadUserInput(
                    f"filter.customFields.{key}: no such field", field=f"filter.customFields.{key}"
                )
            if spec.type is FieldType.MULTI_SELECT and isinstance(value, str):
                value = [value]
            custom[key] = coerce_value(spec, value, region=region, prefix="filter.customFields")
    owner_id = filter_in.owner_id
    if filter_in.mine:
        if principal_user_id is None:
            raise BadUserInput(
                "filter.mine: only a signed-in user has customers", field="filter.mine"
            )
        if owner_id is not None and owner_id != principal_user_id:
            raise BadUserInput("filter: mine and ownerId disagree", field="filter.mine")
        owner_id = principal_user_id
    return customers_repository.CustomerQuery(
        name_prefix=filter_in.name_prefix,
        e164=e164,
        category_id=category_id,
        tag=filter_in.tag,
        owner_id=owner_id,
        custom_fields=custom,
        updated_since=filter_in.updated_since,
    )


async def list_customers(
    *,
    session: AsyncSession,
    principal: Principal,
    filter_in: CustomerFilterIn | None,
    page: PageRequest,
    sort: CustomerSort = CustomerSort.CREATED_AT,
    descending: bool = False,
) -> Page[Customer]:
    """A filtered, sorted keyset page of the tenant's customers."""
    query = await resolve_filter(
        session,
        tenant_id=principal.tenant_id,
        filter_in=filter_in,
        principal_user_id=principal.user_id,
    )
    return await customers_repository.list_customers(
        session,
        tenant_id=principal.tenant_id,
        query=query,
        sort=sort,
        descending=descending,
        first=page.first,
        after=page.after,
    )


async def assign_customers(
    *,
    session: AsyncSession,
    principal: Principal,
    owner_id: uuid.UUID | None,
    customer_ids: Sequence[uuid.UUID] | None,
    filter_in: CustomerFilterIn | None,
) -> int:
    """Give customers (by ids, by filter, or both) to an owner, or none; returns how many.

    Supervisors, admins and owners only. Without ids or a filter nothing is assigned:
    a bulk change of every customer must be asked for with an explicit (empty) filter.
    """
    principal.require(SUPERVISORS, "assign customers")
    if customer_ids is None and filter_in is None:
        raise BadUserInput("give ids or a filter", field="ids")
    if owner_id is not None:
        owner_id = await _owner_id(session, principal.tenant_id, owner_id)
    query = await resolve_filter(
        session,
        tenant_id=principal.tenant_id,
        filter_in=filter_in,
        principal_user_id=principal.user_id,
    )
    return await customers_repository.assign_owner(
        session, tenant_id=principal.tenant_id, query=query, ids=customer_ids, owner_id=owner_id
    )


async def find_by_number(
    *, session: AsyncSession, principal: Principal, number: str
) -> tuple[str, Customer | None]:
    """``(e164, holder)`` for any spelling of a number; BAD_USER_INPUT when it is no number."""
    e164 = await caller_e164(session=session, principal=principal, number=number)
    customer = await customers_repository.customer_by_e164(
        session, tenant_id=principal.tenant_id, e164=e164
    )
    return e164, customer


async def caller_e164(*, session: AsyncSession, principal: Principal, number: str) -> str:
    """Any spelling of ``number`` in E.164 (read with the tenant's region); BAD_USER_INPUT
    quoting it when it is no number."""
    region = (
        DEFAULT_REGION
        if _is_international(number)
        else await tenant_region(session, tenant_id=principal.tenant_id)
    )
    return phones.normalise(number, region=region, field="number")


def _is_international(number: str) -> bool:
    value = number.strip()
    if value[:4].lower() == "tel:":
        value = value[4:].strip()
    return value.startswith(("+", "00"))


async def add_note(
    *, session: AsyncSession, principal: Principal, customer_id: uuid.UUID, body: str
) -> CustomerNote:
    """Add a dated note to a customer's timeline."""
    text = body.strip()
    if not text or len(text) > 20_000:
        raise BadUserInput("body: between 1 and 20000 characters", field="body")
    customer = await get_customer(session=session, principal=principal, customer_id=customer_id)
    note = CustomerNote(
        id=uuid.uuid4(),
        tenant_id=principal.tenant_id,
        customer_id=customer.id,
        author_id=principal.user_id,
        body=text,
    )
    session.add(note)
    await session.flush()
    await session.refresh(note)
    return note


async def get_note(
    *, session: AsyncSession, principal: Principal, note_id: uuid.UUID
) -> CustomerNote:
    """One customer note of the tenant."""
    note = await customers_repository.note_by_id(
        session, tenant_id=principal.tenant_id, note_id=note_id
    )
    if note is None:
        raise NotFound("note not found")
    return note


# --- routing ------------------------------------------------------------------------------


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
    *, session: AsyncSession, tenant_id: uuid.UUID, number: str
) -> CallerInfo:
    """Who is calling ``tenant_id`` from ``number``, for routing at call ingress.

    Binds the session to the tenant (``SET LOCAL``). Never raises for a bad number:
    anonymous or garbled caller ids are simply unknown callers. A category whose
    routing is ``priority`` (VIP by default) makes a VIP; ``reject`` (blacklist) blocks.
    """
    await bind_tenant(session, tenant_id)
    if _is_international(number):
        region = DEFAULT_REGION
    else:
        region = await tenant_region(session, tenant_id=tenant_id)
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
