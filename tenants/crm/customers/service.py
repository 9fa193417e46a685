"""Customer use cases: phones, custom values, owners, filters, assignment, notes and lookup by
number.

Services flush, never commit: the edge that opened the transaction commits it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.crm import phones
from tenants.crm.categories import repository as categories_repository
from tenants.crm.custom_fields import repository as custom_fields_repository
from tenants.crm.custom_fields.service import spec_of
from tenants.crm.custom_fields.values import FieldType, coerce_value, validate_values
from tenants.crm.customers import repository as customers_repository
from tenants.crm.models import (
    Customer,
    CustomerNote,
)
from tenants.crm.schemas import (
    CustomerCreateIn,
    CustomerFilterIn,
    CustomerSort,
    CustomerUpdateIn,
)
from tenants.crm.settings.regions import RegionCache
from tenants.crm.settings.service import DEFAULT_REGION, ensure_defaults, tenant_region
from tenants.database.conflicts import flush_or_conflict
from tenants.database.pagination import Page, PageRequest
from tenants.errors import BadUserInput, Conflict, NotFound
from tenants.identity import repository as identity_repository
from tenants.identity.principal import Principal
from tenants.identity.roles import SUPERVISORS


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
    *,
    session: AsyncSession,
    principal: Principal,
    customer_in: CustomerCreateIn,
    regions: RegionCache | None = None,
) -> Customer:
    """Add a customer with its phones (a number already held is a CONFLICT naming the holder)."""
    tenant_id = principal.tenant_id
    region = await tenant_region(session, tenant_id=tenant_id, regions=regions)
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
    await flush_or_conflict(session, "customer conflicts with an existing one")
    await customers_repository.replace_phones(
        session, tenant_id=tenant_id, customer_id=customer.id, phones=phone_pairs
    )
    await flush_or_conflict(session, "a phone number already belongs to another customer")
    await session.refresh(customer)
    return customer


async def update_customer(
    *,
    session: AsyncSession,
    principal: Principal,
    customer_id: uuid.UUID,
    customer_in: CustomerUpdateIn,
    regions: RegionCache | None = None,
) -> Customer:
    """Change a customer; ``phones`` when given replaces the whole set."""
    tenant_id = principal.tenant_id
    customer = await get_customer(session=session, principal=principal, customer_id=customer_id)
    region = await tenant_region(session, tenant_id=tenant_id, regions=regions)
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
    await flush_or_conflict(session, "customer conflicts with an existing one")
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
    regions: RegionCache | None = None,
) -> customers_repository.CustomerQuery:
    """A filter with its phone normalised and its category and fields resolved."""
    if filter_in is None:
        return customers_repository.CustomerQuery()
    e164 = None
    if filter_in.phone:
        region = await tenant_region(session, tenant_id=tenant_id, regions=regions)
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
        region = await tenant_region(session, tenant_id=tenant_id, regions=regions)
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
    regions: RegionCache | None = None,
) -> Page[Customer]:
    """A filtered, sorted keyset page of the tenant's customers."""
    query = await resolve_filter(
        session,
        tenant_id=principal.tenant_id,
        filter_in=filter_in,
        principal_user_id=principal.user_id,
        regions=regions,
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
    regions: RegionCache | None = None,
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
        regions=regions,
    )
    return await customers_repository.assign_owner(
        session, tenant_id=principal.tenant_id, query=query, ids=customer_ids, owner_id=owner_id
    )


async def find_by_number(
    *, session: AsyncSession, principal: Principal, number: str, regions: RegionCache | None
) -> tuple[str, Customer | None]:
    """``(e164, holder)`` for any spelling of a number; BAD_USER_INPUT when it is no number."""
    e164 = await caller_e164(session=session, principal=principal, number=number, regions=regions)
    customer = await customers_repository.customer_by_e164(
        session, tenant_id=principal.tenant_id, e164=e164
    )
    return e164, customer


async def caller_e164(
    *, session: AsyncSession, principal: Principal, number: str, regions: RegionCache | None
) -> str:
    """Any spelling of ``number`` in E.164 (read with the tenant's region); BAD_USER_INPUT
    quoting it when it is no number.

    On the screen pop's path: pass the process's ``regions`` (None reads the database).
    """
    region = (
        DEFAULT_REGION
        if is_international(number)
        else await tenant_region(session, tenant_id=principal.tenant_id, regions=regions)
    )
    return phones.normalise(number, region=region, field="number")


def is_international(number: str) -> bool:
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
