"""Demo contact centers published through ``routing.config.directory`` (routing-config's path).

The queues, agents, DIDs and tenant hash go through ``RoutingDirectory``'s ``put_*``
methods, exactly as a configuration change committed in PostgreSQL would publish them;
only the values are made up here instead of read from PostgreSQL.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass, field

from redis.asyncio import Redis

from routing.config.directory import RoutingDirectory
from routing.config.projection import AgentEntry, DidEntry, QueueEntry, TenantEntry
from routing.engine.engine import AcdEngine

LANGUAGES = ("en", "fr", "de", "es")
TOPICS = ("billing", "tech", "sales", "claims", "vip")


def queue_fields(
    name: str, *, skills: dict[str, int] | None = None, **overrides: object
) -> dict[str, str]:
    """A queue's routing hash (``routing.config.projection.queue_entry``'s fields) with
    defaults for every field; ``overrides`` replace them."""
    row: dict[str, object] = {
        "name": name,
        "priority": 0,
        "skills": json.dumps(skills or {}, sort_keys=True),
        "sl_threshold_s": 20,
        "short_abandon_s": 5,
        "sl_formula": "default",
        "max_wait_s": 0,
        "max_wait_action": "reject",
        "overflow_queue_id": "",
        "wrapup_s": 0,
        "ring_timeout_s": 20,
        "max_size": 0,
        "record": 0,
        "require_disposition": 0,
        "hours": "",
        "closed_action": "reject",
        "closed_code": 480,
        "blacklist_code": 403,
        "vip_boost": 10,
        "sticky_agent_s": 0,
    }
    row.update(overrides)
    return {key: str(value) for key, value in row.items()}


def agent_fields(
    *, skills: dict[str, int], queues: list[str], display_name: str, sip_user: str = ""
) -> dict[str, str]:
    """An agent's routing profile hash (``projection.agent_entry``'s fields)."""
    return {
        "skills": json.dumps(skills, sort_keys=True),
        "queues": json.dumps(sorted(queues)),
        "display_name": display_name,
        "sip_user": sip_user,
    }


@dataclass(frozen=True)
class DemoCenter:
    """What a seed created, including the routing rules the checks replay against."""

    tenant_id: str
    queue_ids: list[str]
    agent_ids: list[str]
    dids: list[str]
    queue_minimums: dict[str, dict[str, int]] = field(default_factory=dict)
    """Each queue's required skills with their minimum levels."""
    agent_skills: dict[str, dict[str, int]] = field(default_factory=dict)
    """Each agent's skill levels."""
    signed_in: dict[str, set[str]] = field(default_factory=dict)
    """The queues each agent is signed in to (qualified for them or not)."""


@dataclass
class _Plan:
    queues: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    agents: list[tuple[str, dict[str, int], list[str]]] = field(default_factory=list)


async def _publish(
    redis: Redis,
    engine: AcdEngine,
    *,
    tenant_id: str,
    slug: str,
    plan: _Plan,
    did_prefix: str,
    available: bool,
) -> DemoCenter:
    directory = RoutingDirectory(redis)
    tenant = uuid.UUID(tenant_id)
    await directory.put_tenant(tenant, TenantEntry(slug=slug, max_concurrent_calls=0))
    dids = []
    for index, (queue_id, fields) in enumerate(plan.queues):
        await directory.put_queue(tenant, QueueEntry(queue_id=uuid.UUID(queue_id), fields=fields))
        did = f"{did_prefix}{index:03d}"
        await directory.put_did(DidEntry(e164=did, tenant_id=tenant, queue_id=uuid.UUID(queue_id)))
        dids.append(did)
    center = DemoCenter(
        tenant_id=tenant_id,
        queue_ids=[queue_id for queue_id, _ in plan.queues],
        agent_ids=[agent_id for agent_id, _, _ in plan.agents],
        dids=dids,
        queue_minimums={q: json.loads(fields["skills"]) for q, fields in plan.queues},
    )
    for index, (agent_id, skills, queue_ids) in enumerate(plan.agents):
        entry = AgentEntry(
            user_id=uuid.UUID(agent_id),
            fields=agent_fields(
                skills=skills,
                queues=queue_ids,
                display_name=f"Agent {index + 1}",
                sip_user=f"agent{index + 1}",
            ),
        )
        await directory.put_agent_profile(tenant, entry)
        for queue_id in queue_ids:
            await engine.sign_in(tenant_id=tenant_id, agent_id=agent_id, queue_id=queue_id)
        if available:
            await engine.set_agent_state(tenant_id=tenant_id, agent_id=agent_id, state="available")
        center.agent_skills[agent_id] = skills
        center.signed_in[agent_id] = set(queue_ids)
    return center


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
    plan = _Plan()
    for index in range(queues):
        fields = queue_fields(
            f"Queue {index + 1}",
            skills={f"skill-{index}": 1},
            priority=index % 3,
            max_wait_s=max_wait_s,
            wrapup_s=wrapup_s,
            ring_timeout_s=ring_timeout_s,
        )
        plan.queues.append((str(uuid.uuid4()), fields))
    queue_ids = [queue_id for queue_id, _ in plan.queues]
    for index in range(agents):
        skills = {f"skill-{q}": 1 + (index + q) % 3 for q in range(queues)}
        plan.agents.append((str(uuid.uuid4()), skills, queue_ids))
    return await _publish(
        redis,
        engine,
        tenant_id=tenant_id or str(uuid.uuid4()),
        slug=slug,
        plan=plan,
        did_prefix=did_prefix,
        available=available,
    )


