"""CSV import of customers: column mapping, dry run, per-row errors, idempotent upserts.

Rows are matched to existing customers by external id when the file maps one, else by
any of their phone numbers, so importing the same file twice changes nothing the second
time. A bad row is reported and skipped whole. Rows are written in chunks: each chunk is
validated in Python, looked up with two queries and written with bulk statements inside
a savepoint; if the database still refuses the chunk (a concurrent writer claimed a
number), the chunk is replayed row by row, each in its own savepoint.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.crm.categories import repository as categories_repository
from tenants.crm.custom_fields import repository as custom_fields_repository
from tenants.crm.custom_fields import service as custom_fields_service
from tenants.crm.custom_fields.values import validate_values
from tenants.crm.customers import repository as customers_repository
from tenants.crm.imports import repository as imports_repository
from tenants.crm.imports.rows import (
    CHUNK_SIZE,
    ImportReport,
    RowError,
    _Context,
    _parse_row,
    _Row,
    parse_mapping,
)
from tenants.crm.models import Customer, CustomerPhone
from tenants.crm.settings import service as settings_service
from tenants.database.scoping import scoped
from tenants.errors import BadUserInput, Conflict, DomainError
from tenants.identity.models import User
from tenants.identity.principal import Principal
from tenants.identity.roles import SUPERVISORS


async def _load_context(
    session: AsyncSession, tenant_id: uuid.UUID, columns: dict[int, str]
) -> _Context:
    await settings_service.ensure_defaults(session, tenant_id=tenant_id)
    categories = await categories_repository.list_categories(session, tenant_id=tenant_id)
    definitions = await custom_fields_repository.list_custom_fields(session, tenant_id=tenant_id)
    owners: dict[str, uuid.UUID] = {}
    if "owner_email" in columns.values():
        users = await session.execute(
            scoped(select(User.id, User.email), tenant_id).where(User.active.is_(True))
        )
        owners = {email.lower(): user_id for user_id, email in users}
    return _Context(
        tenant_id=tenant_id,
        region=await settings_service.tenant_region(session, tenant_id=tenant_id),
        categories={c.name.lower(): c.id for c in categories},
        specs={d.key: custom_fields_service.spec_of(d) for d in definitions},
        owners=owners,
        columns=columns,
    )


@dataclass
class _Plan:
    """The writes one chunk needs."""

    creates: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    new_phones: list[dict[str, Any]] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    outcomes: list[tuple[int, str]] = field(default_factory=list)


class _Matcher:
    """Finds the customer a row refers to, across the database and earlier rows."""

    def __init__(self) -> None:
        self.by_external: dict[str, uuid.UUID] = {}
        self.by_phone: dict[str, tuple[uuid.UUID, str]] = {}
        self.state: dict[uuid.UUID, dict[str, Any]] = {}
        self.unique_values: dict[tuple[str, str], uuid.UUID] = {}

    async def preload(self, session: AsyncSession, tenant_id: uuid.UUID, rows: list[_Row]) -> None:
        externals = [
            r.external_id for r in rows if r.external_id and r.external_id not in self.by_external
        ]
        numbers = [e for r in rows for e, _ in r.phones if e not in self.by_phone]
        ids: set[uuid.UUID] = set()
        if externals:
            found = await imports_repository.import_customers_by_external_id(
                session, tenant_id=tenant_id, external_ids=externals
            )
            self.by_external.update(found)
            ids.update(found.values())
        holders: dict[str, uuid.UUID] = {}
        if numbers:
            holders = await imports_repository.import_phone_holders(
                session, tenant_id=tenant_id, numbers=numbers
            )
            ids.update(holders.values())
        missing = [i for i in ids if i not in self.state]
        if missing:
            rows_found = await imports_repository.import_customers_by_ids(
                session, tenant_id=tenant_id, ids=missing
            )
            owned = await imports_repository.import_phones_of(
                session, tenant_id=tenant_id, customer_ids=missing
            )
            for customer_id, customer in rows_found.items():
                self.state[customer_id] = {
                    "name": customer.name,
                    "company": customer.company,
                    "emails": list(customer.emails),
                    "category_id": customer.category_id,
                    "tags": list(customer.tags),
                    "notes": customer.notes,
                    "external_id": customer.external_id,
                    "owner_id": customer.owner_id,
                    "custom_fields": dict(customer.custom_fields),
                    "phones": owned.get(customer_id, []),
                }
        for e164, customer_id in holders.items():
            self.by_phone[e164] = (customer_id, self.state.get(customer_id, {}).get("name", ""))

    def match(self, row: _Row) -> uuid.UUID | None:
        by_external = self.by_external.get(row.external_id) if row.external_id else None
        holders = {
            self.by_phone[e][0]: self.by_phone[e][1] for e, _ in row.phones if e in self.by_phone
        }
        target = by_external
        if target is None and holders:
            if len(holders) > 1:
                names = ", ".join(repr(n) for n in sorted(holders.values()))
                raise Conflict(
                    f"phone: numbers belong to different customers {names}", field="phone"
                )
            target = next(iter(holders))
            held_by = self.state.get(target, {}).get("external_id")
            if row.external_id and held_by and held_by != row.external_id:
                raise Conflict(
                    f"phone: a number already belongs to customer {holders[target]!r} "
                    f"(external id {held_by!r})",
                    field="phone",
                )
        for holder, name in holders.items():
            if holder != target:
                raise Conflict(
                    f"phone: a number already belongs to customer {name!r}", field="phone"
                )
        return target


def _merged(ctx: _Context, row: _Row, current: dict[str, Any] | None) -> dict[str, Any]:
    """The customer's full state after applying ``row`` over ``current``."""
    base = current or {
        "name": "",
        "company": None,
        "emails": [],
        "category_id": None,
        "tags": [],
        "notes": "",
        "external_id": None,
        "owner_id": None,
        "custom_fields": {},
        "phones": [],
    }
    state = dict(base)
    state["name"] = row.name
    if "company" in row.mapped and row.company is not None:
        state["company"] = row.company
    if row.emails:
        state["emails"] = list(dict.fromkeys([*base["emails"], *row.emails]))
    if row.category_id is not None:
        state["category_id"] = row.category_id
    if row.tags:
        state["tags"] = list(dict.fromkeys([*base["tags"], *row.tags]))
    if row.notes is not None:
        state["notes"] = row.notes
    if row.external_id is not None:
        state["external_id"] = row.external_id
    if row.owner_id is not None:
        state["owner_id"] = row.owner_id
    state["custom_fields"] = validate_values(
        ctx.specs.values(),
        row.custom,
        region=ctx.region,
        existing=None if current is None else dict(base["custom_fields"]),
    )
    state["phones"] = list(dict.fromkeys([*base["phones"], *(e for e, _ in row.phones)]))
    return state


