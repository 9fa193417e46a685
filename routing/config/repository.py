"""Every routing-configuration query. Tenant tables are always read through ``scoped``."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from routing.config.models import (
    AgentProfile,
    AgentQueue,
    AgentSkill,
    PhoneNumber,
    Queue,
    QueueSkill,
    Skill,
    TenantRoutingSettings,
)
from tenants.database.pagination import Page, PageRequest, keyset_page
from tenants.database.scoping import scoped
from tenants.identity.models import User

# Skills


async def skill_by_id(
    session: AsyncSession, *, tenant_id: uuid.UUID, skill_id: uuid.UUID
) -> Skill | None:
    """One skill of the tenant."""
    return await session.scalar(scoped(select(Skill), tenant_id).where(Skill.id == skill_id))


async def skill_by_name(session: AsyncSession, *, tenant_id: uuid.UUID, name: str) -> Skill | None:
    """The tenant's skill with this name, case-insensitively."""
    statement = scoped(select(Skill), tenant_id).where(func.lower(Skill.name) == name.lower())
    return await session.scalar(statement)


async def skills_by_ids(
    session: AsyncSession, *, tenant_id: uuid.UUID, skill_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, Skill]:
    """The tenant's skills among ``skill_ids``, by id (others are simply absent)."""
    ids = list(skill_ids)
    if not ids:
        return {}
    rows = await session.scalars(scoped(select(Skill), tenant_id).where(Skill.id.in_(ids)))
    return {row.id: row for row in rows}


async def list_skills(
    session: AsyncSession, *, tenant_id: uuid.UUID, page: PageRequest
) -> Page[Skill]:
    """A page of the tenant's skills, oldest first."""
    return await keyset_page(session, scoped(select(Skill), tenant_id), Skill, page)


async def queues_requiring_skill(
    session: AsyncSession, *, tenant_id: uuid.UUID, skill_id: uuid.UUID
) -> list[str]:
    """Names of the tenant's queues that require ``skill_id``."""
    statement = (
        scoped(select(Queue), tenant_id)
        .join(QueueSkill, QueueSkill.queue_id == Queue.id)
        .where(QueueSkill.skill_id == skill_id, QueueSkill.tenant_id == tenant_id)
        .order_by(Queue.name)
    )
    return [row.name for row in await session.scalars(statement)]


async def agents_with_skill(
    session: AsyncSession, *, tenant_id: uuid.UUID, skill_id: uuid.UUID
) -> list[uuid.UUID]:
    """User ids of the tenant's agents holding ``skill_id``."""
    statement = scoped(select(AgentSkill), tenant_id).where(AgentSkill.skill_id == skill_id)
    return [row.agent_user_id for row in await session.scalars(statement)]


# Queues


async def queue_by_id(
    session: AsyncSession, *, tenant_id: uuid.UUID, queue_id: uuid.UUID
) -> Queue | None:
    """One queue of the tenant."""
    return await session.scalar(scoped(select(Queue), tenant_id).where(Queue.id == queue_id))


async def queue_by_name(session: AsyncSession, *, tenant_id: uuid.UUID, name: str) -> Queue | None:
    """The tenant's queue with this name, case-insensitively."""
    statement = scoped(select(Queue), tenant_id).where(func.lower(Queue.name) == name.lower())
    return await session.scalar(statement)


async def queues_by_ids(
    session: AsyncSession, *, tenant_id: uuid.UUID, queue_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, Queue]:
    """The tenant's queues among ``queue_ids``, by id."""
    ids = list(queue_ids)
    if not ids:
        return {}
    rows = await session.scalars(scoped(select(Queue), tenant_id).where(Queue.id.in_(ids)))
    return {row.id: row for row in rows}


async def list_queues(
    session: AsyncSession, *, tenant_id: uuid.UUID, page: PageRequest
) -> Page[Queue]:
    """A page of the tenant's queues, oldest first."""
    return await keyset_page(session, scoped(select(Queue), tenant_id), Queue, page)


async def all_queues(session: AsyncSession, *, tenant_id: uuid.UUID) -> list[Queue]:
    """Every queue of the tenant."""
    return list(await session.scalars(scoped(select(Queue), tenant_id).order_by(Queue.id)))


