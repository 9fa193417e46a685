"""The Redis projection of routing configuration: sync, stale keys, commit-only publishing."""

from __future__ import annotations

import asyncio
import json
import uuid

from redis.asyncio import Redis

from api.clients import ApiServices
from routing.config.directory import RoutingDirectory, sync_directory
from routing.config.projection import DidEntry
from routing.config.publishing import Publications
from tenants.embedded.process import free_port
from tests.conftest import GraphQL, TenantAccount, error_code
from tests.routing.config.helpers import (
    CREATE_PROFILE,
    QUEUES,
    UPDATE_SETTINGS,
    add_member,
    create_number,
    create_queue,
    create_skill,
    fresh_number,
    ok,
    raw_id,
    tenant_uuid,
)


async def _configure(gql: GraphQL, account: TenantAccount) -> dict[str, str]:
    skill = await create_skill(gql, account, "Billing")
    queue = await create_queue(
        gql, account, name="Billing", requiredSkills=[{"skillId": skill["id"], "minLevel": 2}]
    )
    number = await create_number(gql, account, queue["id"])
    agent = await add_member(gql, account, "agent", name="Agent Smith")
    ok(
        await gql(
            CREATE_PROFILE,
            {
                "input": {
                    "userId": agent.id,
                    "skills": [{"skillId": skill["id"], "level": 6}],
                    "queueIds": [queue["id"]],
                }
            },
            token=account.token,
        )
    )
    ok(await gql(UPDATE_SETTINGS, {"input": {"maxConcurrentCalls": 7}}, token=account.token))
    return {
        "tenant": tenant_uuid(account),
        "skill": raw_id(skill["id"]),
        "queue": raw_id(queue["id"]),
        "number": number["number"],
        "agent": raw_id(agent.id),
    }


async def _config_keys(redis: Redis, tenant: str) -> dict[str, object]:
    """Every configuration key of a tenant with its value (engine keys excluded)."""
    result: dict[str, object] = {}
    async for key in redis.scan_iter(match=f"{{t:{tenant}}}:*"):
        kind = await redis.type(key)
        if kind == "stream":  # the tenant's event stream (queue.configured), not configuration
            continue
        if kind == "hash":
            result[key] = await redis.hgetall(key)
        elif kind == "set":
            result[key] = await redis.smembers(key)
        else:
            result[key] = await redis.get(key)
    async for key in redis.scan_iter(match="hotline:did:*"):
        value = await redis.get(key)
        if value and json.loads(value)["tenant_id"] == tenant:
            result[key] = json.loads(value)
    return result


async def test_sync_tenant_rebuilds_and_removes_stale_keys(
    gql: GraphQL,
    tenant_a: TenantAccount,
    tenant_b: TenantAccount,
    services: ApiServices,
    redis: Redis,
) -> None:
    ids = await _configure(gql, tenant_a)
    b_queue = await create_queue(gql, tenant_b)
    b_number = await create_number(gql, tenant_b, b_queue["id"])
    tenant = ids["tenant"]
    published = await _config_keys(redis, tenant)
    assert published[f"{{t:{tenant}}}:tenant"] == {
        "slug": tenant_a.slug,
        "max_concurrent_calls": "7",
    }
    assert published[f"{{t:{tenant}}}:agent:{ids['agent']}:profile"] == {
        "skills": json.dumps({ids["skill"]: 6}),
        "queues": json.dumps([ids["queue"]]),
        "display_name": "Agent Smith",
        "sip_user": ids["agent"].replace("-", ""),  # the user part sipCredentials issues
    }
    assert published[f"hotline:did:{ids['number']}"] == {
        "tenant_id": tenant,
        "queue_id": ids["queue"],
    }

    # Lose some keys, corrupt one, and leave stale ones behind, as a crash might.
    ghost_queue, ghost_agent = str(uuid.uuid4()), str(uuid.uuid4())
    ghost_number = fresh_number()
    engine_key = f"{{t:{tenant}}}:queue:{ids['queue']}:waiting"
    await redis.delete(f"{{t:{tenant}}}:queue:{ids['queue']}", f"hotline:did:{ids['number']}")
    await redis.hset(f"{{t:{tenant}}}:tenant", "max_concurrent_calls", "999")
    await redis.hset(f"{{t:{tenant}}}:queue:{ghost_queue}", mapping={"name": "ghost"})
    await redis.sadd(f"{{t:{tenant}}}:queues", ghost_queue)
    await redis.hset(f"{{t:{tenant}}}:agent:{ghost_agent}:profile", mapping={"skills": "{}"})
    await redis.set(
        f"hotline:did:{ghost_number}", json.dumps({"tenant_id": tenant, "queue_id": ghost_queue})
    )
    await redis.rpush(engine_key, "call-1")

    directory = RoutingDirectory(redis)
    async with services.database.transaction() as session:
        await directory.sync_tenant(session, uuid.UUID(tenant))

    assert await redis.lrange(engine_key, 0, -1) == ["call-1"]  # engine state untouched
    await redis.delete(engine_key)
    assert await _config_keys(redis, tenant) == published
    # Tenant B's configuration is not touched by A's sync.
    assert json.loads(await redis.get(f"hotline:did:{b_number['number']}"))["tenant_id"] == (
        tenant_uuid(tenant_b)
    )