async def _check_unique(
    session: AsyncSession,
    ctx: _Context,
    matcher: _Matcher,
    customer_id: uuid.UUID,
    state: dict[str, Any],
) -> None:
    for spec in ctx.specs.values():
        value = state["custom_fields"].get(spec.key)
        if not spec.unique or value is None:
            continue
        key = (spec.key, repr(value))
        holder = matcher.unique_values.get(key)
        if holder is None:
            name = await customers_repository.custom_value_taken(
                session,
                tenant_id=ctx.tenant_id,
                key=spec.key,
                value=value,
                except_customer=customer_id,
            )
            if name is not None:
                raise Conflict(
                    f"customFields.{spec.key}: value already used by customer {name!r}",
                    field=f"customFields.{spec.key}",
                )
        elif holder != customer_id:
            raise Conflict(
                f"customFields.{spec.key}: value already used in this file",
                field=f"customFields.{spec.key}",
            )
        matcher.unique_values[key] = customer_id


async def _plan_row(
    session: AsyncSession, ctx: _Context, matcher: _Matcher, row: _Row, plan: _Plan
) -> None:
    target = matcher.match(row)
    current = matcher.state.get(target) if target else None
    state = _merged(ctx, row, current)
    customer_id = target or uuid.uuid4()
    await _check_unique(session, ctx, matcher, customer_id, state)
    raw_by_e164 = dict(row.phones)
    known = set(current["phones"]) if current else set()
    for position, e164 in enumerate(state["phones"]):
        if e164 not in known:
            plan.new_phones.append(
                {
                    "id": uuid.uuid4(),
                    "tenant_id": ctx.tenant_id,
                    "customer_id": customer_id,
                    "e164": e164,
                    "raw": raw_by_e164.get(e164, e164),
                    "position": position,
                }
            )
            matcher.by_phone[e164] = (customer_id, state["name"])
    if row.external_id:
        matcher.by_external[row.external_id] = customer_id
    columns = {k: v for k, v in state.items() if k != "phones"}
    if current is None:
        plan.creates.append({"id": customer_id, "tenant_id": ctx.tenant_id, **columns})
        plan.created += 1
        plan.outcomes.append((row.number, "created"))
    elif state != current:
        plan.updates.append({"id": customer_id, **columns})
        plan.updated += 1
        plan.outcomes.append((row.number, "updated"))
    else:
        plan.unchanged += 1
        plan.outcomes.append((row.number, "unchanged"))
    matcher.state[customer_id] = state


