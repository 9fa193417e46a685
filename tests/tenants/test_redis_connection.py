"""``HOTLINE_REDIS_URL``: one server or a cluster, and a clear error for a bad node list."""

from __future__ import annotations

import pytest
from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster

from tenants.redis_connection import connect, is_cluster, is_cluster_url


def test_a_plain_url_is_one_server() -> None:
    client = connect("redis://127.0.0.1:6379/0")
    assert isinstance(client, Redis) and not is_cluster(client)
    assert not is_cluster_url("redis://127.0.0.1:6379/0")


async def test_a_cluster_url_lists_its_startup_nodes() -> None:
    url = "redis+cluster://user:s%40cret@127.0.0.1:7000,127.0.0.1:7001"
    client = connect(url)
    assert is_cluster_url(url) and is_cluster(client) and isinstance(client, RedisCluster)
    nodes = [(n.host, n.port) for n in client.nodes_manager.startup_nodes.values()]
    assert sorted(nodes) == [("127.0.0.1", 7000), ("127.0.0.1", 7001)]
    kwargs = client.connection_kwargs
    assert (kwargs["username"], kwargs["password"]) == ("user", "s@cret")
    await client.aclose()


@pytest.mark.parametrize("url", ["redis+cluster://127.0.0.1", "redis+cluster://:7000,host:x"])
def test_a_bad_node_list_is_a_clear_error(url: str) -> None:
    with pytest.raises(ValueError, match="is not host:port"):
        connect(url)
