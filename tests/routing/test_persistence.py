"""A Valkey restart with AOF keeps queues, agents and timers; routing carries on."""

from __future__ import annotations

from pathlib import Path

from redis.asyncio import Redis

from routing.engine.engine import AcdEngine
from tenants.embedded.process import free_port
from tenants.embedded.valkey import EmbeddedValkey
from tests.routing.conftest import Center, FakeClock


async def test_state_survives_a_restart_with_aof(tmp_path: Path) -> None:
    port = free_port()
    valkey = EmbeddedValkey(tmp_path / "valkey", port=port, persist=True)
    url = valkey.start()
    clock = FakeClock()
    try:
        redis = Redis.from_url(url, decode_responses=True)
        center = Center(
            redis, AcdEngine(redis, clock=clock), "11111111-2222-3333-4444-555555555555"
        )
        q = await center.queue(ring_timeout_s=1)
        first = await center.agent([q])
        await center.call(q, "ringing")
        await center.call(q, "waiting")
        await redis.aclose()
        valkey.stop()
        valkey = EmbeddedValkey(tmp_path / "valkey", port=port, persist=True)
        valkey.start()
        redis = Redis.from_url(url, decode_responses=True)
        center = Center(redis, AcdEngine(redis, clock=clock), center.tenant_id)
        assert await center.state(first) == "reserved"
        assert (await center.call_state("waiting"))["state"] == "queued"
        clock.advance(1.1)
        # The ring timer survived the restart: it fires, and the call returns to the front.
        assert (await center.engine.fire_timers(tenant_id=center.tenant_id)).extra["fired"] == 1
        assert await center.state(first) == "not_ready:missed"
        second = await center.agent([q])
        assert (await center.call_state("ringing"))["agent_id"] == second
        types = await center.types()
        assert types.count("call.enqueued") == 2 and "call.agent_failed" in types
        await redis.aclose()
    finally:
        valkey.stop()
