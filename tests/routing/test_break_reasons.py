"""Break reasons: managers keep the list, agents may break only for a listed reason."""

from __future__ import annotations

from redis.asyncio import Redis

from tests.conftest import GraphQL, TenantAccount, error_code
from tests.routing.live.test_graphql import SET_STATE, make_user, setup

LIST = "{ breakReasons { id name } }"
CREATE = "mutation($n: String!) { createBreakReason(input: {name: $n}) { id name } }"
UPDATE = """
mutation($id: ID!, $n: String!) { updateBreakReason(id: $id, input: {name: $n}) { id name } }"""
DELETE = "mutation($id: ID!) { deleteBreakReason(id: $id) }"


async def test_crud_with_clear_errors(gql: GraphQL, tenant_a: TenantAccount) -> None:
    made = await gql(CREATE, {"n": "Lunch"}, token=tenant_a.token)
    reason = made["data"]["createBreakReason"]
    assert reason["name"] == "lunch"
    duplicate = await gql(CREATE, {"n": "lunch"}, token=tenant_a.token)
    assert error_code(duplicate) == "CONFLICT"
    assert duplicate["errors"][0]["extensions"]["field"] == "name"
    bad = await gql(CREATE, {"n": "coffee break!"}, token=tenant_a.token)
    assert error_code(bad) == "BAD_USER_INPUT"
    assert bad["errors"][0]["extensions"]["field"] == "name"
    renamed = await gql(UPDATE, {"id": reason["id"], "n": "meal"}, token=tenant_a.token)
    assert renamed["data"]["updateBreakReason"]["name"] == "meal"
    listed = await gql(LIST, token=tenant_a.token)
    assert [r["name"] for r in listed["data"]["breakReasons"]] == ["meal"]
    gone = await gql(DELETE, {"id": reason["id"]}, token=tenant_a.token)
    assert gone["data"]["deleteBreakReason"] == reason["id"]
    assert (await gql(LIST, token=tenant_a.token))["data"]["breakReasons"] == []


async def test_another_tenant_sees_and_changes_nothing(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    reason = (await gql(CREATE, {"n": "training"}, token=tenant_a.token))["data"][
        "createBreakReason"
    ]
    assert (await gql(LIST, token=tenant_b.token))["data"]["breakReasons"] == []
    renamed = await gql(UPDATE, {"id": reason["id"], "n": "hacked"}, token=tenant_b.token)
    assert error_code(renamed) == "NOT_FOUND"
    deleted = await gql(DELETE, {"id": reason["id"]}, token=tenant_b.token)
    assert error_code(deleted) == "NOT_FOUND"
    node = await gql(
        "query($id: ID!) { node(id: $id) { id } }", {"id": reason["id"]}, token=tenant_b.token
    )
    assert error_code(node) == "NOT_FOUND"
    kept = await gql(LIST, token=tenant_a.token)
    assert [r["name"] for r in kept["data"]["breakReasons"]] == ["training"]


async def test_agents_read_but_may_not_change_the_list(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    agent = await make_user(gql, tenant_a, "agent")
    assert error_code(await gql(CREATE, {"n": "nap"}, token=agent.token)) == "FORBIDDEN"
    await gql(CREATE, {"n": "lunch"}, token=tenant_a.token)
    listed = await gql(LIST, token=agent.token)
    assert [r["name"] for r in listed["data"]["breakReasons"]] == ["lunch"]


async def test_a_break_needs_a_listed_reason(
    gql: GraphQL, redis: Redis, tenant_a: TenantAccount
) -> None:
    _, agent, _ = await setup(gql, redis, tenant_a)
    free = await gql(
        SET_STATE, {"input": {"state": "break", "reason": "anything"}}, token=agent.token
    )
    assert free["data"]["setAgentState"]["state"] == "break:anything"  # no list: any reason
    await gql(CREATE, {"n": "lunch"}, token=tenant_a.token)
    refused = await gql(
        SET_STATE, {"input": {"state": "break", "reason": "nap"}}, token=agent.token
    )
    assert error_code(refused) == "BAD_USER_INPUT"
    assert refused["errors"][0]["extensions"]["field"] == "reason"
    assert "lunch" in refused["errors"][0]["message"]
    ok = await gql(SET_STATE, {"input": {"state": "break", "reason": "lunch"}}, token=agent.token)
    assert ok["data"]["setAgentState"]["state"] == "break:lunch"