async def queue_requirements(
    session: AsyncSession, *, tenant_id: uuid.UUID, queue_ids: Iterable[uuid.UUID] | None = None
) -> dict[uuid.UUID, list[tuple[QueueSkill, Skill]]]:
    """Required skills per queue (all of the tenant's queues when ``queue_ids`` is None)."""
    statement = (
        scoped(select(QueueSkill, Skill), tenant_id)
        .join(Skill, Skill.id == QueueSkill.skill_id)
        .order_by(Skill.name)
    )
    if queue_ids is not None:
        ids = list(queue_ids)
        if not ids:
            return {}
        statement = statement.where(QueueSkill.queue_id.in_(ids))
    result: dict[uuid.UUID, list[tuple[QueueSkill, Skill]]] = {}
    for requirement, skill in await session.execute(statement):
        result.setdefault(requirement.queue_id, []).append((requirement, skill))
    return result


async def replace_queue_requirements(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    queue_id: uuid.UUID,
    requirements: Iterable[tuple[uuid.UUID, int]],
) -> None:
    """Set the queue's required skills to exactly ``(skill_id, min_level)`` pairs."""
    await session.execute(
        scoped(delete(QueueSkill), tenant_id).where(QueueSkill.queue_id == queue_id)
    )
    session.add_all(
        QueueSkill(tenant_id=tenant_id, queue_id=queue_id, skill_id=skill_id, min_level=level)
        for skill_id, level in requirements
    )


async def queues_overflowing_to(
    session: AsyncSession, *, tenant_id: uuid.UUID, queue_id: uuid.UUID
) -> list[str]:
    """Names of the tenant's queues whose overflow target is ``queue_id``."""
    statement = scoped(select(Queue), tenant_id).where(Queue.overflow_queue_id == queue_id)
    return sorted(row.name for row in await session.scalars(statement))


async def overflow_targets(
    session: AsyncSession, *, tenant_id: uuid.UUID
) -> dict[uuid.UUID, uuid.UUID]:
    """The tenant's overflow graph: queue id → target queue id."""
    statement = scoped(select(Queue), tenant_id).where(Queue.overflow_queue_id.is_not(None))
    return {row.id: row.overflow_queue_id for row in await session.scalars(statement)}  # type: ignore[misc]


# Phone numbers


async def phone_number_by_id(
    session: AsyncSession, *, tenant_id: uuid.UUID, number_id: uuid.UUID
) -> PhoneNumber | None:
    """One phone number of the tenant."""
    statement = scoped(select(PhoneNumber), tenant_id).where(PhoneNumber.id == number_id)
    return await session.scalar(statement)


async def list_phone_numbers(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    page: PageRequest,
    queue_id: uuid.UUID | None = None,
) -> Page[PhoneNumber]:
    """A page of the tenant's phone numbers, oldest first."""
    statement = scoped(select(PhoneNumber), tenant_id)
    if queue_id is not None:
        statement = statement.where(PhoneNumber.queue_id == queue_id)
    return await keyset_page(session, statement, PhoneNumber, page)


async def all_phone_numbers(session: AsyncSession, *, tenant_id: uuid.UUID) -> list[PhoneNumber]:
    """Every phone number of the tenant."""
    statement = scoped(select(PhoneNumber), tenant_id).order_by(PhoneNumber.e164)
    return list(await session.scalars(statement))


async def numbers_of_queue(
    session: AsyncSession, *, tenant_id: uuid.UUID, queue_id: uuid.UUID
) -> list[str]:
    """E.164 numbers of the tenant that ring ``queue_id``."""
    statement = scoped(select(PhoneNumber), tenant_id).where(PhoneNumber.queue_id == queue_id)
    return sorted(row.e164 for row in await session.scalars(statement))


# Agent profiles


async def agent_profile_by_id(
    session: AsyncSession, *, tenant_id: uuid.UUID, profile_id: uuid.UUID
) -> AgentProfile | None:
    """One agent profile of the tenant."""
    statement = scoped(select(AgentProfile), tenant_id).where(AgentProfile.id == profile_id)
    return await session.scalar(statement)


async def agent_profile_by_user(
    session: AsyncSession, *, tenant_id: uuid.UUID, user_id: uuid.UUID
) -> AgentProfile | None:
    """The tenant's profile of user ``user_id``."""
    statement = scoped(select(AgentProfile), tenant_id).where(AgentProfile.user_id == user_id)
    return await session.scalar(statement)


async def agent_profiles_by_users(
    session: AsyncSession, *, tenant_id: uuid.UUID, user_ids: Iterable[uuid.UUID]
) -> list[AgentProfile]:
    """The tenant's profiles of the users among ``user_ids``."""
    ids = list(user_ids)
    if not ids:
        return []
    statement = scoped(select(AgentProfile), tenant_id).where(AgentProfile.user_id.in_(ids))
    return list(await session.scalars(statement.order_by(AgentProfile.user_id)))


