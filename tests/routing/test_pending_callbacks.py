"""pendingCallbacks: callers keeping their place, for the agents of their queues only."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from routing.engine.engine import AcdEngine
from tests.conftest import GraphQL, TenantAccount
from tests.routing.conftest import FakeClock, new_call
from tests.routing.live.test_graphql import SET_STATE, SIGN_IN, gid, make_user, tenant_raw
from tests.routing.live.test_subscriptions import bearer, open_socket, ws_url
from tests.routing.routing_config import publish_agent, publish_queue, publish_tenant

__all__ = ["ws_url"]

PENDING = "{ pendingCallbacks { callId number queueId queueName requestedAt } }"


async def test_callbacks_are_listed_for_their_queues_agents_and_tenant_only(
    gql: GraphQL, redis: Redis, clock: FakeClock, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    tid = tenant_raw(tenant_a)
    await publish_tenant(redis, tid, slug=tenant_a.slug)
    queue = await publish_queue(
        redis, tid, name="Billing", max_wait_s=5, max_wait_action="callback"
    )
    other_queue = await publish_queue(redis, tid, name="Sales")
    agent = await make_user(gql, tenant_a, "agent")
    await publish_agent(redis, tid, agent.user_id, queues=[queue])
    await gql(SIGN_IN, {"input": {"queueId": gid("Queue", queue)}}, token=agent.token)
    elsewhere = await make_user(gql, tenant_a, "agent")
    await publish_agent(redis, tid, elsewhere.user_id, queues=[other_queue])
    await gql(SIGN_IN, {"input": {"queueId": gid("Queue", other_queue)}}, token=elsewhere.token)

    engine = AcdEngine(redis, clock=clock)
    call = new_call(queue)
    await engine.enqueue(tenant_id=tid, call=call)
    waiting = await engine.enqueue(tenant_id=tid, call=new_call(queue))
    assert waiting.status == "queued"
    assert (await gql(PENDING, token=agent.token))["data"]["pendingCallbacks"] == []
    clock.advance(5.1)
    await engine.fire_timers(tenant_id=tid)

    listed = (await gql(PENDING, token=agent.token))["data"]["pendingCallbacks"]
    assert [c["callId"] for c in listed][:1] == [call.call_id]
    assert len(listed) == 2
    assert listed[0]["number"] == "+33612345678"
    assert listed[0]["queueId"] == gid("Queue", queue) and listed[0]["queueName"] == "Billing"
    assert listed[0]["requestedAt"]
    supervisor = (await gql(PENDING, token=tenant_a.token))["data"]["pendingCallbacks"]
    assert len(supervisor) == 2
    assert (await gql(PENDING, token=elsewhere.token))["data"]["pendingCallbacks"] == []
    assert (await gql(PENDING, token=tenant_b.token))["data"]["pendingCallbacks"] == []


CHANGES = "subscription { pendingCallbackChanges { callId number } }"


async def test_changes_are_pushed_to_the_queues_agents_only(
    ws_url: str,
    gql: GraphQL,
    redis: Redis,
    clock: FakeClock,
    tenant_a: TenantAccount,
    tenant_b: TenantAccount,
) -> None:
    tid = tenant_raw(tenant_a)
    await publish_tenant(redis, tid, slug=tenant_a.slug)
    queue = await publish_queue(redis, tid, max_wait_s=5, max_wait_action="callback")
    agent = await make_user(gql, tenant_a, "agent")
    await publish_agent(redis, tid, agent.user_id, queues=[queue])
    await gql(SIGN_IN, {"input": {"queueId": gid("Queue", queue)}}, token=agent.token)
    stranger = await make_user(gql, tenant_b, "agent")

    _, sub = await open_socket(ws_url, init=bearer(agent.token))
    await sub.subscribe(CHANGES)
    assert (await sub.next_data())["pendingCallbackChanges"] == []
    _, other = await open_socket(ws_url, init=bearer(stranger.token))
    await other.subscribe(CHANGES)
    assert (await other.next_data())["pendingCallbackChanges"] == []

    engine = AcdEngine(redis, clock=clock)
    call = new_call(queue)
    await engine.enqueue(tenant_id=tid, call=call)
    clock.advance(5.1)
    await engine.fire_timers(tenant_id=tid)
    pushed = (await sub.next_data())["pendingCallbackChanges"]
    assert pushed == [{"callId": call.call_id, "number": "+33612345678"}]

    await gql(SET_STATE, {"input": {"state": "available"}}, token=agent.token)
    taken = (await sub.next_data())["pendingCallbackChanges"]
    assert taken == [], "reserved for the agent: no longer waiting"

    try:
        async with asyncio.timeout(0.5):
            leaked = await other.next_data()
    except TimeoutError:
        leaked = None
    assert leaked is None, "tenant B's agent is told nothing of tenant A's callbacks"
