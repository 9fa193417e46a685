"""Queues: CRUD, validation, roles and their Redis projection."""

from __future__ import annotations

import json
from typing import Any

import pytest
from redis.asyncio import Redis

from tests.conftest import GraphQL, TenantAccount, error_code
from tests.routing.config.helpers import (
    CREATE_QUEUE,
    DELETE_QUEUE,
    QUEUE,
    QUEUES,
    UPDATE_QUEUE,
    add_member,
    create_number,
    create_queue,
    create_skill,
    ok,
    raw_id,
    tenant_uuid,
)

HOURS = {
    "tz": "Europe/Paris",
    "windows": [
        {"day": "mon", "start": "09:00", "end": "12:30"},
        {"day": "mon", "start": "13:30", "end": "18:00"},
        {"day": "sat", "start": "10:00", "end": "14:00"},
    ],
}


async def test_create_with_every_field_and_read_back(
    gql: GraphQL, tenant_a: TenantAccount, redis: Redis
) -> None:
    billing = await create_skill(gql, tenant_a, "Billing")
    french = await create_skill(gql, tenant_a, "French")
    fallback = await create_queue(gql, tenant_a, name="Fallback")
    queue = await create_queue(
        gql,
        tenant_a,
        name="Billing FR",
        requiredSkills=[
            {"skillId": billing["id"], "minLevel": 3},
            {"skillId": french["id"], "minLevel": 7},
        ],
        priority=5,
        slThresholdS=30,
        shortAbandonS=8,
        slFormula="ABANDONS_MET",
        maxWaitS=300,
        maxWaitAction="OVERFLOW",
        overflowQueueId=fallback["id"],
        wrapupS=45,
        ringTimeoutS=25,
        maxSize=50,
        record=True,
        requireDisposition=True,
        hours=HOURS,
        closedAction="OVERFLOW",
        closedCode=486,
        blacklistCode=603,
        vipBoost=25,
        stickyAgentS=60,
    )
    assert queue["slFormula"] == "ABANDONS_MET"
    assert queue["maxWaitAction"] == "OVERFLOW"
    assert queue["overflowQueueId"] == fallback["id"]
    assert {(r["skill"]["name"], r["minLevel"]) for r in queue["requiredSkills"]} == {
        ("Billing", 3),
        ("French", 7),
    }
    assert queue["hours"] == HOURS
    fetched = ok(await gql(QUEUE, {"id": queue["id"]}, token=tenant_a.token))["queue"]
    assert fetched == queue

    tenant = tenant_uuid(tenant_a)
    key = f"{{t:{tenant}}}:queue:{raw_id(queue['id'])}"
    published = await redis.hgetall(key)
    assert published == {
        "name": "Billing FR",
        "priority": "5",
        "skills": json.dumps({raw_id(billing["id"]): 3, raw_id(french["id"]): 7}, sort_keys=True),
        "sl_threshold_s": "30",
        "short_abandon_s": "8",
        "sl_formula": "abandons_met",
        "max_wait_s": "300",
        "max_wait_action": "overflow",
        "overflow_queue_id": raw_id(fallback["id"]),
        "wrapup_s": "45",
        "ring_timeout_s": "25",
        "max_size": "50",
        "record": "1",
        "require_disposition": "1",
        "hours": published["hours"],
        "closed_action": "overflow",
        "closed_code": "486",
        "blacklist_code": "603",
        "vip_boost": "25",
        "sticky_agent_s": "60",
    }
    assert json.loads(published["hours"]) == {
        "tz": "Europe/Paris",
        "windows": {"mon": [["09:00", "12:30"], ["13:30", "18:00"]], "sat": [["10:00", "14:00"]]},
    }
    assert await redis.smembers(f"{{t:{tenant}}}:queues") == {
        raw_id(queue["id"]),
        raw_id(fallback["id"]),
    }
    assert (await redis.hgetall(f"{{t:{tenant}}}:tenant")) == {
        "slug": tenant_a.slug,
        "max_concurrent_calls": "0",
    }


async def test_defaults_are_published(gql: GraphQL, tenant_a: TenantAccount, redis: Redis) -> None:
    queue = await create_queue(gql, tenant_a, name="Support")
    published = await redis.hgetall(f"{{t:{tenant_uuid(tenant_a)}}}:queue:{raw_id(queue['id'])}")
    assert published == {
        "name": "Support",
        "priority": "0",
        "skills": "{}",
        "sl_threshold_s": "20",
        "short_abandon_s": "5",
        "sl_formula": "default",
        "max_wait_s": "0",
        "max_wait_action": "reject",
        "overflow_queue_id": "",
        "wrapup_s": "10",
        "ring_timeout_s": "20",
        "max_size": "0",
        "record": "0",
        "require_disposition": "0",
        "hours": "",
        "closed_action": "reject",
        "closed_code": "480",
        "blacklist_code": "403",
        "vip_boost": "10",
        "sticky_agent_s": "0",
    }


