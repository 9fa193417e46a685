"""Recording search: the recordings joined with the call's contact facts and names.

One statement per page. The call's queue, customer and caller number come from
analytics' contact facts, the names from routing's queues, the users and the CRM's
customers. The media plane may not import those rooms, so their tables are named here
as lightweight Core tables (``sa.table``) and every join filters ``tenant_id`` itself;
the recordings side goes through ``scoped()``, and the session is bound to the tenant,
so row-level security applies to every table too (tests prove both walls).

Newest first, keyset-paged on ``(coalesce(started_at, created_at), id)``. Every contact
is inbound today (outbound dialling does not exist yet), so an OUTBOUND filter matches
nothing. The disposition is the contact's wrap-up code (``disposition_code`` in the facts,
as reports spell it), its label from routing's dispositions.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.ext.asyncio import AsyncSession

from media_plane.recordings.models import Recording
from tenants.database.pagination import Page, PageRequest, decode_cursor, encode_cursor
from tenants.database.scoping import scoped

_contacts = sa.table(
    "analytics_contacts",
    sa.column("tenant_id", UUID(as_uuid=True)),
    sa.column("call_id", sa.String),
    sa.column("first_queue_id", UUID(as_uuid=True)),
    sa.column("from_number", sa.String),
    sa.column("customer_id", UUID(as_uuid=True)),
    sa.column("arrived_at", sa.DateTime(timezone=True)),
    sa.column("disposition_id", UUID(as_uuid=True)),
    sa.column("disposition_code", sa.String),
)
_legs = sa.table(
    "analytics_queue_legs",
    sa.column("tenant_id", UUID(as_uuid=True)),
    sa.column("call_id", sa.String),
    sa.column("queue_id", UUID(as_uuid=True)),
)
_queues = sa.table(
    "queues",
    sa.column("tenant_id", UUID(as_uuid=True)),
    sa.column("id", UUID(as_uuid=True)),
    sa.column("name", sa.String),
)
_users = sa.table(
    "users",
    sa.column("tenant_id", UUID(as_uuid=True)),
    sa.column("id", UUID(as_uuid=True)),
    sa.column("display_name", sa.String),
    sa.column("email", sa.String),
)
_dispositions = sa.table(
    "dispositions",
    sa.column("tenant_id", UUID(as_uuid=True)),
    sa.column("id", UUID(as_uuid=True)),
    sa.column("label", sa.String),
)
_customers = sa.table(
    "crm_customers",
    sa.column("tenant_id", UUID(as_uuid=True)),
    sa.column("id", UUID(as_uuid=True)),
    sa.column("name", sa.String),
)


class Direction(StrEnum):
    """Who placed the call."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"


@dataclass(frozen=True)
class RecordingFilter:
    """Every field optional; the given ones all apply."""

    started_from: datetime | None = None
    started_to: datetime | None = None
    queue_id: uuid.UUID | None = None
    agent_id: uuid.UUID | None = None
    customer_id: uuid.UUID | None = None
    caller_number: str | None = None
    direction: Direction | None = None
    disposition_code: str | None = None


@dataclass(frozen=True)
class RecordingView:
    """A recording with what the search shows of its call."""

    recording: Recording
    at: datetime
    direction: Direction
    queue_id: uuid.UUID | None = None
    queue_name: str | None = None
    agent_name: str | None = None
    customer_id: uuid.UUID | None = None
    customer_name: str | None = None
    caller_number: str | None = None
    disposition_code: str | None = None
    disposition_label: str | None = None


def _at() -> sa.ColumnElement[datetime]:
    return sa.func.coalesce(Recording.started_at, Recording.created_at)


