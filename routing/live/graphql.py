"""Runtime GraphQL of routing: agent state, queue membership, live queue and agent views."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import UTC, datetime
from typing import Protocol, runtime_checkable

import strawberry
from strawberry.types import Info

from routing.break_reasons import service as break_reasons
from routing.engine.engine import AcdEngine
from routing.schemas import AgentStateIn
from tenants.crm import loaders as crm_loaders
from tenants.errors import BadUserInput, NotFound
from tenants.graphql.context import RequestContext
from tenants.graphql.relay import (
    Connection,
    Edge,
    PageInfo,
    expect_global_id,
    page_request,
    to_global_id,
)
from tenants.identity import loaders as identity_loaders
from tenants.identity.principal import Principal
from tenants.identity.roles import SUPERVISORS
from tenants.input_validation import parse_input


@runtime_checkable
class RoutingServicesView(Protocol):
    """The client routing's GraphQL reads from the context."""

    @property
    def engine(self) -> AcdEngine:
        """The ACD engine of the API process (``dispatches=False``)."""


def engine_for(ctx: RequestContext[RoutingServicesView]) -> AcdEngine:
    """The process's engine, built by the composition root."""
    return ctx.services.engine


def target_agent(principal: Principal, agent_id: strawberry.ID | None, action: str) -> str:
    """The agent acted on: oneself, or (supervisors only) any agent of the tenant."""
    if agent_id is None:
        if principal.user_id is None:
            raise BadUserInput("agentId is required for an API key", field="agentId")
        return str(principal.user_id)
    target = expect_global_id(agent_id, "User")
    if target != principal.user_id:
        principal.require(SUPERVISORS, action)
    return str(target)


def queue_id_of(queue_id: strawberry.ID) -> str:
    """The raw queue id of a ``Queue`` global id (NOT_FOUND when malformed)."""
    return str(expect_global_id(queue_id, "Queue"))


def _ms_time(raw: str | None) -> datetime | None:
    return datetime.fromtimestamp(int(raw) / 1000, tz=UTC) if raw else None


@strawberry.type(description="The call an agent rings for or talks on, from routing's live state.")
class AgentCall:
    call_id: str
    from_: str = strawberry.field(name="from", description="The caller's number, as received.")
    queue_id: strawberry.ID | None
    enqueued_at: datetime | None = strawberry.field(description="When it entered its queue")
    answered_at: datetime | None = strawberry.field(description="Null while the agent rings")
    customer_id: strawberry.ID | None = strawberry.field(
        description="The CRM customer the number matched at ingress"
    )
    tenant_id: strawberry.Private[uuid.UUID]

    @strawberry.field(description="That customer's name (null when no customer matched).")
    async def customer_name(self, info: Info[RequestContext, None]) -> str | None:
        if self.customer_id is None:
            return None
        raw = expect_global_id(self.customer_id, "Customer")
        customer = await crm_loaders.customers(info.context, self.tenant_id).load(raw)
        return customer.name if customer is not None else None


async def agent_call(ctx: RequestContext, call_id: str | None) -> AgentCall | None:
    """The live call ``call_id`` of the caller's tenant (null when routing forgot it)."""
    if not call_id:
        return None
    principal = await ctx.principal()
    row = await engine_for(ctx).call(tenant_id=str(principal.tenant_id), call_id=call_id)
    if not row:
        return None
    queue, customer = row.get("queue_id"), row.get("customer_id")
    return AgentCall(
        call_id=call_id,
        from_=row.get("from_number", ""),
        queue_id=to_global_id("Queue", uuid.UUID(queue)) if queue else None,
        enqueued_at=_ms_time(row.get("enq_ms")),
        answered_at=_ms_time(row.get("answered_ms")),
        customer_id=to_global_id("Customer", uuid.UUID(customer)) if customer else None,
        tenant_id=principal.tenant_id,
    )


