"""GraphQL surface of notifications: the caller's list and marking one read."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from tenants.graphql.context import RequestContext
from tenants.graphql.relay import (
    Connection,
    Node,
    connection,
    expect_global_id,
    page_request,
    to_global_id,
)
from tenants.notifications import models, service


@strawberry.type(name="Notification")
class NotificationType(Node):
    kind: str
    title: str
    body: str
    subject_id: strawberry.ID | None = strawberry.field(
        description="Global id of the object it is about (e.g. a Ticket)."
    )
    data: JSON
    read_at: datetime | None
    created_at: datetime

    @classmethod
    def from_row(cls, row: models.Notification) -> NotificationType:
        subject_type = row.data.get("subject_type") if row.data else None
        return cls(
            id=to_global_id("Notification", row.id),
            kind=row.kind,
            title=row.title,
            body=row.body,
            subject_id=(
                to_global_id(subject_type, row.subject_id)
                if subject_type and row.subject_id
                else None
            ),
            data=dict(row.data),
            read_at=row.read_at,
            created_at=row.created_at,
        )


@strawberry.type
class Query:
    @strawberry.field(description="The caller's in-app notifications, oldest first.")
    async def notifications(
        self,
        info: Info[RequestContext, None],
        unread_only: bool = False,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[NotificationType]:
        ctx = info.context
        page = await service.list_notifications(
            session=ctx.session,
            principal=await ctx.principal(),
            page=page_request(first, after, max_page_size=ctx.max_page_size),
            unread_only=unread_only,
        )
        return connection(page, NotificationType.from_row)


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def mark_notification_read(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> NotificationType:
        ctx = info.context
        row = await service.mark_read(
            session=ctx.session,
            principal=await ctx.principal(),
            notification_id=expect_global_id(id, "Notification"),
        )
        return NotificationType.from_row(row)


async def _resolve_notification(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    row = await service.get_notification(
        session=ctx.session, principal=await ctx.principal(), notification_id=row_id
    )
    return NotificationType.from_row(row)


NODE_RESOLVERS = {"Notification": _resolve_notification}
TYPES = [NotificationType]
