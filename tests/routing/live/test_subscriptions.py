"""GraphQL subscriptions over a real WebSocket (uvicorn + the ``websockets`` client).

The API runs on 127.0.0.1 with the suite's PostgreSQL and Valkey; calls are driven through
routing's call-control HTTP API (or the engine), so events come from the real Lua scripts.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis
from websockets.asyncio.client import ClientConnection, connect

from api.app import create_app
from api.clients import ApiServices
from routing.call_control.app import create_routing_app
from routing.clients import RoutingServices
from routing.engine.engine import AcdEngine
from routing.live.stream import LIVE_CLIENT_NAME
from tenants.settings import Settings
from tests.conftest import GraphQL, TenantAccount
from tests.routing.conftest import new_call
from tests.routing.fake_node import running_node
from tests.routing.live.test_graphql import Staff, gid, make_user, tenant_raw
from tests.routing.routing_config import publish_agent, publish_did, publish_queue, publish_tenant
from tests.serving import served, until
from tests.tenants.crm.conftest import create_customer

OFFERS = """
subscription($agent: ID) {
  callOffers(agentId: $agent) {
    callId agentId from to offeredAt
    queue { id name }
    screenPop { number customer { id name } openTickets { id } recentCalls { callId } }
  }
}"""
LIVE = """
subscription($queue: ID) {
  liveChanges(queueId: $queue) {
    __typename
    ... on QueueChange {
      event callId outcome at
      status { queueId waiting longestWaitSeconds agentsByState { state count } }
    }
    ... on AgentStateChange { agentId displayName state previousState reason callId since }
  }
}"""
CALLER = "+33612345678"
WAIT_S = 20
"""Upper bound of every wait (met in milliseconds; generous for a loaded CI machine)."""
CREATE_KEY = """
mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }"""
REVOKE_KEY = "mutation($id: ID!) { revokeApiKey(id: $id) { id } }"


@pytest.fixture(scope="module")
async def ws_url(settings: Settings, services: ApiServices) -> AsyncIterator[str]:
    """The API served by uvicorn on a free local port; its WebSocket URL."""
    async with served(create_app(settings, services), grace_s=WAIT_S) as api:
        yield f"{api.ws_url}/graphql"


class Subscriber:
    """One graphql-transport-ws connection."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self.ids = 0

    async def subscribe(self, query: str, variables: dict[str, Any] | None = None) -> str:
        self.ids += 1
        op = str(self.ids)
        payload = {"query": query, "variables": variables or {}}
        await self.socket.send(json.dumps({"id": op, "type": "subscribe", "payload": payload}))
        return op

    async def receive(self) -> dict[str, Any]:
        async with asyncio.timeout(WAIT_S):
            while True:
                message = json.loads(await self.socket.recv())
                if message["type"] != "ping":
                    return message

    async def next_data(self) -> dict[str, Any]:
        message = await self.receive()
        assert message["type"] == "next", message
        assert "errors" not in message["payload"], message
        return message["payload"]["data"]

    async def error_code(self) -> str:
        message = await self.receive()
        assert message["type"] in {"next", "error"}, message
        errors = message["payload"]["errors"] if message["type"] == "next" else message["payload"]
        return errors[0]["extensions"]["code"]


async def open_socket(
    url: str,
    *,
    init: dict[str, Any] | None = None,
    header_token: str | None = None,
    origin: str | None = None,
) -> tuple[ClientConnection, Subscriber]:
    headers = {"Authorization": f"Bearer {header_token}"} if header_token else None
    socket = await connect(
        url,
        subprotocols=["graphql-transport-ws"],
        additional_headers=headers,
        origin=origin,  # type: ignore[arg-type]
    )
    await socket.send(json.dumps({"type": "connection_init", "payload": init or {}}))
    ack = json.loads(await socket.recv())
    assert ack["type"] == "connection_ack", ack
    return socket, Subscriber(socket)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def live_readers(redis: Redis, *, blocked: bool = False) -> int:
    """Connections of live readers (``blocked``: only those waiting in XREAD)."""
    clients = await redis.client_list()
    return sum(
        1
        for c in clients
        if c.get("name") == LIVE_CLIENT_NAME and (not blocked or c.get("cmd") == "xread")
    )


