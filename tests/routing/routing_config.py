"""Publishes test routing configuration through ``routing.config.directory.RoutingDirectory``.

The one place tests write config keys; they go through routing-config's own publisher, so
every routing test exercises the real publishing path (only the values are made up).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from redis.asyncio import Redis

from routing.config.directory import RoutingDirectory
from routing.config.projection import AgentEntry, DidEntry, QueueEntry, TenantEntry
from routing.simulator.seed import agent_fields, queue_fields


async def publish_tenant(
    redis: Redis, tenant_id: str, *, slug: str = "", max_concurrent_calls: int = 0
) -> None:
    """``{t:<tenant>}:tenant``."""
    await RoutingDirectory(redis).put_tenant(
        uuid.UUID(tenant_id),
        TenantEntry(slug=slug or f"t-{tenant_id[:8]}", max_concurrent_calls=max_concurrent_calls),
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
    row = queue_fields(
        fields.pop("name", f"queue {queue_id[:6]}"),
        skills=skills,
        hours=json.dumps(hours, sort_keys=True) if hours else "",
        **fields,
    )
    await RoutingDirectory(redis).put_queue(
        uuid.UUID(tenant_id), QueueEntry(queue_id=uuid.UUID(queue_id), fields=row)
    )
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
    row = agent_fields(
        skills=skills or {},
        queues=queues,
        display_name=display_name or f"Agent {agent_id[:6]}",
        sip_user=sip_user,
    )
    await RoutingDirectory(redis).put_agent_profile(
        uuid.UUID(tenant_id), AgentEntry(user_id=uuid.UUID(agent_id), fields=row)
    )
    return agent_id


async def publish_did(redis: Redis, number: str, *, tenant_id: str, queue_id: str) -> None:
    """``hotline:did:<number>``."""
    await RoutingDirectory(redis).put_did(
        DidEntry(e164=number, tenant_id=uuid.UUID(tenant_id), queue_id=uuid.UUID(queue_id))
    )
