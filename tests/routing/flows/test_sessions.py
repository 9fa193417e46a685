"""A call walks a published flow through Redis: the DID names the version, the version is
read from the directory's projection, the state and variables are kept per call, and a
later publish does not move a call in progress."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from redis.asyncio import Redis

from routing.directory_reader import resolve_did
from routing.flows.interpreter import CallFacts, Digits, Enqueue, Start, next_step
from routing.flows.sessions import FlowSessions
from tests.conftest import GraphQL, TenantAccount
from tests.routing.config.helpers import CREATE_NUMBER, create_queue, fresh_number, ok, raw_id
from tests.routing.flows.graphql_docs import UPDATE_DRAFT, create_flow, enqueue_flow, publish

FACTS = CallFacts(now=datetime(2026, 12, 7, 10, tzinfo=UTC), known_customer=True)


async def test_a_call_keeps_its_version_and_variables(
    gql: GraphQL, tenant_a: TenantAccount, redis: Redis
) -> None:
    sales = await create_queue(gql, tenant_a)
    support = await create_queue(gql, tenant_a)
    flow = await create_flow(gql, tenant_a, enqueue_flow(sales["id"]))
    first = await publish(gql, tenant_a, flow["id"])
    e164 = fresh_number()
    ok(
        await gql(
            CREATE_NUMBER,
            {"input": {"number": e164, "queueId": sales["id"], "callFlowId": flow["id"]}},
            token=tenant_a.token,
        )
    )
    target = await resolve_did(redis, f"sip:{e164}@carrier")
    assert target is not None and target.flow_version_id == raw_id(first["id"])
    tenant, version = uuid.UUID(target.tenant_id), uuid.UUID(target.flow_version_id)
    sessions = FlowSessions(redis)
    call_id = f"call-{uuid.uuid4()}"
    definition = await sessions.definition(tenant, version)
    assert definition is not None
    step = next_step(definition, version_id=version, state=None, event=Start(), facts=FACTS)
    await sessions.save(tenant, call_id, step.state)

    # A publish while the caller is typing: the call stays on version 1.
    ok(
        await gql(
            UPDATE_DRAFT,
            {"input": {"id": flow["id"], "draft": enqueue_flow(support["id"])}},
            token=tenant_a.token,
        )
    )
    await publish(gql, tenant_a, flow["id"])
    assert (await resolve_did(redis, e164)).flow_version_id != target.flow_version_id  # type: ignore[union-attr]

    state = await sessions.load(tenant, call_id)
    assert state is not None and state.version_id == version
    pinned = await sessions.definition(tenant, state.version_id)
    assert pinned is not None
    done = next_step(pinned, version_id=version, state=state, event=Digits("42#"), facts=FACTS)
    await sessions.save(tenant, call_id, done.state)
    assert isinstance(done.action, Enqueue)
    assert done.action.queue_id == uuid.UUID(raw_id(sales["id"]))
    assert await sessions.variables(tenant, call_id) == {"account": "42"}
    assert await sessions.variables(tenant, "no-such-call") == {}
    assert await sessions.definition(tenant, uuid.uuid4()) is None