def _statement(tenant_id: uuid.UUID) -> sa.Select[Any]:
    queue_id = _contacts.c.first_queue_id
    return (
        scoped(
            sa.select(
                Recording,
                _at().label("at"),
                queue_id.label("queue_id"),
                _queues.c.name.label("queue_name"),
                sa.func.coalesce(sa.func.nullif(_users.c.display_name, ""), _users.c.email).label(
                    "agent_name"
                ),
                _contacts.c.customer_id.label("customer_id"),
                _customers.c.name.label("customer_name"),
                _contacts.c.from_number.label("caller_number"),
                _contacts.c.disposition_code.label("disposition_code"),
                _dispositions.c.label.label("disposition_label"),
            ),
            tenant_id,
        )
        .outerjoin(
            _contacts,
            sa.and_(_contacts.c.tenant_id == tenant_id, _contacts.c.call_id == Recording.call_id),
        )
        .outerjoin(_queues, sa.and_(_queues.c.tenant_id == tenant_id, _queues.c.id == queue_id))
        .outerjoin(
            _users, sa.and_(_users.c.tenant_id == tenant_id, _users.c.id == Recording.agent_id)
        )
        .outerjoin(
            _customers,
            sa.and_(
                _customers.c.tenant_id == tenant_id,
                _customers.c.id == _contacts.c.customer_id,
            ),
        )
        .outerjoin(
            _dispositions,
            sa.and_(
                _dispositions.c.tenant_id == tenant_id,
                _dispositions.c.id == _contacts.c.disposition_id,
            ),
        )
    )


def _apply(statement: sa.Select[Any], tenant_id: uuid.UUID, f: RecordingFilter) -> sa.Select[Any]:
    if f.started_from is not None:
        statement = statement.where(_at() >= f.started_from)
    if f.started_to is not None:
        statement = statement.where(_at() < f.started_to)
    if f.agent_id is not None:
        statement = statement.where(Recording.agent_id == f.agent_id)
    if f.customer_id is not None:
        statement = statement.where(_contacts.c.customer_id == f.customer_id)
    if f.caller_number:
        pattern = (
            "%"
            + f.caller_number.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
            + "%"
        )
        statement = statement.where(_contacts.c.from_number.like(pattern, escape="\\"))
    if f.queue_id is not None:
        in_queue = sa.exists().where(
            _legs.c.tenant_id == tenant_id,
            _legs.c.call_id == Recording.call_id,
            _legs.c.queue_id == f.queue_id,
        )
        statement = statement.where(sa.or_(_contacts.c.first_queue_id == f.queue_id, in_queue))
    if f.disposition_code is not None:
        statement = statement.where(_contacts.c.disposition_code == f.disposition_code)
    if f.direction is Direction.OUTBOUND:
        statement = statement.where(sa.false())
    return statement


def _view(row: sa.Row[Any]) -> RecordingView:
    return RecordingView(
        recording=row[0],
        at=row.at,
        direction=Direction.INBOUND,
        queue_id=row.queue_id,
        queue_name=row.queue_name,
        agent_name=row.agent_name,
        customer_id=row.customer_id,
        customer_name=row.customer_name,
        caller_number=row.caller_number,
        disposition_code=row.disposition_code,
        disposition_label=row.disposition_label,
    )


async def search_recordings(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    page: PageRequest,
    recording_filter: RecordingFilter,
    call_id: str | None = None,
    agent_id: uuid.UUID | None = None,
) -> Page[RecordingView]:
    """A page of matching recordings, newest first (only ``agent_id``'s when given)."""
    statement = _apply(_statement(tenant_id), tenant_id, recording_filter)
    if call_id is not None:
        statement = statement.where(Recording.call_id == call_id)
    if agent_id is not None:
        statement = statement.where(Recording.agent_id == agent_id)
    if page.after is not None:
        at, row_id = decode_cursor(page.after)
        statement = statement.where(sa.tuple_(_at(), Recording.id) < sa.tuple_(at, row_id))
    statement = statement.order_by(_at().desc(), Recording.id.desc()).limit(page.first + 1)
    rows = [_view(row) for row in await session.execute(statement)]
    return Page(
        items=[(encode_cursor(v.at, v.recording.id), v) for v in rows[: page.first]],
        has_next_page=len(rows) > page.first,
        has_previous_page=page.after is not None,
    )


async def view_of(
    session: AsyncSession, *, tenant_id: uuid.UUID, recordings: list[Recording]
) -> list[RecordingView]:
    """The search view of rows already read (same order), for the plain reads."""
    if not recordings:
        return []
    ids = [row.id for row in recordings]
    statement = _statement(tenant_id).where(Recording.id.in_(ids))
    views = {v.recording.id: v for v in map(_view, await session.execute(statement))}
    return [views[row.id] for row in recordings if row.id in views]
