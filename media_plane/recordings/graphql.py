"""GraphQL surface of recordings: read them and get a short-lived playback URL.

Supervisors, admins and owners see every recording of their tenant; agents only those
of calls they took. Anything else, including another tenant's, is NOT_FOUND.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry
from strawberry.types import Info

from media_plane.recordings import service
from media_plane.recordings.models import Recording
from media_plane.recordings.store import RecordingServices, RecordingStore
from tenants.graphql.context import RequestContext
from tenants.graphql.relay import (
    Connection,
    Node,
    connection,
    expect_global_id,
    page_request,
    to_global_id,
)


@strawberry.type(name="Recording")
class RecordingType(Node):
    call_id: str
    format: str
    content_type: str
    bytes: int
    sha256: str
    duration_seconds: float
    channels: int
    agent_id: strawberry.ID | None = strawberry.field(description="The agent's User id.")
    started_at: datetime | None
    created_at: datetime

    @classmethod
    def from_row(cls, row: Recording) -> RecordingType:
        return cls(
            id=to_global_id("Recording", row.id),
            call_id=row.call_id,
            format=row.format,
            content_type=row.content_type,
            bytes=row.size_bytes,
            sha256=row.sha256,
            duration_seconds=row.duration_ms / 1000,
            channels=row.channels,
            agent_id=to_global_id("User", row.agent_id) if row.agent_id else None,
            started_at=row.started_at,
            created_at=row.created_at,
        )


@strawberry.type
class RecordingPlaybackUrl:
    url: str
    expires_at: datetime


def _store(ctx: RequestContext[RecordingServices]) -> RecordingStore:
    return ctx.services.recording_store


@strawberry.type
class Query:
    @strawberry.field(description="One recording (agents: only their own calls').")
    async def recording(self, info: Info[RequestContext, None], id: strawberry.ID) -> RecordingType:
        ctx = info.context
        row = await service.get_recording(
            session=ctx.session,
            principal=await ctx.principal(),
            recording_id=expect_global_id(id, "Recording"),
        )
        return RecordingType.from_row(row)

    @strawberry.field(description="The tenant's recordings, optionally of one call.")
    async def recordings(
        self,
        info: Info[RequestContext, None],
        call_id: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[RecordingType]:
        ctx = info.context
        page = await service.list_recordings(
            session=ctx.session,
            principal=await ctx.principal(),
            page=page_request(first, after, max_page_size=ctx.max_page_size),
            call_id=call_id,
        )
        return connection(page, RecordingType.from_row)

    @strawberry.field(description="A short-lived URL to play the recording.")
    async def recording_playback_url(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> RecordingPlaybackUrl:
        ctx = info.context
        playback = await service.playback_url(
            session=ctx.session,
            principal=await ctx.principal(),
            recording_id=expect_global_id(id, "Recording"),
            store=_store(ctx),
            ttl_seconds=ctx.settings.recordings.playback_ttl_seconds,
        )
        return RecordingPlaybackUrl(url=playback.url, expires_at=playback.expires_at)


async def _resolve_recording(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    row = await service.get_recording(
        session=ctx.session, principal=await ctx.principal(), recording_id=row_id
    )
    return RecordingType.from_row(row)


NODE_RESOLVERS = {"Recording": _resolve_recording}
TYPES = [RecordingType]
