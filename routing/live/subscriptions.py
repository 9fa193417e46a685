"""GraphQL subscriptions of routing: agents' call offers and supervisors' live changes.

Both read the caller's own tenant stream (``routing.live.stream``) from the moment they
start; neither can name another tenant's stream.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing, asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from routing.live.graphql import (
    AgentCall,
    QueueStatus,
    agent_call,
    engine_for,
    live_queue_status,
    queue_id_of,
    target_agent,
)
from routing.live.stream import StreamEvent, tenant_events
from tenants.errors import BadUserInput, NotFound
from tenants.graphql.connection import ConnectionContext
from tenants.graphql.context import RequestContext
from tenants.graphql.relay import expect_global_id, to_global_id
from tenants.identity.principal import Principal
from tenants.identity.roles import SUPERVISORS
from tenants.screen_pop.graphql import ScreenPopType, screen_pop

OFFER_EVENTS = frozenset({"call.reserved"})
QUEUE_EVENTS = {
    "call.enqueued": "enqueued",
    "call.reserved": "reserved",
    "call.agent_failed": "requeued",
    "call.dequeued": "dequeued",
}
"""Events that change a queue's waiting figures, and the ``event`` name a change carries."""
ABANDON_OUTCOMES = frozenset({"abandoned", "short_abandoned"})
AGENT_EVENT = "agent.state_changed"


def _at(event: StreamEvent) -> datetime:
    return datetime.fromtimestamp(event.at_ms / 1000, tz=UTC)


def _user_gid(raw: str) -> strawberry.ID | None:
    try:
        return to_global_id("User", uuid.UUID(raw))
    except ValueError:
        return None


@strawberry.type
class OfferedQueue:
    id: strawberry.ID
    name: str


@strawberry.type(description="A call routing reserved for an agent: the agent is ringing.")
class CallOffer:
    call_id: str
    agent_id: strawberry.ID
    from_: str = strawberry.field(name="from", description="The caller's number, as received.")
    to: str = strawberry.field(description="The dialled number.")
    queue: OfferedQueue
    offered_at: datetime
    screen_pop: ScreenPopType | None = strawberry.field(
        description="lookupCaller of the caller's number; null when it is withheld or no number."
    )


@strawberry.type(description="A queue's figures after a call entered, left or was offered.")
class QueueChange:
    event: str = strawberry.field(
        description="enqueued, reserved, requeued (the agent failed), dequeued or abandoned"
    )
    call_id: str | None = strawberry.field(
        description="Always set; nullable so it merges with AgentStateChange.callId in a union."
    )
    outcome: str | None = strawberry.field(description="The dequeue outcome (docs/events.md)")
    at: datetime
    status: QueueStatus


@strawberry.type(description="An agent's state transition.")
class AgentStateChange:
    agent_id: strawberry.ID
    display_name: str | None
    state: str
    previous_state: str | None
    reason: str | None
    call_id: str | None
    since: datetime

    @strawberry.field(description="The call behind callId: number, queue, customer, times.")
    async def call(self, info: Info[RequestContext, None]) -> AgentCall | None:
        return await agent_call(info.context, self.call_id)

    @strawberry.field(description="The queues the agent is signed in to now.")
    async def queue_ids(self, info: Info[RequestContext, None]) -> list[strawberry.ID]:
        ctx = info.context
        principal = await ctx.principal()
        agent = expect_global_id(self.agent_id, "User")
        members = await engine_for(ctx).agent_queue_ids(
            tenant_id=str(principal.tenant_id), agent_id=str(agent)
        )
        return [to_global_id("Queue", uuid.UUID(q)) for q in sorted(members)]


LiveChange = Annotated[QueueChange | AgentStateChange, strawberry.union("LiveChange")]


def _redis_url(ctx: RequestContext) -> str:
    url = ctx.settings.redis.url
    if not url:
        raise RuntimeError("HOTLINE_REDIS_URL is not set")
    return url


@asynccontextmanager
async def _event_scope(ctx: RequestContext, tenant_id: uuid.UUID) -> AsyncIterator[None]:
    """A short transaction per event on a WebSocket; an HTTP request already has one."""
    if isinstance(ctx, ConnectionContext):
        async with ctx.event_session(tenant_id):
            yield
    else:
        yield