async def test_update_merges_and_republishes(
    gql: GraphQL, tenant_a: TenantAccount, redis: Redis
) -> None:
    skill = await create_skill(gql, tenant_a, "Tech")
    queue = await create_queue(gql, tenant_a, name="Tech", hours=HOURS, slThresholdS=30)
    updated = ok(
        await gql(
            UPDATE_QUEUE,
            {
                "input": {
                    "id": queue["id"],
                    "priority": 9,
                    "requiredSkills": [{"skillId": skill["id"], "minLevel": 4}],
                    "hours": None,
                }
            },
            token=tenant_a.token,
        )
    )["updateQueue"]
    assert updated["priority"] == 9
    assert updated["slThresholdS"] == 30  # untouched fields keep their values
    assert updated["hours"] is None
    assert updated["requiredSkills"] == [
        {"skill": {"id": skill["id"], "name": "Tech"}, "minLevel": 4}
    ]
    key = f"{{t:{tenant_uuid(tenant_a)}}}:queue:{raw_id(queue['id'])}"
    published = await redis.hgetall(key)
    assert published["priority"] == "9"
    assert published["hours"] == ""
    assert json.loads(published["skills"]) == {raw_id(skill["id"]): 4}

    # Lowering T below the stored S is refused: the merged queue is validated as a whole.
    body = await gql(
        UPDATE_QUEUE, {"input": {"id": queue["id"], "slThresholdS": 3}}, token=tenant_a.token
    )
    assert error_code(body) == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["field"] == "shortAbandonS"
    assert (await redis.hgetall(key))["sl_threshold_s"] == "30"


async def test_delete_unpublishes(gql: GraphQL, tenant_a: TenantAccount, redis: Redis) -> None:
    queue = await create_queue(gql, tenant_a)
    tenant = tenant_uuid(tenant_a)
    assert ok(await gql(DELETE_QUEUE, {"id": queue["id"]}, token=tenant_a.token))
    assert not await redis.exists(f"{{t:{tenant}}}:queue:{raw_id(queue['id'])}")
    assert raw_id(queue["id"]) not in await redis.smembers(f"{{t:{tenant}}}:queues")
    assert error_code(await gql(QUEUE, {"id": queue["id"]}, token=tenant_a.token)) == "NOT_FOUND"


async def test_queue_in_use_cannot_be_deleted(gql: GraphQL, tenant_a: TenantAccount) -> None:
    target = await create_queue(gql, tenant_a, name="Target")
    await create_queue(
        gql,
        tenant_a,
        name="Source",
        maxWaitS=60,
        maxWaitAction="OVERFLOW",
        overflowQueueId=target["id"],
    )
    body = await gql(DELETE_QUEUE, {"id": target["id"]}, token=tenant_a.token)
    assert error_code(body) == "CONFLICT"
    assert "Source" in body["errors"][0]["message"]

    routed = await create_queue(gql, tenant_a, name="Routed")
    number = await create_number(gql, tenant_a, routed["id"])
    body = await gql(DELETE_QUEUE, {"id": routed["id"]}, token=tenant_a.token)
    assert error_code(body) == "CONFLICT"
    assert number["number"] in body["errors"][0]["message"]


async def test_overflow_cycle_is_refused(gql: GraphQL, tenant_a: TenantAccount) -> None:
    a = await create_queue(gql, tenant_a, name="A")
    b = await create_queue(
        gql, tenant_a, name="B", maxWaitS=30, maxWaitAction="OVERFLOW", overflowQueueId=a["id"]
    )
    body = await gql(
        UPDATE_QUEUE,
        {
            "input": {
                "id": a["id"],
                "maxWaitS": 30,
                "maxWaitAction": "OVERFLOW",
                "overflowQueueId": b["id"],
            }
        },
        token=tenant_a.token,
    )
    assert error_code(body) == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["field"] == "overflowQueueId"
    self_loop = await gql(
        UPDATE_QUEUE, {"input": {"id": a["id"], "overflowQueueId": a["id"]}}, token=tenant_a.token
    )
    assert error_code(self_loop) == "BAD_USER_INPUT"