@strawberry.type
class AgentStatus:
    agent_id: strawberry.ID
    state: str
    seconds_in_state: float
    call_id: str | None
    queue_ids: list[strawberry.ID]

    @strawberry.field(description="The call behind callId: number, queue, customer, times.")
    async def call(self, info: Info[RequestContext, None]) -> AgentCall | None:
        return await agent_call(info.context, self.call_id)

    @strawberry.field(
        description="The agent's display name, else its email (null once the user is deleted)."
    )
    async def display_name(self, info: Info[RequestContext, None]) -> str | None:
        principal = await info.context.principal()
        user_id = expect_global_id(self.agent_id, "User")
        user = await identity_loaders.users(info.context, principal.tenant_id).load(user_id)
        return (user.display_name or user.email) if user is not None else None


@strawberry.type
class StateCount:
    state: str
    count: int


@strawberry.type
class QueueStatus:
    queue_id: strawberry.ID
    waiting: int
    longest_wait_seconds: float
    agents_by_state: list[StateCount]


@strawberry.input
class SetAgentStateInput:
    state: str = strawberry.field(description="available, offline or break")
    reason: str | None = strawberry.field(default=None, description="The break's reason")
    agent_id: strawberry.ID | None = strawberry.field(
        default=None, description="Another agent (supervisors); yourself when omitted"
    )


@strawberry.input
class QueueMembershipInput:
    queue_id: strawberry.ID
    agent_id: strawberry.ID | None = None


def _status(snapshot, now_ms: int) -> AgentStatus:  # type: ignore[no-untyped-def]
    return AgentStatus(
        agent_id=to_global_id("User", uuid.UUID(snapshot.agent_id)),
        state=snapshot.state,
        seconds_in_state=max(0.0, (now_ms - snapshot.since_ms) / 1000) if snapshot.since_ms else 0,
        call_id=snapshot.call_id or None,
        queue_ids=[to_global_id("Queue", uuid.UUID(q)) for q in snapshot.queues],
    )


def _agent_cursor(agent_id: str) -> str:
    return base64.urlsafe_b64encode(f"agent|{agent_id}".encode()).decode().rstrip("=")


def _decode_agent_cursor(cursor: str) -> str:
    """The agent id a cursor points at; BAD_USER_INPUT when it is not an agents cursor."""
    try:
        kind, agent_id = (
            base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split("|", 1)
        )
    except (ValueError, binascii.Error, UnicodeDecodeError) as err:
        raise BadUserInput("after: invalid cursor", field="after") from err
    if kind != "agent":
        raise BadUserInput("after: invalid cursor", field="after")
    return agent_id


def _state_matches(actual: str, wanted: str | None) -> bool:
    """``wanted`` is a full state (``break:lunch``) or a state family (``break``)."""
    return wanted is None or actual == wanted or actual.split(":", 1)[0] == wanted


async def _now_ms(engine: AcdEngine) -> int:
    seconds, micros = await engine.redis.time()
    return int(seconds) * 1000 + int(micros) // 1000


async def live_queue_status(engine: AcdEngine, *, tenant_id: str, queue_id: str) -> QueueStatus:
    """Fresh figures of one queue: waiting calls, the longest wait, its agents by state."""
    snapshot = await engine.queue_status(tenant_id=tenant_id, queue_id=queue_id)
    now = await _now_ms(engine)
    oldest = snapshot.oldest_enqueued_ms
    return QueueStatus(
        queue_id=to_global_id("Queue", uuid.UUID(queue_id)),
        waiting=snapshot.waiting,
        longest_wait_seconds=max(0.0, (now - oldest) / 1000) if oldest else 0.0,
        agents_by_state=[
            StateCount(state=s, count=c) for s, c in sorted(snapshot.agents_by_state.items())
        ],
    )


