"""Routing's configuration projection on the cluster: a sync publishes a tenant's keys into
its slot and sweeps stale keys of gone tenants from every shard (SCAN runs per primary)."""

from __future__ import annotations

import json
import uuid

from redis.asyncio import Redis

from api.clients import ApiServices
from routing.config.directory import sync_directory
from tenants import redis_keys as keys
from tenants.embedded.valkey_cluster import EmbeddedValkeyCluster
from tests.analytics.conftest import tenant_uuid
from tests.conftest import GraphQL, TenantAccount
from tests.routing.test_directory import _config_keys, _configure


async def test_a_sync_publishes_into_the_cluster_and_sweeps_every_shard(
    valkey_cluster: EmbeddedValkeyCluster,
    cluster_redis: Redis,
    gql: GraphQL,
    tenant_a: TenantAccount,
    services: ApiServices,
) -> None:
    await _configure(gql, tenant_a)
    tenant = str(tenant_uuid(tenant_a))
    # Stale configuration of gone tenants on every shard, and a DID pointing at one.
    gone: dict[int, str] = {}
    while len(gone) < valkey_cluster.primaries:
        candidate = str(uuid.uuid4())
        gone.setdefault(valkey_cluster.shard_of_tenant(candidate), candidate)
    for gone_tenant in gone.values():
        await cluster_redis.hset(keys.tenant(gone_tenant), mapping={"slug": "old"})
        await cluster_redis.sadd(keys.queues(gone_tenant), "q")
    gone_number = f"+1779{uuid.uuid4().int % 10**7:07d}"
    await cluster_redis.set(
        keys.did(gone_number), json.dumps({"tenant_id": gone[0], "queue_id": str(uuid.uuid4())})
    )

    assert await sync_directory(database=services.database, redis=cluster_redis) >= 1

    for gone_tenant in gone.values():
        assert await _config_keys(cluster_redis, gone_tenant) == {}
    assert not await cluster_redis.exists(keys.did(gone_number))
    published = await _config_keys(cluster_redis, tenant)
    assert keys.tenant(tenant) in published and keys.queues(tenant) in published
    dids = [k for k in published if k.startswith(keys.DID_PREFIX)]
    assert dids, "the tenant's number was not published"
