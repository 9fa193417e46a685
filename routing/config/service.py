"""Routing configuration use cases: skills, queues, phone numbers, agent profiles, settings.

Services flush, never commit, and never write Redis: every change records what routing
must see in ``publications``, which the edge applies after its commit succeeds.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import phonenumbers
from sqlalchemy.ext.asyncio import AsyncSession

from routing.config import projection, repository
from routing.config.models import (
    AgentProfile,
    AgentSkill,
    PhoneNumber,
    Queue,
    QueueSkill,
    Skill,
    TenantRoutingSettings,
)
from routing.config.publishing import Publications
from routing.config.schemas import (
    DAYS,
    AgentProfileIn,
    PhoneNumberIn,
    QueueIn,
    RoutingSettingsIn,
    SkillIn,
)
from tenants.database.conflicts import flush_or_conflict
from tenants.database.pagination import Page, PageRequest
from tenants.errors import BadUserInput, Conflict, NotFound
from tenants.identity import repository as identity_repository
from tenants.identity.models import User
from tenants.identity.principal import Principal
from tenants.identity.roles import MANAGERS, SUPERVISORS, Role
from tenants.input_validation import parse_input


@dataclass(frozen=True)
class QueueView:
    """A queue with its required skills."""

    queue: Queue
    requirements: list[tuple[QueueSkill, Skill]]


@dataclass(frozen=True)
class AgentProfileView:
    """An agent profile with its user, skill levels and queues."""

    profile: AgentProfile
    user: User
    skills: list[tuple[AgentSkill, Skill]]
    queues: list[Queue]


async def _flush(session: AsyncSession, conflicts: Mapping[str, tuple[str, str]]) -> None:
    """Flush; a violated constraint listed in ``conflicts`` becomes CONFLICT on its field."""
    await flush_or_conflict(session, "the change conflicts with existing data", fields=conflicts)


async def _publish_tenant(
    session: AsyncSession, tenant_id: uuid.UUID, publications: Publications
) -> None:
    # Every batch carries the tenant hash, so a tenant's first configuration change also
    # gives routing its slug and limits without waiting for a sync.
    tenant = await identity_repository.tenant_by_id(session, tenant_id)
    if tenant is not None:
        entry = await projection.load_tenant_entry(session, tenant_id=tenant_id, slug=tenant.slug)
        publications.put_tenant(tenant_id, entry)


async def _republish_agents(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    user_ids: list[uuid.UUID],
    publications: Publications,
) -> None:
    entries, removed = await projection.load_agents(session, tenant_id=tenant_id, user_ids=user_ids)
    for entry in entries:
        publications.put_agent_profile(tenant_id, entry)
    for user_id in removed:
        publications.remove_agent_profile(tenant_id, user_id)


# Skills


async def list_skills(
    *, session: AsyncSession, principal: Principal, page: PageRequest
) -> Page[Skill]:
    """The tenant's skills (supervisors and managers)."""
    principal.require(SUPERVISORS, "read skills")
    return await repository.list_skills(session, tenant_id=principal.tenant_id, page=page)


async def get_skill(*, session: AsyncSession, principal: Principal, skill_id: uuid.UUID) -> Skill:
    """One skill of the tenant."""
    principal.require(SUPERVISORS, "read skills")
    skill = await repository.skill_by_id(session, tenant_id=principal.tenant_id, skill_id=skill_id)
    if skill is None:
        raise NotFound("skill not found")
    return skill


async def _check_skill_name(
    session: AsyncSession, tenant_id: uuid.UUID, name: str, current: uuid.UUID | None = None
) -> None:
    existing = await repository.skill_by_name(session, tenant_id=tenant_id, name=name)
    if existing is not None and existing.id != current:
        raise Conflict(f"a skill named {name!r} already exists", field="name")


_SKILL_CONFLICTS = {"uq_skills_tenant_name": ("a skill with this name already exists", "name")}


