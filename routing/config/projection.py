"""What routing needs from the configuration, as plain values ready for Redis.

Built from PostgreSQL rows inside a transaction; published by ``routing.config.directory`` only
after that transaction commits.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from routing.config import repository
from routing.config.models import PhoneNumber, Queue, QueueSkill, Skill, TenantRoutingSettings
from routing.flows import repository as flows_repository
from routing.flows.models import CallFlowVersion
from tenants.identity.models import User
from tenants.identity.roles import Role

ROUTABLE_ROLES = frozenset({Role.AGENT.value, Role.SUPERVISOR.value})
"""Roles whose profiles routing may offer calls to."""


@dataclass(frozen=True)
class QueueEntry:
    """One queue's routing hash."""

    queue_id: uuid.UUID
    fields: dict[str, str]


@dataclass(frozen=True)
class DidEntry:
    """A DID and where it routes."""

    e164: str
    tenant_id: uuid.UUID
    queue_id: uuid.UUID
    flow_id: uuid.UUID | None = None
    flow_version_id: uuid.UUID | None = None

    def value(self) -> str:
        """The JSON stored at ``hotline:did:<e164>``; a number running a published flow
        also carries ``flow_id`` and ``flow_version_id`` (``queue_id`` is its failover)."""
        data = {"tenant_id": str(self.tenant_id), "queue_id": str(self.queue_id)}
        if self.flow_id is not None and self.flow_version_id is not None:
            data |= {"flow_id": str(self.flow_id), "flow_version_id": str(self.flow_version_id)}
        return json.dumps(data)


@dataclass(frozen=True)
class QueueMusicEntry:
    """A queue's own music on hold (no entry: Hotline's default)."""

    queue_id: uuid.UUID
    prompt_id: uuid.UUID
    audio_key: str

    def value(self) -> str:
        return json.dumps({"prompt_id": str(self.prompt_id), "audio_key": self.audio_key})


@dataclass(frozen=True)
class FlowVersionEntry:
    """One published call-flow version, as the runtime reads it."""

    version_id: uuid.UUID
    definition: str


@dataclass(frozen=True)
class AgentEntry:
    """One agent's routing profile hash."""

    user_id: uuid.UUID
    fields: dict[str, str]


@dataclass(frozen=True)
class TenantEntry:
    """The tenant-wide routing hash."""

    slug: str
    max_concurrent_calls: int

    def fields(self) -> dict[str, str]:
        """The hash fields of ``{t:<tenant>}:tenant``."""
        return {"slug": self.slug, "max_concurrent_calls": str(self.max_concurrent_calls)}


@dataclass
class TenantSnapshot:
    """Everything of one tenant that routing reads from Redis."""

    tenant_id: uuid.UUID
    tenant: TenantEntry
    queues: list[QueueEntry] = field(default_factory=list)
    dids: list[DidEntry] = field(default_factory=list)
    agents: list[AgentEntry] = field(default_factory=list)
    flow_versions: list[FlowVersionEntry] = field(default_factory=list)
    queue_music: list[QueueMusicEntry] = field(default_factory=list)


def queue_entry(queue: Queue, requirements: list[tuple[QueueSkill, Skill]]) -> QueueEntry:
    """The routing hash of ``queue`` with its required ``(skill_id, min_level)``."""
    skills = {str(req.skill_id): req.min_level for req, _ in requirements}
    return QueueEntry(
        queue_id=queue.id,
        fields={
            "name": queue.name,
            "priority": str(queue.priority),
            "skills": json.dumps(skills, sort_keys=True),
            "sl_threshold_s": str(queue.sl_threshold_s),
            "short_abandon_s": str(queue.short_abandon_s),
            "sl_formula": queue.sl_formula,
            "max_wait_s": str(queue.max_wait_s),
            "max_wait_action": queue.max_wait_action,
            "overflow_queue_id": str(queue.overflow_queue_id) if queue.overflow_queue_id else "",
            "wrapup_s": str(queue.wrapup_s),
            "ring_timeout_s": str(queue.ring_timeout_s),
            "max_size": str(queue.max_size),
            "record": "1" if queue.record else "0",
            "require_disposition": "1" if queue.require_disposition else "0",
            "hours": json.dumps(queue.hours, sort_keys=True) if queue.hours else "",
            "closed_action": queue.closed_action,
            "closed_code": str(queue.closed_code),
            "blacklist_code": str(queue.blacklist_code),
            "vip_boost": str(queue.vip_boost),
            "sticky_agent_s": str(queue.sticky_agent_s),
        },
    )


