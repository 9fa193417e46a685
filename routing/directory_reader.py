"""Reads the routing configuration that `routing.config.directory` publishes into Redis."""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass

from redis.asyncio import Redis

from tenants import redis_keys as keys

log = logging.getLogger("hotline.routing.directory_reader")


@dataclass(frozen=True)
class DidTarget:
    """Where a dialled number goes."""

    tenant_id: str
    queue_id: str
    flow_version_id: str = ""
    """The published call-flow version a new call runs first ("" when the number has none);
    ``queue_id`` is then the number's failover queue."""


@dataclass(frozen=True)
class QueueConfig:
    """The fields of a queue that ingress needs (matching reads the rest in Lua)."""

    queue_id: str
    name: str
    hours: str
    closed_action: str
    closed_code: int
    blacklist_code: int
    overflow_queue_id: str
    sticky_agent_s: int
    sl_threshold_s: int
    short_abandon_s: int
    moh: str = ""
    """Music on hold: a file rtpengine reads, ``off``, or empty for the process default."""


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def did_candidates(dialled: str) -> list[str]:
    """E.164 spellings of a dialled number, which may arrive as a SIP URI."""
    user = dialled.removeprefix("sip:").removeprefix("sips:").removeprefix("tel:")
    user = user.split("@", 1)[0].split(";", 1)[0].strip()
    digits = "".join(ch for ch in user if ch.isdigit())
    candidates = [user]
    if digits and f"+{digits}" not in candidates:
        candidates.append(f"+{digits}")
    return candidates


async def resolve_did(redis: Redis, dialled: str) -> DidTarget | None:
    """The tenant and queue of a dialled number, or None when nobody owns it."""
    numbers = did_candidates(dialled)
    # One round trip for every spelling; the first one published wins, as before.
    for number, raw in zip(numbers, await redis.mget([keys.did(n) for n in numbers]), strict=True):
        if raw is None:
            continue
        try:
            data = json.loads(raw)
            return DidTarget(
                tenant_id=str(data["tenant_id"]),
                queue_id=str(data["queue_id"]),
                flow_version_id=str(data.get("flow_version_id") or ""),
            )
        except (ValueError, KeyError, TypeError):
            log.warning("malformed DID entry for %s: %r", number, raw)
            return None
    return None


def queue_config_of(queue_id: str, row: dict[str, str]) -> QueueConfig | None:
    """A queue's config from its published hash (None when the hash is empty)."""
    if not row:
        return None
    return QueueConfig(
        queue_id=queue_id,
        name=row.get("name", ""),
        hours=row.get("hours", ""),
        closed_action=row.get("closed_action", "reject") or "reject",
        closed_code=_int(row.get("closed_code"), 480),
        blacklist_code=_int(row.get("blacklist_code"), 403),
        overflow_queue_id=row.get("overflow_queue_id", ""),
        sticky_agent_s=_int(row.get("sticky_agent_s"), 0),
        sl_threshold_s=_int(row.get("sl_threshold_s"), 20),
        short_abandon_s=_int(row.get("short_abandon_s"), 5),
        moh=row.get("moh", ""),
    )


async def tenant_slug(redis: Redis, tenant_id: str) -> str:
    """The tenant's slug as published (the tenant id when absent)."""
    return await redis.hget(keys.tenant(tenant_id), "slug") or tenant_id


class PublishedProfiles:
    """Agent profiles as routing's directory published them, for readers outside routing
    (the media plane's SIP credentials name the SIP user routing dials)."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def sip_user(self, *, tenant_id: uuid.UUID, user_id: uuid.UUID) -> str | None:
        """The profile's published ``sip_user``, None when unpublished or empty."""
        return await self._redis.hget(keys.agent_profile(tenant_id, user_id), "sip_user") or None
