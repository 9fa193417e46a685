"""Bulk look-ups and writes of CSV imports. Tenant tables are always read through ``scoped``."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import String, bindparam, cast, func, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.crm.models import Customer, CustomerPhone
from tenants.database.scoping import scoped

# --- bulk look-ups for imports --------------------------------------------------------------
#
# During a large import the tables grow inside one transaction, before any ANALYZE: the
# planner then believes the tenant has about one row, and every index that starts with
# ``tenant_id`` looks equally cheap. A per-key ``LATERAL`` probe then ran on whichever it
# picked (often ``(tenant_id, category_id)``), scanning all of the tenant's rows once per
# key: quadratic in the import's size. One ``= ANY(keys)`` statement per chunk costs, at
# worst, one pass over the tenant's rows per chunk, and one unique-index probe per key
# once statistics are fresh.


async def plan_each_import_statement(session: AsyncSession) -> None:
    """Plan the look-ups with their actual keys for the rest of this transaction.

    A prepared statement run five times may switch to a generic plan, in which the key
    array is an opaque parameter: ``= ANY`` then compares every scanned row with every
    key instead of hashing the keys, which made large imports quadratic.
    """
    await session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def _any(column: Any, values: Sequence[Any], type_: Any) -> Any:
    return column == func.any(
        cast(bindparam("keys", value=list(values), type_=ARRAY(type_)), ARRAY(type_))
    )


async def import_customers_by_external_id(
    session: AsyncSession, *, tenant_id: uuid.UUID, external_ids: Sequence[str]
) -> dict[str, uuid.UUID]:
    """External id → customer id for those that exist."""
    rows = await session.execute(
        scoped(select(Customer.external_id, Customer.id), tenant_id).where(
            _any(Customer.external_id, external_ids, String)
        )
    )
    return {external: customer_id for external, customer_id in rows}


async def import_phone_holders(
    session: AsyncSession, *, tenant_id: uuid.UUID, numbers: Sequence[str]
) -> dict[str, uuid.UUID]:
    """E.164 → the id of the customer holding it, for those of ``numbers`` that are held.

    No join to customers: with stale statistics the planner drove such a join from every
    customer of the tenant. Callers read the holders by id (``import_customers_by_ids``).
    """
    rows = await session.execute(
        scoped(select(CustomerPhone.e164, CustomerPhone.customer_id), tenant_id).where(
            _any(CustomerPhone.e164, numbers, String)
        )
    )
    return {e164: customer_id for e164, customer_id in rows}


async def import_customers_by_ids(
    session: AsyncSession, *, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Customer]:
    """Customers by id (primary-key probes)."""
    statement = scoped(select(Customer), tenant_id).where(
        _any(Customer.id, ids, PG_UUID(as_uuid=True))
    )
    return {row.id: row for row in await session.scalars(statement)}


async def import_phones_of(
    session: AsyncSession, *, tenant_id: uuid.UUID, customer_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[str]]:
    """Each customer's E.164 numbers in order."""
    rows = await session.execute(
        scoped(select(CustomerPhone.customer_id, CustomerPhone.e164), tenant_id)
        .where(_any(CustomerPhone.customer_id, customer_ids, PG_UUID(as_uuid=True)))
        .order_by(CustomerPhone.customer_id, CustomerPhone.position)
    )
    result: dict[uuid.UUID, list[str]] = {cid: [] for cid in customer_ids}
    for customer_id, e164 in rows:
        result[customer_id].append(e164)
    return result


def _json_default(value: Any) -> Any:
    if isinstance(value, uuid.UUID | datetime):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


async def import_insert(
    session: AsyncSession,
    *,
    model: type[Customer] | type[CustomerPhone],
    rows: list[dict[str, Any]],
) -> None:
    """Insert ``rows`` (dicts with the same keys, each a column) in one statement.

    The rows travel as one JSON array that ``jsonb_populate_recordset`` expands: a
    statement per chunk instead of a round of executions per row (and COPY refuses
    tables under row-level security, whose insert check still applies here).
    """
    if not rows:
        return
    table = model.__table__
    columns = [table.c[name].name for name in rows[0]]
    names = ", ".join(columns)
    statement = text(
        f"INSERT INTO {table.name} ({names}) SELECT {names} "  # noqa: S608 - model names only
        f"FROM jsonb_populate_recordset(NULL::{table.name}, CAST(:rows AS jsonb))"
    )
    await session.execute(statement, {"rows": json.dumps(rows, default=_json_default)})