async def create_skill(
    *, session: AsyncSession, principal: Principal, skill_in: SkillIn, publications: Publications
) -> Skill:
    """Add a skill."""
    principal.require(MANAGERS, "manage skills")
    await _check_skill_name(session, principal.tenant_id, skill_in.name)
    skill = Skill(id=uuid.uuid4(), tenant_id=principal.tenant_id, name=skill_in.name)
    session.add(skill)
    await _flush(session, _SKILL_CONFLICTS)
    await session.refresh(skill)
    await _publish_tenant(session, principal.tenant_id, publications)
    return skill


async def update_skill(
    *,
    session: AsyncSession,
    principal: Principal,
    skill_id: uuid.UUID,
    skill_in: SkillIn,
    publications: Publications,
) -> Skill:
    """Rename a skill (routing refers to skills by id, so nothing is republished)."""
    principal.require(MANAGERS, "manage skills")
    skill = await get_skill(session=session, principal=principal, skill_id=skill_id)
    await _check_skill_name(session, principal.tenant_id, skill_in.name, current=skill.id)
    skill.name = skill_in.name
    await _flush(session, _SKILL_CONFLICTS)
    await session.refresh(skill)
    await _publish_tenant(session, principal.tenant_id, publications)
    return skill


async def delete_skill(
    *,
    session: AsyncSession,
    principal: Principal,
    skill_id: uuid.UUID,
    publications: Publications,
) -> Skill:
    """Delete a skill no queue requires; agents holding it lose it."""
    principal.require(MANAGERS, "manage skills")
    tenant_id = principal.tenant_id
    skill = await get_skill(session=session, principal=principal, skill_id=skill_id)
    if queues := await repository.queues_requiring_skill(
        session, tenant_id=tenant_id, skill_id=skill.id
    ):
        raise Conflict(f"skill {skill.name!r} is required by queues: {', '.join(queues)}")
    agents = await repository.agents_with_skill(session, tenant_id=tenant_id, skill_id=skill.id)
    await session.delete(skill)
    await _flush(session, {})
    await _republish_agents(session, tenant_id, agents, publications)
    return skill


# Queues


async def list_queues(
    *, session: AsyncSession, principal: Principal, page: PageRequest
) -> Page[QueueView]:
    """The tenant's queues with their required skills."""
    principal.require(SUPERVISORS, "read queues")
    rows = await repository.list_queues(session, tenant_id=principal.tenant_id, page=page)
    requirements = await repository.queue_requirements(
        session, tenant_id=principal.tenant_id, queue_ids=[q.id for _, q in rows.items]
    )
    return Page(
        items=[(c, QueueView(q, requirements.get(q.id, []))) for c, q in rows.items],
        has_next_page=rows.has_next_page,
        has_previous_page=rows.has_previous_page,
    )


async def get_queue(
    *, session: AsyncSession, principal: Principal, queue_id: uuid.UUID
) -> QueueView:
    """One queue of the tenant with its required skills."""
    principal.require(SUPERVISORS, "read queues")
    queue = await repository.queue_by_id(session, tenant_id=principal.tenant_id, queue_id=queue_id)
    if queue is None:
        raise NotFound("queue not found")
    requirements = await repository.queue_requirements(
        session, tenant_id=principal.tenant_id, queue_ids=[queue.id]
    )
    return QueueView(queue, requirements.get(queue.id, []))


def queue_in_of(view: QueueView) -> QueueIn:
    """The current values of a queue as an input (the base an update merges into)."""
    queue = view.queue
    hours = None
    if queue.hours:
        windows = [
            {"day": day, "start": start, "end": end}
            for day in DAYS
            for start, end in queue.hours.get("windows", {}).get(day, [])
        ]
        hours = {"tz": queue.hours["tz"], "windows": windows}
    return QueueIn.model_validate(
        {
            "name": queue.name,
            "required_skills": [
                {"skill_id": req.skill_id, "min_level": req.min_level}
                for req, _ in view.requirements
            ],
            "priority": queue.priority,
            "sl_threshold_s": queue.sl_threshold_s,
            "short_abandon_s": queue.short_abandon_s,
            "sl_formula": queue.sl_formula,
            "max_wait_s": queue.max_wait_s,
            "max_wait_action": queue.max_wait_action,
            "wrapup_s": queue.wrapup_s,
            "ring_timeout_s": queue.ring_timeout_s,
            "max_size": queue.max_size,
            "record": queue.record,
            "hours": hours,
            "closed_action": queue.closed_action,
            "closed_code": queue.closed_code,
            "blacklist_code": queue.blacklist_code,
            "vip_boost": queue.vip_boost,
            "sticky_agent_s": queue.sticky_agent_s,
            "overflow_queue_id": queue.overflow_queue_id,
        }
    )


