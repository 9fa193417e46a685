"""The screen pop's one read: a caller's customer, open tickets and ticket trail.

An agent waits on this at every ring, so it is one round trip: a single statement finds
the number's holder and, in subqueries, the holder's open tickets and the latest entries
of their tickets' trails, which come back as JSON arrays. Rows are built into detached
model instances without ORM identity-map hydration (the GraphQL types take models).

The statement is Core SQL over several domains' tables, which ``scoped()`` (ORM selects
only) cannot express, so it filters ``tenant_id = :tenant`` on every table itself; the
session is bound to the tenant, so row-level security applies too (tests prove both).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import DateTime, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase

from tenants.crm.models import Customer
from tenants.tickets.models import Ticket, TicketHistory

_CUSTOMER_COLUMNS = tuple(column.name for column in Customer.__table__.columns)

# The column list comes from the model, never from input.
_POP = text(
    f"""
SELECT {", ".join(f"c.{name}" for name in _CUSTOMER_COLUMNS)},
  (SELECT json_agg(o ORDER BY o.updated_at DESC) FROM (
     SELECT t.* FROM tickets t
     WHERE t.tenant_id = :tenant AND t.customer_id = c.id AND t.status = 'open'
     ORDER BY t.updated_at DESC LIMIT :tickets
   ) o) AS open_tickets,
  (SELECT json_agg(json_build_object('h', e.h, 't', e.t) ORDER BY e.at DESC) FROM (
     SELECT row_to_json(h) AS h, row_to_json(t) AS t, h.at FROM tickets_history h
     JOIN tickets t ON t.tenant_id = :tenant AND t.id = h.ticket_id
     WHERE h.tenant_id = :tenant AND t.customer_id = c.id
     ORDER BY h.at DESC LIMIT :history
   ) e) AS history
FROM crm_customer_phones p
JOIN crm_customers c ON c.tenant_id = :tenant AND c.id = p.customer_id
WHERE p.tenant_id = :tenant AND p.e164 = :e164
"""  # noqa: S608
)


@dataclass(frozen=True)
class PopRows:
    """The holder of a number with their open tickets and latest ticket activity."""

    customer: Customer
    open_tickets: list[Ticket]
    history: list[tuple[TicketHistory, Ticket]]


async def pop_by_e164(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    e164: str,
    tickets_limit: int,
    history_limit: int,
) -> PopRows | None:
    """The holder of ``e164`` in ``tenant_id`` with their tickets; None if nobody holds it.

    Open tickets are the most recently updated first; history entries newest first.
    """
    params = {
        "tenant": tenant_id,
        "e164": e164,
        "tickets": tickets_limit,
        "history": history_limit,
    }
    row = (await session.execute(_POP, params)).first()
    if row is None:
        return None
    values = tuple(row)
    customer = Customer(**dict(zip(_CUSTOMER_COLUMNS, values, strict=False)))
    open_json, history_json = values[-2], values[-1]
    tickets = [_from_json(Ticket, item) for item in open_json or ()]
    history = [
        (_from_json(TicketHistory, item["h"]), _from_json(Ticket, item["t"]))
        for item in history_json or ()
    ]
    return PopRows(customer=customer, open_tickets=tickets, history=history)


def _timestamp(value: str) -> datetime:
    # PostgreSQL writes JSON timestamps in the session's time zone; asyncpg hands out UTC.
    return datetime.fromisoformat(value).astimezone(UTC)


def _converters(model: type[DeclarativeBase]) -> dict[str, Callable[[Any], Any]]:
    found: dict[str, Callable[[Any], Any]] = {}
    for column in model.__table__.columns:
        if isinstance(column.type, UUID):
            found[column.name] = uuid.UUID
        elif isinstance(column.type, DateTime):
            found[column.name] = _timestamp
    return found


Model = TypeVar("Model", bound=DeclarativeBase)

_TYPED = {model: _converters(model) for model in (Ticket, TicketHistory)}


def _from_json(model: type[Model], data: dict[str, Any]) -> Model:
    """A detached ``model`` from its ``row_to_json`` form (UUIDs and times restored)."""
    typed = _TYPED[model]
    return model(
        **{
            key: (typed[key](value) if value is not None and key in typed else value)
            for key, value in data.items()
        }
    )