BAD_QUEUES: list[tuple[str, dict[str, Any], str]] = [
    ("S above T", {"slThresholdS": 10, "shortAbandonS": 11}, "shortAbandonS"),
    ("default S above T", {"slThresholdS": 3}, "shortAbandonS"),
    (
        "level above 10",
        {"requiredSkills": [{"skillId": "SKILL", "minLevel": 11}]},
        "requiredSkills.0.minLevel",
    ),
    (
        "level below 1",
        {"requiredSkills": [{"skillId": "SKILL", "minLevel": 0}]},
        "requiredSkills.0.minLevel",
    ),
    (
        "unknown skill",
        {"requiredSkills": [{"skillId": "bm9wZQ==", "minLevel": 1}]},
        "requiredSkills.0.skillId",
    ),
    (
        "skill twice",
        {
            "requiredSkills": [
                {"skillId": "SKILL", "minLevel": 1},
                {"skillId": "SKILL", "minLevel": 2},
            ]
        },
        "requiredSkills",
    ),
    ("blank name", {"name": " "}, "name"),
    ("negative priority", {"priority": -1}, "priority"),
    ("zero T", {"slThresholdS": 0, "shortAbandonS": 0}, "slThresholdS"),
    ("negative max wait", {"maxWaitS": -5}, "maxWaitS"),
    ("overflow without target", {"maxWaitS": 60, "maxWaitAction": "OVERFLOW"}, "overflowQueueId"),
    (
        "closed overflow without target",
        {"hours": HOURS, "closedAction": "OVERFLOW"},
        "overflowQueueId",
    ),
    ("ring timeout too short", {"ringTimeoutS": 1}, "ringTimeoutS"),
    ("negative max size", {"maxSize": -1}, "maxSize"),
    ("closed code not SIP", {"closedCode": 200}, "closedCode"),
    ("blacklist code not SIP", {"blacklistCode": 700}, "blacklistCode"),
    ("unknown time zone", {"hours": {"tz": "Mars/Olympus", "windows": []}}, "hours.tz"),
    (
        "bad day",
        {"hours": {"tz": "UTC", "windows": [{"day": "xyz", "start": "09:00", "end": "10:00"}]}},
        "hours.windows.0.day",
    ),
    (
        "bad time",
        {"hours": {"tz": "UTC", "windows": [{"day": "mon", "start": "9am", "end": "10:00"}]}},
        "hours.windows.0.start",
    ),
    (
        "window ends first",
        {"hours": {"tz": "UTC", "windows": [{"day": "mon", "start": "10:00", "end": "09:00"}]}},
        "hours.windows.0",
    ),
    (
        "overlapping windows",
        {
            "hours": {
                "tz": "UTC",
                "windows": [
                    {"day": "mon", "start": "09:00", "end": "12:00"},
                    {"day": "mon", "start": "11:00", "end": "13:00"},
                ],
            }
        },
        "hours",
    ),
    ("negative sticky", {"stickyAgentS": -1}, "stickyAgentS"),
]


@pytest.mark.parametrize(("case", "fields", "field"), BAD_QUEUES, ids=[c[0] for c in BAD_QUEUES])
async def test_bad_input_names_the_field_and_writes_nothing(
    gql: GraphQL,
    tenant_a: TenantAccount,
    redis: Redis,
    case: str,
    fields: dict[str, Any],
    field: str,
) -> None:
    skill = await create_skill(gql, tenant_a, "Any")
    payload = json.loads(json.dumps(fields).replace('"SKILL"', json.dumps(skill["id"])))
    body = await gql(CREATE_QUEUE, {"input": {"name": "Q", **payload}}, token=tenant_a.token)
    assert error_code(body) == "BAD_USER_INPUT", body
    assert body["errors"][0]["extensions"]["field"] == field
    assert (
        field.split(".")[0] in body["errors"][0]["message"] or field in body["errors"][0]["message"]
    )
    assert ok(await gql(QUEUES, token=tenant_a.token))["queues"]["edges"] == []
    assert not await redis.exists(f"{{t:{tenant_uuid(tenant_a)}}}:queues")


async def test_overflow_to_another_tenants_queue_is_not_found(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    foreign = await create_queue(gql, tenant_b)
    body = await gql(
        CREATE_QUEUE,
        {
            "input": {
                "name": "Q",
                "maxWaitS": 30,
                "maxWaitAction": "OVERFLOW",
                "overflowQueueId": foreign["id"],
            }
        },
        token=tenant_a.token,
    )
    assert error_code(body) == "NOT_FOUND"
    assert body["errors"][0]["extensions"]["field"] == "overflowQueueId"
    assert ok(await gql(QUEUES, token=tenant_a.token))["queues"]["edges"] == []


async def test_duplicate_name_conflicts(gql: GraphQL, tenant_a: TenantAccount) -> None:
    await create_queue(gql, tenant_a, name="Sales")
    body = await gql(CREATE_QUEUE, {"input": {"name": "SALES"}}, token=tenant_a.token)
    assert error_code(body) == "CONFLICT"


async def test_roles(gql: GraphQL, tenant_a: TenantAccount) -> None:
    queue = await create_queue(gql, tenant_a, name="Sales")
    supervisor = await add_member(gql, tenant_a, "supervisor")
    agent = await add_member(gql, tenant_a, "agent")
    assert len(ok(await gql(QUEUES, token=supervisor.token))["queues"]["edges"]) == 1
    assert (
        ok(await gql(QUEUE, {"id": queue["id"]}, token=supervisor.token))["queue"]["name"]
        == "Sales"
    )
    assert error_code(await gql(QUEUES, token=agent.token)) == "FORBIDDEN"
    for member in (supervisor, agent):
        assert (
            error_code(await gql(CREATE_QUEUE, {"input": {"name": "X"}}, token=member.token))
            == "FORBIDDEN"
        )
        body = await gql(
            UPDATE_QUEUE, {"input": {"id": queue["id"], "priority": 1}}, token=member.token
        )
        assert error_code(body) == "FORBIDDEN"
        assert (
            error_code(await gql(DELETE_QUEUE, {"id": queue["id"]}, token=member.token))
            == "FORBIDDEN"
        )
    assert ok(await gql(QUEUE, {"id": queue["id"]}, token=tenant_a.token))["queue"]["priority"] == 0
