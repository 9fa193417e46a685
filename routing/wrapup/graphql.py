"""GraphQL surface of wrap-up: the agent's ACW, recording a disposition, finishing early."""

from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing, asynccontextmanager
from datetime import UTC, datetime

import strawberry
from strawberry.types import Info

from routing.dispositions import service as dispositions
from routing.dispositions.graphql import DispositionType
from routing.dispositions.schemas import WrapUpIn
from routing.live.graphql import AgentCall, agent_call, engine_for
from routing.live.stream import last_event_id, tenant_events
from routing.wrapup import service
from tenants.errors import NotFound
from tenants.graphql.connection import ConnectionContext
from tenants.graphql.context import RequestContext
from tenants.graphql.relay import expect_global_id, to_global_id
from tenants.input_validation import parse_input

WRAP_UP_EVENTS = frozenset({"agent.state_changed", "call.wrapped_up", "agent.wrap_up_overdue"})


@asynccontextmanager
async def _event_scope(ctx: RequestContext, tenant_id: uuid.UUID) -> AsyncIterator[None]:
    """A short transaction per event on a WebSocket; an HTTP request already has one."""
    if isinstance(ctx, ConnectionContext):
        async with ctx.event_session(tenant_id):
            yield
    else:
        yield


@strawberry.type(description="Your wrap-up as routing sees it: state, call, the queue's rules.")
class WrapUpStatus:
    state: str = strawberry.field(description="Routing's state for you (acw while wrapping up)")
    since: datetime | None = strawberry.field(description="When you entered that state")
    call_id: str | None = strawberry.field(description="The call being wrapped up (or handled)")
    queue_id: strawberry.ID | None
    wrap_up_seconds: int = strawberry.field(description="The call's queue's ACW time (0 = none)")
    ends_at: datetime | None = strawberry.field(
        description="When the ACW timer ends wrap-up (null outside ACW or with no ACW time)"
    )
    require_disposition: bool = strawberry.field(
        description="The queue requires a disposition before you become available"
    )
    overdue: bool = strawberry.field(
        description="The ACW time ran out while a required disposition is missing"
    )
    disposition_id: strawberry.Private[str | None]

    @strawberry.field(description="The disposition recorded for the call (null: none yet).")
    async def disposition(self, info: Info[RequestContext, None]) -> DispositionType | None:
        if not self.disposition_id:
            return None
        ctx = info.context
        try:
            row = await dispositions.get_disposition(
                session=ctx.session,
                principal=await ctx.principal(),
                disposition_id=uuid.UUID(self.disposition_id),
            )
        except (NotFound, ValueError):
            return None
        return DispositionType.from_row(row)

    @strawberry.field(description="The call behind callId: number, queue, customer, times.")
    async def call(self, info: Info[RequestContext, None]) -> AgentCall | None:
        return await agent_call(info.context, self.call_id)

    @classmethod
    def of(cls, wrap: service.WrapUp) -> WrapUpStatus:
        return cls(
            state=wrap.state,
            since=datetime.fromtimestamp(wrap.since_ms / 1000, tz=UTC) if wrap.since_ms else None,
            call_id=wrap.call_id,
            queue_id=to_global_id("Queue", uuid.UUID(wrap.queue_id)) if wrap.queue_id else None,
            wrap_up_seconds=wrap.wrapup_s,
            ends_at=wrap.ends_at,
            require_disposition=wrap.require_disposition,
            overdue=wrap.overdue,
            disposition_id=wrap.disposition_id,
        )


@strawberry.input
class WrapUpCallInput:
    call_id: str
    disposition_id: strawberry.ID
    note: str = ""
    finish: bool = strawberry.field(
        default=False, description="Also leave ACW now (else the ACW timer ends it)"
    )


@strawberry.type
class Query:
    @strawberry.field(description="Your wrap-up: ACW, its countdown and the disposition rule.")
    async def wrap_up(self, info: Info[RequestContext, None]) -> WrapUpStatus:
        ctx = info.context
        wrap = await service.wrap_up_status(engine=engine_for(ctx), principal=await ctx.principal())
        return WrapUpStatus.of(wrap)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description=(
            "Record the disposition and note of a call you handled. With finish, or once the "
            "ACW time ran out, you become available at once."
        )
    )
    async def wrap_up_call(
        self, info: Info[RequestContext, None], input: WrapUpCallInput
    ) -> WrapUpStatus:
        ctx = info.context
        wrap_in = parse_input(WrapUpIn, {"call_id": input.call_id, "note": input.note}, camel=True)
        _, wrap = await service.wrap_up_call(
            session=ctx.session,
            engine=engine_for(ctx),
            principal=await ctx.principal(),
            wrap_in=wrap_in,
            disposition_id=expect_global_id(input.disposition_id, "Disposition"),
            finish=input.finish,
        )
        return WrapUpStatus.of(wrap)

    @strawberry.mutation(
        description="Finish ACW early (CONFLICT while the queue still requires a disposition)."
    )
    async def finish_wrap_up(self, info: Info[RequestContext, None]) -> WrapUpStatus:
        ctx = info.context
        wrap = await service.finish_wrap_up(engine=engine_for(ctx), principal=await ctx.principal())
        return WrapUpStatus.of(wrap)


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Your wrap-up now, then again whenever your state or disposition changes."
    )
    async def wrap_up_changes(
        self, info: Info[RequestContext, None]
    ) -> AsyncGenerator[WrapUpStatus, None]:
        ctx = info.context
        principal = await ctx.principal()
        engine = engine_for(ctx)
        agent = str(principal.user_id)
        if principal.user_id is None or not ctx.settings.redis.url:
            raise NotFound("only a signed-in agent has a wrap-up")
        tenant_id = str(principal.tenant_id)
        after = await last_event_id(engine.redis, tenant_id)
        source = tenant_events(
            ctx.settings.redis.url, tenant_id=tenant_id, types=WRAP_UP_EVENTS, after_id=after
        )
        async with aclosing(source) as events:
            async with _event_scope(ctx, principal.tenant_id):
                yield WrapUpStatus.of(
                    await service.wrap_up_status(engine=engine, principal=principal)
                )
            async for event in events:
                if event.fields.get("agent_id") != agent:
                    continue
                async with _event_scope(ctx, principal.tenant_id):
                    yield WrapUpStatus.of(
                        await service.wrap_up_status(engine=engine, principal=principal)
                    )


TYPES: list[type] = [WrapUpStatus]
NODE_RESOLVERS: dict = {}