async def _check_queue_refs(
    session: AsyncSession, tenant_id: uuid.UUID, queue_in: QueueIn, queue_id: uuid.UUID
) -> None:
    skill_ids = [r.skill_id for r in queue_in.required_skills]
    known = await repository.skills_by_ids(session, tenant_id=tenant_id, skill_ids=skill_ids)
    for index, skill_id in enumerate(skill_ids):
        if skill_id not in known:
            field = f"requiredSkills.{index}.skillId"
            raise BadUserInput(f"{field}: unknown skill", field=field)
    target = queue_in.overflow_queue_id
    if target is None:
        return
    if target == queue_id:
        raise BadUserInput(
            "overflowQueueId: a queue cannot overflow to itself", field="overflowQueueId"
        )
    if await repository.queue_by_id(session, tenant_id=tenant_id, queue_id=target) is None:
        raise NotFound("overflowQueueId: queue not found", field="overflowQueueId")
    graph = await repository.overflow_targets(session, tenant_id=tenant_id)
    graph[queue_id] = target
    seen = {queue_id}
    node: uuid.UUID | None = target
    while node is not None:
        if node in seen:
            raise BadUserInput(
                "overflowQueueId: this target would make calls overflow in a cycle",
                field="overflowQueueId",
            )
        seen.add(node)
        node = graph.get(node)


async def _check_queue_name(
    session: AsyncSession, tenant_id: uuid.UUID, name: str, current: uuid.UUID | None = None
) -> None:
    existing = await repository.queue_by_name(session, tenant_id=tenant_id, name=name)
    if existing is not None and existing.id != current:
        raise Conflict(f"a queue named {name!r} already exists", field="name")


_QUEUE_CONFLICTS = {"uq_queues_tenant_name": ("a queue with this name already exists", "name")}


def _apply_queue(queue: Queue, queue_in: QueueIn) -> None:
    queue.name = queue_in.name
    queue.priority = queue_in.priority
    queue.sl_threshold_s = queue_in.sl_threshold_s
    queue.short_abandon_s = queue_in.short_abandon_s
    queue.sl_formula = queue_in.sl_formula.value
    queue.max_wait_s = queue_in.max_wait_s
    queue.max_wait_action = queue_in.max_wait_action.value
    queue.overflow_queue_id = queue_in.overflow_queue_id
    queue.wrapup_s = queue_in.wrapup_s
    queue.ring_timeout_s = queue_in.ring_timeout_s
    queue.max_size = queue_in.max_size
    queue.record = queue_in.record
    queue.hours = queue_in.hours.as_json() if queue_in.hours else None
    queue.closed_action = queue_in.closed_action.value
    queue.closed_code = queue_in.closed_code
    queue.blacklist_code = queue_in.blacklist_code
    queue.vip_boost = queue_in.vip_boost
    queue.sticky_agent_s = queue_in.sticky_agent_s


async def _save_queue(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    queue: Queue,
    queue_in: QueueIn,
    publications: Publications,
) -> QueueView:
    _apply_queue(queue, queue_in)
    await _flush(session, _QUEUE_CONFLICTS)
    await repository.replace_queue_requirements(
        session,
        tenant_id=tenant_id,
        queue_id=queue.id,
        requirements=[(r.skill_id, r.min_level) for r in queue_in.required_skills],
    )
    await _flush(session, {})
    await session.refresh(queue)
    requirements = await repository.queue_requirements(
        session, tenant_id=tenant_id, queue_ids=[queue.id]
    )
    view = QueueView(queue, requirements.get(queue.id, []))
    await _publish_tenant(session, tenant_id, publications)
    entry = projection.queue_entry(queue, view.requirements)
    publications.put_queue(tenant_id, entry)
    publications.announce_queue(tenant_id, entry)
    return view


