"""GraphQL surface of a ticket's comments, attachments and history (its trail)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from tenants.crm import loaders as crm_loaders
from tenants.graphql.context import RequestContext
from tenants.graphql.relay import Node, expect_global_id, to_global_id
from tenants.identity.graphql import UserType
from tenants.input_validation import parse_input
from tenants.tickets import comments_service, models
from tenants.tickets.schemas import AttachmentIn, CommentIn


@strawberry.type(name="TicketComment")
class TicketCommentType(Node):
    body: str
    created_at: datetime
    row: strawberry.Private[models.TicketComment]

    @classmethod
    def from_row(cls, row: models.TicketComment) -> TicketCommentType:
        return cls(
            id=to_global_id("TicketComment", row.id),
            body=row.body,
            created_at=row.created_at,
            row=row,
        )

    @strawberry.field
    async def author(self, info: Info[RequestContext, None]) -> UserType | None:
        if self.row.author_id is None:
            return None
        row = await crm_loaders.users(info.context, self.row.tenant_id).load(self.row.author_id)
        return UserType.from_row(row) if row else None


@strawberry.type(name="TicketAttachment")
class TicketAttachmentType(Node):
    filename: str
    content_type: str
    size_bytes: float
    storage_key: str
    created_at: datetime

    @classmethod
    def from_row(cls, row: models.TicketAttachment) -> TicketAttachmentType:
        return cls(
            id=to_global_id("TicketAttachment", row.id),
            filename=row.filename,
            content_type=row.content_type,
            size_bytes=row.size_bytes,
            storage_key=row.storage_key,
            created_at=row.created_at,
        )


def _step_gid(step_id: uuid.UUID | None) -> strawberry.ID | None:
    return to_global_id("WorkflowStep", step_id) if step_id else None


@strawberry.type(name="TicketHistoryEntry")
class TicketHistoryEntryType(Node):
    action: str
    at: datetime
    from_step_id: strawberry.ID | None
    to_step_id: strawberry.ID | None
    detail: JSON
    row: strawberry.Private[models.TicketHistory]

    @classmethod
    def from_row(cls, row: models.TicketHistory) -> TicketHistoryEntryType:
        return cls(
            id=to_global_id("TicketHistoryEntry", row.id),
            action=row.action,
            at=row.at,
            from_step_id=_step_gid(row.from_step_id),
            to_step_id=_step_gid(row.to_step_id),
            detail=dict(row.detail),
            row=row,
        )

    @strawberry.field
    async def actor(self, info: Info[RequestContext, None]) -> UserType | None:
        if self.row.actor_id is None:
            return None
        row = await crm_loaders.users(info.context, self.row.tenant_id).load(self.row.actor_id)
        return UserType.from_row(row) if row else None


@strawberry.input
class AttachmentInput:
    ticket_id: strawberry.ID
    filename: str
    content_type: str
    size_bytes: int
    storage_key: str


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def add_ticket_comment(
        self, info: Info[RequestContext, None], ticket_id: strawberry.ID, body: str
    ) -> TicketCommentType:
        ctx = info.context
        principal = await ctx.principal()
        row = await comments_service.add_comment(
            session=ctx.session,
            principal=principal,
            ticket_id=expect_global_id(ticket_id, "Ticket"),
            comment_in=parse_input(CommentIn, {"body": body}),
        )
        return TicketCommentType.from_row(row)

    @strawberry.mutation
    async def add_ticket_attachment(
        self, info: Info[RequestContext, None], input: AttachmentInput
    ) -> TicketAttachmentType:
        ctx = info.context
        principal = await ctx.principal()
        ticket_id = expect_global_id(input.ticket_id, "Ticket")
        attachment_in = parse_input(
            AttachmentIn,
            {
                "filename": input.filename,
                "content_type": input.content_type,
                "size_bytes": input.size_bytes,
                "storage_key": input.storage_key,
            },
        )
        row = await comments_service.add_attachment(
            session=ctx.session,
            principal=principal,
            ticket_id=ticket_id,
            attachment_in=attachment_in,
        )
        return TicketAttachmentType.from_row(row)


def _child_resolver(type_name: str, to_node: Any) -> Any:
    async def resolve(ctx: RequestContext, row_id: uuid.UUID) -> Node:
        row = await comments_service.get_child(
            session=ctx.session,
            principal=await ctx.principal(),
            model=comments_service.CHILD_MODELS[type_name],
            row_id=row_id,
        )
        return to_node(row)

    return resolve


NODE_RESOLVERS = {
    "TicketComment": _child_resolver("TicketComment", TicketCommentType.from_row),
    "TicketAttachment": _child_resolver("TicketAttachment", TicketAttachmentType.from_row),
    "TicketHistoryEntry": _child_resolver("TicketHistoryEntry", TicketHistoryEntryType.from_row),
}
