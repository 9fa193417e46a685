"""GraphQL surface of the screen pop: ``lookupCaller(number)``."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from tenants.crm import service as crm_service
from tenants.crm.graphql import CustomerNoteType, CustomerType
from tenants.crm.models import Customer
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
    found: strawberry.Private[Customer | None]
    principal: strawberry.Private[Principal]
    source: strawberry.Private[service.RecentCallsSource]

    async def _calls(self, info: Info[RequestContext, None]) -> list[service.RecentCall]:
        return await service.recent_calls_of(
            session=info.context.session,
            principal=self.principal,
            e164=self.number,
            customer=self.found,
            source=self.source,
        )

    @strawberry.field(description="From analytics facts; empty until analytics provides them.")
    async def recent_calls(self, info: Info[RequestContext, None]) -> list[RecentCallType]:
        return [_recent_call(c) for c in await self._calls(info)]

    @strawberry.field
    async def open_tickets(self, info: Info[RequestContext, None]) -> list[TicketType]:
        rows = await service.open_tickets(
            session=info.context.session, principal=self.principal, customer=self.found
        )
        return [TicketType.from_row(t) for t in rows]

    @strawberry.field(description="Ticket activity and calls, newest first.")
    async def last_interactions(self, info: Info[RequestContext, None]) -> list[InteractionType]:
        items = await service.last_interactions(
            session=info.context.session,
            principal=self.principal,
            customer=self.found,
            calls=await self._calls(info),
        )
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


async def screen_pop(ctx: RequestContext, *, principal: Principal, number: str) -> ScreenPopType:
    """The screen pop of ``number`` (any spelling); BAD_USER_INPUT when it is no number.

    Shared by ``lookupCaller`` and routing's call offers; fields resolve on ``ctx.session``.
    """
    e164, customer = await crm_service.find_by_number(
        session=ctx.session, principal=principal, number=number
    )
    return ScreenPopType(
        number=e164,
        customer=CustomerType.from_row(customer) if customer else None,
        found=customer,
        principal=principal,
        source=getattr(ctx.services, "recent_calls", None) or service.no_recent_calls,
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
            recent_calls=getattr(ctx.services, "recent_calls", None) or service.no_recent_calls,
        )
        return [InteractionType.from_item(i) for i in items]


TYPES = [ScreenPopType]
