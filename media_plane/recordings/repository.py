"""Every recordings query. The table is only read through ``scoped``."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from media_plane.recordings.models import Recording
from tenants.database.pagination import Page, PageRequest, keyset_page
from tenants.database.scoping import scoped


async def upsert_recording(
    session: AsyncSession, *, tenant_id: uuid.UUID, values: dict[str, Any]
) -> Recording:
    """Insert the row for (call, format), or refresh it when an upload is redone."""
    row = {"id": uuid.uuid4(), "tenant_id": tenant_id, **values}
    statement = insert(Recording).values(**row)
    columns = Recording.__mapper__.columns
    refreshed = [columns[name].name for name in values if name not in ("call_id", "format")]
    statement = statement.on_conflict_do_update(
        constraint="uq_recordings_tenant_call_format",
        set_={name: statement.excluded[name] for name in refreshed},
    ).returning(Recording)
    result = await session.scalars(statement, execution_options={"populate_existing": True})
    return result.one()


async def recording_by_id(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    recording_id: uuid.UUID,
    agent_id: uuid.UUID | None = None,
) -> Recording | None:
    """One recording of the tenant (only ``agent_id``'s when given)."""
    statement = scoped(select(Recording), tenant_id).where(Recording.id == recording_id)
    if agent_id is not None:
        statement = statement.where(Recording.agent_id == agent_id)
    return await session.scalar(statement)


async def list_recordings(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    page: PageRequest,
    call_id: str | None = None,
    agent_id: uuid.UUID | None = None,
) -> Page[Recording]:
    """A page of the tenant's recordings, oldest first, optionally of one call or agent."""
    statement = scoped(select(Recording), tenant_id)
    if call_id is not None:
        statement = statement.where(Recording.call_id == call_id)
    if agent_id is not None:
        statement = statement.where(Recording.agent_id == agent_id)
    return await keyset_page(session, statement, Recording, page)
