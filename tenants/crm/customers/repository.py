"""Customer queries: phones, notes, owners, filtered pages and the export statement.

Tenant tables are always read through ``scoped``.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Select,
    and_,
    delete,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.crm.models import (
    Customer,
    CustomerCategory,
    CustomerNote,
    CustomerPhone,
)
from tenants.crm.schemas import CustomerSort
from tenants.database.pagination import Page
from tenants.database.scoping import scoped
from tenants.errors import BadUserInput


async def customer_by_id(
    session: AsyncSession, *, tenant_id: uuid.UUID, customer_id: uuid.UUID
) -> Customer | None:
    """One customer of the tenant."""
    return await session.scalar(
        scoped(select(Customer), tenant_id).where(Customer.id == customer_id)
    )


async def customers_by_ids(
    session: AsyncSession, *, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Customer]:
    """Customers by id (for DataLoaders)."""
    statement = scoped(select(Customer), tenant_id).where(Customer.id.in_(ids))
    return {row.id: row for row in await session.scalars(statement)}


async def customer_by_external_id(
    session: AsyncSession, *, tenant_id: uuid.UUID, external_id: str
) -> Customer | None:
    """The customer imported with this external id."""
    statement = scoped(select(Customer), tenant_id).where(Customer.external_id == external_id)
    return await session.scalar(statement)


async def phones_of(
    session: AsyncSession, *, tenant_id: uuid.UUID, customer_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[CustomerPhone]]:
    """Each customer's phones in their order (for DataLoaders)."""
    statement = (
        scoped(select(CustomerPhone), tenant_id)
        .where(CustomerPhone.customer_id.in_(customer_ids))
        .order_by(CustomerPhone.customer_id, CustomerPhone.position)
    )
    result: dict[uuid.UUID, list[CustomerPhone]] = {cid: [] for cid in customer_ids}
    for phone in await session.scalars(statement):
        result[phone.customer_id].append(phone)
    return result


@dataclass(frozen=True)
class PhoneHolder:
    """Who holds a number."""

    e164: str
    customer_id: uuid.UUID
    customer_name: str


async def phone_holders(
    session: AsyncSession, *, tenant_id: uuid.UUID, numbers: Sequence[str]
) -> list[PhoneHolder]:
    """The customers holding any of ``numbers`` (E.164)."""
    statement = (
        scoped(select(CustomerPhone.e164, Customer.id, Customer.name), tenant_id)
        .join(Customer, Customer.id == CustomerPhone.customer_id)
        .where(Customer.tenant_id == tenant_id, CustomerPhone.e164.in_(numbers))
    )
    rows = await session.execute(statement)
    return [PhoneHolder(e164=e, customer_id=cid, customer_name=name) for e, cid, name in rows]


async def customer_by_e164(
    session: AsyncSession, *, tenant_id: uuid.UUID, e164: str
) -> Customer | None:
    """The customer holding ``e164``: one probe of the unique (tenant, e164) index."""
    statement = (
        scoped(select(Customer), tenant_id)
        .join(CustomerPhone, CustomerPhone.customer_id == Customer.id)
        .where(CustomerPhone.tenant_id == tenant_id, CustomerPhone.e164 == e164)
    )
    return await session.scalar(statement)


@dataclass(frozen=True)
class CallerRow:
    """The columns routing needs at call ingress, read in one statement."""

    customer_id: uuid.UUID
    category_name: str | None
    routing: str | None


async def caller_by_e164(
    session: AsyncSession, *, tenant_id: uuid.UUID, e164: str
) -> CallerRow | None:
    """Customer id and category of the holder of ``e164`` (one indexed join)."""
    statement = (
        scoped(select(CustomerPhone.customer_id), tenant_id)
        .add_columns(CustomerCategory.name, CustomerCategory.routing)
        .join(Customer, Customer.id == CustomerPhone.customer_id)
        .outerjoin(CustomerCategory, CustomerCategory.id == Customer.category_id)
        .where(CustomerPhone.e164 == e164)
    )
    row = (await session.execute(statement)).first()
    if row is None:
        return None
    return CallerRow(customer_id=row[0], category_name=row[1], routing=row[2])


async def replace_phones(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    customer_id: uuid.UUID,
    phones: Sequence[tuple[str, str]],
) -> None:
    """Make ``(e164, raw)`` pairs the customer's phones, in this order."""
    await session.execute(
        scoped(delete(CustomerPhone), tenant_id).where(CustomerPhone.customer_id == customer_id)
    )
    for position, (e164, raw) in enumerate(phones):
        session.add(
            CustomerPhone(
                id=uuid.uuid4(),
                tenant_id=tenant_id,
                customer_id=customer_id,
                e164=e164,
                raw=raw,
                position=position,
            )
        )


async def custom_value_taken(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    key: str,
    value: Any,
    except_customer: uuid.UUID | None,
) -> str | None:
    """The name of another customer with ``value`` in field ``key``, if any (GIN ``@>``)."""
    statement = scoped(select(Customer.name), tenant_id).where(
        Customer.custom_fields.contains({key: value})
    )
    if except_customer is not None:
        statement = statement.where(Customer.id != except_customer)
    return await session.scalar(statement.limit(1))


