"""Agent profile use cases: an agent's skills, queues and SIP user.

Services flush, never commit, and never write Redis: every change records what routing
must see in ``publications``, which the edge applies after its commit succeeds.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from routing.config import repository
from routing.config.changes import flush, publish_tenant, republish_agents
from routing.config.models import AgentProfile, AgentSkill, Queue, Skill
from routing.config.publishing import Publications
from routing.config.schemas import AgentProfileIn
from tenants.database.pagination import Page, PageRequest
from tenants.errors import BadUserInput, Conflict, NotFound
from tenants.identity import repository as identity_repository
from tenants.identity.models import User
from tenants.identity.principal import Principal
from tenants.identity.roles import MANAGERS, SUPERVISORS, Role
from tenants.input_validation import parse_input


@dataclass(frozen=True)
class AgentProfileView:
    """An agent profile with its user, skill levels and queues."""

    profile: AgentProfile
    user: User
    skills: list[tuple[AgentSkill, Skill]]
    queues: list[Queue]


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


async def my_agent_profile(
    *, session: AsyncSession, principal: Principal
) -> AgentProfileView | None:
    """The caller's own profile (any role), or None: the agent desktop's view of itself."""
    if principal.user_id is None:
        return None
    profile = await repository.agent_profile_by_user(
        session, tenant_id=principal.tenant_id, user_id=principal.user_id
    )
    if profile is None:
        return None
    return (await _profile_views(session, principal.tenant_id, [profile]))[0]


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
    await flush(session, _PROFILE_CONFLICTS)
    await repository.replace_agent_skills(
        session,
        tenant_id=tenant_id,
        user_id=profile.user_id,
        levels=[(s.skill_id, s.level) for s in profile_in.skills],
    )
    await repository.replace_agent_queues(
        session, tenant_id=tenant_id, user_id=profile.user_id, queue_ids=profile_in.queue_ids
    )
    await flush(session, {})
    await session.refresh(profile)
    await publish_tenant(session, tenant_id, publications)
    await republish_agents(session, tenant_id, [profile.user_id], publications)
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
    await flush(session, {})
    publications.remove_agent_profile(principal.tenant_id, view.profile.user_id)
    return view.profile
