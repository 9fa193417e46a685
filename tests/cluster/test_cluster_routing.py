"""The ACD and the event streams on a real three-primary Valkey Cluster.

Tenants are picked so that every shard holds some; two routing processes (reaching the
cluster through ``HOTLINE_REDIS_URL=redis+cluster://…``) route simulated calls of all of
them at once; then each tenant's event log must satisfy routing's invariants and replay to
what the cluster holds, and the analytics worker must turn every shard's streams into facts.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from pathlib import Path

from redis.asyncio import Redis
from sqlalchemy import func, select

from analytics.models import Contact
from analytics.worker import EventWorker, WorkerConfig
from api.clients import ApiServices
from routing.engine.engine import AcdEngine
from routing.simulator.params import SimulationParams
from routing.simulator.replicas import start_replicas
from routing.simulator.run import SimulationReport, simulate
from routing.simulator.seed import DemoCenter, seed_demo_center
from tenants import redis_keys as keys
from tenants.embedded.valkey_cluster import EmbeddedValkeyCluster
from tests.analytics.conftest import tenant_uuid
from tests.conftest import GraphQL, sign_up
from tests.routing.invariants import (
    check_agent_transitions,
    check_exactly_once,
    check_no_double_reservation,
    check_replay,
    replay,
    stored_state,
)

BUSY = {"reserved", "on_contact", "acw"}
SECRET = "cluster-secret-" + "x" * 24


def tenants_on_every_shard(cluster: EmbeddedValkeyCluster, per_shard: int) -> list[str]:
    """Fresh tenant ids, ``per_shard`` of them on each primary (by their hash tag's slot)."""
    picked: dict[int, list[str]] = {}
    while any(len(picked.get(s, [])) < per_shard for s in range(cluster.primaries)):
        tenant_id = str(uuid.uuid4())
        shard = cluster.shard_of_tenant(tenant_id)
        if len(picked.setdefault(shard, [])) < per_shard:
            picked[shard].append(tenant_id)
    return [t for shard in sorted(picked) for t in picked[shard]]


async def settle(redis: Redis, center: DemoCenter) -> None:
    """Wait (60 s at most) until no call is active and no agent holds one or is in ACW."""
    tenant = center.tenant_id
    async with asyncio.timeout(60):
        while True:
            async with redis.pipeline(transaction=False) as pipe:
                pipe.scard(keys.active_calls(tenant))
                for agent_id in center.agent_ids:
                    pipe.hget(keys.agent(tenant, agent_id), "state")
                active, *states = await pipe.execute()
            if not active and not BUSY & set(states):
                return
            await asyncio.sleep(0.2)


async def run_calls(
    redis: Redis, url: str, centers: list[DemoCenter], var_dir: Path, calls: int
) -> list[SimulationReport]:
    """Route ``calls`` simulated calls per center through two routing processes."""
    engine = AcdEngine(redis)
    replicas = start_replicas(
        2,
        redis_url=url,
        secret=SECRET,
        var_dir=var_dir,
        extra_env={"HOTLINE_ROUTING_TIMER_INTERVAL_S": "0.1"},
    )
    try:
        reports = await asyncio.gather(
            *(
                simulate(
                    params=SimulationParams(
                        calls=calls,
                        calls_per_second=10,
                        patience_mean_s=6,
                        answer_delay_s=0.05,
                        handle_mean_s=0.4,
                        no_answer_rate=0.03,
                        silent_rate=0.02,
                        missed_recover_s=0.5,
                        seed=index,
                    ),
                    routing_urls=[r.url for r in replicas],
                    secret=SECRET,
                    dids=center.dids,
                    engine=engine,
                    tenant_id=center.tenant_id,
                    call_id_of=lambda _: str(uuid.uuid4()),
                )
                for index, center in enumerate(centers)
            )
        )
        for center in centers:
            await settle(redis, center)
    finally:
        for replica in replicas:
            replica.stop()
    return list(reports)


async def seed(redis: Redis, tenant_ids: list[str]) -> list[DemoCenter]:
    engine = AcdEngine(redis)
    return [
        await seed_demo_center(
            redis,
            engine,
            tenant_id=tenant_id,
            slug=f"cluster-{index}",
            queues=2,
            agents=4,
            wrapup_s=0,
            ring_timeout_s=2,
            did_prefix=f"+1778{uuid.uuid4().int % 10**4:04d}{index}",
        )
        for index, tenant_id in enumerate(tenant_ids)
    ]


async def test_routing_on_a_cluster_keeps_every_invariant_on_every_shard(
    valkey_cluster: EmbeddedValkeyCluster, cluster_redis: Redis, tmp_path: Path
) -> None:
    tenant_ids = tenants_on_every_shard(valkey_cluster, per_shard=2)
    centers = await seed(cluster_redis, tenant_ids)
    reports = await run_calls(cluster_redis, valkey_cluster.url, centers, tmp_path, calls=60)

    shards = Counter(valkey_cluster.shard_of_tenant(c.tenant_id) for c in centers)
    assert sorted(shards) == list(range(valkey_cluster.primaries)), shards
    for center, report in zip(centers, reports, strict=True):
        events = [fields for _, fields in await cluster_redis.xrange(keys.events(center.tenant_id))]
        outcomes = check_exactly_once(events, report.calls)
        assert set(outcomes.values()) <= {"answered", "abandoned", "rejected"}
        assert "answered" in outcomes.values(), "no call of this tenant was answered"
        check_agent_transitions(events)
        check_no_double_reservation(events)
        replayed = replay(events, agent_ids=center.agent_ids, call_ids=report.calls)
        stored = await stored_state(
            cluster_redis,
            center.tenant_id,
            agent_ids=center.agent_ids,
            call_ids=report.calls,
            queue_ids=center.queue_ids,
        )
        check_replay(replayed, stored)


async def test_the_worker_turns_every_shards_streams_into_facts(
    valkey_cluster: EmbeddedValkeyCluster,
    cluster_redis: Redis,
    services: ApiServices,
    gql: GraphQL,
    tmp_path: Path,
) -> None:
    # Real tenants (the facts reference them), signed up until every shard holds one.
    tenant_ids: dict[int, str] = {}
    while len(tenant_ids) < valkey_cluster.primaries:
        account = await sign_up(gql)
        tenant_id = str(tenant_uuid(account))
        tenant_ids.setdefault(valkey_cluster.shard_of_tenant(tenant_id), tenant_id)
    centers = await seed(cluster_redis, list(tenant_ids.values()))
    reports = await run_calls(cluster_redis, valkey_cluster.url, centers, tmp_path, calls=20)

    worker = EventWorker(
        database=services.database,
        redis=cluster_redis,
        config=WorkerConfig(group=f"cluster-{uuid.uuid4().hex[:8]}", consumer="w1", block_ms=10),
    )
    for _ in range(100):
        if not await worker.run_once(block_ms=10):
            break
    for center, report in zip(centers, reports, strict=True):
        tenant = uuid.UUID(center.tenant_id)
        async with services.database.transaction(tenant) as session:
            contacts = await session.scalar(
                select(func.count()).select_from(Contact).where(Contact.tenant_id == tenant)
            )
        assert contacts == len(report.calls), center.tenant_id
