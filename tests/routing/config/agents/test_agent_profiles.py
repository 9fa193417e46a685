"""Agent profiles: skills, queues, SIP user; who may read and change them; Redis."""

from __future__ import annotations

import json

from redis.asyncio import Redis

from tests.conftest import GraphQL, TenantAccount, error_code
from tests.routing.config.helpers import (
    CREATE_PROFILE,
    DELETE_PROFILE,
    DELETE_QUEUE,
    DELETE_SKILL,
    NODE,
    PROFILES,
    UPDATE_PROFILE,
    add_member,
    create_queue,
    create_skill,
    ok,
    raw_id,
    tenant_uuid,
)


def profile_key(account: TenantAccount, user_id: str) -> str:
    return f"{{t:{tenant_uuid(account)}}}:agent:{raw_id(user_id)}:profile"


async def test_create_update_delete_with_projection(
    gql: GraphQL, tenant_a: TenantAccount, redis: Redis
) -> None:
    agent = await add_member(gql, tenant_a, "agent", name="Ada Agent")
    billing = await create_skill(gql, tenant_a, "Billing")
    french = await create_skill(gql, tenant_a, "French")
    sales = await create_queue(gql, tenant_a, name="Sales")
    support = await create_queue(gql, tenant_a, name="Support")

    profile = ok(
        await gql(
            CREATE_PROFILE,
            {
                "input": {
                    "userId": agent.id,
                    "skills": [
                        {"skillId": billing["id"], "level": 8},
                        {"skillId": french["id"], "level": 2},
                    ],
                    "queueIds": [sales["id"], support["id"]],
                }
            },
            token=tenant_a.token,
        )
    )["createAgentProfile"]
    assert profile["userId"] == agent.id
    assert profile["displayName"] == "Ada Agent"
    assert profile["sipUser"] == raw_id(agent.id).replace("-", "")  # sipCredentials' user
    assert [(s["skill"]["name"], s["level"]) for s in profile["skills"]] == [
        ("Billing", 8),
        ("French", 2),
    ]
    assert [q["name"] for q in profile["queues"]] == ["Sales", "Support"]
    published = await redis.hgetall(profile_key(tenant_a, agent.id))
    assert published == {
        "skills": json.dumps({raw_id(billing["id"]): 8, raw_id(french["id"]): 2}, sort_keys=True),
        "queues": json.dumps(sorted([raw_id(sales["id"]), raw_id(support["id"])])),
        "display_name": "Ada Agent",
        "sip_user": profile["sipUser"],
    }

    updated = ok(
        await gql(
            UPDATE_PROFILE,
            {"input": {"id": profile["id"], "queueIds": [support["id"]], "sipUser": "Ada.Desk"}},
            token=tenant_a.token,
        )
    )["updateAgentProfile"]
    assert [q["name"] for q in updated["queues"]] == ["Support"]
    assert updated["sipUser"] == "ada.desk"
    assert len(updated["skills"]) == 2  # skills were not in the update, so they stay
    published = await redis.hgetall(profile_key(tenant_a, agent.id))
    assert json.loads(published["queues"]) == [raw_id(support["id"])]
    assert published["sip_user"] == "ada.desk"

    # Deleting a skill or a queue the agent holds republishes the profile without it.
    ok(await gql(DELETE_SKILL, {"id": french["id"]}, token=tenant_a.token))
    ok(await gql(DELETE_QUEUE, {"id": support["id"]}, token=tenant_a.token))
    published = await redis.hgetall(profile_key(tenant_a, agent.id))
    assert json.loads(published["skills"]) == {raw_id(billing["id"]): 8}
    assert json.loads(published["queues"]) == []

    assert ok(await gql(DELETE_PROFILE, {"id": profile["id"]}, token=tenant_a.token))
    assert not await redis.exists(profile_key(tenant_a, agent.id))
    assert ok(await gql(PROFILES, token=tenant_a.token))["agentProfiles"]["edges"] == []


