"""Every missed-call query. Tenant tables are always read through ``scoped``."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.database.pagination import Page, PageRequest, keyset_page
from tenants.database.scoping import scoped
from tenants.followups.models import CALLBACK_DISPOSITION, CLOSED, OPEN, MissedCall


async def insert_missed_call(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    task_id: uuid.UUID,
    call_id: str,
    queue_id: uuid.UUID | None,
    number: str,
    customer_id: uuid.UUID | None,
    wait_ms: int,
    at: datetime,
) -> bool:
    """Create the task unless it exists (a redelivered event); True when created."""
    statement = (
        insert(MissedCall)
        .values(
            id=task_id,
            tenant_id=tenant_id,
            call_id=call_id,
            queue_id=queue_id,
            number=number,
            customer_id=customer_id,
            wait_ms=wait_ms,
            created_at=at,
        )
        .on_conflict_do_nothing()
        .returning(MissedCall.id)
    )
    return (await session.execute(statement)).first() is not None


async def missed_call_by_id(
    session: AsyncSession, *, tenant_id: uuid.UUID, task_id: uuid.UUID
) -> MissedCall | None:
    """One task of the tenant."""
    return await session.scalar(
        scoped(select(MissedCall), tenant_id).where(MissedCall.id == task_id)
    )


async def list_missed_calls(
    session: AsyncSession, *, tenant_id: uuid.UUID, status: str | None, page: PageRequest
) -> Page[MissedCall]:
    """A keyset page of the tenant's tasks, oldest first."""
    statement = scoped(select(MissedCall), tenant_id)
    if status is not None:
        statement = statement.where(MissedCall.status == status)
    return await keyset_page(session, statement, MissedCall, page)


async def close_open_for_number(
    session: AsyncSession, *, tenant_id: uuid.UUID, number: str, at: datetime
) -> list[uuid.UUID]:
    """Close every open task of ``number`` created before ``at``: a callback reached them."""
    statement = (
        update(MissedCall)
        .where(
            MissedCall.tenant_id == tenant_id,
            MissedCall.number == number,
            MissedCall.status == OPEN,
            MissedCall.created_at <= at,
        )
        .values(status=CLOSED, disposition=CALLBACK_DISPOSITION, closed_at=at)
        .returning(MissedCall.id)
    )
    return list(await session.scalars(statement))
