"""``recording.stored`` on the tenant's event stream (docs/events.md)."""

from __future__ import annotations

import time
import uuid

from redis.asyncio import Redis

from media_plane.recordings.models import Recording
from tenants import redis_keys

STREAM_MAXLEN = 1_000_000
_EVENT_NAMESPACE = uuid.UUID("5d0b6c62-8f3e-4d0a-9a55-2f3c1b7e9e01")


def recording_stored_fields(recording: Recording) -> dict[str, str]:
    """The event's fields. ``event_id`` is derived from the upload, so a retried
    publication of the same object carries the same id and consumers drop the repeat."""
    event_id = uuid.uuid5(_EVENT_NAMESPACE, f"{recording.id}:{recording.sha256}").hex
    return {
        "event_id": event_id,
        "tenant_id": str(recording.tenant_id),
        "type": "recording.stored",
        "at": str(int(time.time() * 1000)),
        "v": "1",
        "call_id": recording.call_id,
        "recording_id": str(recording.id),
        "key": recording.key,
        "bytes": str(recording.size_bytes),
        "sha256": recording.sha256,
        "format": recording.format,
        **({"agent_id": str(recording.agent_id)} if recording.agent_id else {}),
    }


async def publish_recording_stored(redis: Redis, recording: Recording) -> str:
    """Append ``recording.stored``; returns the stream entry id."""
    stream = redis_keys.events(recording.tenant_id)
    await redis.sadd(redis_keys.EVENT_STREAMS, stream)
    entry = await redis.xadd(
        stream, recording_stored_fields(recording), maxlen=STREAM_MAXLEN, approximate=True
    )
    return entry.decode() if isinstance(entry, bytes) else str(entry)