@strawberry.type
class Query:
    @strawberry.field(description="Live figures of one queue of your tenant.")
    async def queue_status(
        self, info: Info[RequestContext, None], queue_id: strawberry.ID
    ) -> QueueStatus:
        ctx = info.context
        principal = await ctx.principal()
        tenant_id, qid = str(principal.tenant_id), queue_id_of(queue_id)
        engine = engine_for(ctx)
        if not await engine.queue_exists(tenant_id=tenant_id, queue_id=qid):
            raise NotFound("no Queue with this id")
        return await live_queue_status(engine, tenant_id=tenant_id, queue_id=qid)

    @strawberry.field(description="Your own live state (the agent desktop's); null for API keys.")
    async def my_agent_status(self, info: Info[RequestContext, None]) -> AgentStatus | None:
        ctx = info.context
        principal = await ctx.principal()
        if principal.user_id is None:
            return None
        engine = engine_for(ctx)
        snapshot = await engine.agent(
            tenant_id=str(principal.tenant_id), agent_id=str(principal.user_id)
        )
        return _status(snapshot, await _now_ms(engine))

    @strawberry.field(
        description=(
            "Agents with their live state and time in it, as a connection ordered by agent "
            "(supervisors see everyone; an agent sees itself). `state` keeps one state "
            "(`break` matches every break reason); `queueId` keeps the queue's signed-in agents."
        )
    )
    async def agents(
        self,
        info: Info[RequestContext, None],
        first: int | None = None,
        after: str | None = None,
        state: str | None = None,
        queue_id: strawberry.ID | None = None,
    ) -> Connection[AgentStatus]:
        ctx = info.context
        principal = await ctx.principal()
        request = page_request(first, after, max_page_size=ctx.max_page_size)
        start = _decode_agent_cursor(request.after) if request.after else ""
        wanted_queue = queue_id_of(queue_id) if queue_id is not None else None
        engine = engine_for(ctx)
        tenant_id = str(principal.tenant_id)
        now = await _now_ms(engine)
        if principal.role in SUPERVISORS:
            snapshots = await engine.agents(tenant_id=tenant_id)
        elif principal.user_id is None:
            snapshots = []
        else:
            snapshots = [await engine.agent(tenant_id=tenant_id, agent_id=str(principal.user_id))]
        kept = sorted(
            (
                a
                for a in snapshots
                if a.agent_id > start
                and _state_matches(a.state, state)
                and (wanted_queue is None or wanted_queue in a.queues)
            ),
            key=lambda a: a.agent_id,
        )
        page = kept[: request.first]
        edges = [Edge(cursor=_agent_cursor(a.agent_id), node=_status(a, now)) for a in page]
        return Connection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=len(kept) > request.first,
                has_previous_page=bool(start),
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Set your state, or (supervisors) another agent's.")
    async def set_agent_state(
        self, info: Info[RequestContext, None], input: SetAgentStateInput
    ) -> AgentStatus:
        ctx = info.context
        principal = await ctx.principal()
        state_in = parse_input(AgentStateIn, {"state": input.state, "reason": input.reason})
        agent_id = target_agent(principal, input.agent_id, "set another agent's state")
        if state_in.state == "break" and state_in.reason:
            await break_reasons.check_break_reason(
                session=ctx.session, principal=principal, reason=state_in.reason
            )
        engine = engine_for(ctx)
        tenant_id = str(principal.tenant_id)
        await engine.set_agent_state(tenant_id=tenant_id, agent_id=agent_id, state=state_in.target)
        snapshot = await engine.agent(tenant_id=tenant_id, agent_id=agent_id)
        return _status(snapshot, await _now_ms(engine))

    @strawberry.mutation(description="Sign an agent in to a queue its profile allows.")
    async def sign_in_to_queue(
        self, info: Info[RequestContext, None], input: QueueMembershipInput
    ) -> AgentStatus:
        return await _membership(info, input, sign_in=True)

    @strawberry.mutation(description="Sign an agent out of a queue.")
    async def sign_out_of_queue(
        self, info: Info[RequestContext, None], input: QueueMembershipInput
    ) -> AgentStatus:
        return await _membership(info, input, sign_in=False)


async def _membership(
    info: Info[RequestContext, None], input: QueueMembershipInput, *, sign_in: bool
) -> AgentStatus:
    ctx = info.context
    principal = await ctx.principal()
    agent_id = target_agent(principal, input.agent_id, "change another agent's queues")
    qid = queue_id_of(input.queue_id)
    engine = engine_for(ctx)
    tenant_id = str(principal.tenant_id)
    change = engine.sign_in if sign_in else engine.sign_out
    await change(tenant_id=tenant_id, agent_id=agent_id, queue_id=qid)
    snapshot = await engine.agent(tenant_id=tenant_id, agent_id=agent_id)
    return _status(snapshot, await _now_ms(engine))


TYPES: list[type] = [AgentCall, AgentStatus, QueueStatus, StateCount]
NODE_RESOLVERS: dict = {}
