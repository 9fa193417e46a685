"""GraphQL surface of pending callbacks: the list, and the same list pushed as it changes.

Routing dials a callback itself once an agent is reserved for it; the list shows agents
what is coming (the queues they serve; supervisors see every queue).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator
from contextlib import aclosing
from datetime import UTC, datetime

import strawberry
from strawberry.types import Info

from routing.engine.engine import AcdEngine
from routing.live.graphql import engine_for
from routing.live.stream import last_event_id, tenant_events
from tenants.errors import NotFound
from tenants.graphql.context import RequestContext
from tenants.graphql.relay import to_global_id
from tenants.identity.principal import Principal
from tenants.identity.roles import SUPERVISORS

CHANGE_EVENTS = frozenset(
    {"callback.requested", "callback.connected", "callback.failed", "call.reserved"}
)


@strawberry.type(description="A caller who left a number and keeps their place in a queue.")
class PendingCallback:
    call_id: str
    number: str
    queue_id: strawberry.ID
    queue_name: str | None
    requested_at: datetime | None


async def pending(engine: AcdEngine, principal: Principal) -> list[PendingCallback]:
    """Oldest first; an agent's own queues, a supervisor's whole tenant."""
    tenant_id = str(principal.tenant_id)
    if principal.role in SUPERVISORS:
        queues = await engine.queue_ids(tenant_id=tenant_id)
    elif principal.user_id is None:
        queues = []
    else:
        queues = sorted(
            await engine.agent_queue_ids(tenant_id=tenant_id, agent_id=str(principal.user_id))
        )
    rows = await engine.waiting_callbacks(tenant_id=tenant_id, queue_ids=queues)
    names = {q: await engine.queue_name(tenant_id=tenant_id, queue_id=q) for q in queues}
    items = [
        PendingCallback(
            call_id=row["call_id"],
            number=row["number"],
            queue_id=to_global_id("Queue", uuid.UUID(row["queue_id"])),
            queue_name=names.get(row["queue_id"]),
            requested_at=(
                datetime.fromtimestamp(int(row["requested_ms"]) / 1000, tz=UTC)
                if int(row["requested_ms"] or 0)
                else None
            ),
        )
        for row in rows
    ]
    return sorted(items, key=lambda c: c.requested_at or datetime.min.replace(tzinfo=UTC))


@strawberry.type
class Query:
    @strawberry.field(description="Callbacks waiting in your queues (supervisors: all queues).")
    async def pending_callbacks(self, info: Info[RequestContext, None]) -> list[PendingCallback]:
        ctx = info.context
        return await pending(engine_for(ctx), await ctx.principal())


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="pendingCallbacks now, then again whenever a callback is asked for, "
        "reserved, connected or failed."
    )
    async def pending_callback_changes(
        self, info: Info[RequestContext, None]
    ) -> AsyncGenerator[list[PendingCallback], None]:
        ctx = info.context
        principal = await ctx.principal()
        if not ctx.settings.redis.url:
            raise NotFound("live callbacks need Redis")
        engine = engine_for(ctx)
        tenant_id = str(principal.tenant_id)
        after = await last_event_id(engine.redis, tenant_id)
        source = tenant_events(
            ctx.settings.redis.url, tenant_id=tenant_id, types=CHANGE_EVENTS, after_id=after
        )
        async with aclosing(source) as events:
            yield await pending(engine, principal)
            async for _ in events:
                yield await pending(engine, principal)


TYPES: list[type] = [PendingCallback]
NODE_RESOLVERS: dict = {}
