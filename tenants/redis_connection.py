"""Connections to Redis or Valkey, one server or a cluster, from ``HOTLINE_REDIS_URL``.

- ``redis://host:port/0`` (or ``rediss://``): one server.
- ``redis+cluster://host:port[,host:port…]`` (or ``rediss+cluster://``): a Redis/Valkey
  Cluster, found from any of the listed nodes.

Every key of a tenant shares the hash tag ``{t:<tenant>}`` (``tenants.redis_keys``), so each
routing script and each transaction stays in one slot, and tenants spread over the shards.
The few global keys (the stream and tenant registries, DIDs, the call index) are read and
written by single-key commands or non-transactional pipelines, which a cluster routes per
key. ``redis.asyncio.RedisCluster`` offers the commands Hotline uses with the same
signatures as ``redis.asyncio.Redis``; the functions below return it typed as ``Redis`` so
callers stay one code path. Code that must differ (a multi-stream ``XREADGROUP`` spans
slots) asks ``is_cluster``.
"""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import unquote, urlsplit

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.cluster import ClusterNode, RedisCluster

CLUSTER_SCHEMES = {"redis+cluster": "redis", "rediss+cluster": "rediss"}


def is_cluster_url(url: str) -> bool:
    """Whether ``url`` names a cluster (``redis+cluster://`` or ``rediss+cluster://``)."""
    return urlsplit(url).scheme in CLUSTER_SCHEMES


def is_cluster(redis: object) -> bool:
    """Whether ``redis`` is a cluster client."""
    return isinstance(redis, RedisCluster)


def _cluster(url: str, **options: Any) -> Redis:
    parts = urlsplit(url)
    nodes = []
    for host_port in parts.netloc.rpartition("@")[2].split(","):
        host, _, port = host_port.strip().rpartition(":")
        if not host or not port.isdigit():
            raise ValueError(f"cluster node {host_port!r} in HOTLINE_REDIS_URL is not host:port")
        nodes.append(ClusterNode(host.strip("[]"), int(port)))
    client = RedisCluster(
        startup_nodes=nodes,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        ssl=CLUSTER_SCHEMES[parts.scheme] == "rediss",
        **options,
    )
    return cast(Redis, client)


def connect(url: str, *, decode_responses: bool = True, **options: Any) -> Redis:
    """A client for ``url``: one server or a cluster (no I/O until the first command)."""
    if is_cluster_url(url):
        options.pop("single_connection_client", None)
        options.pop("client_name", None)
        return _cluster(url, decode_responses=decode_responses, **options)
    return Redis.from_url(url, decode_responses=decode_responses, **options)


def connect_pooled(url: str, *, max_connections: int, timeout: float) -> Redis:
    """A client whose bursts queue for a connection instead of failing (routing's hot path).

    One server: a ``BlockingConnectionPool`` of ``max_connections``. A cluster: one pool of
    ``max_connections`` per node.
    """
    if is_cluster_url(url):
        return _cluster(url, decode_responses=True, max_connections=max_connections)
    pool = BlockingConnectionPool.from_url(
        url, decode_responses=True, max_connections=max_connections, timeout=timeout
    )
    return Redis(connection_pool=pool)