async def create_queue(
    *, session: AsyncSession, principal: Principal, queue_in: QueueIn, publications: Publications
) -> QueueView:
    """Add a queue."""
    principal.require(MANAGERS, "manage queues")
    tenant_id = principal.tenant_id
    await _check_queue_name(session, tenant_id, queue_in.name)
    queue = Queue(id=uuid.uuid4(), tenant_id=tenant_id)
    await _check_queue_refs(session, tenant_id, queue_in, queue.id)
    session.add(queue)
    return await _save_queue(session, tenant_id, queue, queue_in, publications)


async def update_queue(
    *,
    session: AsyncSession,
    principal: Principal,
    queue_id: uuid.UUID,
    changes_in: Mapping[str, Any],
    publications: Publications,
) -> QueueView:
    """Change some of a queue's fields (GraphQL names); the result is validated as a whole."""
    principal.require(MANAGERS, "manage queues")
    tenant_id = principal.tenant_id
    view = await get_queue(session=session, principal=principal, queue_id=queue_id)
    current = queue_in_of(view).model_dump(by_alias=True, mode="json")
    queue_in = parse_input(QueueIn, {**current, **changes_in}, camel=True)
    await _check_queue_name(session, tenant_id, queue_in.name, current=view.queue.id)
    await _check_queue_refs(session, tenant_id, queue_in, view.queue.id)
    return await _save_queue(session, tenant_id, view.queue, queue_in, publications)


async def delete_queue(
    *,
    session: AsyncSession,
    principal: Principal,
    queue_id: uuid.UUID,
    publications: Publications,
) -> Queue:
    """Delete a queue no number rings and no queue overflows to."""
    principal.require(MANAGERS, "manage queues")
    tenant_id = principal.tenant_id
    queue = (await get_queue(session=session, principal=principal, queue_id=queue_id)).queue
    if numbers := await repository.numbers_of_queue(
        session, tenant_id=tenant_id, queue_id=queue.id
    ):
        raise Conflict(f"queue {queue.name!r} is the route of numbers: {', '.join(numbers)}")
    if sources := await repository.queues_overflowing_to(
        session, tenant_id=tenant_id, queue_id=queue.id
    ):
        raise Conflict(f"queues overflow to {queue.name!r}: {', '.join(sources)}")
    agents = await repository.agents_serving_queue(session, tenant_id=tenant_id, queue_id=queue.id)
    await session.delete(queue)
    await _flush(session, {})
    publications.remove_queue(tenant_id, queue.id)
    await _republish_agents(session, tenant_id, agents, publications)
    return queue


# Phone numbers


async def list_phone_numbers(
    *,
    session: AsyncSession,
    principal: Principal,
    page: PageRequest,
    queue_id: uuid.UUID | None = None,
) -> Page[PhoneNumber]:
    """The tenant's phone numbers, optionally only those of one queue."""
    principal.require(SUPERVISORS, "read phone numbers")
    return await repository.list_phone_numbers(
        session, tenant_id=principal.tenant_id, page=page, queue_id=queue_id
    )


async def get_phone_number(
    *, session: AsyncSession, principal: Principal, number_id: uuid.UUID
) -> PhoneNumber:
    """One phone number of the tenant."""
    principal.require(SUPERVISORS, "read phone numbers")
    number = await repository.phone_number_by_id(
        session, tenant_id=principal.tenant_id, number_id=number_id
    )
    if number is None:
        raise NotFound("phone number not found")
    return number