async def test_sync_all_removes_keys_of_deleted_things(
    gql: GraphQL, tenant_a: TenantAccount, services: ApiServices, redis: Redis
) -> None:
    ids = await _configure(gql, tenant_a)
    published = await _config_keys(redis, ids["tenant"])
    gone_tenant = str(uuid.uuid4())
    gone_queue = str(uuid.uuid4())
    gone_number = fresh_number()
    await redis.hset(f"{{t:{gone_tenant}}}:queue:{gone_queue}", mapping={"name": "old"})
    await redis.sadd(f"{{t:{gone_tenant}}}:queues", gone_queue)
    await redis.hset(f"{{t:{gone_tenant}}}:tenant", mapping={"slug": "old"})
    await redis.set(
        f"hotline:did:{gone_number}", json.dumps({"tenant_id": gone_tenant, "queue_id": gone_queue})
    )
    await redis.delete(f"{{t:{ids['tenant']}}}:agent:{ids['agent']}:profile")

    synced = await sync_directory(database=services.database, redis=redis)

    assert synced >= 1
    assert await _config_keys(redis, gone_tenant) == {}
    assert not await redis.exists(f"hotline:did:{gone_number}")
    assert await _config_keys(redis, ids["tenant"]) == published


async def test_nothing_is_published_when_the_request_rolls_back(
    gql: GraphQL, tenant_a: TenantAccount, redis: Redis
) -> None:
    body = await gql(
        """
        mutation {
          good: createQueue(input: {name: "Committed?"}) { id }
          bad: createQueue(input: {name: "Bad", slThresholdS: 1, shortAbandonS: 2}) { id }
        }""",
        token=tenant_a.token,
    )
    assert error_code(body) == "BAD_USER_INPUT"
    assert ok(await gql(QUEUES, token=tenant_a.token))["queues"]["edges"] == []
    assert await _config_keys(redis, tenant_uuid(tenant_a)) == {}


async def test_failed_publish_is_logged_and_healed_by_sync(
    gql: GraphQL, tenant_a: TenantAccount, services: ApiServices, redis: Redis
) -> None:
    queue = await create_queue(gql, tenant_a)
    tenant = tenant_uuid(tenant_a)
    key = f"{{t:{tenant}}}:queue:{raw_id(queue['id'])}"
    published = await redis.hgetall(key)
    await redis.delete(key)

    unreachable = Redis(port=free_port(), socket_connect_timeout=0.2)
    publications = Publications()
    publications.put_did(
        DidEntry(fresh_number(), uuid.UUID(tenant), uuid.UUID(raw_id(queue["id"])))
    )
    try:
        assert await publications.apply(RoutingDirectory(unreachable)) is False
    finally:
        await unreachable.aclose()

    async with services.database.transaction() as session:
        await RoutingDirectory(redis).sync_tenant(session, uuid.UUID(tenant))
    assert await redis.hgetall(key) == published


async def test_a_late_removal_never_deletes_another_tenants_number(redis: Redis) -> None:
    directory = RoutingDirectory(redis)
    number = fresh_number()
    owner, previous, queue = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await directory.put_did(DidEntry(number, owner, queue))
    await directory.remove_did(previous, number)
    assert json.loads(await redis.get(f"hotline:did:{number}"))["tenant_id"] == str(owner)
    await directory.remove_did(owner, number)
    assert not await redis.exists(f"hotline:did:{number}")


async def test_publications_and_syncs_take_the_tenant_lock(
    gql: GraphQL, tenant_a: TenantAccount, services: ApiServices, redis: Redis
) -> None:
    """A sync that read PostgreSQL before a commit must not overwrite its publication."""
    tenant = uuid.UUID(tenant_uuid(tenant_a))
    first = await create_queue(gql, tenant_a, name="First")
    first_key = f"{{t:{tenant}}}:queue:{raw_id(first['id'])}"
    directory = RoutingDirectory(redis)

    async with directory.tenant_lock([tenant]):
        mutation = asyncio.create_task(create_queue(gql, tenant_a, name="Second"))
        await redis.delete(first_key)

        async def sync() -> None:
            async with services.database.transaction() as session:
                await directory.sync_tenant(session, tenant)

        syncing = asyncio.create_task(sync())
        # A window, not a wait: for 0.3 s both must stay blocked on the lock (no condition
        # to poll for proves that something does not happen).
        await asyncio.sleep(0.3)
        # Both wait for the lock: nothing is written while it is held.
        assert not mutation.done() and not syncing.done()
        assert not await redis.exists(first_key)
        assert await redis.smembers(f"{{t:{tenant}}}:queues") == {raw_id(first["id"])}
    second = await mutation
    await syncing
    assert await redis.exists(first_key)
    assert await redis.smembers(f"{{t:{tenant}}}:queues") == {
        raw_id(first["id"]),
        raw_id(second["id"]),
    }
