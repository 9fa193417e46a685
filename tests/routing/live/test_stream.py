"""The live stream reader behind subscriptions, against the suite's Valkey."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from contextlib import aclosing

import pytest
from redis.asyncio import Redis

from routing.live.stream import LIVE_CLIENT_NAME, StreamEvent, tenant_events
from tenants import redis_keys as keys
from tests.conftest import ServiceUrls
from tests.serving import until


async def _reader_ids(redis: Redis) -> list[str]:
    return [c["id"] for c in await redis.client_list() if c.get("name") == LIVE_CLIENT_NAME]


async def _until(check: Callable[[], Awaitable[object]]) -> object:
    """Poll ``check`` until it returns something truthy (within 10 s)."""
    return await until(check, limit_s=10, what="live reader")


async def _blocked_reader(redis: Redis) -> bool:
    clients = await redis.client_list()
    return any(c.get("cmd") == "xread" for c in clients if c.get("name") == LIVE_CLIENT_NAME)


async def _add(redis: Redis, tenant_id: str, event_type: str, **fields: str) -> None:
    await redis.xadd(
        keys.events(tenant_id), {"tenant_id": tenant_id, "type": event_type, "at": "1", **fields}
    )


async def test_reads_from_now_on_only_the_wanted_types_and_outlasts_long_waits(
    service_urls: ServiceUrls, redis: Redis, caplog: pytest.LogCaptureFixture
) -> None:
    tenant = str(uuid.uuid4())
    await _add(redis, tenant, "call.reserved", call_id="before")
    # Blocks longer than redis-py's default 5 s socket timeout: the wait must not fail.
    source = tenant_events(
        service_urls.redis_url, tenant_id=tenant, types={"call.reserved"}, block_ms=6_000
    )
    caplog.set_level(logging.WARNING, logger="hotline.routing.live")
    async with aclosing(source) as events:
        first = asyncio.ensure_future(anext(events))
        await _until(lambda: _blocked_reader(redis))
        # A real wait, not a poll: the reader must stay blocked past redis-py's 5 s socket
        # timeout, a library timer this test cannot move.
        await asyncio.sleep(6.5)
        await _add(redis, tenant, "agent.state_changed", agent_id="x")
        await _add(redis, tenant, "call.reserved", call_id="after")
        event: StreamEvent = await asyncio.wait_for(first, 10)
    assert event.type == "call.reserved" and event.fields["call_id"] == "after"
    assert not [r for r in caplog.records if r.name == "hotline.routing.live"]


async def test_a_dropped_connection_resumes_where_it_left_off(
    service_urls: ServiceUrls, redis: Redis
) -> None:
    tenant = str(uuid.uuid4())
    before = set(await _reader_ids(redis))
    source = tenant_events(service_urls.redis_url, tenant_id=tenant, types={"call.reserved"})
    async with aclosing(source) as events:
        first = asyncio.ensure_future(anext(events))

        async def new_readers() -> set[str]:
            return set(await _reader_ids(redis)) - before

        mine = await _until(new_readers)
        assert isinstance(mine, set)
        await _add(redis, tenant, "call.reserved", call_id="one")
        assert (await asyncio.wait_for(first, 10)).fields["call_id"] == "one"
        second = asyncio.ensure_future(anext(events))
        await asyncio.sleep(0.2)
        for client_id in mine:
            await redis.execute_command("CLIENT", "KILL", "ID", client_id)
        # Written while the reader is reconnecting: still delivered, in order.
        await _add(redis, tenant, "call.reserved", call_id="two")
        await _add(redis, tenant, "call.reserved", call_id="three")
        assert (await asyncio.wait_for(second, 15)).fields["call_id"] == "two"
        assert (await asyncio.wait_for(anext(events), 15)).fields["call_id"] == "three"

    async def gone() -> bool:
        return not set(await _reader_ids(redis)) - before

    await _until(gone)


async def test_a_cancellation_lost_on_the_way_still_ends_the_reader(
    service_urls: ServiceUrls, redis: Redis
) -> None:
    """A consumer whose cancellation is swallowed while it handles an event (Python 3.11's
    ``asyncio.wait_for`` does that when its inner future finishes at the same moment) must
    not read on: the reader ends at its next step and closes its connection."""
    tenant = str(uuid.uuid4())
    before = set(await _reader_ids(redis))
    handling = asyncio.Event()

    async def subscriber() -> None:
        source = tenant_events(service_urls.redis_url, tenant_id=tenant, types={"call.reserved"})
        async with aclosing(source) as events:
            async for _ in events:
                handling.set()
                # Resolving the event, in a library that loses the cancellation.
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.sleep(30)  # ended by the cancellation, never by time

    task = asyncio.create_task(subscriber())

    async def mine() -> set[str]:
        return set(await _reader_ids(redis)) - before

    await _until(mine)
    await _add(redis, tenant, "call.reserved", call_id="one")
    await asyncio.wait_for(handling.wait(), 10)
    task.cancel()
    done, _ = await asyncio.wait([task], timeout=5)
    assert task in done and task.cancelled()

    async def gone() -> bool:
        return not await mine()

    await _until(gone)
