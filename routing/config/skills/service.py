"""Skill use cases.

Services flush, never commit, and never write Redis: every change records what routing
must see in ``publications``, which the edge applies after its commit succeeds.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from routing.config import repository
from routing.config.changes import flush, publish_tenant, republish_agents
from routing.config.models import Skill
from routing.config.publishing import Publications
from routing.config.schemas import SkillIn
from tenants.database.pagination import Page, PageRequest
from tenants.errors import Conflict, NotFound
from tenants.identity.principal import Principal
from tenants.identity.roles import MANAGERS, SUPERVISORS


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
    await flush(session, _SKILL_CONFLICTS)
    await session.refresh(skill)
    await publish_tenant(session, principal.tenant_id, publications)
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
    await flush(session, _SKILL_CONFLICTS)
    await session.refresh(skill)
    await publish_tenant(session, principal.tenant_id, publications)
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
    await flush(session, {})
    await republish_agents(session, tenant_id, agents, publications)
    return skill
