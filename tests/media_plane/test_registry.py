"""The rtpengine node registry: static + Redis nodes, health, and Kamailio enablement."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from media_plane.kamailio.client import KamailioRpcClient
from media_plane.rtpengine.registry import RtpengineRegistry, parse_address
from tenants.embedded.process import free_port
from tests.conftest import ServiceUrls
from tests.media_plane.conftest import RtpengineNode
from tests.media_plane.sipp import free_udp_port

pytestmark = pytest.mark.media


@pytest.fixture
async def redis(service_urls: ServiceUrls) -> AsyncIterator[Redis]:
    client = Redis.from_url(service_urls.redis_url)
    yield client
    await client.aclose()


async def test_static_and_dynamic_nodes_with_health(
    rtpengine_node: RtpengineNode, redis: Redis
) -> None:
    live = f"{rtpengine_node.host}:{rtpengine_node.port}"
    dead = f"127.0.0.1:{free_udp_port()}"
    registry = RtpengineRegistry(
        static=[live], redis=redis, key=f"test:rtp:{uuid.uuid4().hex}", timeout=0.2
    )
    await registry.register(dead)
    await registry.register(live)  # already static: listed once
    assert await registry.nodes() == [live, dead]

    health = {h.address: h for h in await registry.health()}
    assert health[live].alive and health[live].sessions is not None
    assert not health[dead].alive and health[dead].error
    assert (await registry.least_loaded()).address == live

    await registry.unregister(dead)
    assert await registry.nodes() == [live]


async def test_sync_enables_healthy_nodes_in_kamailio(
    rtpengine_node: RtpengineNode, rpc: KamailioRpcClient
) -> None:
    live = f"{rtpengine_node.host}:{rtpengine_node.port}"
    registry = RtpengineRegistry(static=[live, f"127.0.0.1:{free_udp_port()}"], timeout=0.2)
    assert await registry.set_enabled(rpc, live, False)
    assert (await rpc.rtpengine_nodes())[0].disabled
    report = await registry.sync_kamailio(rpc)
    assert [h.alive for h in report] == [True, False]
    assert not (await rpc.rtpengine_nodes())[0].disabled


async def test_sync_with_dead_kamailio_does_not_crash(rtpengine_node: RtpengineNode) -> None:
    registry = RtpengineRegistry(static=[f"{rtpengine_node.host}:{rtpengine_node.port}"])
    dead = KamailioRpcClient(f"http://127.0.0.1:{free_port()}/RPC", retries=0)
    report = await registry.sync_kamailio(dead)
    assert report[0].alive
    await dead.aclose()


def test_addresses_are_validated() -> None:
    assert parse_address("10.0.0.1:2223") == ("10.0.0.1", 2223)
    for bad in ("nohost", ":1", "h:0", "h:x"):
        with pytest.raises(ValueError):
            parse_address(bad)


async def test_health_loop_reenables_a_node_kamailio_disabled(
    rtpengine_node: RtpengineNode, rpc: KamailioRpcClient
) -> None:
    import asyncio

    from media_plane.rtpengine.registry import keep_kamailio_in_sync

    live = f"{rtpengine_node.host}:{rtpengine_node.port}"
    registry = RtpengineRegistry(static=[live], timeout=0.2)
    assert await registry.set_enabled(rpc, live, False)
    stop = asyncio.Event()
    loop = asyncio.create_task(keep_kamailio_in_sync(registry, rpc, interval=0.05, stop=stop))
    for _ in range(100):
        if not (await rpc.rtpengine_nodes())[0].disabled:
            break
        await asyncio.sleep(0.05)
    stop.set()
    await asyncio.wait_for(loop, 2)
    assert not (await rpc.rtpengine_nodes())[0].disabled
