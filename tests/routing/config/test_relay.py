"""Relay conventions of routing types: node(id), pagination, the sync mutation."""

from __future__ import annotations

from redis.asyncio import Redis

from tests.conftest import GraphQL, TenantAccount, error_code
from tests.routing.config.helpers import (
    CREATE_PROFILE,
    add_member,
    create_number,
    create_queue,
    create_skill,
    ok,
    raw_id,
    tenant_uuid,
)

NODE_TYPES = """
query($id: ID!) {
  node(id: $id) {
    __typename id
    ... on Skill { name }
    ... on Queue { name }
    ... on PhoneNumber { number }
    ... on AgentProfile { sipUser }
  }
}"""
PAGE = """
query($after: String) {
  skills(first: 2, after: $after) {
    edges { cursor node { name } }
    pageInfo { hasNextPage endCursor }
  }
}"""
SYNC = "mutation { syncRoutingDirectory }"


async def test_node_resolves_every_routing_type(gql: GraphQL, tenant_a: TenantAccount) -> None:
    skill = await create_skill(gql, tenant_a, "Chat")
    queue = await create_queue(gql, tenant_a, name="Chat queue")
    number = await create_number(gql, tenant_a, queue["id"])
    agent = await add_member(gql, tenant_a, "agent")
    profile = ok(await gql(CREATE_PROFILE, {"input": {"userId": agent.id}}, token=tenant_a.token))[
        "createAgentProfile"
    ]
    expected = [
        (skill["id"], "Skill", {"name": "Chat"}),
        (queue["id"], "Queue", {"name": "Chat queue"}),
        (number["id"], "PhoneNumber", {"number": number["number"]}),
        (profile["id"], "AgentProfile", {"sipUser": profile["sipUser"]}),
    ]
    for global_id, type_name, fields in expected:
        node = ok(await gql(NODE_TYPES, {"id": global_id}, token=tenant_a.token))["node"]
        assert node == {"__typename": type_name, "id": global_id, **fields}
    assert error_code(await gql(NODE_TYPES, {"id": "garbage"}, token=tenant_a.token)) == "NOT_FOUND"


async def test_skills_paginate(gql: GraphQL, tenant_a: TenantAccount) -> None:
    for name in ("A", "B", "C"):
        await create_skill(gql, tenant_a, name)
    first = ok(await gql(PAGE, token=tenant_a.token))["skills"]
    assert [e["node"]["name"] for e in first["edges"]] == ["A", "B"]
    assert first["pageInfo"]["hasNextPage"] is True
    rest = ok(await gql(PAGE, {"after": first["pageInfo"]["endCursor"]}, token=tenant_a.token))
    assert [e["node"]["name"] for e in rest["skills"]["edges"]] == ["C"]
    assert rest["skills"]["pageInfo"]["hasNextPage"] is False


async def test_sync_mutation_heals_the_tenant(
    gql: GraphQL, tenant_a: TenantAccount, redis: Redis
) -> None:
    queue = await create_queue(gql, tenant_a)
    key = f"{{t:{tenant_uuid(tenant_a)}}}:queue:{raw_id(queue['id'])}"
    published = await redis.hgetall(key)
    await redis.delete(key)
    agent = await add_member(gql, tenant_a, "supervisor")
    assert error_code(await gql(SYNC, token=agent.token)) == "FORBIDDEN"
    assert not await redis.exists(key)
    assert ok(await gql(SYNC, token=tenant_a.token)) == {"syncRoutingDirectory": True}
    assert await redis.hgetall(key) == published
