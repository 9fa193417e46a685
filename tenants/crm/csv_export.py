"""CSV export of customers: a filtered list streamed in keyset batches."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import and_, or_
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.crm.categories import repository as categories_repository
from tenants.crm.custom_fields import repository as custom_fields_repository
from tenants.crm.customers import repository as customers_repository
from tenants.crm.imports.rows import CUSTOM_PREFIX, MULTI_SEPARATOR
from tenants.crm.models import Customer
from tenants.identity import repository as identity_repository

BATCH_SIZE = 1000
BASE_COLUMNS = [
    "id",
    "external_id",
    "name",
    "company",
    "email",
    "phone",
    "category",
    "tags",
    "owner_email",
    "notes",
    "created_at",
]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return MULTI_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _line(values: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values)
    return buffer.getvalue()


async def export_customers(
    *, session: AsyncSession, tenant_id: uuid.UUID, query: customers_repository.CustomerQuery
) -> AsyncIterator[str]:
    """CSV lines (header first) of the customers matching ``query``, oldest first.

    Columns match what ``import_customers`` reads, so an export re-imports unchanged.
    """
    fields = [
        d.key
        for d in await custom_fields_repository.list_custom_fields(session, tenant_id=tenant_id)
    ]
    categories = {
        c.id: c.name
        for c in await categories_repository.list_categories(session, tenant_id=tenant_id)
    }
    yield _line(BASE_COLUMNS + [f"{CUSTOM_PREFIX}{key}" for key in fields])
    base = customers_repository.export_statement(tenant_id, query)
    last: tuple[Any, uuid.UUID] | None = None
    while True:
        statement = base
        if last is not None:
            statement = statement.where(
                or_(
                    Customer.created_at > last[0],
                    and_(Customer.created_at == last[0], Customer.id > last[1]),
                )
            )
        rows = list(await session.scalars(statement.limit(BATCH_SIZE)))
        if not rows:
            return
        ids = [r.id for r in rows]
        phones = await customers_repository.phones_of(
            session, tenant_id=tenant_id, customer_ids=ids
        )
        owner_ids = list({r.owner_id for r in rows if r.owner_id})
        owners = await identity_repository.users_by_ids(session, tenant_id=tenant_id, ids=owner_ids)
        chunk = io.StringIO()
        writer = csv.writer(chunk)
        for row in rows:
            owner = owners.get(row.owner_id) if row.owner_id else None
            writer.writerow(
                [
                    str(row.id),
                    _cell(row.external_id),
                    row.name,
                    _cell(row.company),
                    _cell(list(row.emails)),
                    _cell([p.raw for p in phones.get(row.id, [])]),
                    _cell(categories.get(row.category_id) if row.category_id else None),
                    _cell(list(row.tags)),
                    _cell(owner.email if owner else None),
                    row.notes,
                    row.created_at.isoformat(),
                ]
                + [_cell(row.custom_fields.get(key)) for key in fields]
            )
        yield chunk.getvalue()
        last = (rows[-1].created_at, rows[-1].id)
