"""Every notification query. Tenant tables are always read through ``scoped``."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.database.pagination import Page, PageRequest, keyset_page
from tenants.database.scoping import scoped
from tenants.notifications.models import Notification


async def notification_by_id(
    session: AsyncSession, *, tenant_id: uuid.UUID, notification_id: uuid.UUID
) -> Notification | None:
    """One notification of the tenant."""
    statement = scoped(select(Notification), tenant_id).where(Notification.id == notification_id)
    return await session.scalar(statement)


async def list_for_user(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    page: PageRequest,
    unread_only: bool,
) -> Page[Notification]:
    """A keyset page of one user's notifications, oldest first."""
    statement = scoped(select(Notification), tenant_id).where(Notification.user_id == user_id)
    if unread_only:
        statement = statement.where(Notification.read_at.is_(None))
    return await keyset_page(session, statement, Notification, page)
