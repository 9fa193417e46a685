"""The rtpengine node registry: a static list from settings plus a dynamic one in Redis.

Health is an ng ``ping``; load is ``statistics`` (sessions). Kamailio's rtpengine module
picks among the nodes it was configured with; ``sync_kamailio`` enables healthy ones and
disables dead ones there (``rtpengine.enable``), so new calls only go to healthy nodes.
A node added to the Redis set joins Kamailio's list the next time its config is rendered.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from redis.asyncio import Redis

from media_plane.kamailio.client import KamailioRpcClient
from media_plane.kamailio.errors import KamailioError
from media_plane.rtpengine.client import RtpengineClient
from media_plane.rtpengine.errors import RtpengineError
from tenants import redis_keys
from tenants.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NodeHealth:
    """One node's health and load at the time of the check."""

    address: str
    alive: bool
    sessions: int | None
    error: str | None = None

    @property
    def kamailio_url(self) -> str:
        """The node as Kamailio names it."""
        return f"udp:{self.address}"


def parse_address(address: str) -> tuple[str, int]:
    """``host:port`` → (host, port); raises ValueError otherwise."""
    host, sep, port = address.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"rtpengine node {address!r} must be host:port")
    return host, int(port)


class RtpengineRegistry:
    """Which rtpengine nodes exist, and which of them are healthy."""

    def __init__(
        self,
        *,
        static: list[str],
        redis: Redis | None = None,
        key: str = redis_keys.RTPENGINE_NODES,
        timeout: float = 0.5,
        retries: int = 1,
    ) -> None:
        for address in static:
            parse_address(address)
        self.static = list(dict.fromkeys(static))
        self.redis = redis
        self.key = key
        self.timeout = timeout
        self.retries = retries

    @classmethod
    def from_settings(cls, settings: Settings, redis: Redis | None) -> RtpengineRegistry:
        """The local node plus ``HOTLINE_RTPENGINE_NODES``, dynamic ones in Redis."""
        r = settings.rtpengine
        return cls(
            static=[f"{r.ng_host}:{r.ng_port}", *r.nodes],
            redis=redis,
            key=r.registry_key,
            timeout=r.timeout_seconds,
            retries=r.retries,
        )

    async def register(self, address: str) -> None:
        """Add a dynamic node (e.g. announced by a new media host)."""
        parse_address(address)
        if self.redis is None:
            raise RuntimeError("no Redis for dynamic rtpengine nodes")
        await self.redis.sadd(self.key, address)

    async def unregister(self, address: str) -> None:
        """Remove a dynamic node."""
        if self.redis is not None:
            await self.redis.srem(self.key, address)

    async def nodes(self) -> list[str]:
        """Static nodes first, then dynamic ones (deduplicated, sorted)."""
        dynamic: set[str] = set()
        if self.redis is not None:
            raw = await self.redis.smembers(self.key)
            dynamic = {m.decode() if isinstance(m, bytes) else str(m) for m in raw}
        return self.static + sorted(dynamic - set(self.static))

    async def check(self, address: str) -> NodeHealth:
        """Ping, then read the node's session count."""
        host, port = parse_address(address)
        client = RtpengineClient(host, port, timeout=self.timeout, retries=self.retries)
        try:
            await client.ping()
            stats = await client.statistics()
            current = stats.get("currentstatistics") or {}
            sessions = int(current.get("sessionstotal", current.get("sessionsown", 0)))
            return NodeHealth(address=address, alive=True, sessions=sessions)
        except RtpengineError as exc:
            return NodeHealth(address=address, alive=False, sessions=None, error=str(exc))
        finally:
            await client.aclose()

    async def health(self) -> list[NodeHealth]:
        """Every node's health, checked concurrently."""
        return list(await asyncio.gather(*(self.check(a) for a in await self.nodes())))

    async def least_loaded(self) -> NodeHealth | None:
        """The healthy node with the fewest sessions, if any."""
        alive = [h for h in await self.health() if h.alive]
        return min(alive, key=lambda h: h.sessions or 0) if alive else None

    async def set_enabled(self, kamailio: KamailioRpcClient, address: str, enabled: bool) -> bool:
        """Enable or disable a node in Kamailio; False when Kamailio cannot (re)reach it."""
        parse_address(address)
        return await kamailio.rtpengine_enable(f"udp:{address}", enabled)

    async def sync_kamailio(self, kamailio: KamailioRpcClient) -> list[NodeHealth]:
        """Mirror health into Kamailio: healthy nodes enabled, dead ones disabled.

        A Kamailio that is down, or that does not know a node, is logged and skipped: this
        runs periodically and must never crash its caller.
        """
        report = await self.health()
        try:
            known = {n.url for n in await kamailio.rtpengine_nodes()}
        except KamailioError as exc:
            log.warning("rtpengine sync: kamailio at %s unavailable: %s", kamailio.url, exc)
            return report
        for node in report:
            if node.kamailio_url not in known:
                continue
            try:
                await kamailio.rtpengine_enable(node.kamailio_url, node.alive)
            except KamailioError as exc:
                log.warning("rtpengine sync: %s: %s", node.address, exc)
        return report


async def keep_kamailio_in_sync(
    registry: RtpengineRegistry,
    kamailio: KamailioRpcClient,
    *,
    interval: float = 5.0,
    stop: asyncio.Event | None = None,
) -> None:
    """Run ``sync_kamailio`` every ``interval`` seconds until ``stop`` is set (or cancelled).

    For ``hotline up`` and the media hosts: a dead rtpengine is disabled in Kamailio within
    one interval, so new calls go to the healthy ones; a recovered one is enabled again.
    """
    stop = stop or asyncio.Event()
    while not stop.is_set():
        try:
            report = await registry.sync_kamailio(kamailio)
            dead = [h.address for h in report if not h.alive]
            if dead:
                log.warning("rtpengine nodes down: %s", ", ".join(dead))
        except Exception:  # a periodic health loop must survive anything one round throws
            log.exception("rtpengine sync round failed")
        try:
            await asyncio.wait_for(stop.wait(), interval)
        except TimeoutError:
            continue
