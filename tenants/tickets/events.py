"""Ticket events on the tenant's Redis Stream (``docs/events.md``)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime

from redis.asyncio import Redis

from tenants import redis_keys

STEP_DUE_SOON = "ticket.step_due_soon"
STEP_OVERDUE = "ticket.step_overdue"
STREAM_MAXLEN = 1_000_000
CONTRACT_VERSION = "1"

_EVENT_NAMESPACE = uuid.UUID("5d0c3c1e-55a4-4f59-9a55-3f1c0a8f2b11")


def sla_event_id(ticket_id: uuid.UUID, step_seq: int, kind: str) -> str:
    """A deterministic id, so a republished reminder is recognisably the same event."""
    return uuid.uuid5(_EVENT_NAMESPACE, f"{ticket_id}:{step_seq}:{kind}").hex


def event_fields(
    *, event_id: str, tenant_id: uuid.UUID, type: str, at: datetime, extra: Mapping[str, str]
) -> dict[str, str]:
    """The common fields of every event plus this one's own (all strings)."""
    return {
        "event_id": event_id,
        "tenant_id": str(tenant_id),
        "type": type,
        "at": str(int(at.timestamp() * 1000)),
        "v": CONTRACT_VERSION,
        **extra,
    }


async def publish(redis: Redis, tenant_id: uuid.UUID, events: list[dict[str, str]]) -> None:
    """Append ``events`` to the tenant's stream in one round trip."""
    if not events:
        return
    key = redis_keys.events(tenant_id)
    async with redis.pipeline(transaction=False) as pipe:
        pipe.sadd(redis_keys.EVENT_STREAMS, key)
        for fields in events:
            pipe.xadd(key, fields, maxlen=STREAM_MAXLEN, approximate=True)
        await pipe.execute()