async def _offer(
    ctx: RequestContext, principal: Principal, tenant_id: str, event: StreamEvent
) -> CallOffer:
    fields = event.fields
    call_id, queue_id = fields.get("call_id", ""), fields.get("queue_id", "")
    call = await engine_for(ctx).call(tenant_id=tenant_id, call_id=call_id)
    name = (
        await engine_for(ctx).queue_name(tenant_id=tenant_id, queue_id=queue_id)
        if queue_id
        else None
    )
    number = call.get("from_number", "")
    pop = None
    if number:
        try:
            pop = await screen_pop(ctx, principal=principal, number=number)
        except BadUserInput:
            pop = None  # "anonymous", a SIP URI without a number: no one to look up
    return CallOffer(
        call_id=call_id,
        agent_id=to_global_id("User", uuid.UUID(fields["agent_id"])),
        from_=number,
        to=call.get("to_number", ""),
        queue=OfferedQueue(
            id=to_global_id("Queue", uuid.UUID(queue_id)) if queue_id else strawberry.ID(""),
            name=name or "",
        ),
        offered_at=_at(event),
        screen_pop=pop,
    )


async def _agent_change(
    ctx: RequestContext, tenant_id: str, event: StreamEvent
) -> AgentStateChange:
    fields = event.fields
    agent_id = fields.get("agent_id", "")
    name = await engine_for(ctx).agent_display_name(tenant_id=tenant_id, agent_id=agent_id)
    return AgentStateChange(
        agent_id=_user_gid(agent_id) or strawberry.ID(agent_id),
        display_name=name or None,
        state=fields.get("state", ""),
        previous_state=fields.get("previous_state") or None,
        reason=fields.get("reason") or None,
        call_id=fields.get("call_id") or None,
        since=_at(event),
    )


async def _queue_change(ctx: RequestContext, tenant_id: str, event: StreamEvent) -> QueueChange:
    fields = event.fields
    outcome = fields.get("outcome") or None
    kind = QUEUE_EVENTS[event.type]
    if outcome in ABANDON_OUTCOMES:
        kind = "abandoned"
    return QueueChange(
        event=kind,
        call_id=fields.get("call_id", ""),
        outcome=outcome,
        at=_at(event),
        status=await live_queue_status(
            engine_for(ctx), tenant_id=tenant_id, queue_id=fields.get("queue_id", "")
        ),
    )


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Calls offered to an agent (yourself; supervisors may name an agent)."
    )
    async def call_offers(
        self, info: Info[RequestContext, None], agent_id: strawberry.ID | None = None
    ) -> AsyncGenerator[CallOffer, None]:
        ctx = info.context
        principal = await ctx.principal()
        agent = target_agent(principal, agent_id, "watch another agent's offers")
        tenant_id = str(principal.tenant_id)
        if agent != str(principal.user_id) and not await engine_for(ctx).agent_known(
            tenant_id=tenant_id, agent_id=agent
        ):
            raise NotFound("no agent with this id")
        source = tenant_events(_redis_url(ctx), tenant_id=tenant_id, types=OFFER_EVENTS)
        async with aclosing(source) as events:
            async for event in events:
                if event.fields.get("agent_id") != agent:
                    continue
                async with _event_scope(ctx, principal.tenant_id):
                    yield await _offer(ctx, principal, tenant_id, event)

    @strawberry.subscription(
        description="Queue figures and agent states as they change (supervisors)."
    )
    async def live_changes(
        self, info: Info[RequestContext, None], queue_id: strawberry.ID | None = None
    ) -> AsyncGenerator[LiveChange, None]:
        ctx = info.context
        principal = await ctx.principal()
        principal.require(SUPERVISORS, "watch live changes")
        tenant_id = str(principal.tenant_id)
        only = queue_id_of(queue_id) if queue_id is not None else None
        if only and not await engine_for(ctx).queue_exists(tenant_id=tenant_id, queue_id=only):
            raise NotFound("no Queue with this id")
        types = {*QUEUE_EVENTS, AGENT_EVENT}
        source = tenant_events(_redis_url(ctx), tenant_id=tenant_id, types=types)
        async with aclosing(source) as events:
            async for event in events:
                if event.type == AGENT_EVENT:
                    agent = event.fields.get("agent_id", "")
                    if only and not await engine_for(ctx).signed_in(
                        tenant_id=tenant_id, queue_id=only, agent_id=agent
                    ):
                        continue
                    async with _event_scope(ctx, principal.tenant_id):
                        yield await _agent_change(ctx, tenant_id, event)
                elif event.fields.get("queue_id") and (
                    not only or event.fields.get("queue_id") == only
                ):
                    yield await _queue_change(ctx, tenant_id, event)


TYPES: list[type] = [CallOffer, OfferedQueue, QueueChange, AgentStateChange]