async def seed_mixed_center(
    redis: Redis,
    engine: AcdEngine,
    *,
    tenant_id: str | None = None,
    slug: str = "mixed",
    queues: int = 20,
    agents: int = 200,
    did_prefix: str = "+1555020",
    ring_timeout_s: int = 2,
    wrapup_s: int = 1,
    max_wait_s: int = 4,
    seed: int = 1,
) -> DemoCenter:
    """A center with mixed skills: each queue needs a language and a topic at its own
    minimum levels; each agent speaks one or two languages and knows two or three topics
    at random levels, and signs in to every queue of its languages (qualified or not).

    Every agent qualifies for its home queue (``index % (queues - 5)``). The last five
    queues are scarce (two experts each, with their own skill): two reject after
    ``max_wait_s``, two overflow to queue 0 or 1 after it, and one holds at most three
    waiting calls. Odd queues have ``wrapup_s`` of after-call work.
    """
    plan = mixed_plan(
        queues=queues,
        agents=agents,
        ring_timeout_s=ring_timeout_s,
        wrapup_s=wrapup_s,
        max_wait_s=max_wait_s,
        seed=seed,
    )
    return await _publish(
        redis,
        engine,
        tenant_id=tenant_id or str(uuid.uuid4()),
        slug=slug,
        plan=plan,
        did_prefix=did_prefix,
        available=True,
    )


def mixed_plan(
    *, queues: int, agents: int, ring_timeout_s: int, wrapup_s: int, max_wait_s: int, seed: int
) -> _Plan:
    """The queues and agents of ``seed_mixed_center`` (ids are random, the rest is not)."""
    if queues < 6:
        raise ValueError("a mixed center needs at least 6 queues")
    rng = random.Random(seed)
    plan = _Plan()
    regular = queues - 5
    minimums: list[dict[str, int]] = []
    for index in range(queues):
        language = LANGUAGES[index % len(LANGUAGES)]
        topic = TOPICS[(index // len(LANGUAGES)) % len(TOPICS)]
        if index < regular:
            minimums.append({language: rng.randint(1, 2), topic: rng.randint(1, 3)})
        else:  # scarce: two experts qualify, so calls wait there
            minimums.append({language: 2, topic: 3, f"expert-{index - regular}": 1})
    queue_ids = [str(uuid.uuid4()) for _ in range(queues)]
    for index, queue_id in enumerate(queue_ids):
        extra: dict[str, object] = {}
        special = index - regular
        if special in (0, 1):
            extra = {"max_wait_s": max_wait_s, "max_wait_action": "reject"}
        elif special in (2, 3):
            extra = {
                "max_wait_s": max_wait_s,
                "max_wait_action": "overflow",
                "overflow_queue_id": queue_ids[special - 2],
            }
        elif special == 4:
            extra = {"max_size": 3}
        fields = queue_fields(
            f"Queue {index + 1}",
            skills=minimums[index],
            priority=index % 3,
            wrapup_s=wrapup_s if index % 2 else 0,
            ring_timeout_s=ring_timeout_s,
            **extra,
        )
        plan.queues.append((queue_id, fields))
    for index in range(agents):
        skills = {
            language: rng.randint(1, 3) for language in rng.sample(LANGUAGES, rng.choice((1, 1, 2)))
        }
        skills |= {topic: rng.randint(1, 3) for topic in rng.sample(TOPICS, rng.choice((2, 3)))}
        homes = [index % regular]
        if index % (agents // 2) < 5:
            homes.append(regular + index % (agents // 2))
        for home in homes:
            for skill, level in minimums[home].items():
                skills[skill] = max(skills.get(skill, 0), level)
        serves = [
            queue_id
            for queue_id, needs in zip(queue_ids, minimums, strict=True)
            if any(language in skills for language in needs if language in LANGUAGES)
        ]
        plan.agents.append((str(uuid.uuid4()), skills, serves))
    return plan
