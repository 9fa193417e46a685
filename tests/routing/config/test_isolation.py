"""Tenant isolation: tenant B sees and changes nothing of tenant A's routing configuration."""

from __future__ import annotations

import uuid

import pytest
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from api.clients import ApiServices
from routing.config.models import TABLES as ROUTING_TABLES
from tests.conftest import GraphQL, TenantAccount, error_code
from tests.routing.config.helpers import (
    CREATE_PROFILE,
    CREATE_QUEUE,
    DELETE_NUMBER,
    DELETE_PROFILE,
    DELETE_QUEUE,
    DELETE_SKILL,
    NODE,
    NUMBERS,
    PROFILES,
    QUEUE,
    QUEUES,
    SKILLS,
    UPDATE_NUMBER,
    UPDATE_PROFILE,
    UPDATE_QUEUE,
    UPDATE_SKILL,
    add_member,
    create_number,
    create_queue,
    create_skill,
    ok,
    raw_id,
    tenant_uuid,
)


async def _snapshot(gql: GraphQL, account: TenantAccount, redis: Redis) -> dict[str, object]:
    """Everything tenant A has, as A sees it and as routing sees it."""
    data = {
        query: ok(await gql(query, token=account.token))
        for query in (SKILLS, QUEUES, NUMBERS, PROFILES)
    }
    tag = f"{{t:{tenant_uuid(account)}}}"
    keys = sorted([key async for key in redis.scan_iter(match=f"{tag}:*")])
    data["redis"] = {key: await redis.dump(key) for key in keys}
    return data


async def test_tenant_b_cannot_touch_tenant_a(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount, redis: Redis
) -> None:
    skill = await create_skill(gql, tenant_a, "Billing")
    queue = await create_queue(
        gql, tenant_a, name="A queue", requiredSkills=[{"skillId": skill["id"], "minLevel": 3}]
    )
    number = await create_number(gql, tenant_a, queue["id"])
    agent = await add_member(gql, tenant_a, "agent")
    profile = ok(
        await gql(
            CREATE_PROFILE,
            {"input": {"userId": agent.id, "queueIds": [queue["id"]]}},
            token=tenant_a.token,
        )
    )["createAgentProfile"]
    before = await _snapshot(gql, tenant_a, redis)
    b_queue = await create_queue(gql, tenant_b, name="B queue")
    b_agent = await add_member(gql, tenant_b, "agent")
    b_supervisor = await add_member(gql, tenant_b, "supervisor")

    # Lists of B hold none of A's objects.
    for query, field in (
        (SKILLS, "skills"),
        (QUEUES, "queues"),
        (NUMBERS, "phoneNumbers"),
        (PROFILES, "agentProfiles"),
    ):
        for token in (tenant_b.token, b_supervisor.token):
            edges = ok(await gql(query, token=token))[field]["edges"]
            assert not {e["node"]["id"] for e in edges} & {
                skill["id"],
                queue["id"],
                number["id"],
                profile["id"],
            }

    attempts = [
        (NODE, {"id": skill["id"]}),
        (NODE, {"id": queue["id"]}),
        (NODE, {"id": number["id"]}),
        (NODE, {"id": profile["id"]}),
        (QUEUE, {"id": queue["id"]}),
        (UPDATE_SKILL, {"input": {"id": skill["id"], "name": "Stolen"}}),
        (DELETE_SKILL, {"id": skill["id"]}),
        (UPDATE_QUEUE, {"input": {"id": queue["id"], "priority": 99}}),
        (DELETE_QUEUE, {"id": queue["id"]}),
        (UPDATE_NUMBER, {"input": {"id": number["id"], "queueId": b_queue["id"]}}),
        (DELETE_NUMBER, {"id": number["id"]}),
        (UPDATE_PROFILE, {"input": {"id": profile["id"], "sipUser": "stolen"}}),
        (DELETE_PROFILE, {"id": profile["id"]}),
        (CREATE_PROFILE, {"input": {"userId": agent.id}}),
        (CREATE_PROFILE, {"input": {"userId": b_agent.id, "queueIds": [queue["id"]]}}),
        (
            CREATE_QUEUE,
            {
                "input": {
                    "name": "X",
                    "maxWaitS": 9,
                    "maxWaitAction": "OVERFLOW",
                    "overflowQueueId": queue["id"],
                }
            },
        ),
        (
            UPDATE_QUEUE,
            {
                "input": {
                    "id": b_queue["id"],
                    "maxWaitS": 9,
                    "maxWaitAction": "OVERFLOW",
                    "overflowQueueId": queue["id"],
                }
            },
        ),
    ]
    for document, variables in attempts:
        body = await gql(document, variables, token=tenant_b.token)
        assert error_code(body) == "NOT_FOUND", (document, variables, body)
        assert body["data"] is None or all(v is None for v in body["data"].values())
    for document, variables in attempts[:5]:
        body = await gql(document, variables, token=b_supervisor.token)
        assert error_code(body) == "NOT_FOUND"

    # A skill of A referenced by B is simply an unknown skill.
    body = await gql(
        CREATE_QUEUE,
        {"input": {"name": "Y", "requiredSkills": [{"skillId": skill["id"], "minLevel": 1}]}},
        token=tenant_b.token,
    )
    assert error_code(body) == "BAD_USER_INPUT"

    assert await _snapshot(gql, tenant_a, redis) == before


async def test_row_level_security_hides_and_refuses_other_tenants_rows(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount, services: ApiServices
) -> None:
    skill = await create_skill(gql, tenant_a, "Billing")
    queue = await create_queue(
        gql, tenant_a, requiredSkills=[{"skillId": skill["id"], "minLevel": 3}]
    )
    await create_number(gql, tenant_a, queue["id"])
    agent = await add_member(gql, tenant_a, "agent")
    ok(
        await gql(
            CREATE_PROFILE,
            {
                "input": {
                    "userId": agent.id,
                    "queueIds": [queue["id"]],
                    "skills": [{"skillId": skill["id"], "level": 4}],
                }
            },
            token=tenant_a.token,
        )
    )
    a, b = uuid.UUID(tenant_uuid(tenant_a)), uuid.UUID(tenant_uuid(tenant_b))
    async with services.database.transaction(a) as session:
        for table in ROUTING_TABLES:
            if table == "routing_settings":
                continue
            count = await session.scalar(text(f"SELECT count(*) FROM {table}"))
            assert count and count >= 1, table
    # Unscoped SQL bound to tenant B sees none of A's rows, in every routing table.
    async with services.database.transaction(b) as session:
        for table in ROUTING_TABLES:
            count = await session.scalar(
                text(f"SELECT count(*) FROM {table} WHERE tenant_id = :a"),
                {"a": a},
            )
            assert count == 0, table
    with pytest.raises(DBAPIError, match="row-level security"):
        async with services.database.transaction(b) as session:
            await session.execute(
                text("INSERT INTO skills (id, tenant_id, name) VALUES (:id, :a, 'x')"),
                {"id": uuid.uuid4(), "a": a},
            )
    # Even with B's binding, a link from B's row to A's queue is refused by the
    # tenant-carrying foreign key.
    with pytest.raises(DBAPIError, match="fk_phone_numbers_queue"):
        async with services.database.transaction(b) as session:
            await session.execute(
                text(
                    "INSERT INTO phone_numbers (id, tenant_id, e164, raw, queue_id) "
                    "VALUES (:id, :b, '+15550000000', 'x', :q)"
                ),
                {"id": uuid.uuid4(), "b": b, "q": uuid.UUID(raw_id(queue["id"]))},
            )
