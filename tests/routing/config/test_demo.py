"""The demo seed: a whole tenant, published to routing, idempotent."""

from __future__ import annotations

import json
import uuid

from redis.asyncio import Redis

from api.clients import ApiServices
from routing.config.demo import seed_demo_tenant
from tests.conftest import GraphQL, error_code
from tests.routing.config.helpers import LOG_IN, QUEUES, fresh_number, ok


async def test_seed_creates_publishes_and_is_idempotent(
    gql: GraphQL, services: ApiServices, redis: Redis
) -> None:
    name = f"Demo {uuid.uuid4().hex[:8]}"
    numbers = [fresh_number() for _ in range(4)]
    demo = await seed_demo_tenant(
        database=services.database, redis=redis, name=name, agent_count=4, numbers=numbers
    )
    assert demo.created
    assert set(demo.queues) == {"General", "Sales", "Billing", "Tech Support"}
    assert demo.numbers == {
        numbers[0]: demo.queues["General"],
        numbers[1]: demo.queues["Sales"],
        numbers[2]: demo.queues["Billing"],
        numbers[3]: demo.queues["Tech Support"],
    }
    assert len(demo.agents) == 4

    tag = f"{{t:{demo.tenant_id}}}"
    assert await redis.smembers(f"{tag}:queues") == {str(q) for q in demo.queues.values()}
    billing = await redis.hgetall(f"{tag}:queue:{demo.queues['Billing']}")
    assert billing["overflow_queue_id"] == str(demo.queues["General"])
    assert billing["max_wait_action"] == "overflow"
    assert json.loads(await redis.get(f"hotline:did:{numbers[3]}")) == {
        "tenant_id": str(demo.tenant_id),
        "queue_id": str(demo.queues["Tech Support"]),
    }
    for agent in demo.agents:
        profile = await redis.hgetall(f"{tag}:agent:{agent.user_id}:profile")
        assert profile["sip_user"] == agent.sip_user
        assert set(json.loads(profile["queues"])) == {str(q) for q in agent.queue_ids}
    assert (await redis.hgetall(f"{tag}:tenant"))["slug"] == demo.slug

    # The owner can sign in and sees the seeded queues; agents can sign in too.
    login = await gql(
        LOG_IN,
        {"input": {"tenantSlug": demo.slug, "email": demo.owner_email, "password": demo.password}},
    )
    token = ok(login)["logIn"]["token"]
    assert len(ok(await gql(QUEUES, token=token))["queues"]["edges"]) == 4
    agent_login = await gql(
        LOG_IN,
        {
            "input": {
                "tenantSlug": demo.slug,
                "email": demo.agents[0].email,
                "password": demo.password,
            }
        },
    )
    assert error_code(agent_login) is None

    # Seeding again changes nothing and heals the projection.
    await redis.delete(f"{tag}:queue:{demo.queues['Sales']}")
    again = await seed_demo_tenant(
        database=services.database, redis=redis, name=name, agent_count=4, numbers=numbers
    )
    assert not again.created
    assert (again.tenant_id, again.queues, again.numbers, again.agents) == (
        demo.tenant_id,
        demo.queues,
        demo.numbers,
        demo.agents,
    )
    assert await redis.exists(f"{tag}:queue:{demo.queues['Sales']}")
