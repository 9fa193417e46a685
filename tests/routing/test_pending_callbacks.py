"""pendingCallbacks: callers keeping their place, for the agents of their queues only."""

from __future__ import annotations

from redis.asyncio import Redis

from routing.engine.engine import AcdEngine
from tests.conftest import GraphQL, TenantAccount
from tests.routing.conftest import FakeClock, new_call
from tests.routing.live.test_graphql import SIGN_IN, gid, make_user, tenant_raw
from tests.routing.routing_config import publish_agent, publish_queue, publish_tenant

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
