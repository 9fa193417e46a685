"""One CSV row of a customer import, read and checked against the tenant's categories, custom
fields and owners; and the report of what an import did."""

from __future__ import annotations

import functools
import re
import uuid
from dataclasses import dataclass, field
from typing import Any, Protocol

from email_validator import EmailNotValidError, validate_email

from tenants.crm import phones
from tenants.crm.custom_fields.values import FieldSpec, coerce_value
from tenants.errors import BadUserInput

CHUNK_SIZE = 2000


MAX_REPORTED_ERRORS = 1000
MAX_REPORTED_OUTCOMES = 1000

MULTI_SEPARATOR = ";"


PLAIN_FIELDS = frozenset(
    {"name", "company", "email", "phone", "category", "tags", "notes", "external_id", "owner_email"}
)


REPEATABLE_FIELDS = frozenset({"phone", "email", "tags"})


CUSTOM_PREFIX = "custom:"


@dataclass(frozen=True)
class RowError:
    """Why one data row was skipped (``row`` counts data rows from 1; the header is row 0)."""

    row: int
    message: str
    field: str | None = None


class WrittenRows(Protocol):
    """What one written batch of rows did (the import service's plan)."""

    created: int
    updated: int
    unchanged: int
    outcomes: list[tuple[int, str]]


@dataclass
class ImportReport:
    """What an import did, or would do on a dry run."""

    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    outcomes: list[tuple[int, str]] = field(default_factory=list)
    """(row, created/updated/unchanged) of the first ``MAX_REPORTED_OUTCOMES`` rows written,
    so a dry run can be shown row by row (the rejected rows are in ``errors``)."""

    def fail(self, error: RowError) -> None:
        """Count a skipped row, keeping the first ``MAX_REPORTED_ERRORS`` reasons."""
        self.skipped += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(error)

    def count(self, plan: WrittenRows) -> None:
        """Add a written plan's rows, keeping the first ``MAX_REPORTED_OUTCOMES`` outcomes."""
        self.created += plan.created
        self.updated += plan.updated
        self.unchanged += plan.unchanged
        room = MAX_REPORTED_OUTCOMES - len(self.outcomes)
        if room > 0:
            self.outcomes += plan.outcomes[:room]


@dataclass
class _Row:
    number: int
    name: str | None = None
    company: str | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[tuple[str, str]] = field(default_factory=list)
    category_id: uuid.UUID | None = None
    tags: list[str] = field(default_factory=list)
    notes: str | None = None
    external_id: str | None = None
    owner_id: uuid.UUID | None = None
    custom: dict[str, Any] = field(default_factory=dict)
    mapped: set[str] = field(default_factory=set)


@dataclass
class _Context:
    tenant_id: uuid.UUID
    region: str
    categories: dict[str, uuid.UUID]
    specs: dict[str, FieldSpec]
    owners: dict[str, uuid.UUID]
    columns: dict[int, str]


def parse_mapping(mapping: dict[str, str], header: list[str]) -> dict[int, str]:
    """Column index → field for every mapped column; BAD_USER_INPUT on unknown names."""
    positions = {name.strip(): i for i, name in enumerate(header)}
    columns: dict[int, str] = {}
    for column, target in mapping.items():
        if column not in positions:
            raise BadUserInput(f"mapping: no column {column!r} in the file", field="mapping")
        if target not in PLAIN_FIELDS and not target.startswith(CUSTOM_PREFIX):
            raise BadUserInput(
                f"mapping: unknown field {target!r} for column {column!r}", field="mapping"
            )
        columns[positions[column]] = target
    if "name" not in columns.values():
        raise BadUserInput("mapping: a column must map to name", field="mapping")
    single = [t for t in columns.values() if t not in REPEATABLE_FIELDS]
    if len(single) != len(set(single)):
        raise BadUserInput(
            "mapping: only phone, email and tags may be mapped from several columns",
            field="mapping",
        )
    return columns


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(MULTI_SEPARATOR) if part.strip()]


def _parse_row(ctx: _Context, number: int, cells: list[str]) -> _Row:
    row = _Row(number=number)
    for index, target in ctx.columns.items():
        value = cells[index].strip() if index < len(cells) else ""
        row.mapped.add(target)
        if not value:
            continue
        if target == "name":
            row.name = value[:200]
        elif target == "company":
            row.company = value[:200]
        elif target == "email":
            for email in _split(value):
                row.emails.append(_email(email))
        elif target == "phone":
            for raw in _split(value):
                row.phones.append((phones.normalise(raw, region=ctx.region, field="phone"), raw))
        elif target == "category":
            category_id = ctx.categories.get(value.lower())
            if category_id is None:
                raise BadUserInput(f"category: unknown category {value!r}", field="category")
            row.category_id = category_id
        elif target == "tags":
            row.tags += [t[:64] for t in _split(value)]
        elif target == "notes":
            row.notes = value
        elif target == "external_id":
            row.external_id = value[:128]
        elif target == "owner_email":
            owner = ctx.owners.get(value.lower())
            if owner is None:
                raise BadUserInput(f"owner_email: no active user {value!r}", field="owner_email")
            row.owner_id = owner
        else:
            key = target.removeprefix(CUSTOM_PREFIX)
            spec = ctx.specs.get(key)
            if spec is None:
                raise BadUserInput(
                    f"customFields.{key}: no such field", field=f"customFields.{key}"
                )
            row.custom[key] = coerce_value(
                spec, _cell_value(spec, value), region=ctx.region, prefix="customFields"
            )
    if not row.name:
        raise BadUserInput("name: is required", field="name")
    row.phones = list(dict(row.phones).items())
    return row


_SIMPLE_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")


@functools.lru_cache(maxsize=4096)
def _domain(domain: str) -> str | None:
    try:
        return validate_email(
            f"x@{domain}", check_deliverability=False, test_environment=True
        ).domain
    except EmailNotValidError:
        return None


def _email(value: str) -> str:
    """A normalised email; plain ASCII local parts skip the full (slow) validation."""
    local, at, domain = value.rpartition("@")
    if at and len(local) <= 64 and _SIMPLE_LOCAL.match(local):
        normalised_domain = _domain(domain)
        if normalised_domain is not None:
            return f"{local}@{normalised_domain}"
    try:
        return validate_email(value, check_deliverability=False, test_environment=True).normalized
    except EmailNotValidError as err:
        raise BadUserInput(f"email: invalid email {value!r}: {err}", field="email") from None


def _cell_value(spec: FieldSpec, value: str) -> Any:
    """A CSV cell as the JSON value its field type expects."""
    match spec.type.value:
        case "number":
            try:
                return float(value) if any(c in value for c in ".eE") else int(value)
            except ValueError:
                return value
        case "boolean":
            lowered = value.lower()
            if lowered in {"true", "yes", "1", "y"}:
                return True
            if lowered in {"false", "no", "0", "n"}:
                return False
            return value
        case "multi_select":
            return _split(value)
    return value