async def list_agent_profiles(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    page: PageRequest,
    user_id: uuid.UUID | None = None,
) -> Page[AgentProfile]:
    """A page of the tenant's agent profiles (only ``user_id``'s when given)."""
    statement = scoped(select(AgentProfile), tenant_id)
    if user_id is not None:
        statement = statement.where(AgentProfile.user_id == user_id)
    return await keyset_page(session, statement, AgentProfile, page)


async def all_agent_profiles(session: AsyncSession, *, tenant_id: uuid.UUID) -> list[AgentProfile]:
    """Every agent profile of the tenant."""
    statement = scoped(select(AgentProfile), tenant_id).order_by(AgentProfile.user_id)
    return list(await session.scalars(statement))


async def agent_skills(
    session: AsyncSession, *, tenant_id: uuid.UUID, user_ids: Iterable[uuid.UUID] | None = None
) -> dict[uuid.UUID, list[tuple[AgentSkill, Skill]]]:
    """Skill levels per agent user id (every agent of the tenant when ``user_ids`` is None)."""
    statement = (
        scoped(select(AgentSkill, Skill), tenant_id)
        .join(Skill, Skill.id == AgentSkill.skill_id)
        .order_by(Skill.name)
    )
    if user_ids is not None:
        ids = list(user_ids)
        if not ids:
            return {}
        statement = statement.where(AgentSkill.agent_user_id.in_(ids))
    result: dict[uuid.UUID, list[tuple[AgentSkill, Skill]]] = {}
    for level, skill in await session.execute(statement):
        result.setdefault(level.agent_user_id, []).append((level, skill))
    return result


async def agent_queues(
    session: AsyncSession, *, tenant_id: uuid.UUID, user_ids: Iterable[uuid.UUID] | None = None
) -> dict[uuid.UUID, list[Queue]]:
    """Queues each agent may serve, by agent user id."""
    statement = (
        scoped(select(AgentQueue, Queue), tenant_id)
        .join(Queue, Queue.id == AgentQueue.queue_id)
        .order_by(Queue.name)
    )
    if user_ids is not None:
        ids = list(user_ids)
        if not ids:
            return {}
        statement = statement.where(AgentQueue.agent_user_id.in_(ids))
    result: dict[uuid.UUID, list[Queue]] = {}
    for link, queue in await session.execute(statement):
        result.setdefault(link.agent_user_id, []).append(queue)
    return result


async def agents_serving_queue(
    session: AsyncSession, *, tenant_id: uuid.UUID, queue_id: uuid.UUID
) -> list[uuid.UUID]:
    """User ids of the tenant's agents who may serve ``queue_id``."""
    statement = scoped(select(AgentQueue), tenant_id).where(AgentQueue.queue_id == queue_id)
    return [row.agent_user_id for row in await session.scalars(statement)]


async def replace_agent_skills(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    levels: Iterable[tuple[uuid.UUID, int]],
) -> None:
    """Set the agent's skills to exactly ``(skill_id, level)`` pairs."""
    await session.execute(
        scoped(delete(AgentSkill), tenant_id).where(AgentSkill.agent_user_id == user_id)
    )
    session.add_all(
        AgentSkill(tenant_id=tenant_id, agent_user_id=user_id, skill_id=skill_id, level=level)
        for skill_id, level in levels
    )


async def replace_agent_queues(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    queue_ids: Iterable[uuid.UUID],
) -> None:
    """Set the queues the agent may serve to exactly ``queue_ids``."""
    await session.execute(
        scoped(delete(AgentQueue), tenant_id).where(AgentQueue.agent_user_id == user_id)
    )
    session.add_all(
        AgentQueue(tenant_id=tenant_id, agent_user_id=user_id, queue_id=queue_id)
        for queue_id in queue_ids
    )


async def users_by_ids(
    session: AsyncSession, *, tenant_id: uuid.UUID, user_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, User]:
    """The tenant's users among ``user_ids``, by id."""
    ids = list(user_ids)
    if not ids:
        return {}
    rows = await session.scalars(scoped(select(User), tenant_id).where(User.id.in_(ids)))
    return {row.id: row for row in rows}


# Settings


async def routing_settings(
    session: AsyncSession, *, tenant_id: uuid.UUID
) -> TenantRoutingSettings | None:
    """The tenant's routing settings row, if it was ever saved."""
    return await session.scalar(scoped(select(TenantRoutingSettings), tenant_id))
