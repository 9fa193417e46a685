"""Writes routing configuration into Redis with the layout routing-config publishes.

The one place tests write config keys; swap it for routing-config's publisher at merge.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from redis.asyncio import Redis

from routing.engine import keys


async def publish_tenant(
    redis: Redis, tenant_id: str, *, slug: str = "", max_concurrent_calls: int = 0
) -> None:
    """``{t:<tenant>}:tenant``."""
    await redis.hset(
        keys.tenant(tenant_id),
        mapping={
            "slug": slug or f"t-{tenant_id[:8]}",
            "max_concurrent_calls": max_concurrent_calls,
        },
    )


async def publish_queue(
    redis: Redis,
    tenant_id: str,
    queue_id: str | None = None,
    *,
    skills: dict[str, int] | None = None,
    hours: dict[str, Any] | None = None,
    **fields: Any,
) -> str:
    """``{t:<tenant>}:queue:<id>`` with defaults for every field, and the queues SET."""
    queue_id = queue_id or str(uuid.uuid4())
    row: dict[str, Any] = {
        "name": f"queue {queue_id[:6]}",
        "priority": 0,
        "skills": json.dumps(skills or {}),
        "sl_threshold_s": 20,
        "short_abandon_s": 5,
        "max_wait_s": 0,
        "max_wait_action": "reject",
        "overflow_queue_id": "",
        "wrapup_s": 0,
        "ring_timeout_s": 20,
        "max_size": 0,
        "record": 0,
        "hours": json.dumps(hours) if hours else "",
        "closed_action": "reject",
        "closed_code": 480,
        "blacklist_code": 403,
        "vip_boost": 10,
        "sticky_agent_s": 0,
    }
    row.update(fields)
    await redis.hset(keys.queue(tenant_id, queue_id), mapping=row)
    await redis.sadd(keys.queues(tenant_id), queue_id)
    return queue_id


async def publish_agent(
    redis: Redis,
    tenant_id: str,
    agent_id: str | None = None,
    *,
    queues: list[str],
    skills: dict[str, int] | None = None,
    sip_user: str = "",
    display_name: str = "",
) -> str:
    """``{t:<tenant>}:agent:<id>:profile``."""
    agent_id = agent_id or str(uuid.uuid4())
    await redis.hset(
        keys.agent_profile(tenant_id, agent_id),
        mapping={
            "skills": json.dumps(skills or {}),
            "queues": json.dumps(queues),
            "display_name": display_name or f"Agent {agent_id[:6]}",
            "sip_user": sip_user,
        },
    )
    return agent_id


async def publish_did(redis: Redis, number: str, *, tenant_id: str, queue_id: str) -> None:
    """``hotline:did:<number>``."""
    await redis.set(keys.did(number), json.dumps({"tenant_id": tenant_id, "queue_id": queue_id}))
