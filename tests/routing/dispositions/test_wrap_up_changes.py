"""wrapUpChanges over a real WebSocket: the agent's own wrap-up, pushed as routing changes it."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from routing.engine.engine import AcdEngine
from tests.conftest import GraphQL, TenantAccount
from tests.routing.conftest import new_call
from tests.routing.dispositions.test_dispositions import create
from tests.routing.dispositions.test_wrap_up_graphql import WRAP_UP_CALL
from tests.routing.live.test_graphql import SET_STATE, SIGN_IN, gid, make_user, tenant_raw
from tests.routing.live.test_subscriptions import Subscriber, bearer, open_socket, ws_url
from tests.routing.routing_config import publish_agent, publish_queue, publish_tenant

__all__ = ["ws_url"]

CHANGES = "subscription { wrapUpChanges { state callId requireDisposition disposition { code } } }"


async def until_state(sub: Subscriber, state: str) -> dict:
    while True:
        change = (await sub.next_data())["wrapUpChanges"]
        if change["state"] == state:
            return change


async def test_agent_follows_its_own_wrap_up_and_no_one_elses(
    ws_url: str, gql: GraphQL, redis: Redis, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    tid = tenant_raw(tenant_a)
    await publish_tenant(redis, tid, slug=tenant_a.slug)
    queue = await publish_queue(redis, tid, wrapup_s=60, require_disposition=1)
    agent = await make_user(gql, tenant_a, "agent")
    await publish_agent(redis, tid, agent.user_id, queues=[queue])
    await gql(SIGN_IN, {"input": {"queueId": gid("Queue", queue)}}, token=agent.token)
    stranger = await make_user(gql, tenant_b, "agent")

    _, sub = await open_socket(ws_url, init=bearer(agent.token))
    await sub.subscribe(CHANGES)
    assert (await sub.next_data())["wrapUpChanges"]["state"] == "offline"
    _, other = await open_socket(ws_url, init=bearer(stranger.token))
    await other.subscribe(CHANGES)
    assert (await other.next_data())["wrapUpChanges"]["state"] == "offline"

    await gql(SET_STATE, {"input": {"state": "available"}}, token=agent.token)
    await until_state(sub, "available")
    engine = AcdEngine(redis)
    call = new_call(queue)
    await engine.enqueue(tenant_id=tid, call=call)
    await engine.call_event(tenant_id=tid, call_id=call.call_id, event_type="answered")
    await engine.call_event(tenant_id=tid, call_id=call.call_id, event_type="ended", by="caller")
    acw = await until_state(sub, "acw")
    assert acw["callId"] == call.call_id and acw["requireDisposition"] is True

    sale = await create(gql, tenant_a, "sale")
    await gql(
        WRAP_UP_CALL,
        {"i": {"callId": call.call_id, "dispositionId": sale["id"], "finish": True}},
        token=agent.token,
    )
    done = await until_state(sub, "available")
    assert done["callId"] is None

    try:
        async with asyncio.timeout(0.5):
            leaked = await other.next_data()
    except TimeoutError:
        leaked = None
    assert leaked is None, "tenant B's agent sees nothing of tenant A's"
