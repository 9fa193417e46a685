"""Every SQL query of call flows; tenant tables only through ``scoped()``."""

from __future__ import annotations

import uuid

from sqlalchemy import Text, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from media_plane.prompts.models import Prompt
from routing.config.models import PhoneNumber, Queue, Skill
from routing.flows.models import CallFlow, CallFlowVersion, QueueMusic
from tenants.database.pagination import Page, PageRequest, keyset_page
from tenants.database.scoping import scoped
from tenants.graphql.relay import to_global_id


async def flow_by_id(
    session: AsyncSession, *, tenant_id: uuid.UUID, flow_id: uuid.UUID, lock: bool = False
) -> CallFlow | None:
    """One flow of the tenant; ``lock`` takes its row lock (publishing serialises on it)."""
    statement = scoped(select(CallFlow), tenant_id).where(CallFlow.id == flow_id)
    if lock:
        statement = statement.with_for_update()
    return await session.scalar(statement)


async def list_flows(
    session: AsyncSession, *, tenant_id: uuid.UUID, page: PageRequest, archived: bool
) -> Page[CallFlow]:
    """A page of the tenant's flows (archived ones only when asked), oldest first."""
    statement = scoped(select(CallFlow), tenant_id)
    if not archived:
        statement = statement.where(CallFlow.archived_at.is_(None))
    return await keyset_page(session, statement, CallFlow, page)


async def version_by_id(
    session: AsyncSession, *, tenant_id: uuid.UUID, version_id: uuid.UUID
) -> CallFlowVersion | None:
    statement = scoped(select(CallFlowVersion), tenant_id).where(CallFlowVersion.id == version_id)
    return await session.scalar(statement)


async def list_versions(
    session: AsyncSession, *, tenant_id: uuid.UUID, flow_id: uuid.UUID, page: PageRequest
) -> Page[CallFlowVersion]:
    statement = scoped(select(CallFlowVersion), tenant_id).where(CallFlowVersion.flow_id == flow_id)
    return await keyset_page(session, statement, CallFlowVersion, page)


async def last_version_number(
    session: AsyncSession, *, tenant_id: uuid.UUID, flow_id: uuid.UUID
) -> int:
    statement = scoped(select(func.max(CallFlowVersion.number)), tenant_id).where(
        CallFlowVersion.flow_id == flow_id
    )
    return int(await session.scalar(statement) or 0)


async def all_versions(session: AsyncSession, *, tenant_id: uuid.UUID) -> list[CallFlowVersion]:
    """Every published version of the tenant (immutable; projected for calls in progress)."""
    return list(await session.scalars(scoped(select(CallFlowVersion), tenant_id)))


async def published_versions(
    session: AsyncSession, *, tenant_id: uuid.UUID
) -> dict[uuid.UUID, uuid.UUID]:
    """``flow id → published version id`` of every live, published flow of the tenant."""
    statement = scoped(select(CallFlow), tenant_id).where(
        CallFlow.archived_at.is_(None), CallFlow.published_version_id.is_not(None)
    )
    return {
        flow.id: flow.published_version_id
        for flow in await session.scalars(statement)
        if flow.published_version_id is not None
    }


async def numbers_of_flow(
    session: AsyncSession, *, tenant_id: uuid.UUID, flow_id: uuid.UUID
) -> list[PhoneNumber]:
    statement = scoped(select(PhoneNumber), tenant_id).where(PhoneNumber.call_flow_id == flow_id)
    return list(await session.scalars(statement.order_by(PhoneNumber.e164)))


async def known_ids(
    session: AsyncSession, *, tenant_id: uuid.UUID
) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
    """The tenant's queue ids and skill ids (a flow may name them)."""
    queues = await session.scalars(scoped(select(Queue.id), tenant_id))
    skills = await session.scalars(scoped(select(Skill.id), tenant_id))
    return set(queues), set(skills)


async def flow_naming(session: AsyncSession, tenant_id: uuid.UUID, global_id: str) -> str | None:
    """A live flow whose draft or any version names ``global_id``, for a CONFLICT message."""
    live = CallFlow.archived_at.is_(None)
    drafts = scoped(select(CallFlow.name), tenant_id).where(
        live, CallFlow.draft.cast(Text).contains(global_id)
    )
    if (name := await session.scalar(drafts.limit(1))) is not None:
        return f"call flow {name}"
    versions = (
        scoped(select(CallFlow.name, CallFlowVersion.number), tenant_id)
        .join(CallFlowVersion, CallFlowVersion.flow_id == CallFlow.id)
        .where(live, CallFlowVersion.definition.cast(Text).contains(global_id))
    )
    if (row := (await session.execute(versions.limit(1))).first()) is not None:
        return f"call flow {row[0]} (version {row[1]})"
    return None


async def flows_using_prompt(
    session: AsyncSession, tenant_id: uuid.UUID, prompt_id: uuid.UUID
) -> str | None:
    """What uses a prompt: a live flow's draft or version, or a queue's music."""
    if (
        flow := await flow_naming(session, tenant_id, to_global_id("Prompt", prompt_id))
    ) is not None:
        return flow
    music = (
        scoped(select(Queue.name), tenant_id)
        .join(QueueMusic, QueueMusic.queue_id == Queue.id)
        .where(QueueMusic.prompt_id == prompt_id)
    )
    if (queue := await session.scalar(music.limit(1))) is not None:
        return f"queue {queue} (music on hold)"
    return None


async def queue_music(
    session: AsyncSession, *, tenant_id: uuid.UUID, queue_id: uuid.UUID
) -> QueueMusic | None:
    statement = scoped(select(QueueMusic), tenant_id).where(QueueMusic.queue_id == queue_id)
    return await session.scalar(statement)


async def all_queue_music(
    session: AsyncSession, *, tenant_id: uuid.UUID
) -> list[tuple[QueueMusic, str]]:
    """Every queue's own music with its audio key."""
    statement = scoped(select(QueueMusic, Prompt.audio_key), tenant_id).join(
        Prompt, Prompt.id == QueueMusic.prompt_id
    )
    return [(row, key) for row, key in (await session.execute(statement)).all()]