async def wait_readers(redis: Redis, count: int, *, blocked: bool = True) -> None:
    """Wait until exactly ``count`` live readers exist (blocked in XREAD when ``blocked``)."""

    async def exactly() -> bool:
        return await live_readers(redis, blocked=blocked) == count

    await until(exactly, limit_s=WAIT_S, what=f"{count} live readers")


async def changes_until(sub: Subscriber, last: Any) -> list[dict[str, Any]]:
    """``liveChanges`` received up to and including the first one ``last`` accepts."""
    seen: list[dict[str, Any]] = []
    while not seen or not last(seen[-1]):
        seen.append((await sub.next_data())["liveChanges"])
    return seen


class Center:
    """A real tenant with a queue, a DID and one agent, published for routing."""

    def __init__(self, tenant: TenantAccount, queue: str, did: str, agent: Staff) -> None:
        self.tenant, self.queue, self.did, self.agent = tenant, queue, did, agent
        self.tid = tenant_raw(tenant)


async def center_of(gql: GraphQL, redis: Redis, tenant: TenantAccount) -> Center:
    tid = tenant_raw(tenant)
    await publish_tenant(redis, tid, slug=tenant.slug)
    queue = await publish_queue(redis, tid, name="Support")
    agent = await make_user(gql, tenant, "agent")
    await publish_agent(redis, tid, agent.user_id, queues=[queue], display_name="Ada Agent")
    did = "+3319" + str(uuid.uuid4().int)[:8]
    await publish_did(redis, did, tenant_id=tid, queue_id=queue)
    return Center(tenant, queue, did, agent)


async def available(engine: AcdEngine, center: Center) -> None:
    agent = center.agent.user_id
    await engine.sign_in(tenant_id=center.tid, agent_id=agent, queue_id=center.queue)
    await engine.set_agent_state(tenant_id=center.tid, agent_id=agent, state="available")


@pytest.fixture
async def routing_http(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """Routing's call-control API (real CRM classifier) with a fake Kamailio node behind."""
    services = RoutingServices.build(settings)
    app = create_routing_app(settings, services, run_timers=False)
    async with running_node() as node:
        headers = {"X-Hotline-Secret": services.secret}
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://routing.test", headers=headers
        ) as http:
            http.node = node  # type: ignore[attr-defined]
            yield http
        await services.dispatcher.drain()
    await services.close()


async def post_call(http: httpx.AsyncClient, center: Center, call_id: str) -> None:
    response = await http.post(
        "/v1/calls",
        json={
            "call_id": call_id,
            "node": "k1",
            "continue_url": http.node.url(call_id),  # type: ignore[attr-defined]
            "tindex": 1,
            "tlabel": "2",
            "from": CALLER,
            "to": center.did,
        },
    )
    assert response.status_code == 202, response.text


async def test_agent_receives_offer_with_screen_pop(
    ws_url: str,
    gql: GraphQL,
    redis: Redis,
    tenant_a: TenantAccount,
    routing_http: httpx.AsyncClient,
) -> None:
    center = await center_of(gql, redis, tenant_a)
    customer = await create_customer(gql, tenant_a, name="Grace Caller", phones=[CALLER])
    supervisor = await make_user(gql, tenant_a, "supervisor")
    baseline = await live_readers(redis)
    agent_socket, agent_sub = await open_socket(ws_url, init=bearer(center.agent.token))
    # A supervisor watches the same agent's offers, with lower-case header name and the
    # token on the upgrade request instead.
    sup_socket, sup_sub = await open_socket(ws_url, header_token=supervisor.token)
    try:
        await agent_sub.subscribe(OFFERS)
        await sup_sub.subscribe(OFFERS, {"agent": gid("User", center.agent.user_id)})
        await wait_readers(redis, baseline + 2)
        await available(AcdEngine(redis), center)
        call_id = f"offer-{uuid.uuid4().hex[:8]}"
        await post_call(routing_http, center, call_id)
        offer = (await agent_sub.next_data())["callOffers"]
        assert offer["callId"] == call_id
        assert offer["agentId"] == gid("User", center.agent.user_id)
        assert offer["from"] == CALLER and offer["to"] == center.did
        assert offer["queue"] == {"id": gid("Queue", center.queue), "name": "Support"}
        assert offer["offeredAt"]
        assert offer["screenPop"] == {
            "number": CALLER,
            "customer": {"id": customer["id"], "name": "Grace Caller"},
            "openTickets": [],
            "recentCalls": [],
        }
        assert (await sup_sub.next_data())["callOffers"] == offer
    finally:
        await agent_socket.close()
        await sup_socket.close()
    await wait_readers(redis, baseline, blocked=False)


