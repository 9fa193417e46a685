"""Phone numbers (DIDs): E.164 normalisation, one owner globally, routing in Redis."""

from __future__ import annotations

import asyncio
import json

import pytest
from redis.asyncio import Redis

from tests.conftest import GraphQL, TenantAccount, error_code
from tests.routing.config.helpers import (
    CREATE_NUMBER,
    DELETE_NUMBER,
    NUMBERS,
    SETTINGS,
    UPDATE_NUMBER,
    UPDATE_SETTINGS,
    add_member,
    create_number,
    create_queue,
    fresh_number,
    ok,
    raw_id,
    tenant_uuid,
)


def route(account: TenantAccount, queue: dict[str, str]) -> dict[str, str]:
    return {"tenant_id": tenant_uuid(account), "queue_id": raw_id(queue["id"])}


async def test_create_normalises_and_publishes(
    gql: GraphQL, tenant_a: TenantAccount, redis: Redis
) -> None:
    queue = await create_queue(gql, tenant_a)
    e164 = fresh_number()
    typed = f"+1 ({e164[2:5]}) {e164[5:8]}-{e164[8:]}"
    body = await gql(
        CREATE_NUMBER,
        {"input": {"number": typed, "queueId": queue["id"], "description": "Main line"}},
        token=tenant_a.token,
    )
    number = ok(body)["createPhoneNumber"]
    assert number["number"] == e164
    assert number["raw"] == typed
    assert number["queueId"] == queue["id"]
    assert number["description"] == "Main line"
    assert json.loads(await redis.get(f"hotline:did:{e164}")) == route(tenant_a, queue)
    listed = ok(await gql(NUMBERS, token=tenant_a.token))["phoneNumbers"]["edges"]
    assert [e["node"] for e in listed] == [number]


