"""A demo contact center written in routing-config's Redis layout (until it seeds its own).

The keys follow the contract in routing/config.py; routing-config's publisher replaces this.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from redis.asyncio import Redis

from routing.engine import keys
from routing.engine.engine import AcdEngine


@dataclass(frozen=True)
class DemoCenter:
    """What ``seed_demo_center`` created."""

    tenant_id: str
    queue_ids: list[str]
    agent_ids: list[str]
    dids: list[str]


async def seed_demo_center(
    redis: Redis,
    engine: AcdEngine,
    *,
    tenant_id: str | None = None,
    slug: str = "demo",
    queues: int = 3,
    agents: int = 10,
    wrapup_s: int = 5,
    ring_timeout_s: int = 15,
    max_wait_s: int = 0,
    did_prefix: str = "+1555010",
    available: bool = True,
) -> DemoCenter:
    """Queues with a skill each, agents with every skill, one DID per queue, all available."""
    tenant_id = tenant_id or str(uuid.uuid4())
    await redis.hset(keys.tenant(tenant_id), mapping={"slug": slug, "max_concurrent_calls": 0})
    queue_ids, dids = [], []
    for index in range(queues):
        queue_id = str(uuid.uuid4())
        await redis.hset(
            keys.queue(tenant_id, queue_id),
            mapping={
                "name": f"Queue {index + 1}",
                "priority": index % 3,
                "skills": json.dumps({f"skill-{index}": 1}),
                "sl_threshold_s": 20,
                "short_abandon_s": 5,
                "max_wait_s": max_wait_s,
                "max_wait_action": "reject",
                "overflow_queue_id": "",
                "wrapup_s": wrapup_s,
                "ring_timeout_s": ring_timeout_s,
                "max_size": 0,
                "record": 0,
                "hours": "",
                "closed_action": "reject",
                "closed_code": 480,
                "blacklist_code": 403,
                "vip_boost": 10,
                "sticky_agent_s": 0,
            },
        )
        await redis.sadd(keys.queues(tenant_id), queue_id)
        did = f"{did_prefix}{index:03d}"
        await redis.set(keys.did(did), json.dumps({"tenant_id": tenant_id, "queue_id": queue_id}))
        queue_ids.append(queue_id)
        dids.append(did)
    agent_ids = []
    for index in range(agents):
        agent_id = str(uuid.uuid4())
        await redis.hset(
            keys.agent_profile(tenant_id, agent_id),
            mapping={
                "skills": json.dumps({f"skill-{q}": 1 + (index + q) % 3 for q in range(queues)}),
                "queues": json.dumps(queue_ids),
                "display_name": f"Agent {index + 1}",
                "sip_user": f"agent{index + 1}",
            },
        )
        for queue_id in queue_ids:
            await engine.sign_in(tenant_id=tenant_id, agent_id=agent_id, queue_id=queue_id)
        if available:
            await engine.set_agent_state(tenant_id=tenant_id, agent_id=agent_id, state="available")
        agent_ids.append(agent_id)
    return DemoCenter(tenant_id=tenant_id, queue_ids=queue_ids, agent_ids=agent_ids, dids=dids)
