"""``queue.configured``: routing-config's queue definitions reach analytics' reports."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from redis.asyncio import Redis
from sqlalchemy import func, select

from analytics.models import QueueDefinition, QueueRollup
from analytics.worker import EventWorker
from api.clients import ApiServices
from routing.config.directory import RoutingDirectory
from tenants.database.scoping import scoped
from tenants.redis_keys import events as stream_key
from tests.analytics.conftest import T0, Publisher, drain, tenant_uuid
from tests.analytics.test_worker import answered_call
from tests.conftest import GraphQL, TenantAccount
from tests.routing.config.helpers import UPDATE_QUEUE, create_queue, ok, raw_id


async def definition(
    services: ApiServices, tenant: uuid.UUID, queue: uuid.UUID
) -> tuple[int, int, str] | None:
    async with services.database.transaction(tenant) as session:
        row = (
            await session.execute(
                scoped(
                    select(
                        QueueDefinition.answer_seconds,
                        QueueDefinition.short_abandon_seconds,
                        QueueDefinition.sl_formula,
                    ),
                    tenant,
                ).where(QueueDefinition.queue_id == queue)
            )
        ).first()
    return None if row is None else tuple(row)  # type: ignore[return-value]


async def answered_within_t(services: ApiServices, tenant: uuid.UUID, queue: uuid.UUID) -> int:
    async with services.database.transaction(tenant) as session:
        total = await session.scalar(
            scoped(select(func.sum(QueueRollup.answered_within_t)), tenant).where(
                QueueRollup.queue_id == queue
            )
        )
    return int(total or 0)


async def test_queue_definitions_flow_from_routing_config_to_reports(
    gql: GraphQL,
    tenant_a: TenantAccount,
    tenant_b: TenantAccount,
    services: ApiServices,
    redis: Redis,
    streams_set: str,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    tenant, other = tenant_uuid(tenant_a), tenant_uuid(tenant_b)
    await redis.sadd(streams_set, stream_key(tenant), stream_key(other))
    worker = make_worker()
    queue = await create_queue(
        gql, tenant_a, slThresholdS=20, shortAbandonS=5, slFormula="ANSWERED_ONLY"
    )
    queue_id = uuid.UUID(raw_id(queue["id"]))
    entries = await redis.xrange(stream_key(tenant))
    announced = [fields for _, fields in entries if fields["type"] == "queue.configured"]
    assert announced[-1]["queue_id"] == str(queue_id)
    assert announced[-1]["name"] == queue["name"]
    assert (announced[-1]["sl_threshold_s"], announced[-1]["short_abandon_s"]) == ("20", "5")
    await drain(worker)
    assert await definition(services, tenant, queue_id) == (20, 5, "answered_only")

    agent = uuid.uuid4()
    await answered_call(publish, tenant, queue=queue_id, agent=agent, wait=12)
    await drain(worker)
    assert await answered_within_t(services, tenant, queue_id) == 1

    ok(
        await gql(
            UPDATE_QUEUE,
            {"input": {"id": queue["id"], "slThresholdS": 10, "slFormula": "DEFAULT"}},
            token=tenant_a.token,
        )
    )
    await drain(worker)
    assert await definition(services, tenant, queue_id) == (10, 5, "genesys")
    # The 12 s answer is no longer within T: the rollups were rebuilt with the new T.
    assert await answered_within_t(services, tenant, queue_id) == 0
    # A sync announces every queue again (it heals a lost announcement); nothing changes.
    async with services.database.transaction(tenant) as session:
        await RoutingDirectory(redis).sync_tenant(session, tenant)
    entries = await redis.xrange(stream_key(tenant))
    assert [f["queue_id"] for _, f in entries if f["type"] == "queue.configured"][-1] == str(
        queue_id
    )
    await drain(worker)
    assert await definition(services, tenant, queue_id) == (10, 5, "genesys")
    assert await answered_within_t(services, tenant, queue_id) == 0
    # Tenant B sees nothing of A's queue.
    assert await definition(services, other, queue_id) is None
    assert await redis.xlen(stream_key(other)) == 0


async def test_malformed_queue_configured_is_skipped(
    services: ApiServices,
    tenant_a: TenantAccount,
    redis: Redis,
    streams_set: str,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    tenant, queue_id = tenant_uuid(tenant_a), uuid.uuid4()
    await publish(
        tenant,
        "queue.configured",
        T0,
        queue_id=queue_id,
        name="q",
        sl_threshold_s=5,
        short_abandon_s=10,
        sl_formula="default",
    )
    await publish(
        tenant,
        "queue.configured",
        T0,
        queue_id=queue_id,
        name="q",
        sl_threshold_s=30,
        short_abandon_s=10,
        sl_formula="nonsense",
    )
    await drain(make_worker())
    assert await definition(services, tenant, queue_id) is None
