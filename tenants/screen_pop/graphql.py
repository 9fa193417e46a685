"""GraphQL surface of the screen pop: ``lookupCaller(number)``."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from tenants.crm.graphql import CustomerType
from tenants.graphql.context import RequestContext
from tenants.graphql.relay import to_global_id
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
    kind: str = strawberry.field(description="ticket or call")
    at: datetime
    summary: str
    ticket: TicketType | None
    call_id: str | None


@strawberry.type(name="ScreenPop")
class ScreenPopType:
    number: str = strawberry.field(description="The caller's number in E.164.")
    customer: CustomerType | None
    recent_calls: list[RecentCallType] = strawberry.field(
        description="From analytics facts; empty until analytics provides them."
    )
    open_tickets: list[TicketType]
    last_interactions: list[InteractionType]


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


@strawberry.type
class Query:
    @strawberry.field(description="Who is calling: any spelling of the number matches.")
    async def lookup_caller(self, info: Info[RequestContext, None], number: str) -> ScreenPopType:
        ctx = info.context
        source = getattr(ctx.services, "recent_calls", None) or service.no_recent_calls
        pop = await service.lookup_caller(
            session=ctx.session,
            principal=await ctx.principal(),
            number=number,
            recent_calls=source,
        )
        return ScreenPopType(
            number=pop.e164,
            customer=CustomerType.from_row(pop.customer) if pop.customer else None,
            recent_calls=[_recent_call(c) for c in pop.recent_calls],
            open_tickets=[TicketType.from_row(t) for t in pop.open_tickets],
            last_interactions=[
                InteractionType(
                    kind=i.kind,
                    at=i.at,
                    summary=i.summary,
                    ticket=TicketType.from_row(i.ticket) if i.ticket else None,
                    call_id=i.call_id,
                )
                for i in pop.last_interactions
            ],
        )


TYPES = [ScreenPopType]