async def normalize_number(
    session: AsyncSession, *, tenant_id: uuid.UUID, raw: str, field: str = "number"
) -> str:
    """``raw`` in E.164, read with the tenant's default region; BAD_USER_INPUT if invalid."""
    settings = await repository.routing_settings(session, tenant_id=tenant_id)
    region = settings.default_region if settings else None
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as err:
        hint = "" if region else " (no default region is set: use the +<country code> form)"
        raise BadUserInput(f"{field}: {raw!r} is not a phone number{hint}", field=field) from err
    if not phonenumbers.is_valid_number(parsed):
        raise BadUserInput(f"{field}: {raw!r} is not a valid phone number", field=field)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _number_conflicts(e164: str) -> dict[str, tuple[str, str]]:
    return {"uq_phone_numbers_e164": (f"number {e164} is already in use", "number")}


async def _queue_ref(session: AsyncSession, tenant_id: uuid.UUID, queue_id: uuid.UUID) -> Queue:
    queue = await repository.queue_by_id(session, tenant_id=tenant_id, queue_id=queue_id)
    if queue is None:
        raise NotFound("queueId: queue not found", field="queueId")
    return queue


async def create_phone_number(
    *,
    session: AsyncSession,
    principal: Principal,
    number_in: PhoneNumberIn,
    publications: Publications,
) -> PhoneNumber:
    """Claim a DID for the tenant and route it to one of its queues.

    A number belongs to at most one tenant: another tenant's claim is a CONFLICT, enforced
    by a global unique index that row-level security does not hide.
    """
    principal.require(MANAGERS, "manage phone numbers")
    tenant_id = principal.tenant_id
    e164 = await normalize_number(session, tenant_id=tenant_id, raw=number_in.number)
    await _queue_ref(session, tenant_id, number_in.queue_id)
    number = PhoneNumber(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        e164=e164,
        raw=number_in.number,
        queue_id=number_in.queue_id,
        description=number_in.description,
    )
    session.add(number)
    await _flush(session, _number_conflicts(e164))
    await session.refresh(number)
    await _publish_tenant(session, tenant_id, publications)
    publications.put_did(projection.did_entry(number))
    return number


async def update_phone_number(
    *,
    session: AsyncSession,
    principal: Principal,
    number_id: uuid.UUID,
    changes_in: Mapping[str, Any],
    publications: Publications,
) -> PhoneNumber:
    """Change a number's digits, queue or description (GraphQL names)."""
    principal.require(MANAGERS, "manage phone numbers")
    tenant_id = principal.tenant_id
    number = await get_phone_number(session=session, principal=principal, number_id=number_id)
    current = {"number": number.raw, "queueId": number.queue_id, "description": number.description}
    number_in = parse_input(PhoneNumberIn, {**current, **changes_in}, camel=True)
    old_e164 = number.e164
    if number_in.number != number.raw:
        number.e164 = await normalize_number(session, tenant_id=tenant_id, raw=number_in.number)
        number.raw = number_in.number
    if number_in.queue_id != number.queue_id:
        await _queue_ref(session, tenant_id, number_in.queue_id)
        number.queue_id = number_in.queue_id
    number.description = number_in.description
    await _flush(session, _number_conflicts(number.e164))
    await session.refresh(number)
    await _publish_tenant(session, tenant_id, publications)
    if old_e164 != number.e164:
        publications.remove_did(tenant_id, old_e164)
    publications.put_did(projection.did_entry(number))
    return number


async def delete_phone_number(
    *,
    session: AsyncSession,
    principal: Principal,
    number_id: uuid.UUID,
    publications: Publications,
) -> PhoneNumber:
    """Release a DID."""
    principal.require(MANAGERS, "manage phone numbers")
    number = await get_phone_number(session=session, principal=principal, number_id=number_id)
    await session.delete(number)
    await _flush(session, {})
    publications.remove_did(principal.tenant_id, number.e164)
    return number


# Agent profiles


async def _profile_views(
    session: AsyncSession, tenant_id: uuid.UUID, profiles: list[AgentProfile]
) -> list[AgentProfileView]:
    ids = [p.user_id for p in profiles]
    users = await repository.users_by_ids(session, tenant_id=tenant_id, user_ids=ids)
    skills = await repository.agent_skills(session, tenant_id=tenant_id, user_ids=ids)
    queues = await repository.agent_queues(session, tenant_id=tenant_id, user_ids=ids)
    return [
        AgentProfileView(p, users[p.user_id], skills.get(p.user_id, []), queues.get(p.user_id, []))
        for p in profiles
    ]


