"""Notification use cases: write one for a user, list a user's own, mark them read."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tenants.database.pagination import Page, PageRequest
from tenants.errors import NotFound
from tenants.identity.principal import Principal
from tenants.notifications import repository
from tenants.notifications.models import Notification


def notify(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    kind: str,
    title: str,
    body: str = "",
    subject_id: uuid.UUID | None = None,
    data: dict[str, Any] | None = None,
) -> Notification:
    """Add a notification to a user's list (flushed with the caller's transaction)."""
    row = Notification(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        user_id=user_id,
        kind=kind,
        title=title,
        body=body,
        subject_id=subject_id,
        data=data or {},
    )
    session.add(row)
    return row


async def get_notification(
    *, session: AsyncSession, principal: Principal, notification_id: uuid.UUID
) -> Notification:
    """One of the caller's own notifications (anyone else's is NOT_FOUND)."""
    row = await repository.notification_by_id(
        session, tenant_id=principal.tenant_id, notification_id=notification_id
    )
    if row is None or row.user_id != principal.user_id:
        raise NotFound("notification not found")
    return row


async def list_notifications(
    *, session: AsyncSession, principal: Principal, page: PageRequest, unread_only: bool = False
) -> Page[Notification]:
    """The caller's notifications (an API key has none)."""
    if principal.user_id is None:
        return Page(items=[], has_next_page=False, has_previous_page=False)
    return await repository.list_for_user(
        session,
        tenant_id=principal.tenant_id,
        user_id=principal.user_id,
        page=page,
        unread_only=unread_only,
    )


async def mark_read(
    *, session: AsyncSession, principal: Principal, notification_id: uuid.UUID
) -> Notification:
    """Mark one of the caller's notifications read; idempotent."""
    row = await get_notification(
        session=session, principal=principal, notification_id=notification_id
    )
    if row.read_at is None:
        row.read_at = datetime.now(UTC)
        await session.flush()
    return row