async def _write(session: AsyncSession, tenant_id: uuid.UUID, plan: _Plan) -> None:
    await imports_repository.import_insert(session, model=Customer, rows=plan.creates)
    for values in plan.updates:
        customer_id = values["id"]
        await session.execute(
            scoped(update(Customer), tenant_id)
            .where(Customer.id == customer_id)
            .values({**{k: v for k, v in values.items() if k != "id"}, "updated_at": func.now()})
        )
    await imports_repository.import_insert(session, model=CustomerPhone, rows=plan.new_phones)


async def _import_chunk(
    session: AsyncSession,
    ctx: _Context,
    matcher: _Matcher,
    rows: list[_Row],
    report: ImportReport,
) -> None:
    await matcher.preload(session, ctx.tenant_id, rows)
    snapshot = (
        dict(matcher.by_external),
        dict(matcher.by_phone),
        dict(matcher.state),
        dict(matcher.unique_values),
    )
    plan = _Plan()
    failed: list[RowError] = []
    for row in rows:
        row_plan = _Plan()
        try:
            await _plan_row(session, ctx, matcher, row, row_plan)
        except DomainError as err:
            failed.append(RowError(row=row.number, message=err.message, field=err.field))
            continue
        plan.creates += row_plan.creates
        plan.updates += row_plan.updates
        plan.new_phones += row_plan.new_phones
        plan.created += row_plan.created
        plan.updated += row_plan.updated
        plan.unchanged += row_plan.unchanged
        plan.outcomes += row_plan.outcomes
    try:
        async with session.begin_nested():
            await _write(session, ctx.tenant_id, plan)
    except IntegrityError:
        # A concurrent writer took a number or external id since we looked: replay the
        # chunk row by row so only the rows that now conflict are skipped.
        (matcher.by_external, matcher.by_phone, matcher.state, matcher.unique_values) = snapshot
        await _replay_rows(session, ctx, matcher, rows, report)
        return
    for error in failed:
        report.fail(error)
    report.count(plan)


async def _replay_rows(
    session: AsyncSession, ctx: _Context, matcher: _Matcher, rows: list[_Row], report: ImportReport
) -> None:
    for row in rows:
        matcher.by_external.clear()
        matcher.by_phone.clear()
        matcher.state.clear()
        await matcher.preload(session, ctx.tenant_id, [row])
        plan = _Plan()
        try:
            await _plan_row(session, ctx, matcher, row, plan)
            async with session.begin_nested():
                await _write(session, ctx.tenant_id, plan)
        except DomainError as err:
            report.fail(RowError(row=row.number, message=err.message, field=err.field))
            continue
        except IntegrityError:
            report.fail(RowError(row=row.number, message="conflicts with a concurrent change"))
            continue
        report.count(plan)


def _chunks(items: Iterable[_Row], size: int) -> Iterator[list[_Row]]:
    chunk: list[_Row] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


async def import_customers(
    *,
    session: AsyncSession,
    principal: Principal,
    csv_text: str,
    mapping: dict[str, str],
    dry_run: bool,
    on_progress: Callable[[int], Any] | None = None,
) -> ImportReport:
    """Import customers from CSV text (supervisors, admins, owners).

    ``mapping`` maps column names to fields: name, company, email, phone, category, tags,
    notes, external_id, owner_email or ``custom:<key>``. Cells holding several emails,
    phones, tags or multi-select options separate them with ``;``. A dry run reports
    exactly what a real run would do and writes nothing.
    """
    principal.require(SUPERVISORS, "import customers")
    reader = csv.reader(io.StringIO(csv_text.lstrip("\ufeff")))
    try:
        header = next(reader)
    except StopIteration:
        raise BadUserInput("csv: the file is empty", field="csv") from None
    except csv.Error as err:
        raise BadUserInput(f"csv: {err}", field="csv") from None
    columns = parse_mapping(mapping, header)
    report = ImportReport(dry_run=dry_run)
    await imports_repository.plan_each_import_statement(session)
    outer = await session.begin_nested()
    ctx = await _load_context(session, principal.tenant_id, columns)
    matcher = _Matcher()

    def parsed() -> Iterator[_Row]:
        number = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                number += 1
                report.rows += 1
                report.fail(RowError(row=number, message=f"csv: {err}"))
                continue
            number += 1
            if not any(cell.strip() for cell in cells):
                continue
            report.rows += 1
            try:
                yield _parse_row(ctx, number, cells)
            except DomainError as err:
                report.fail(RowError(row=number, message=err.message, field=err.field))

    for chunk in _chunks(parsed(), CHUNK_SIZE):
        await _import_chunk(session, ctx, matcher, chunk, report)
        if on_progress is not None:
            await on_progress(report.rows)
    if dry_run:
        await outer.rollback()
    else:
        await outer.commit()
    report.errors.sort(key=lambda e: e.row)
    report.outcomes.sort()
    return report
