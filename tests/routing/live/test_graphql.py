"""Runtime GraphQL of routing: roles, transitions, and tenant isolation for each field."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass

from redis.asyncio import Redis

from tests.conftest import GraphQL, TenantAccount, error_code
from tests.routing.routing_config import publish_agent, publish_queue, publish_tenant

CREATE_USER = """
mutation($input: CreateUserInput!) { createUser(input: $input) { id } }"""
LOG_IN = """
mutation($input: LogInInput!) { logIn(input: $input) { token } }"""
SET_STATE = """
mutation($input: SetAgentStateInput!) {
  setAgentState(input: $input) { agentId state secondsInState queueIds }
}"""
SIGN_IN = """
mutation($input: QueueMembershipInput!) { signInToQueue(input: $input) { state queueIds } }"""
SIGN_OUT = """
mutation($input: QueueMembershipInput!) { signOutOfQueue(input: $input) { state queueIds } }"""
QUEUE_STATUS = """
query($id: ID!) {
  queueStatus(queueId: $id) { waiting longestWaitSeconds agentsByState { state count } }
}"""
AGENTS = "query { agents { nodes { agentId state secondsInState callId } } }"
AGENTS_PAGE = """
query($first: Int, $after: String, $state: String, $queueId: ID) {
  agents(first: $first, after: $after, state: $state, queueId: $queueId) {
    edges { cursor node { agentId state displayName queueIds } }
    pageInfo { hasNextPage endCursor }
  }
}"""


def gid(kind: str, raw: str) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{raw}".encode()).decode()


def raw_id(global_id: str) -> str:
    padded = global_id + "=" * (-len(global_id) % 4)
    return base64.urlsafe_b64decode(padded).decode().split(":", 1)[1]


@dataclass
class Staff:
    token: str
    user_id: str


async def make_user(gql: GraphQL, tenant: TenantAccount, role: str) -> Staff:
    email = f"{role}-{uuid.uuid4().hex[:8]}@example.com"
    password = "correct horse battery staple"
    body = await gql(
        CREATE_USER,
        {"input": {"email": email, "password": password, "role": role.upper()}},
        token=tenant.token,
    )
    assert "errors" not in body, body
    logged = await gql(
        LOG_IN, {"input": {"tenantSlug": tenant.slug, "email": email, "password": password}}
    )
    assert "errors" not in logged, logged
    return Staff(logged["data"]["logIn"]["token"], raw_id(body["data"]["createUser"]["id"]))


def tenant_raw(tenant: TenantAccount) -> str:
    return raw_id(tenant.tenant_id)


async def setup(gql: GraphQL, redis: Redis, tenant: TenantAccount) -> tuple[str, Staff, Staff]:
    tid = tenant_raw(tenant)
    await publish_tenant(redis, tid, slug=tenant.slug)
    queue = await publish_queue(redis, tid)
    agent = await make_user(gql, tenant, "agent")
    await publish_agent(redis, tid, agent.user_id, queues=[queue])
    supervisor = await make_user(gql, tenant, "supervisor")
    return queue, agent, supervisor


async def test_agent_sets_own_state_and_signs_in(
    gql: GraphQL, redis: Redis, tenant_a: TenantAccount
) -> None:
    queue, agent, _ = await setup(gql, redis, tenant_a)
    body = await gql(SIGN_IN, {"input": {"queueId": gid("Queue", queue)}}, token=agent.token)
    assert body["data"]["signInToQueue"]["queueIds"] == [gid("Queue", queue)]
    body = await gql(SET_STATE, {"input": {"state": "available"}}, token=agent.token)
    assert body["data"]["setAgentState"]["state"] == "available"
    assert body["data"]["setAgentState"]["agentId"] == gid("User", agent.user_id)
    body = await gql(SET_STATE, {"input": {"state": "break", "reason": "lunch"}}, token=agent.token)
    assert body["data"]["setAgentState"]["state"] == "break:lunch"
    agents = await gql(AGENTS, token=agent.token)
    assert [a["state"] for a in agents["data"]["agents"]["nodes"]] == ["break:lunch"]
    out = await gql(SIGN_OUT, {"input": {"queueId": gid("Queue", queue)}}, token=agent.token)
    assert out["data"]["signOutOfQueue"]["queueIds"] == []


async def test_bad_states_are_bad_user_input(
    gql: GraphQL, redis: Redis, tenant_a: TenantAccount
) -> None:
    _, agent, _ = await setup(gql, redis, tenant_a)
    for state_input in (
        {"state": "on_contact"},
        {"state": "break"},
        {"state": "break", "reason": "Bad Reason!"},
    ):
        body = await gql(SET_STATE, {"input": state_input}, token=agent.token)
        assert error_code(body) == "BAD_USER_INPUT", body


async def test_invalid_transition_is_bad_user_input(
    gql: GraphQL, redis: Redis, tenant_a: TenantAccount
) -> None:
    from routing.engine.engine import AcdEngine
    from tests.routing.conftest import new_call

    queue, agent, _ = await setup(gql, redis, tenant_a)
    await gql(SIGN_IN, {"input": {"queueId": gid("Queue", queue)}}, token=agent.token)
    await gql(SET_STATE, {"input": {"state": "available"}}, token=agent.token)
    await AcdEngine(redis).enqueue(tenant_id=tenant_raw(tenant_a), call=new_call(queue))
    body = await gql(SET_STATE, {"input": {"state": "offline"}}, token=agent.token)
    assert error_code(body) == "BAD_USER_INPUT"
    status = await gql(QUEUE_STATUS, {"id": gid("Queue", queue)}, token=agent.token)
    assert status["data"]["queueStatus"]["agentsByState"] == [{"state": "reserved", "count": 1}]


async def test_supervisor_may_act_for_agents_agents_may_not(
    gql: GraphQL, redis: Redis, tenant_a: TenantAccount
) -> None:
    queue, agent, supervisor = await setup(gql, redis, tenant_a)
    peer = await make_user(gql, tenant_a, "agent")
    await publish_agent(redis, tenant_raw(tenant_a), peer.user_id, queues=[queue])
    target = gid("User", agent.user_id)
    body = await gql(
        SET_STATE, {"input": {"state": "available", "agentId": target}}, token=peer.token
    )
    assert error_code(body) == "FORBIDDEN"
    body = await gql(
        SIGN_IN, {"input": {"queueId": gid("Queue", queue), "agentId": target}}, token=peer.token
    )
    assert error_code(body) == "FORBIDDEN"
    body = await gql(
        SIGN_IN,
        {"input": {"queueId": gid("Queue", queue), "agentId": target}},
        token=supervisor.token,
    )
    assert "errors" not in body, body
    body = await gql(
        SET_STATE, {"input": {"state": "available", "agentId": target}}, token=supervisor.token
    )
    assert body["data"]["setAgentState"]["state"] == "available"
    body = await gql(
        SET_STATE, {"input": {"state": "offline", "agentId": target}}, token=tenant_a.token
    )
    assert body["data"]["setAgentState"]["state"] == "offline"
    listed = await gql(AGENTS, token=supervisor.token)
    assert {a["agentId"] for a in listed["data"]["agents"]["nodes"]} == {target}


async def test_queue_status_counts_waiting(
    gql: GraphQL, redis: Redis, tenant_a: TenantAccount
) -> None:
    from routing.engine.engine import AcdEngine
    from tests.routing.conftest import new_call

    queue, agent, _ = await setup(gql, redis, tenant_a)
    engine = AcdEngine(redis)
    for _ in range(3):
        await engine.enqueue(tenant_id=tenant_raw(tenant_a), call=new_call(queue))
    body = await gql(QUEUE_STATUS, {"id": gid("Queue", queue)}, token=agent.token)
    status = body["data"]["queueStatus"]
    assert status["waiting"] == 3 and status["longestWaitSeconds"] >= 0
    missing = await gql(QUEUE_STATUS, {"id": gid("Queue", str(uuid.uuid4()))}, token=agent.token)
    assert error_code(missing) == "NOT_FOUND"


async def test_tenant_b_sees_and_changes_nothing_of_a(
    gql: GraphQL, redis: Redis, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    queue, agent, _ = await setup(gql, redis, tenant_a)
    await gql(SIGN_IN, {"input": {"queueId": gid("Queue", queue)}}, token=agent.token)
    await gql(SET_STATE, {"input": {"state": "available"}}, token=agent.token)
    target = gid("User", agent.user_id)
    b_super = await make_user(gql, tenant_b, "supervisor")
    for token in (tenant_b.token, b_super.token):
        body = await gql(SET_STATE, {"input": {"state": "offline", "agentId": target}}, token=token)
        assert error_code(body) == "NOT_FOUND", body
        body = await gql(
            SIGN_OUT, {"input": {"queueId": gid("Queue", queue), "agentId": target}}, token=token
        )
        assert error_code(body) == "NOT_FOUND", body
        body = await gql(
            SIGN_IN, {"input": {"queueId": gid("Queue", queue), "agentId": target}}, token=token
        )
        assert error_code(body) == "NOT_FOUND", body
        body = await gql(QUEUE_STATUS, {"id": gid("Queue", queue)}, token=token)
        assert error_code(body) == "NOT_FOUND", body
        listed = await gql(AGENTS, token=token)
        assert listed["data"]["agents"]["nodes"] == []
    mine = await gql(AGENTS, token=tenant_a.token)
    assert [a["state"] for a in mine["data"]["agents"]["nodes"]] == ["available"]
    status = await gql(QUEUE_STATUS, {"id": gid("Queue", queue)}, token=tenant_a.token)
    assert status["data"]["queueStatus"]["agentsByState"] == [{"state": "available", "count": 1}]


async def test_unauthenticated(gql: GraphQL) -> None:
    assert error_code(await gql(AGENTS)) == "UNAUTHENTICATED"
    body = await gql(SET_STATE, {"input": {"state": "available"}})
    assert error_code(body) == "UNAUTHENTICATED"


async def test_agents_is_a_filtered_paginated_connection(
    gql: GraphQL, redis: Redis, tenant_a: TenantAccount
) -> None:
    queue, first_agent, supervisor = await setup(gql, redis, tenant_a)
    tid = tenant_raw(tenant_a)
    others = [await make_user(gql, tenant_a, "agent") for _ in range(2)]
    for other in others:
        await publish_agent(redis, tid, other.user_id, queues=[queue])
    everyone = [first_agent, *others]
    await gql(SIGN_IN, {"input": {"queueId": gid("Queue", queue)}}, token=first_agent.token)
    await gql(SET_STATE, {"input": {"state": "available"}}, token=first_agent.token)
    await gql(SET_STATE, {"input": {"state": "break", "reason": "lunch"}}, token=others[0].token)
    await gql(SET_STATE, {"input": {"state": "available"}}, token=others[1].token)

    seen, after = [], None
    while True:
        body = await gql(AGENTS_PAGE, {"first": 2, "after": after}, token=supervisor.token)
        assert "errors" not in body, body
        page = body["data"]["agents"]
        seen += [edge["node"] for edge in page["edges"]]
        assert len(page["edges"]) <= 2
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    # Ordered by agent, each exactly once across the pages.
    assert [raw_id(n["agentId"]) for n in seen] == sorted(s.user_id for s in everyone)
    assert all(n["displayName"] for n in seen)

    breaks = await gql(AGENTS_PAGE, {"state": "break"}, token=supervisor.token)
    assert [e["node"]["state"] for e in breaks["data"]["agents"]["edges"]] == ["break:lunch"]
    in_queue = await gql(AGENTS_PAGE, {"queueId": gid("Queue", queue)}, token=supervisor.token)
    assert [e["node"]["agentId"] for e in in_queue["data"]["agents"]["edges"]] == [
        gid("User", first_agent.user_id)
    ]
    bad = await gql(AGENTS_PAGE, {"after": "not-a-cursor"}, token=supervisor.token)
    assert error_code(bad) == "BAD_USER_INPUT"
    too_many = await gql(AGENTS_PAGE, {"first": 10_000}, token=supervisor.token)
    assert error_code(too_many) == "BAD_USER_INPUT"


AGENT_CALLS = """
query {
  agents {
    nodes { agentId state callId call { callId from queueId answeredAt customerId customerName } }
  }
}"""


async def test_agents_show_their_current_call_to_their_tenant_only(
    gql: GraphQL, redis: Redis, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    from routing.engine.engine import AcdEngine
    from tests.routing.conftest import new_call
    from tests.tenants.crm.conftest import create_customer

    queue, agent, supervisor = await setup(gql, redis, tenant_a)
    customer = await create_customer(gql, tenant_a, name="Grace Caller")
    tid, engine = tenant_raw(tenant_a), AcdEngine(redis)
    await engine.sign_in(tenant_id=tid, agent_id=agent.user_id, queue_id=queue)
    await engine.set_agent_state(tenant_id=tid, agent_id=agent.user_id, state="available")
    call = new_call(queue, customer_id=raw_id(customer["id"]))
    await engine.enqueue(tenant_id=tid, call=call)

    ringing = await gql(AGENT_CALLS, token=supervisor.token)
    (row,) = ringing["data"]["agents"]["nodes"]
    assert row["state"] == "reserved" and row["callId"] == call.call_id
    assert row["call"] == {
        "callId": call.call_id,
        "from": call.from_number,
        "queueId": gid("Queue", queue),
        "answeredAt": None,
        "customerId": customer["id"],
        "customerName": "Grace Caller",
    }
    await engine.call_event(tenant_id=tid, call_id=call.call_id, event_type="answered")
    talking = await gql(AGENT_CALLS, token=supervisor.token)
    (row,) = talking["data"]["agents"]["nodes"]
    assert row["state"] == "on_contact" and row["call"]["answeredAt"]

    # Tenant B sees no agent of A, hence no call of A.
    other = await gql(AGENT_CALLS, token=tenant_b.token)
    assert other["data"]["agents"]["nodes"] == []
