"""Every SQL query of prompts; tenant tables only through ``scoped()``."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from media_plane.prompts.models import Prompt, PromptRender
from tenants.database.pagination import Page, PageRequest, keyset_page
from tenants.database.scoping import scoped


async def prompt_by_id(
    session: AsyncSession, *, tenant_id: uuid.UUID, prompt_id: uuid.UUID
) -> Prompt | None:
    statement = scoped(select(Prompt), tenant_id).where(Prompt.id == prompt_id)
    return await session.scalar(statement)


async def prompt_by_name(
    session: AsyncSession, *, tenant_id: uuid.UUID, name: str
) -> Prompt | None:
    statement = scoped(select(Prompt), tenant_id).where(
        func.lower(Prompt.name) == name.strip().lower()
    )
    return await session.scalar(statement)


async def list_prompts(
    session: AsyncSession, *, tenant_id: uuid.UUID, page: PageRequest, kind: str | None
) -> Page[Prompt]:
    statement = scoped(select(Prompt), tenant_id)
    if kind is not None:
        statement = statement.where(Prompt.kind == kind)
    return await keyset_page(session, statement, Prompt, page)


async def prompt_ids(session: AsyncSession, *, tenant_id: uuid.UUID) -> set[uuid.UUID]:
    """Every prompt id of the tenant (call flows may name them)."""
    return set(await session.scalars(scoped(select(Prompt.id), tenant_id)))


async def render_by_key(
    session: AsyncSession, *, tenant_id: uuid.UUID, render_key: str
) -> PromptRender | None:
    statement = scoped(select(PromptRender), tenant_id).where(PromptRender.render_key == render_key)
    return await session.scalar(statement)