async def test_offer_for_an_unknown_caller_has_an_empty_pop(
    ws_url: str, gql: GraphQL, redis: Redis, tenant_a: TenantAccount
) -> None:
    center = await center_of(gql, redis, tenant_a)
    baseline = await live_readers(redis)
    # A bare token under a lower-case key, from a page served on another origin.
    socket, sub = await open_socket(
        ws_url, init={"authorization": center.agent.token}, origin="https://desk.example.com"
    )
    try:
        await sub.subscribe(OFFERS)
        await wait_readers(redis, baseline + 1)
        engine = AcdEngine(redis)
        await available(engine, center)
        await engine.enqueue(tenant_id=center.tid, call=new_call(center.queue, "anon-1"))
        offer = (await sub.next_data())["callOffers"]
        assert offer["callId"] == "anon-1"
        assert offer["screenPop"]["customer"] is None
        await engine.call_event(tenant_id=center.tid, call_id="anon-1", event_type="abandoned")
        await engine.set_agent_state(
            tenant_id=center.tid, agent_id=center.agent.user_id, state="available"
        )
        withheld = dataclasses.replace(new_call(center.queue, "anon-2"), from_number="anonymous")
        await engine.enqueue(tenant_id=center.tid, call=withheld)
        offer = (await sub.next_data())["callOffers"]
        assert offer["callId"] == "anon-2"
        assert offer["from"] == "anonymous" and offer["screenPop"] is None
    finally:
        await socket.close()


async def test_supervisor_sees_queue_and_agent_changes(
    ws_url: str, gql: GraphQL, redis: Redis, tenant_a: TenantAccount
) -> None:
    center = await center_of(gql, redis, tenant_a)
    supervisor = await make_user(gql, tenant_a, "supervisor")
    baseline = await live_readers(redis)
    socket, sub = await open_socket(ws_url, init=bearer(supervisor.token))
    try:
        await sub.subscribe(LIVE, {"queue": gid("Queue", center.queue)})
        await wait_readers(redis, baseline + 1)
        engine = AcdEngine(redis)
        await engine.enqueue(tenant_id=center.tid, call=new_call(center.queue, "live-1"))
        change = (await sub.next_data())["liveChanges"]
        assert change["__typename"] == "QueueChange"
        assert change["event"] == "enqueued" and change["callId"] == "live-1"
        assert change["status"]["queueId"] == gid("Queue", center.queue)
        assert change["status"]["waiting"] == 1
        await available(engine, center)
        seen = await changes_until(sub, lambda c: c.get("event") == "reserved")
        agent_gid = gid("User", center.agent.user_id)
        agents = [c for c in seen if c["__typename"] == "AgentStateChange"]
        assert [(c["previousState"], c["state"]) for c in agents] == [
            ("offline", "available"),
            ("available", "reserved"),
        ], seen
        assert {c["agentId"] for c in agents} == {agent_gid}
        assert {c["displayName"] for c in agents} == {"Ada Agent"}
        assert agents[-1]["callId"] == "live-1" and agents[-1]["since"]
        reserved = seen[-1]
        assert reserved["callId"] == "live-1" and reserved["status"]["waiting"] == 0
        assert reserved["status"]["agentsByState"] == [{"state": "reserved", "count": 1}]
        await engine.call_event(tenant_id=center.tid, call_id="live-1", event_type="abandoned")
        seen = await changes_until(sub, lambda c: c.get("previousState") == "reserved")
        abandoned = [c for c in seen if c.get("event") == "abandoned"]
        assert len(abandoned) == 1, seen
        assert abandoned[0]["outcome"] == "short_abandoned"
        assert abandoned[0]["status"]["waiting"] == 0
    finally:
        await socket.close()


