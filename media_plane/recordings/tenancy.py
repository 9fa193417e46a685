"""Whose call a recording is: tenant and agent from rtpengine's metadata, else Redis.

Two sources, in this order:

1. The ng offer's ``metadata`` flag, which rtpengine copies to the end of the metadata
   file: ``tenant=<uuid>|agent=<uuid>|call=<hotline call id>`` (``tenant_id``,
   ``agent_id``, ``call_id`` also accepted).
2. Routing's call index (``tenants.redis_keys.call_index``): a string holding the tenant
   id of every call routing queued, under the SIP Call-ID rtpengine records under.

``call`` names the call as Hotline's routing knows it, when that differs from the SIP
Call-ID; without it the recording is filed under the SIP Call-ID.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from redis.asyncio import Redis

from media_plane.recordings.rtpengine_meta import RecordingMetadata
from tenants import redis_keys


@dataclass(frozen=True)
class CallOwner:
    """The tenant a call belongs to and the agent who took it, when known."""

    tenant_id: uuid.UUID
    agent_id: uuid.UUID | None = None
    call_id: str | None = None


def _uuid(value: object) -> uuid.UUID | None:
    if isinstance(value, bytes):
        value = value.decode(errors="replace")
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value.strip())
    except ValueError:
        return None


def _text(value: object) -> str | None:
    if isinstance(value, bytes):
        value = value.decode(errors="replace")
    if not isinstance(value, str):
        return None
    return value.strip() or None


def _first(fields: dict, *names: str) -> object:
    for name in names:
        for candidate in (name, name.encode()):
            if candidate in fields:
                return fields[candidate]
    return None


async def resolve_call_owner(metadata: RecordingMetadata, redis: Redis) -> CallOwner | None:
    """The call's owner, or None when neither source names a valid tenant."""
    fields = metadata.fields
    tenant = _uuid(_first(fields, "tenant", "tenant_id"))
    agent = _uuid(_first(fields, "agent", "agent_id"))
    call = _text(_first(fields, "call", "call_id"))
    if tenant is None:
        tenant = _uuid(await redis.get(redis_keys.call_index(metadata.call_id)))
    return CallOwner(tenant_id=tenant, agent_id=agent, call_id=call) if tenant else None