def _own_profile_only(principal: Principal) -> uuid.UUID | None:
    """None for supervisors and managers; the caller's user id for agents."""
    if principal.role in SUPERVISORS:
        return None
    if principal.user_id is None:
        # An agent-role API key has no profile of its own.
        return uuid.UUID(int=0)
    return principal.user_id


async def list_agent_profiles(
    *, session: AsyncSession, principal: Principal, page: PageRequest
) -> Page[AgentProfileView]:
    """Supervisors and managers see every profile; an agent sees only their own."""
    tenant_id = principal.tenant_id
    rows = await repository.list_agent_profiles(
        session, tenant_id=tenant_id, page=page, user_id=_own_profile_only(principal)
    )
    views = await _profile_views(session, tenant_id, [p for _, p in rows.items])
    return Page(
        items=[(cursor, view) for (cursor, _), view in zip(rows.items, views, strict=True)],
        has_next_page=rows.has_next_page,
        has_previous_page=rows.has_previous_page,
    )


async def get_agent_profile(
    *, session: AsyncSession, principal: Principal, profile_id: uuid.UUID
) -> AgentProfileView:
    """One profile; an agent may read only their own (others are NOT_FOUND)."""
    tenant_id = principal.tenant_id
    profile = await repository.agent_profile_by_id(
        session, tenant_id=tenant_id, profile_id=profile_id
    )
    own = _own_profile_only(principal)
    if profile is None or (own is not None and profile.user_id != own):
        raise NotFound("agent profile not found")
    return (await _profile_views(session, tenant_id, [profile]))[0]


async def _check_profile_refs(
    session: AsyncSession, tenant_id: uuid.UUID, profile_in: AgentProfileIn
) -> None:
    skill_ids = [s.skill_id for s in profile_in.skills]
    known = await repository.skills_by_ids(session, tenant_id=tenant_id, skill_ids=skill_ids)
    for index, skill_id in enumerate(skill_ids):
        if skill_id not in known:
            field = f"skills.{index}.skillId"
            raise BadUserInput(f"{field}: unknown skill", field=field)
    queues = await repository.queues_by_ids(
        session, tenant_id=tenant_id, queue_ids=profile_in.queue_ids
    )
    for index, queue_id in enumerate(profile_in.queue_ids):
        if queue_id not in queues:
            field = f"queueIds.{index}"
            raise NotFound(f"{field}: queue not found", field=field)


_PROFILE_CONFLICTS = {
    "uq_agent_profiles_sip_user": ("this SIP user name is already taken", "sipUser"),
    "uq_agent_profiles_user_id": ("this user already has an agent profile", "userId"),
    "uq_agent_profiles_tenant_user": ("this user already has an agent profile", "userId"),
}


async def _save_profile(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    profile: AgentProfile,
    profile_in: AgentProfileIn,
    publications: Publications,
) -> AgentProfileView:
    await _flush(session, _PROFILE_CONFLICTS)
    await repository.replace_agent_skills(
        session,
        tenant_id=tenant_id,
        user_id=profile.user_id,
        levels=[(s.skill_id, s.level) for s in profile_in.skills],
    )
    await repository.replace_agent_queues(
        session, tenant_id=tenant_id, user_id=profile.user_id, queue_ids=profile_in.queue_ids
    )
    await _flush(session, {})
    await session.refresh(profile)
    await _publish_tenant(session, tenant_id, publications)
    await _republish_agents(session, tenant_id, [profile.user_id], publications)
    return (await _profile_views(session, tenant_id, [profile]))[0]


def default_sip_user(user_id: uuid.UUID) -> str:
    """The SIP user name an agent gets unless one is chosen: the user id's hex, which is
    the user part GraphQL ``sipCredentials`` issues, so the agent registers at exactly the
    AOR routing sends calls to (unique across tenants)."""
    return user_id.hex