async def test_tenant_b_sees_none_of_tenant_a(
    ws_url: str, gql: GraphQL, redis: Redis, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    a = await center_of(gql, redis, tenant_a)
    b = await center_of(gql, redis, tenant_b)
    b_super = await make_user(gql, tenant_b, "supervisor")
    baseline = await live_readers(redis)
    sockets = []
    try:
        socket, b_live = await open_socket(ws_url, init=bearer(b_super.token))
        sockets.append(socket)
        socket, b_offers = await open_socket(ws_url, init=bearer(b.agent.token))
        sockets.append(socket)
        await b_live.subscribe(LIVE)
        await b_offers.subscribe(OFFERS)
        await wait_readers(redis, baseline + 2)
        engine = AcdEngine(redis)
        # Tenant A's agent and calls change state, are offered and abandoned ...
        await available(engine, a)
        await engine.enqueue(tenant_id=a.tid, call=new_call(a.queue, "a-call"))
        await engine.call_event(tenant_id=a.tid, call_id="a-call", event_type="abandoned")
        assert "call.reserved" in [
            e["type"] for _, e in await redis.xrange(f"{{t:{a.tid}}}:events")
        ]
        # ... then tenant B's own call: the first thing B hears of is its own.
        await available(engine, b)
        await engine.enqueue(tenant_id=b.tid, call=new_call(b.queue, "b-call"))
        offer = (await b_offers.next_data())["callOffers"]
        assert offer["callId"] == "b-call"
        assert offer["queue"]["id"] == gid("Queue", b.queue)
        seen = await changes_until(b_live, lambda c: c.get("event") == "reserved")
        assert {c.get("callId") for c in seen} <= {"b-call", None}
        assert {c["agentId"] for c in seen if "agentId" in c} == {gid("User", b.agent.user_id)}
        assert {c["status"]["queueId"] for c in seen if "status" in c} == {gid("Queue", b.queue)}
    finally:
        for socket in sockets:
            await socket.close()


async def test_who_may_subscribe(
    ws_url: str, gql: GraphQL, redis: Redis, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    a = await center_of(gql, redis, tenant_a)
    peer = await make_user(gql, tenant_a, "agent")
    await publish_agent(redis, a.tid, peer.user_id, queues=[a.queue])
    b_super = await make_user(gql, tenant_b, "supervisor")
    a_agent = gid("User", a.agent.user_id)
    cases = [
        (peer.token, OFFERS, {"agent": a_agent}, "FORBIDDEN"),
        (a.agent.token, LIVE, {}, "FORBIDDEN"),
        (b_super.token, OFFERS, {"agent": a_agent}, "NOT_FOUND"),
        (tenant_b.token, OFFERS, {"agent": a_agent}, "NOT_FOUND"),
        (tenant_b.token, LIVE, {"queue": gid("Queue", a.queue)}, "NOT_FOUND"),
        (tenant_a.token, LIVE, {"queue": "not-a-global-id"}, "NOT_FOUND"),
        (tenant_a.token, OFFERS, {"agent": gid("User", str(uuid.uuid4()))}, "NOT_FOUND"),
    ]
    baseline = await live_readers(redis)
    for token, query, variables, code in cases:
        socket, sub = await open_socket(ws_url, init=bearer(token))
        try:
            await sub.subscribe(query, variables)
            assert await sub.error_code() == code, (query, variables)
        finally:
            await socket.close()
    # A refused subscription never opened a reader.
    assert await live_readers(redis) == baseline


async def test_credentials_are_required(
    ws_url: str, gql: GraphQL, redis: Redis, tenant_a: TenantAccount
) -> None:
    created = await gql(
        CREATE_KEY, {"input": {"name": "wall", "role": "ADMIN"}}, token=tenant_a.token
    )
    key = created["data"]["createApiKey"]
    revoked = await gql(REVOKE_KEY, {"id": key["apiKey"]["id"]}, token=tenant_a.token)
    assert "errors" not in revoked, revoked
    for init, header in (
        ({}, None),
        (bearer("not-a-token"), None),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, None),
        (bearer(key["secret"]), None),
        ({}, "not-a-token"),
        # The connection_init payload wins over the upgrade header.
        (bearer("not-a-token"), tenant_a.token),
    ):
        for query in (OFFERS, LIVE):
            socket, sub = await open_socket(ws_url, init=init, header_token=header)
            try:
                await sub.subscribe(query)
                assert await sub.error_code() == "UNAUTHENTICATED", (init, header)
            finally:
                await socket.close()


async def test_api_key_and_legacy_graphql_ws_protocol(
    ws_url: str, gql: GraphQL, redis: Redis, tenant_a: TenantAccount
) -> None:
    a = await center_of(gql, redis, tenant_a)
    created = await gql(
        CREATE_KEY, {"input": {"name": "wall", "role": "SUPERVISOR"}}, token=tenant_a.token
    )
    secret = created["data"]["createApiKey"]["secret"]
    baseline = await live_readers(redis)
    async with connect(ws_url, subprotocols=["graphql-ws"]) as socket:
        await socket.send(json.dumps({"type": "connection_init", "payload": bearer(secret)}))
        assert json.loads(await socket.recv())["type"] == "connection_ack"
        await socket.send(json.dumps({"type": "start", "id": "k", "payload": {"query": OFFERS}}))
        error = json.loads(await socket.recv())
        # An API key is nobody: it must name the agent.
        assert error["payload"]["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", error
        start = {"query": OFFERS, "variables": {"agent": gid("User", a.agent.user_id)}}
        await socket.send(json.dumps({"type": "start", "id": "o", "payload": start}))
        await wait_readers(redis, baseline + 1)
        engine = AcdEngine(redis)
        await available(engine, a)
        await engine.enqueue(tenant_id=a.tid, call=new_call(a.queue, "legacy-1"))
        async with asyncio.timeout(WAIT_S):
            while (message := json.loads(await socket.recv()))["type"] != "data":
                pass
        assert message["id"] == "o"
        assert message["payload"]["data"]["callOffers"]["callId"] == "legacy-1"
    await wait_readers(redis, baseline, blocked=False)


async def test_a_departed_client_leaves_no_reader(
    ws_url: str, gql: GraphQL, redis: Redis, tenant_a: TenantAccount
) -> None:
    a = await center_of(gql, redis, tenant_a)
    baseline = await live_readers(redis)
    socket, sub = await open_socket(ws_url, init=bearer(a.agent.token))
    other, live = await open_socket(ws_url, init=bearer(tenant_a.token))
    await sub.subscribe(OFFERS)
    await live.subscribe(LIVE)
    await wait_readers(redis, baseline + 2)
    # A client that goes away without a word ...
    socket.transport.abort()
    await wait_readers(redis, baseline + 1, blocked=False)
    # ... and one that completes its subscription but keeps the socket.
    await other.send(json.dumps({"id": "1", "type": "complete"}))
    await wait_readers(redis, baseline, blocked=False)
    await other.close()


async def test_queries_belong_on_http(ws_url: str, tenant_a: TenantAccount) -> None:
    socket, sub = await open_socket(ws_url, init=bearer(tenant_a.token))
    try:
        await sub.subscribe("query { agents { agentId } }")
        assert await sub.error_code() == "BAD_USER_INPUT"
        await sub.subscribe("subscription { callOffers { nope } }")
        assert await sub.error_code() == "BAD_USER_INPUT"
    finally:
        await socket.close()


async def test_one_connection_many_subscriptions(
    ws_url: str, gql: GraphQL, redis: Redis, tenant_a: TenantAccount
) -> None:
    """Each subscription of a connection resolves its events in its own short session."""
    a = await center_of(gql, redis, tenant_a)
    second = await make_user(gql, tenant_a, "agent")
    await publish_agent(redis, a.tid, second.user_id, queues=[a.queue])
    customer = await create_customer(gql, tenant_a, name="Grace Caller", phones=[CALLER])
    baseline = await live_readers(redis)
    socket, sub = await open_socket(ws_url, init=bearer(tenant_a.token))
    try:
        ops = {
            await sub.subscribe(OFFERS, {"agent": gid("User", agent)}): agent
            for agent in (a.agent.user_id, second.user_id)
        }
        await sub.subscribe(LIVE)
        await wait_readers(redis, baseline + 3)
        engine = AcdEngine(redis)
        for agent in ops.values():
            await engine.sign_in(tenant_id=a.tid, agent_id=agent, queue_id=a.queue)
            await engine.set_agent_state(tenant_id=a.tid, agent_id=agent, state="available")
        for n in range(2):
            await engine.enqueue(tenant_id=a.tid, call=new_call(a.queue, f"many-{n}"))
        offers: dict[str, dict[str, Any]] = {}
        async with asyncio.timeout(2 * WAIT_S):
            while len(offers) < 2:
                message = await sub.receive()
                assert message["type"] == "next" and "errors" not in message["payload"], message
                if message["id"] in ops:
                    offers[message["id"]] = message["payload"]["data"]["callOffers"]
        assert {o["callId"] for o in offers.values()} == {"many-0", "many-1"}
        for op, offer in offers.items():
            assert offer["agentId"] == gid("User", ops[op])
            assert offer["screenPop"]["customer"]["id"] == customer["id"]
    finally:
        await socket.close()
    await wait_readers(redis, baseline, blocked=False)


async def test_server_shutdown_ends_open_subscriptions(
    settings: Settings, services: ApiServices, gql: GraphQL, redis: Redis, tenant_a: TenantAccount
) -> None:
    """Stopping the API with subscribers connected neither hangs nor leaves readers behind."""
    async with served(create_app(settings, services), grace_s=2 * WAIT_S) as api:
        baseline = await live_readers(redis)
        socket, sub = await open_socket(f"{api.ws_url}/graphql", init=bearer(tenant_a.token))
        await sub.subscribe(LIVE)
        await wait_readers(redis, baseline + 1)
        api.server.should_exit = True
        done, _ = await asyncio.wait([api.task], timeout=2 * WAIT_S)
        assert api.task in done, "the API did not stop with a subscriber connected"
    await wait_readers(redis, baseline, blocked=False)
    await socket.close()


LIVE_AGENT_CALLS = """
subscription {
  liveChanges {
    __typename
    ... on AgentStateChange {
      agentId state callId queueIds
      call { callId from queueId answeredAt customerName }
    }
  }
}"""


async def test_agent_changes_carry_the_call_and_the_queues(
    ws_url: str,
    gql: GraphQL,
    redis: Redis,
    tenant_a: TenantAccount,
    routing_http: httpx.AsyncClient,
) -> None:
    center = await center_of(gql, redis, tenant_a)
    await create_customer(gql, tenant_a, name="Grace Caller", phones=[CALLER])
    supervisor = await make_user(gql, tenant_a, "supervisor")
    baseline = await live_readers(redis)
    socket, sub = await open_socket(ws_url, init=bearer(supervisor.token))
    try:
        await sub.subscribe(LIVE_AGENT_CALLS)
        await wait_readers(redis, baseline + 1)
        await available(AcdEngine(redis), center)
        call_id = f"agent-call-{uuid.uuid4().hex[:8]}"
        await post_call(routing_http, center, call_id)
        seen = await changes_until(
            sub, lambda c: c["__typename"] == "AgentStateChange" and c["state"] == "reserved"
        )
        ringing = seen[-1]
        assert ringing["callId"] == call_id
        assert ringing["queueIds"] == [gid("Queue", center.queue)]
        assert ringing["call"] == {
            "callId": call_id,
            "from": CALLER,
            "queueId": gid("Queue", center.queue),
            "answeredAt": None,
            "customerName": "Grace Caller",
        }
        idle = next(c for c in seen if c.get("state") == "available")
        assert idle["call"] is None and idle["queueIds"] == [gid("Queue", center.queue)]
    finally:
        await socket.close()
    await wait_readers(redis, baseline, blocked=False)