async def test_only_agents_and_supervisors_get_profiles(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    admin = await add_member(gql, tenant_a, "admin")
    supervisor = await add_member(gql, tenant_a, "supervisor")
    for user_id in (admin.id, tenant_a.owner_id):
        body = await gql(CREATE_PROFILE, {"input": {"userId": user_id}}, token=tenant_a.token)
        assert error_code(body) == "BAD_USER_INPUT"
        assert body["errors"][0]["extensions"]["field"] == "userId"
    ok(await gql(CREATE_PROFILE, {"input": {"userId": supervisor.id}}, token=tenant_a.token))
    again = await gql(CREATE_PROFILE, {"input": {"userId": supervisor.id}}, token=tenant_a.token)
    assert error_code(again) == "CONFLICT"


async def test_bad_input_names_the_field(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount, redis: Redis
) -> None:
    agent = await add_member(gql, tenant_a, "agent")
    skill = await create_skill(gql, tenant_a, "Billing")
    foreign_skill = await create_skill(gql, tenant_b, "Billing")
    foreign_queue = await create_queue(gql, tenant_b)
    cases = [
        ({"skills": [{"skillId": skill["id"], "level": 11}]}, "BAD_USER_INPUT", "skills.0.level"),
        ({"skills": [{"skillId": skill["id"], "level": 0}]}, "BAD_USER_INPUT", "skills.0.level"),
        (
            {"skills": [{"skillId": foreign_skill["id"], "level": 3}]},
            "BAD_USER_INPUT",
            "skills.0.skillId",
        ),
        (
            {
                "skills": [
                    {"skillId": skill["id"], "level": 3},
                    {"skillId": skill["id"], "level": 4},
                ]
            },
            "BAD_USER_INPUT",
            "skills",
        ),
        ({"queueIds": [foreign_queue["id"]]}, "NOT_FOUND", "queueIds.0"),
        ({"sipUser": "no spaces allowed"}, "BAD_USER_INPUT", "sipUser"),
    ]
    for fields, code, field in cases:
        body = await gql(
            CREATE_PROFILE, {"input": {"userId": agent.id, **fields}}, token=tenant_a.token
        )
        assert error_code(body) == code, (fields, body)
        assert body["errors"][0]["extensions"]["field"] == field
    assert ok(await gql(PROFILES, token=tenant_a.token))["agentProfiles"]["edges"] == []
    assert not await redis.exists(profile_key(tenant_a, agent.id))


async def test_sip_user_is_unique_across_tenants(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    agent_a = await add_member(gql, tenant_a, "agent")
    agent_b = await add_member(gql, tenant_b, "agent")
    name = f"desk-{raw_id(agent_a.id)[:8]}"
    ok(
        await gql(
            CREATE_PROFILE, {"input": {"userId": agent_a.id, "sipUser": name}}, token=tenant_a.token
        )
    )
    body = await gql(
        CREATE_PROFILE, {"input": {"userId": agent_b.id, "sipUser": name}}, token=tenant_b.token
    )
    assert error_code(body) == "CONFLICT"
    assert body["errors"][0]["extensions"]["field"] == "sipUser"


async def test_agent_reads_only_their_own_profile(gql: GraphQL, tenant_a: TenantAccount) -> None:
    me = await add_member(gql, tenant_a, "agent", name="Me")
    colleague = await add_member(gql, tenant_a, "agent", name="Colleague")
    supervisor = await add_member(gql, tenant_a, "supervisor")
    mine = ok(await gql(CREATE_PROFILE, {"input": {"userId": me.id}}, token=tenant_a.token))[
        "createAgentProfile"
    ]
    theirs = ok(
        await gql(CREATE_PROFILE, {"input": {"userId": colleague.id}}, token=tenant_a.token)
    )["createAgentProfile"]

    seen = ok(await gql(PROFILES, token=me.token))["agentProfiles"]["edges"]
    assert [e["node"]["id"] for e in seen] == [mine["id"]]
    assert ok(await gql(NODE, {"id": mine["id"]}, token=me.token))["node"]["id"] == mine["id"]
    assert error_code(await gql(NODE, {"id": theirs["id"]}, token=me.token)) == "NOT_FOUND"
    body = await gql(UPDATE_PROFILE, {"input": {"id": mine["id"], "sipUser": "x"}}, token=me.token)
    assert error_code(body) == "FORBIDDEN"
    assert error_code(await gql(DELETE_PROFILE, {"id": mine["id"]}, token=me.token)) == "FORBIDDEN"

    everyone = ok(await gql(PROFILES, token=supervisor.token))["agentProfiles"]["edges"]
    assert {e["node"]["id"] for e in everyone} == {mine["id"], theirs["id"]}
    body = await gql(CREATE_PROFILE, {"input": {"userId": supervisor.id}}, token=supervisor.token)
    assert error_code(body) == "FORBIDDEN"
