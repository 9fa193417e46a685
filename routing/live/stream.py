"""Live reading of one tenant's event stream, for GraphQL subscriptions.

Each reader owns one Redis connection (named ``LIVE_CLIENT_NAME``) because ``XREAD BLOCK``
holds its connection for the whole wait; sharing the API's pool would starve it. The
connection is closed when the reader's generator closes (the client went away), which also
ends the blocked ``XREAD`` on the server.

Reading starts at the stream's last entry when the reader opens and carries on from the
last id it saw, so nothing written after the subscription started is skipped, even across
a reconnect. A reader only ever names its own tenant's stream (``keys.events``), so it
cannot see another tenant's events.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Collection
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from tenants import redis_keys as keys
from tenants.cancellation import raise_if_cancel_requested
from tenants.redis_connection import connect as connect_redis

log = logging.getLogger("hotline.routing.live")

LIVE_CLIENT_NAME = "hotline-live"
"""The ``CLIENT SETNAME`` of every live reader's connection (visible in ``CLIENT LIST``)."""

BLOCK_MS = 10_000
"""How long one ``XREAD`` waits before asking again (bounded, so a dead socket is noticed)."""

READ_SLACK_S = 5.0
"""How much longer than ``BLOCK_MS`` a read may take before the socket counts as dead."""

RETRY_MAX_S = 5.0


@dataclass(frozen=True)
class StreamEvent:
    """One entry of a tenant stream (docs/events.md): its stream id and fields."""

    entry_id: str
    fields: dict[str, str]

    @property
    def type(self) -> str:
        """The event type, such as ``call.reserved``."""
        return self.fields.get("type", "")

    @property
    def at_ms(self) -> int:
        """When it happened (ms since the epoch)."""
        try:
            return int(self.fields.get("at", "0"))
        except ValueError:
            return 0


def dedicated_client(redis_url: str) -> Redis:
    """A one-connection client for blocking reads; closing it closes its socket.

    It has no socket timeout of its own: redis-py then sends through ``asyncio.wait_for``,
    which on Python 3.11 loses a cancellation that arrives as the send completes, and a
    reader cancelled that way stayed blocked in ``XREAD``. ``tenant_events`` bounds each
    command with ``asyncio.timeout`` instead, which keeps cancellations.
    """
    return connect_redis(
        redis_url,
        client_name=LIVE_CLIENT_NAME,
        socket_timeout=None,
        socket_connect_timeout=READ_SLACK_S,
        single_connection_client=True,
    )


async def tenant_events(
    redis_url: str,
    *,
    tenant_id: str,
    types: Collection[str],
    block_ms: int = BLOCK_MS,
    after_id: str | None = None,
) -> AsyncIterator[StreamEvent]:
    """The tenant's events of ``types`` as they are written, from now on, until closed.

    ``after_id`` (from ``last_event_id``) starts after that entry instead: a subscriber that
    reads a snapshot between the two then misses nothing written meanwhile.
    """
    stream = keys.events(tenant_id)
    client = dedicated_client(redis_url)
    # A read that outlasts its XREAD BLOCK by this much means the server stopped answering.
    read_limit_s = block_ms / 1000 + READ_SLACK_S
    try:
        last_id: str | None = after_id
        delay = 0.2
        while True:
            raise_if_cancel_requested()
            try:
                async with asyncio.timeout(read_limit_s):
                    if last_id is None:
                        last_id = await _last_id(client, stream)
                    batches = await client.xread({stream: last_id}, count=100, block=block_ms)
            except (RedisConnectionError, RedisTimeoutError, TimeoutError):
                log.warning("live events tenant=%s: Redis unavailable; retrying", tenant_id)
                await asyncio.sleep(delay)
                delay = min(delay * 2, RETRY_MAX_S)
                continue
            delay = 0.2
            for _, entries in batches or []:
                for entry_id, fields in entries:
                    last_id = entry_id
                    event = StreamEvent(entry_id, fields)
                    if event.type in types and fields.get("tenant_id") == tenant_id:
                        yield event
                        raise_if_cancel_requested()
    finally:
        await _close_to_the_end(client)


async def _close_to_the_end(client: Redis) -> None:
    """Close the reader's connection even if a cancellation arrives meanwhile.

    A close interrupted halfway left the socket open (and the reader listed in Redis)."""
    closing = asyncio.ensure_future(client.aclose())
    try:
        await asyncio.shield(closing)
    except asyncio.CancelledError:
        await closing
        raise


async def last_event_id(redis: Redis, tenant_id: str) -> str:
    """The id of the tenant stream's newest entry (``0-0`` when empty)."""
    return await _last_id(redis, keys.events(tenant_id))


async def _last_id(client: Redis, stream: str) -> str:
    newest = await client.xrevrange(stream, count=1)
    return newest[0][0] if newest else "0-0"
