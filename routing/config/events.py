"""``queue.configured``: routing configuration announcing a queue's KPI definitions.

Analytics keeps its own copy of each queue's T, S and service-level formula for reports
(it may not import routing), so routing-config publishes this event on the tenant stream
after the queue's create or update committed (``docs/events.md``).
"""

from __future__ import annotations

import time
import uuid

from redis.asyncio import Redis

from routing.config.projection import QueueEntry
from tenants import redis_keys as keys

EVENT_TYPE = "queue.configured"
STREAM_MAXLEN = 1_000_000


def queue_configured_fields(tenant_id: uuid.UUID, entry: QueueEntry) -> dict[str, str]:
    """The stream entry announcing ``entry``'s name, T, S and formula."""
    return {
        "event_id": uuid.uuid4().hex,
        "tenant_id": str(tenant_id),
        "type": EVENT_TYPE,
        "at": str(int(time.time() * 1000)),
        "v": "1",
        "queue_id": str(entry.queue_id),
        "name": entry.fields["name"],
        "sl_threshold_s": entry.fields["sl_threshold_s"],
        "short_abandon_s": entry.fields["short_abandon_s"],
        "sl_formula": entry.fields["sl_formula"],
    }


async def publish_queue_configured(redis: Redis, tenant_id: uuid.UUID, entry: QueueEntry) -> None:
    """Append ``queue.configured`` to the tenant stream and announce the stream."""
    stream = keys.events(str(tenant_id))
    await redis.xadd(
        stream, queue_configured_fields(tenant_id, entry), maxlen=STREAM_MAXLEN, approximate=True
    )
    await redis.sadd(keys.EVENT_STREAMS, stream)