async def test_national_format_uses_the_tenant_default_region(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    queue = await create_queue(gql, tenant_a)
    national = "020 7946 0" + fresh_number()[-3:]
    without_region = await gql(
        CREATE_NUMBER, {"input": {"number": national, "queueId": queue["id"]}}, token=tenant_a.token
    )
    assert error_code(without_region) == "BAD_USER_INPUT"
    assert national in without_region["errors"][0]["message"]

    settings = ok(
        await gql(UPDATE_SETTINGS, {"input": {"defaultRegion": "gb"}}, token=tenant_a.token)
    )["updateRoutingSettings"]
    assert settings == {"maxConcurrentCalls": 0, "defaultRegion": "GB"}
    number = ok(
        await gql(
            CREATE_NUMBER,
            {"input": {"number": national, "queueId": queue["id"]}},
            token=tenant_a.token,
        )
    )["createPhoneNumber"]
    assert number["number"] == "+44" + national[1:].replace(" ", "")


@pytest.mark.parametrize("bad", ["hello", "+1 555", "+99912345678", "12"])
async def test_invalid_number_is_bad_input_quoting_it(
    gql: GraphQL, tenant_a: TenantAccount, bad: str
) -> None:
    queue = await create_queue(gql, tenant_a)
    body = await gql(
        CREATE_NUMBER, {"input": {"number": bad, "queueId": queue["id"]}}, token=tenant_a.token
    )
    assert error_code(body) == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["field"] == "number"
    assert repr(bad) in body["errors"][0]["message"]
    assert ok(await gql(NUMBERS, token=tenant_a.token))["phoneNumbers"]["edges"] == []


async def test_a_number_belongs_to_one_tenant_globally(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount, redis: Redis
) -> None:
    queue_a = await create_queue(gql, tenant_a)
    queue_a2 = await create_queue(gql, tenant_a)
    queue_b = await create_queue(gql, tenant_b)
    e164 = fresh_number()
    await create_number(gql, tenant_a, queue_a["id"], e164)

    same_tenant = await gql(
        CREATE_NUMBER, {"input": {"number": e164, "queueId": queue_a2["id"]}}, token=tenant_a.token
    )
    assert error_code(same_tenant) == "CONFLICT"
    # Written differently, the same number is still the same number.
    other_tenant = await gql(
        CREATE_NUMBER,
        {"input": {"number": f"+1 {e164[2:5]} {e164[5:]}", "queueId": queue_b["id"]}},
        token=tenant_b.token,
    )
    assert error_code(other_tenant) == "CONFLICT"
    assert other_tenant["errors"][0]["extensions"]["field"] == "number"
    assert ok(await gql(NUMBERS, token=tenant_b.token))["phoneNumbers"]["edges"] == []
    assert json.loads(await redis.get(f"hotline:did:{e164}")) == route(tenant_a, queue_a)


async def test_number_freed_by_one_tenant_can_be_claimed_by_another(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount, redis: Redis
) -> None:
    queue_a = await create_queue(gql, tenant_a)
    queue_b = await create_queue(gql, tenant_b)
    number = await create_number(gql, tenant_a, queue_a["id"])
    ok(await gql(DELETE_NUMBER, {"id": number["id"]}, token=tenant_a.token))
    assert not await redis.exists(f"hotline:did:{number['number']}")
    await create_number(gql, tenant_b, queue_b["id"], number["number"])
    assert json.loads(await redis.get(f"hotline:did:{number['number']}")) == route(
        tenant_b, queue_b
    )


async def test_update_moves_the_route(gql: GraphQL, tenant_a: TenantAccount, redis: Redis) -> None:
    first = await create_queue(gql, tenant_a)
    second = await create_queue(gql, tenant_a)
    number = await create_number(gql, tenant_a, first["id"])
    moved = ok(
        await gql(
            UPDATE_NUMBER,
            {"input": {"id": number["id"], "queueId": second["id"]}},
            token=tenant_a.token,
        )
    )["updatePhoneNumber"]
    assert moved["queueId"] == second["id"]
    assert json.loads(await redis.get(f"hotline:did:{number['number']}")) == route(tenant_a, second)

    new_e164 = fresh_number()
    renumbered = ok(
        await gql(
            UPDATE_NUMBER, {"input": {"id": number["id"], "number": new_e164}}, token=tenant_a.token
        )
    )["updatePhoneNumber"]
    assert renumbered["number"] == new_e164
    assert not await redis.exists(f"hotline:did:{number['number']}")
    assert json.loads(await redis.get(f"hotline:did:{new_e164}")) == route(tenant_a, second)


async def test_queue_of_another_tenant_is_not_found(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount, redis: Redis
) -> None:
    foreign = await create_queue(gql, tenant_b)
    e164 = fresh_number()
    body = await gql(
        CREATE_NUMBER, {"input": {"number": e164, "queueId": foreign["id"]}}, token=tenant_a.token
    )
    assert error_code(body) == "NOT_FOUND"
    assert body["errors"][0]["extensions"]["field"] == "queueId"
    assert not await redis.exists(f"hotline:did:{e164}")

    own = await create_queue(gql, tenant_a)
    number = await create_number(gql, tenant_a, own["id"])
    body = await gql(
        UPDATE_NUMBER,
        {"input": {"id": number["id"], "queueId": foreign["id"]}},
        token=tenant_a.token,
    )
    assert error_code(body) == "NOT_FOUND"
    assert json.loads(await redis.get(f"hotline:did:{number['number']}")) == route(tenant_a, own)


async def test_roles(gql: GraphQL, tenant_a: TenantAccount) -> None:
    queue = await create_queue(gql, tenant_a)
    number = await create_number(gql, tenant_a, queue["id"])
    supervisor = await add_member(gql, tenant_a, "supervisor")
    agent = await add_member(gql, tenant_a, "agent")
    assert len(ok(await gql(NUMBERS, token=supervisor.token))["phoneNumbers"]["edges"]) == 1
    assert (
        ok(await gql(SETTINGS, token=supervisor.token))["routingSettings"]["maxConcurrentCalls"]
        == 0
    )
    assert error_code(await gql(NUMBERS, token=agent.token)) == "FORBIDDEN"
    for member in (supervisor, agent):
        body = await gql(
            CREATE_NUMBER,
            {"input": {"number": fresh_number(), "queueId": queue["id"]}},
            token=member.token,
        )
        assert error_code(body) == "FORBIDDEN"
        body = await gql(
            UPDATE_NUMBER, {"input": {"id": number["id"], "description": "x"}}, token=member.token
        )
        assert error_code(body) == "FORBIDDEN"
        assert (
            error_code(await gql(DELETE_NUMBER, {"id": number["id"]}, token=member.token))
            == "FORBIDDEN"
        )
        body = await gql(UPDATE_SETTINGS, {"input": {"maxConcurrentCalls": 1}}, token=member.token)
        assert error_code(body) == "FORBIDDEN"


async def test_settings_publish_the_tenant_hash(
    gql: GraphQL, tenant_a: TenantAccount, redis: Redis
) -> None:
    ok(await gql(UPDATE_SETTINGS, {"input": {"maxConcurrentCalls": 12}}, token=tenant_a.token))
    assert await redis.hgetall(f"{{t:{tenant_uuid(tenant_a)}}}:tenant") == {
        "slug": tenant_a.slug,
        "max_concurrent_calls": "12",
    }
    bad = await gql(UPDATE_SETTINGS, {"input": {"defaultRegion": "ZZ"}}, token=tenant_a.token)
    assert error_code(bad) == "BAD_USER_INPUT"
    assert bad["errors"][0]["extensions"]["field"] == "defaultRegion"
    negative = await gql(
        UPDATE_SETTINGS, {"input": {"maxConcurrentCalls": -1}}, token=tenant_a.token
    )
    assert negative["errors"][0]["extensions"]["field"] == "maxConcurrentCalls"
    assert ok(await gql(SETTINGS, token=tenant_a.token))["routingSettings"] == {
        "maxConcurrentCalls": 12,
        "defaultRegion": None,
    }


async def test_concurrent_claims_of_one_number_have_one_winner(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount, redis: Redis
) -> None:
    queue_a = await create_queue(gql, tenant_a)
    queue_b = await create_queue(gql, tenant_b)
    e164 = fresh_number()
    bodies = await asyncio.gather(
        *(
            gql(CREATE_NUMBER, {"input": {"number": e164, "queueId": queue["id"]}}, token=token)
            for queue, token in ((queue_a, tenant_a.token), (queue_b, tenant_b.token)) * 3
        )
    )
    winners = [body for body in bodies if error_code(body) is None]
    assert len(winners) == 1
    assert {error_code(body) for body in bodies if body not in winners} == {"CONFLICT"}
    owner = json.loads(await redis.get(f"hotline:did:{e164}"))
    listed = [
        len(ok(await gql(NUMBERS, token=account.token))["phoneNumbers"]["edges"])
        for account in (tenant_a, tenant_b)
    ]
    assert sorted(listed) == [0, 1]
    winner_tenant = tenant_a if listed[0] == 1 else tenant_b
    assert owner["tenant_id"] == tenant_uuid(winner_tenant)
