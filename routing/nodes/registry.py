"""Media nodes' leases in Redis, renewed by their heartbeats.

A node (a Kamailio, the simulator's virtual node) sends ``POST /v1/nodes/{node}/heartbeat``
with its boot id every few seconds. The heartbeat renews a lease (a key that expires) and
records the boot, so routing notices a restart at the first heartbeat of the new boot,
even when the node comes back before its old lease ran out.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from redis.asyncio import Redis

from tenants import redis_keys as keys

NODE_PATTERN = r"^[A-Za-z0-9._-]{1,100}$"
"""Node names: no braces (hash tags) and no separators of the engine's members."""

_NODE = re.compile(NODE_PATTERN)


@dataclass(frozen=True)
class NodeRecord:
    """What routing knows of one node."""

    name: str
    boot: str
    seen_ms: int
    alive: bool
    reconciled: str
    rpc_url: str = ""
    dialogs_url: str = ""
    lost_ms: int = 0


def valid_node(name: str) -> bool:
    """Whether ``name`` is a node name routing accepts."""
    return bool(_NODE.match(name))


class NodeRegistry:
    """Leases and boot ids of the media nodes."""

    def __init__(self, redis: Redis, *, lease_s: float) -> None:
        self.redis = redis
        self.lease_ms = int(lease_s * 1000)

    async def heartbeat(
        self, *, name: str, boot: str, rpc_url: str = "", dialogs_url: str = ""
    ) -> str:
        """Renew ``name``'s lease; ``new`` (first heartbeat), ``renewed``, ``restarted``, or
        ``conflict`` when the boot before the current one beats again: two nodes share the
        name, and each would otherwise end the other's calls at every heartbeat."""
        now_ms = int(time.time() * 1000)
        previous, older = await self.redis.hmget(keys.node(name), ["boot", "previous_boot"])
        if previous is not None and boot != previous and boot == older:
            return "conflict"
        fields = {"boot": boot, "seen_ms": now_ms, "rpc_url": rpc_url, "dialogs_url": dialogs_url}
        if previous is not None and previous != boot:
            fields["previous_boot"] = previous
        if previous is None:
            # A node seen for the first time holds no call routing could have to end.
            fields["reconciled"] = f"boot:{boot}"
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(keys.node(name), mapping=fields)
            pipe.set(keys.node_lease(name), boot, px=self.lease_ms)
            await pipe.execute()
        if previous is None:
            await self.redis.sadd(keys.NODES, name)
            return "new"
        return "renewed" if previous == boot else "restarted"

    async def names(self) -> list[str]:
        """Every node that ever sent a heartbeat (and was not forgotten)."""
        return sorted(await self.redis.smembers(keys.NODES))

    async def get(self, name: str) -> NodeRecord | None:
        """The node's record; ``alive`` while its lease holds."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.hgetall(keys.node(name))
            pipe.get(keys.node_lease(name))
            row, lease = await pipe.execute()
        if not row:
            return None
        return NodeRecord(
            name=name,
            boot=row.get("boot", ""),
            seen_ms=int(row.get("seen_ms") or 0),
            alive=lease is not None,
            reconciled=row.get("reconciled", ""),
            rpc_url=row.get("rpc_url", ""),
            dialogs_url=row.get("dialogs_url", ""),
            lost_ms=int(row.get("lost_ms") or 0),
        )

    async def mark(self, name: str, reconciled: str, *, lost: bool) -> None:
        """Record that reconciliation handled ``reconciled`` (``boot:<id>`` or ``lost:<id>``)."""
        fields: dict[str, str | int] = {"reconciled": reconciled}
        if lost:
            fields["lost_ms"] = int(time.time() * 1000)
        await self.redis.hset(keys.node(name), mapping=fields)

    async def forget(self, name: str) -> None:
        """Drop a node lost long ago (its calls were ended when it was lost)."""
        await self.redis.delete(keys.node(name), keys.node_lease(name))
        await self.redis.srem(keys.NODES, name)

    async def claim_sweep(self, name: str, period_s: float) -> bool:
        """Whether this replica sweeps the node's dialogs this period (one replica does)."""
        return bool(
            await self.redis.set(keys.node_sweep_lock(name), "1", nx=True, px=int(period_s * 1000))
        )
