"""A real three-primary Valkey Cluster (with a replica each), started once for this folder."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from redis.asyncio import Redis

from tenants.embedded.valkey_cluster import EmbeddedValkeyCluster
from tenants.redis_connection import connect


@pytest.fixture(scope="package")
def valkey_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedValkeyCluster]:
    cluster = EmbeddedValkeyCluster(tmp_path_factory.mktemp("valkey-cluster"))
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
async def cluster_redis(valkey_cluster: EmbeddedValkeyCluster) -> AsyncIterator[Redis]:
    client = connect(valkey_cluster.url)
    try:
        yield client
    finally:
        await client.aclose()