@dataclass(frozen=True)
class CustomerQuery:
    """A resolved filter: ids and E.164 already looked up by the service."""

    name_prefix: str | None = None
    e164: str | None = None
    category_id: uuid.UUID | None = None
    tag: str | None = None
    owner_id: uuid.UUID | None = None
    custom_fields: dict[str, Any] | None = None
    updated_since: datetime | None = None


def _filtered(tenant_id: uuid.UUID, query: CustomerQuery) -> Select[Any]:
    statement = scoped(select(Customer), tenant_id)
    if query.name_prefix:
        escaped = query.name_prefix.lower().replace("\\", "\\\\").replace("%", r"\%")
        escaped = escaped.replace("_", r"\_")
        statement = statement.where(func.lower(Customer.name).like(f"{escaped}%", escape="\\"))
    if query.e164 is not None:
        statement = statement.where(
            exists().where(
                CustomerPhone.tenant_id == tenant_id,
                CustomerPhone.customer_id == Customer.id,
                CustomerPhone.e164 == query.e164,
            )
        )
    if query.category_id is not None:
        statement = statement.where(Customer.category_id == query.category_id)
    if query.tag is not None:
        statement = statement.where(Customer.tags.contains([query.tag]))
    if query.owner_id is not None:
        statement = statement.where(Customer.owner_id == query.owner_id)
    if query.custom_fields:
        statement = statement.where(Customer.custom_fields.contains(query.custom_fields))
    if query.updated_since is not None:
        statement = statement.where(Customer.updated_at >= query.updated_since)
    return statement


_SORT_COLUMNS = {
    CustomerSort.NAME: Customer.name,
    CustomerSort.CREATED_AT: Customer.created_at,
    CustomerSort.UPDATED_AT: Customer.updated_at,
}


def _encode(sort: CustomerSort, value: Any, row_id: uuid.UUID) -> str:
    raw = json.dumps(
        [sort.value, value.isoformat() if isinstance(value, datetime) else value, str(row_id)]
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(sort: CustomerSort, cursor: str) -> tuple[Any, uuid.UUID]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        kind, value, row_id = json.loads(base64.urlsafe_b64decode(padded))
        if kind != sort.value:
            raise ValueError("cursor of another sort")
        if sort is not CustomerSort.NAME:
            value = datetime.fromisoformat(value)
        return value, uuid.UUID(row_id)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as err:
        raise BadUserInput("after: invalid cursor", field="after") from err


async def list_customers(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    query: CustomerQuery,
    sort: CustomerSort,
    descending: bool,
    first: int,
    after: str | None,
) -> Page[Customer]:
    """A keyset page of customers ordered by ``(sort column, id)``."""
    column = _SORT_COLUMNS[sort]
    statement = _filtered(tenant_id, query)
    if after is not None:
        value, row_id = _decode(sort, after)
        if descending:
            statement = statement.where(
                or_(column < value, and_(column == value, Customer.id < row_id))
            )
        else:
            statement = statement.where(
                or_(column > value, and_(column == value, Customer.id > row_id))
            )
    order = (column.desc(), Customer.id.desc()) if descending else (column, Customer.id)
    rows = list(await session.scalars(statement.order_by(*order).limit(first + 1)))
    return Page(
        items=[(_encode(sort, getattr(r, column.key), r.id), r) for r in rows[:first]],
        has_next_page=len(rows) > first,
        has_previous_page=after is not None,
    )


async def assign_owner(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    query: CustomerQuery,
    ids: Sequence[uuid.UUID] | None,
    owner_id: uuid.UUID | None,
) -> int:
    """Set the owner of the customers matching ``query`` (and ``ids`` when given)."""
    matching = _filtered(tenant_id, query).with_only_columns(Customer.id)
    if ids is not None:
        matching = matching.where(Customer.id.in_(ids))
    result = await session.execute(
        scoped(update(Customer), tenant_id)
        .where(Customer.id.in_(matching.scalar_subquery()))
        .values(owner_id=owner_id, updated_at=func.now())
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)


async def notes_of(
    session: AsyncSession, *, tenant_id: uuid.UUID, customer_id: uuid.UUID, limit: int
) -> list[CustomerNote]:
    """A customer's latest notes, newest first."""
    statement = (
        scoped(select(CustomerNote), tenant_id)
        .where(CustomerNote.customer_id == customer_id)
        .order_by(CustomerNote.created_at.desc(), CustomerNote.id.desc())
        .limit(limit)
    )
    return list(await session.scalars(statement))


async def note_by_id(
    session: AsyncSession, *, tenant_id: uuid.UUID, note_id: uuid.UUID
) -> CustomerNote | None:
    """One customer note of the tenant."""
    return await session.scalar(
        scoped(select(CustomerNote), tenant_id).where(CustomerNote.id == note_id)
    )


def export_statement(tenant_id: uuid.UUID, query: CustomerQuery) -> Select[Any]:
    """Customers matching ``query`` in a stable order, for streaming export."""
    return _filtered(tenant_id, query).order_by(Customer.created_at, Customer.id)
