"""GraphQL surface of the screen pop: ``lookupCaller(number)``."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Protocol, runtime_checkable

import strawberry
from strawberry.types import Info

from tenants.crm.customers.graphql import CustomerNoteType, CustomerType
from tenants.graphql.context import RequestContext
from tenants.graphql.relay import expect_global_id, to_global_id
from tenants.identity.principal import Principal
from tenants.screen_pop import service
from tenants.tickets.graphql import TicketType


@strawberry.type(name="RecentCall")
class RecentCallType:
    call_id: str
    at: datetime
    direction: str
    outcome: str | None
    wait_ms: int | None
    talk_ms: int | None
    queue_id: strawberry.ID | None
    agent_id: strawberry.ID | None


@strawberry.type(name="Interaction")
class InteractionType:
    kind: str = strawberry.field(description="ticket, note or call")
    at: datetime
    summary: str
    ticket: TicketType | None
    call_id: str | None
    note: CustomerNoteType | None = None

    @classmethod
    def from_item(cls, item: service.Interaction) -> InteractionType:
        return cls(
            kind=item.kind,
            at=item.at,
            summary=item.summary,
            ticket=TicketType.from_row(item.ticket) if item.ticket else None,
            call_id=item.call_id,
            note=CustomerNoteType.from_row(item.note) if item.note else None,
        )


@strawberry.type(name="ScreenPop")
class ScreenPopType:
    number: str = strawberry.field(description="The caller's number in E.164.")
    customer: CustomerType | None
    caller: strawberry.Private[service.Caller]
    principal: strawberry.Private[Principal]
    source: strawberry.Private[service.RecentCallsSource]
    calls: strawberry.Private[list[service.RecentCall] | None] = None
    calls_lock: strawberry.Private[asyncio.Lock] = strawberry.field(default_factory=asyncio.Lock)

    async def _calls(self, info: Info[RequestContext, None]) -> list[service.RecentCall]:
        # recentCalls and lastInteractions resolve concurrently and share one read.
        async with self.calls_lock:
            if self.calls is None:
                self.calls = await service.recent_calls_of(
                    session=info.context.session,
                    principal=self.principal,
                    e164=self.number,
                    customer=self.caller.customer,
                    source=self.source,
                )
        return self.calls

    @strawberry.field(description="From analytics facts; empty until analytics provides them.")
    async def recent_calls(self, info: Info[RequestContext, None]) -> list[RecentCallType]:
        return [_recent_call(c) for c in await self._calls(info)]

    @strawberry.field
    def open_tickets(self) -> list[TicketType]:
        return [TicketType.from_row(t) for t in self.caller.open_tickets]

    @strawberry.field(description="Ticket activity and calls, newest first.")
    async def last_interactions(self, info: Info[RequestContext, None]) -> list[InteractionType]:
        items = service.last_interactions(caller=self.caller, calls=await self._calls(info))
        return [InteractionType.from_item(i) for i in items]


def _recent_call(call: service.RecentCall) -> RecentCallType:
    return RecentCallType(
        call_id=call.call_id,
        at=call.at,
        direction=call.direction,
        outcome=call.outcome,
        wait_ms=call.wait_ms,
        talk_ms=call.talk_ms,
        queue_id=to_global_id("Queue", call.queue_id) if call.queue_id else None,
        agent_id=to_global_id("User", call.agent_id) if call.agent_id else None,
    )


@runtime_checkable
class ScreenPopServices(Protocol):
    """The client the screen pop reads from the context."""

    @property
    def recent_calls(self) -> service.RecentCallsSource | None:
        """Analytics' recent calls; None shows none."""


def _recent_calls(ctx: RequestContext[ScreenPopServices]) -> service.RecentCallsSource:
    return ctx.services.recent_calls or service.no_recent_calls


async def screen_pop(
    ctx: RequestContext[ScreenPopServices], *, principal: Principal, number: str
) -> ScreenPopType:
    """The screen pop of ``number`` (any spelling); BAD_USER_INPUT when it is no number.

    Shared by ``lookupCaller`` and routing's call offers; fields resolve on ``ctx.session``.
    """
    caller = await service.find_caller(
        session=ctx.session, principal=principal, number=number, regions=ctx.regions
    )
    customer = caller.customer
    return ScreenPopType(
        number=caller.e164,
        customer=CustomerType.from_row(customer) if customer else None,
        caller=caller,
        principal=principal,
        source=_recent_calls(ctx),
    )


@strawberry.type
class Query:
    @strawberry.field(description="Who is calling: any spelling of the number matches.")
    async def lookup_caller(self, info: Info[RequestContext, None], number: str) -> ScreenPopType:
        ctx = info.context
        return await screen_pop(ctx, principal=await ctx.principal(), number=number)

    @strawberry.field(description="A customer's calls, ticket activity and notes, newest first.")
    async def customer_timeline(
        self, info: Info[RequestContext, None], customer_id: strawberry.ID, first: int = 50
    ) -> list[InteractionType]:
        ctx = info.context
        items = await service.timeline(
            session=ctx.session,
            principal=await ctx.principal(),
            customer_id=expect_global_id(customer_id, "Customer"),
            limit=first,
            recent_calls=_recent_calls(ctx),
        )
        return [InteractionType.from_item(i) for i in items]


TYPES = [ScreenPopType]