async def create_agent_profile(
    *,
    session: AsyncSession,
    principal: Principal,
    profile_in: AgentProfileIn,
    publications: Publications,
) -> AgentProfileView:
    """Give an agent (or supervisor) user skills, queues and a SIP user."""
    principal.require(MANAGERS, "manage agent profiles")
    tenant_id = principal.tenant_id
    user = await identity_repository.user_by_id(
        session, tenant_id=tenant_id, user_id=profile_in.user_id
    )
    if user is None:
        raise NotFound("userId: user not found", field="userId")
    if Role(user.role) not in {Role.AGENT, Role.SUPERVISOR}:
        raise BadUserInput(
            f"userId: a {user.role} cannot take calls; only agents and supervisors can",
            field="userId",
        )
    if await repository.agent_profile_by_user(session, tenant_id=tenant_id, user_id=user.id):
        raise Conflict("this user already has an agent profile", field="userId")
    await _check_profile_refs(session, tenant_id, profile_in)
    profile = AgentProfile(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        user_id=user.id,
        sip_user=profile_in.sip_user or default_sip_user(user.id),
    )
    session.add(profile)
    return await _save_profile(session, tenant_id, profile, profile_in, publications)


async def update_agent_profile(
    *,
    session: AsyncSession,
    principal: Principal,
    profile_id: uuid.UUID,
    changes_in: Mapping[str, Any],
    publications: Publications,
) -> AgentProfileView:
    """Change an agent's skills, queues or SIP user (GraphQL names)."""
    principal.require(MANAGERS, "manage agent profiles")
    tenant_id = principal.tenant_id
    view = await get_agent_profile(session=session, principal=principal, profile_id=profile_id)
    current = {
        "userId": view.profile.user_id,
        "skills": [{"skillId": s.skill_id, "level": s.level} for s, _ in view.skills],
        "queueIds": [q.id for q in view.queues],
        "sipUser": view.profile.sip_user,
    }
    profile_in = parse_input(AgentProfileIn, {**current, **changes_in}, camel=True)
    await _check_profile_refs(session, tenant_id, profile_in)
    view.profile.sip_user = profile_in.sip_user or default_sip_user(view.profile.user_id)
    return await _save_profile(session, tenant_id, view.profile, profile_in, publications)


async def delete_agent_profile(
    *,
    session: AsyncSession,
    principal: Principal,
    profile_id: uuid.UUID,
    publications: Publications,
) -> AgentProfile:
    """Remove an agent's routing profile (the user stays)."""
    principal.require(MANAGERS, "manage agent profiles")
    view = await get_agent_profile(session=session, principal=principal, profile_id=profile_id)
    await session.delete(view.profile)
    await _flush(session, {})
    publications.remove_agent_profile(principal.tenant_id, view.profile.user_id)
    return view.profile


# Tenant routing settings


async def get_routing_settings(*, session: AsyncSession, principal: Principal) -> RoutingSettingsIn:
    """The tenant's routing settings (defaults when never saved)."""
    principal.require(SUPERVISORS, "read routing settings")
    row = await repository.routing_settings(session, tenant_id=principal.tenant_id)
    if row is None:
        return RoutingSettingsIn()
    return RoutingSettingsIn(
        max_concurrent_calls=row.max_concurrent_calls, default_region=row.default_region
    )


async def update_routing_settings(
    *,
    session: AsyncSession,
    principal: Principal,
    changes_in: Mapping[str, Any],
    publications: Publications,
) -> RoutingSettingsIn:
    """Change the tenant's routing limits (GraphQL names)."""
    principal.require(MANAGERS, "manage routing settings")
    tenant_id = principal.tenant_id
    current = await get_routing_settings(session=session, principal=principal)
    settings_in = parse_input(
        RoutingSettingsIn, {**current.model_dump(by_alias=True), **changes_in}, camel=True
    )
    row = await repository.routing_settings(session, tenant_id=tenant_id)
    if row is None:
        row = TenantRoutingSettings(tenant_id=tenant_id)
        session.add(row)
    row.max_concurrent_calls = settings_in.max_concurrent_calls
    row.default_region = settings_in.default_region
    await _flush(session, {})
    await _publish_tenant(session, tenant_id, publications)
    return settings_in