def did_entry(number: PhoneNumber, flow_version_id: uuid.UUID | None = None) -> DidEntry:
    """Where ``number`` routes: its queue, and the published version of its flow if any."""
    return DidEntry(
        e164=number.e164,
        tenant_id=number.tenant_id,
        queue_id=number.queue_id,
        flow_id=number.call_flow_id if flow_version_id else None,
        flow_version_id=flow_version_id if number.call_flow_id else None,
    )


def flow_version_entry(version: CallFlowVersion) -> FlowVersionEntry:
    """The projection of a published version."""
    return FlowVersionEntry(
        version_id=version.id, definition=json.dumps(version.definition, sort_keys=True)
    )


def agent_entry(
    user: User, sip_user: str, levels: dict[uuid.UUID, int], queue_ids: list[uuid.UUID]
) -> AgentEntry | None:
    """The profile hash of ``user``, or None when routing must not offer them calls."""
    if not user.active or user.role not in ROUTABLE_ROLES:
        return None
    return AgentEntry(
        user_id=user.id,
        fields={
            "skills": json.dumps({str(k): v for k, v in levels.items()}, sort_keys=True),
            "queues": json.dumps(sorted(str(q) for q in queue_ids)),
            "display_name": user.display_name or user.email,
            "sip_user": sip_user,
        },
    )


def tenant_entry(slug: str, settings: TenantRoutingSettings | None) -> TenantEntry:
    """The tenant hash; no settings row means no limit."""
    return TenantEntry(
        slug=slug, max_concurrent_calls=settings.max_concurrent_calls if settings else 0
    )


async def load_agents(
    session: AsyncSession, *, tenant_id: uuid.UUID, user_ids: list[uuid.UUID] | None = None
) -> tuple[list[AgentEntry], list[uuid.UUID]]:
    """Profiles to publish and user ids to unpublish (all agents when ``user_ids`` is None)."""
    if user_ids is None:
        profiles = await repository.all_agent_profiles(session, tenant_id=tenant_id)
    else:
        profiles = await repository.agent_profiles_by_users(
            session, tenant_id=tenant_id, user_ids=set(user_ids)
        )
    ids = [p.user_id for p in profiles]
    users = await repository.users_by_ids(session, tenant_id=tenant_id, user_ids=ids)
    skills = await repository.agent_skills(session, tenant_id=tenant_id, user_ids=ids)
    queues = await repository.agent_queues(session, tenant_id=tenant_id, user_ids=ids)
    entries: list[AgentEntry] = []
    for profile in profiles:
        user = users.get(profile.user_id)
        entry = None
        if user is not None:
            entry = agent_entry(
                user,
                profile.sip_user,
                {level.skill_id: level.level for level, _ in skills.get(profile.user_id, [])},
                [queue.id for queue in queues.get(profile.user_id, [])],
            )
        if entry is not None:
            entries.append(entry)
    published = {entry.user_id for entry in entries}
    asked = ids if user_ids is None else list(dict.fromkeys(user_ids))
    return entries, [user_id for user_id in asked if user_id not in published]


async def load_tenant_entry(
    session: AsyncSession, *, tenant_id: uuid.UUID, slug: str
) -> TenantEntry:
    """The tenant hash from its settings row."""
    settings = await repository.routing_settings(session, tenant_id=tenant_id)
    return tenant_entry(slug, settings)


async def load_snapshot(
    session: AsyncSession, *, tenant_id: uuid.UUID, slug: str
) -> TenantSnapshot:
    """The whole projection of one tenant; the session must be bound to that tenant."""
    queues = await repository.all_queues(session, tenant_id=tenant_id)
    requirements = await repository.queue_requirements(session, tenant_id=tenant_id)
    numbers = await repository.all_phone_numbers(session, tenant_id=tenant_id)
    published = await flows_repository.published_versions(session, tenant_id=tenant_id)
    versions = await flows_repository.all_versions(session, tenant_id=tenant_id)
    music = await flows_repository.all_queue_music(session, tenant_id=tenant_id)
    agents, _ = await load_agents(session, tenant_id=tenant_id)
    return TenantSnapshot(
        tenant_id=tenant_id,
        tenant=await load_tenant_entry(session, tenant_id=tenant_id, slug=slug),
        queues=[queue_entry(q, requirements.get(q.id, [])) for q in queues],
        dids=[
            did_entry(n, published.get(n.call_flow_id) if n.call_flow_id else None) for n in numbers
        ],
        agents=agents,
        flow_versions=[flow_version_entry(v) for v in versions],
        queue_music=[
            QueueMusicEntry(queue_id=row.queue_id, prompt_id=row.prompt_id, audio_key=key)
            for row, key in music
        ],
    )
