"""GraphQL surface of call flows: drafts, publishing, versions, archiving."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from media_plane.prompts.graphql import PromptType
from media_plane.prompts.hold_music import LICENCE
from media_plane.prompts.models import Prompt
from routing.config.edge import principal_of, publications_of, queue_ref, set_fields
from routing.flows import models, music, service
from tenants.errors import NotFound
from tenants.graphql.context import RequestContext
from tenants.graphql.relay import (
    Connection,
    Node,
    connection,
    expect_global_id,
    page_request,
    to_global_id,
)
from tenants.input_validation import parse_input


@strawberry.type(name="CallFlowVersion")
class CallFlowVersionType(Node):
    flow_id: strawberry.ID
    number: int = strawberry.field(description="1 for the first publish, then 2, 3, …")
    definition: JSON = strawberry.field(description="The published definition (immutable)")
    published_at: datetime

    @classmethod
    def from_row(cls, row: models.CallFlowVersion) -> CallFlowVersionType:
        return cls(
            id=to_global_id("CallFlowVersion", row.id),
            flow_id=to_global_id("CallFlow", row.flow_id),
            number=row.number,
            definition=row.definition,
            published_at=row.created_at,
        )


@strawberry.type(name="CallFlow")
class CallFlowType(Node):
    name: str
    description: str
    draft: JSON = strawberry.field(description="The definition being edited (docs/call-flows.md)")
    published_version_id: strawberry.ID | None = strawberry.field(
        description="The version new calls run; null until the first publish"
    )
    archived: bool
    created_at: datetime
    updated_at: datetime
    row_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: models.CallFlow) -> CallFlowType:
        version = row.published_version_id
        return cls(
            id=to_global_id("CallFlow", row.id),
            name=row.name,
            description=row.description,
            draft=row.draft,
            published_version_id=to_global_id("CallFlowVersion", version) if version else None,
            archived=row.archived_at is not None,
            created_at=row.created_at,
            updated_at=row.updated_at,
            row_id=row.id,
        )

    @strawberry.field(description="Published versions, oldest first.")
    async def versions(
        self, info: Info[RequestContext, None], first: int | None = None, after: str | None = None
    ) -> Connection[CallFlowVersionType]:
        ctx = info.context
        page = await service.list_versions(
            session=ctx.session,
            principal=await principal_of(info),
            flow_id=self.row_id,
            page=page_request(first, after, max_page_size=ctx.max_page_size),
        )
        return connection(page, CallFlowVersionType.from_row)


@strawberry.input
class CreateCallFlowInput:
    name: str
    description: str | None = strawberry.UNSET
    draft: JSON | None = strawberry.field(
        default=strawberry.UNSET, description="Omitted: a flow that only hangs up"
    )


@strawberry.input
class UpdateCallFlowDraftInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    draft: JSON | None = strawberry.UNSET


@strawberry.type
class QueueMusicOnHold:
    queue_id: strawberry.ID
    prompt: PromptType | None = strawberry.field(description="Null: Hotline's default music")
    is_default: bool
    default_licence: str = strawberry.field(description="Licence of Hotline's default music")

    @classmethod
    def of(cls, queue_id: str, prompt: Prompt | None) -> QueueMusicOnHold:
        return cls(
            queue_id=strawberry.ID(queue_id),
            prompt=PromptType.from_row(prompt) if prompt else None,
            is_default=prompt is None,
            default_licence=LICENCE,
        )


def _prompt_id(global_id: str) -> uuid.UUID:
    try:
        return expect_global_id(global_id, "Prompt")
    except NotFound as err:
        raise NotFound("promptId: prompt not found", field="promptId") from err


def _flow_id(global_id: str) -> uuid.UUID:
    return expect_global_id(global_id, "CallFlow")


@strawberry.type
class Query:
    @strawberry.field(description="The tenant's call flows (IVRs).")
    async def call_flows(
        self,
        info: Info[RequestContext, None],
        first: int | None = None,
        after: str | None = None,
        archived: bool = False,
    ) -> Connection[CallFlowType]:
        ctx = info.context
        page = await service.list_flows(
            session=ctx.session,
            principal=await principal_of(info),
            page=page_request(first, after, max_page_size=ctx.max_page_size),
            archived=archived,
        )
        return connection(page, CallFlowType.from_row)

    @strawberry.field(description="What a queue plays to waiting callers.")
    async def queue_music_on_hold(
        self, info: Info[RequestContext, None], queue_id: strawberry.ID
    ) -> QueueMusicOnHold:
        prompt = await music.queue_music(
            session=info.context.session,
            principal=await principal_of(info),
            queue_id=uuid.UUID(queue_ref(queue_id, "queueId")),
        )
        return QueueMusicOnHold.of(queue_id, prompt)

    @strawberry.field
    async def call_flow(self, info: Info[RequestContext, None], id: strawberry.ID) -> CallFlowType:
        flow = await service.get_flow(
            session=info.context.session, principal=await principal_of(info), flow_id=_flow_id(id)
        )
        return CallFlowType.from_row(flow)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="A new call flow; its draft is validated.")
    async def create_call_flow(
        self, info: Info[RequestContext, None], input: CreateCallFlowInput
    ) -> CallFlowType:
        fields: dict[str, Any] = set_fields(input, ["name", "description"])
        draft = None if input.draft is strawberry.UNSET else input.draft
        flow = await service.create_flow(
            session=info.context.session,
            principal=await principal_of(info),
            flow_in=parse_input(service.CallFlowIn, fields, camel=True),
            draft=draft,
        )
        return CallFlowType.from_row(flow)

    @strawberry.mutation(description="Change a flow's draft, name or description.")
    async def update_call_flow_draft(
        self, info: Info[RequestContext, None], input: UpdateCallFlowDraftInput
    ) -> CallFlowType:
        changes = set_fields(input, ["name", "description", "draft"])
        flow = await service.update_draft(
            session=info.context.session,
            principal=await principal_of(info),
            flow_id=_flow_id(input.id),
            changes_in=changes,
        )
        return CallFlowType.from_row(flow)

    @strawberry.mutation(description="Publish the draft as the next version (atomic).")
    async def publish_call_flow(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> CallFlowVersionType:
        ctx = info.context
        version = await service.publish_flow(
            session=ctx.session,
            principal=await principal_of(info),
            flow_id=_flow_id(id),
            publications=publications_of(ctx),
        )
        return CallFlowVersionType.from_row(version)

    @strawberry.mutation(
        description="A queue's music on hold: a music prompt, or null for Hotline's default."
    )
    async def set_queue_music_on_hold(
        self,
        info: Info[RequestContext, None],
        queue_id: strawberry.ID,
        prompt_id: strawberry.ID | None,
    ) -> QueueMusicOnHold:
        ctx = info.context
        prompt = await music.set_queue_music(
            session=ctx.session,
            principal=await principal_of(info),
            queue_id=uuid.UUID(queue_ref(queue_id, "queueId")),
            prompt_id=None if prompt_id is None else _prompt_id(prompt_id),
            publications=publications_of(ctx),
        )
        return QueueMusicOnHold.of(queue_id, prompt)

    @strawberry.mutation(description="Archive a flow no number runs; its versions remain.")
    async def archive_call_flow(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> CallFlowType:
        flow = await service.archive_flow(
            session=info.context.session, principal=await principal_of(info), flow_id=_flow_id(id)
        )
        return CallFlowType.from_row(flow)


async def _resolve_flow(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    flow = await service.get_flow(
        session=ctx.session, principal=await ctx.principal(), flow_id=row_id
    )
    return CallFlowType.from_row(flow)


async def _resolve_version(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    version = await service.get_version(
        session=ctx.session, principal=await ctx.principal(), version_id=row_id
    )
    return CallFlowVersionType.from_row(version)


NODE_RESOLVERS = {"CallFlow": _resolve_flow, "CallFlowVersion": _resolve_version}

TYPES = [CallFlowType, CallFlowVersionType]
