"""The screen pop an agent sees on ring: customer, recent calls, open tickets, interactions.

It composes the CRM and tickets. Recent calls come from analytics facts, which live in a
room ``tenants`` may not import, so they are an injected ``RecentCallsSource``: the API
composition root may set ``services.recent_calls``; until analytics provides one, the
list is empty (``no_recent_calls``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from tenants.crm.customers import repository as crm_repository
from tenants.crm.customers import service as crm_service
from tenants.crm.models import Customer, CustomerNote
from tenants.crm.settings.regions import RegionCache
from tenants.identity.principal import Principal
from tenants.screen_pop import repository
from tenants.tickets import repository as tickets_repository
from tenants.tickets.models import Ticket

OPEN_TICKETS_LIMIT = 10
INTERACTIONS_LIMIT = 10


@dataclass(frozen=True)
class RecentCall:
    """One past call of the caller, as analytics records it."""

    call_id: str
    at: datetime
    direction: str
    queue_id: uuid.UUID | None = None
    agent_id: uuid.UUID | None = None
    outcome: str | None = None
    wait_ms: int | None = None
    talk_ms: int | None = None


class RecentCallsSource(Protocol):
    """Where the screen pop reads a caller's recent calls (analytics facts)."""

    async def __call__(
        self,
        *,
        session: AsyncSession,
        tenant_id: uuid.UUID,
        e164: str,
        customer_id: uuid.UUID | None,
        limit: int,
    ) -> list[RecentCall]: ...


async def no_recent_calls(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    e164: str,
    customer_id: uuid.UUID | None,
    limit: int,
) -> list[RecentCall]:
    """The extension point's default until analytics facts exist: no calls."""
    return []


@dataclass(frozen=True)
class Interaction:
    """Something that happened with the customer: a call, ticket activity or a note."""

    kind: str
    at: datetime
    summary: str
    ticket: Ticket | None = None
    call_id: str | None = None
    note: CustomerNote | None = None


@dataclass(frozen=True)
class ScreenPop:
    """Everything the agent needs in the first second of a call."""

    e164: str
    customer: Customer | None
    recent_calls: list[RecentCall] = field(default_factory=list)
    open_tickets: list[Ticket] = field(default_factory=list)
    last_interactions: list[Interaction] = field(default_factory=list)


@dataclass(frozen=True)
class Caller:
    """Who is calling: the number in E.164 and, if a customer holds it, their records."""

    e164: str
    rows: repository.PopRows | None

    @property
    def customer(self) -> Customer | None:
        """The customer holding the number, if any."""
        return self.rows.customer if self.rows else None

    @property
    def open_tickets(self) -> list[Ticket]:
        """The customer's open tickets, most recently updated first."""
        return self.rows.open_tickets if self.rows else []


async def find_caller(
    *, session: AsyncSession, principal: Principal, number: str, regions: RegionCache | None
) -> Caller:
    """The caller behind any spelling of ``number`` (one statement); BAD_USER_INPUT if none.

    ``regions``: the process's memory of tenants' regions (None reads the database).
    """
    e164 = await crm_service.caller_e164(
        session=session, principal=principal, number=number, regions=regions
    )
    rows = await repository.pop_by_e164(
        session,
        tenant_id=principal.tenant_id,
        e164=e164,
        tickets_limit=OPEN_TICKETS_LIMIT,
        history_limit=INTERACTIONS_LIMIT,
    )
    return Caller(e164=e164, rows=rows)


def last_interactions(*, caller: Caller, calls: list[RecentCall]) -> list[Interaction]:
    """Ticket activity and calls with the caller, newest first."""
    history = caller.rows.history if caller.rows else []
    interactions = [
        Interaction(
            kind="ticket",
            at=entry.at,
            summary=f"{ticket.display_number} {entry.action}: {ticket.subject}",
            ticket=ticket,
        )
        for entry, ticket in history
    ] + [
        Interaction(
            kind="call",
            at=call.at,
            summary=f"call {call.outcome or ''}".strip(),
            call_id=call.call_id,
        )
        for call in calls
    ]
    interactions.sort(key=lambda item: item.at, reverse=True)
    return interactions[:INTERACTIONS_LIMIT]


async def recent_calls_of(
    *,
    session: AsyncSession,
    principal: Principal,
    e164: str,
    customer: Customer | None,
    source: RecentCallsSource = no_recent_calls,
) -> list[RecentCall]:
    """The caller's recent calls from ``source`` (analytics; empty by default)."""
    return await source(
        session=session,
        tenant_id=principal.tenant_id,
        e164=e164,
        customer_id=customer.id if customer else None,
        limit=INTERACTIONS_LIMIT,
    )


async def lookup_caller(
    *,
    session: AsyncSession,
    principal: Principal,
    number: str,
    regions: RegionCache | None,
    recent_calls: RecentCallsSource = no_recent_calls,
) -> ScreenPop:
    """The whole screen pop for any spelling of ``number``; BAD_USER_INPUT if no number.

    Two statements: the caller with tickets and trail, then the recent calls. GraphQL
    resolves the same parts field by field; this is the one-call form for other callers
    and the benchmark.
    """
    caller = await find_caller(session=session, principal=principal, number=number, regions=regions)
    calls = await recent_calls_of(
        session=session,
        principal=principal,
        e164=caller.e164,
        customer=caller.customer,
        source=recent_calls,
    )
    return ScreenPop(
        e164=caller.e164,
        customer=caller.customer,
        recent_calls=calls,
        open_tickets=caller.open_tickets,
        last_interactions=last_interactions(caller=caller, calls=calls),
    )


TIMELINE_LIMIT = 200


async def timeline(
    *,
    session: AsyncSession,
    principal: Principal,
    customer_id: uuid.UUID,
    limit: int = 50,
    recent_calls: RecentCallsSource = no_recent_calls,
) -> list[Interaction]:
    """A customer's calls, ticket activity and notes, newest first."""
    limit = max(1, min(limit, TIMELINE_LIMIT))
    customer = await crm_service.get_customer(
        session=session, principal=principal, customer_id=customer_id
    )
    calls = await recent_calls(
        session=session,
        tenant_id=principal.tenant_id,
        e164="",
        customer_id=customer.id,
        limit=limit,
    )
    history = await tickets_repository.recent_history_of_customer(
        session, tenant_id=principal.tenant_id, customer_id=customer.id, limit=limit
    )
    notes = await crm_repository.notes_of(
        session, tenant_id=principal.tenant_id, customer_id=customer.id, limit=limit
    )
    items = (
        [
            Interaction(
                kind="ticket",
                at=entry.at,
                summary=f"{ticket.display_number} {entry.action}: {ticket.subject}",
                ticket=ticket,
            )
            for entry, ticket in history
        ]
        + [Interaction(kind="note", at=n.created_at, summary=n.body[:200], note=n) for n in notes]
        + [
            Interaction(
                kind="call",
                at=call.at,
                summary=f"call {call.outcome or ''}".strip(),
                call_id=call.call_id,
            )
            for call in calls
        ]
    )
    items.sort(key=lambda item: item.at, reverse=True)
    return items[:limit]
