"""GraphQL surface of recordings: search and read them, play and download them, the
tenant's recording settings and the access log.

Supervisors, admins and owners see every recording of their tenant; agents only those
of calls they took. Anything else, including another tenant's, is NOT_FOUND. Playing and
downloading are separate rights (``rights.py``); a right the role lacks is FORBIDDEN.
Every URL issued is written to the access log, which owners and admins read.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import Enum

import strawberry
from strawberry.types import Info

from media_plane.recordings import access_log, rights, search, service
from media_plane.recordings.access_log import AccessEntry
from media_plane.recordings.rights import RecordingAction
from media_plane.recordings.search import Direction, RecordingView
from media_plane.recordings.store import RecordingServices, RecordingStore
from tenants.database.pagination import Page
from tenants.database.session import Database
from tenants.errors import BadUserInput
from tenants.graphql.context import RequestContext
from tenants.graphql.relay import (
    Connection,
    Node,
    connection,
    expect_global_id,
    page_request,
    to_global_id,
)


@strawberry.enum(name="CallDirection", description="Who placed the call.")
class CallDirectionEnum(Enum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


@strawberry.enum(name="RecordingAction")
class RecordingActionEnum(Enum):
    PLAY = "play"
    DOWNLOAD = "download"


def _gid(type_name: str, row_id: uuid.UUID | None) -> strawberry.ID | None:
    return to_global_id(type_name, row_id) if row_id else None


@strawberry.type(name="Recording")
class RecordingType(Node):
    call_id: str
    format: str
    content_type: str
    bytes: int
    sha256: str
    duration_seconds: float
    channels: int = strawberry.field(
        description="2: the caller on the left channel, the agent on the right."
    )
    agent_id: strawberry.ID | None = strawberry.field(description="The agent's User id.")
    started_at: datetime | None
    created_at: datetime
    direction: CallDirectionEnum
    queue_id: strawberry.ID | None = strawberry.field(description="The call's first queue.")
    queue_name: str | None
    agent_name: str | None
    customer_id: strawberry.ID | None = strawberry.field(description="The CRM Customer.")
    customer_name: str | None
    caller_number: str | None
    disposition_code: str | None = strawberry.field(
        description="The wrap-up code, as facts and reports spell it: sale, no_answer."
    )
    disposition_label: str | None = strawberry.field(description="The code's label.")

    @classmethod
    def from_view(cls, view: RecordingView) -> RecordingType:
        row = view.recording
        return cls(
            id=to_global_id("Recording", row.id),
            call_id=row.call_id,
            format=row.format,
            content_type=row.content_type,
            bytes=row.size_bytes,
            sha256=row.sha256,
            duration_seconds=row.duration_ms / 1000,
            channels=row.channels,
            agent_id=_gid("User", row.agent_id),
            started_at=row.started_at,
            created_at=row.created_at,
            direction=CallDirectionEnum(view.direction.value),
            queue_id=_gid("Queue", view.queue_id),
            queue_name=view.queue_name,
            agent_name=view.agent_name,
            customer_id=_gid("Customer", view.customer_id),
            customer_name=view.customer_name,
            caller_number=view.caller_number,
            disposition_code=view.disposition_code,
            disposition_label=view.disposition_label,
        )


@strawberry.input(description="Every field is optional; the given ones all apply.")
class RecordingFilter:
    started_from: datetime | None = strawberry.field(default=None, description="Inclusive.")
    started_to: datetime | None = strawberry.field(default=None, description="Exclusive.")
    queue_id: strawberry.ID | None = None
    agent_id: strawberry.ID | None = strawberry.field(default=None, description="A User id.")
    customer_id: strawberry.ID | None = None
    caller_number: str | None = strawberry.field(
        default=None, description="Part of the caller's number."
    )
    direction: CallDirectionEnum | None = None
    disposition_code: str | None = strawberry.field(
        default=None, description="The wrap-up code, exactly: sale, no_answer."
    )

    def parse(self) -> search.RecordingFilter:
        if self.started_from and self.started_to and self.started_to <= self.started_from:
            raise BadUserInput("startedTo must be after startedFrom", field="filter.startedTo")
        if self.caller_number is not None and len(self.caller_number) > 64:
            raise BadUserInput("callerNumber is too long", field="filter.callerNumber")
        code = (self.disposition_code or "").strip() or None
        if code is not None and len(code) > 40:
            raise BadUserInput("dispositionCode is too long", field="filter.dispositionCode")
        return search.RecordingFilter(
            started_from=self.started_from,
            started_to=self.started_to,
            queue_id=expect_global_id(self.queue_id, "Queue") if self.queue_id else None,
            agent_id=expect_global_id(self.agent_id, "User") if self.agent_id else None,
            customer_id=(
                expect_global_id(self.customer_id, "Customer") if self.customer_id else None
            ),
            caller_number=(self.caller_number or "").strip() or None,
            direction=Direction(self.direction.value) if self.direction else None,
            disposition_code=code,
        )


@strawberry.type
class RecordingPlaybackUrl:
    url: str
    expires_at: datetime


@strawberry.type(description="The tenant's recording rules and the caller's rights.")
class RecordingSettings:
    agents_may_play_own: bool = strawberry.field(
        description="Agents may play their own calls' recordings (they never download)."
    )
    viewer_may_play: bool
    viewer_may_download: bool

    @classmethod
    def from_rights(cls, value: rights.Rights) -> RecordingSettings:
        return cls(
            agents_may_play_own=value.agents_may_play_own,
            viewer_may_play=value.may_play,
            viewer_may_download=value.may_download,
        )


@strawberry.input
class UpdateRecordingSettingsInput:
    agents_may_play_own: bool


@strawberry.type(description="One playback or download URL issued.")
class RecordingAccessEntry(Node):
    recording_id: strawberry.ID
    call_id: str
    action: RecordingActionEnum
    user_id: strawberry.ID | None
    user_name: str | None
    api_key_id: strawberry.ID | None
    role: str
    client_ip: str | None
    at: datetime

    @classmethod
    def from_entry(cls, entry: AccessEntry) -> RecordingAccessEntry:
        row = entry.access
        return cls(
            id=to_global_id("RecordingAccessEntry", row.id),
            recording_id=to_global_id("Recording", row.recording_id),
            call_id=row.call_id,
            action=RecordingActionEnum(row.action),
            user_id=_gid("User", row.user_id),
            user_name=entry.user_name,
            api_key_id=_gid("ApiKey", row.api_key_id),
            role=row.role.upper(),
            client_ip=row.client_ip,
            at=row.created_at,
        )


def _store(ctx: RequestContext[RecordingServices]) -> RecordingStore:
    return ctx.services.recording_store


def _database(ctx: RequestContext[RecordingServices]) -> Database:
    return ctx.services.database


async def _one(ctx: RequestContext, row_id: uuid.UUID) -> RecordingType:
    principal = await ctx.principal()
    row = await service.get_recording(session=ctx.session, principal=principal, recording_id=row_id)
    views = await search.view_of(ctx.session, tenant_id=principal.tenant_id, recordings=[row])
    return RecordingType.from_view(views[0])


async def _url(
    info: Info[RequestContext, None], id: strawberry.ID, action: RecordingAction
) -> RecordingPlaybackUrl:
    ctx = info.context
    playback = await service.playback_url(
        session=ctx.session,
        principal=await ctx.principal(),
        recording_id=expect_global_id(id, "Recording"),
        store=_store(ctx),
        database=_database(ctx),
        ttl_seconds=ctx.settings.recordings.playback_ttl_seconds,
        action=action,
        client_ip=None if ctx.client_ip == "unknown" else ctx.client_ip,
    )
    return RecordingPlaybackUrl(url=playback.url, expires_at=playback.expires_at)


@strawberry.type
class Query:
    @strawberry.field(description="One recording (agents: only their own calls').")
    async def recording(self, info: Info[RequestContext, None], id: strawberry.ID) -> RecordingType:
        return await _one(info.context, expect_global_id(id, "Recording"))

    @strawberry.field(
        description="The tenant's recordings (agents: only their own calls'). Without "
        "a filter, oldest first; with a filter (even empty), a search, newest first."
    )
    async def recordings(
        self,
        info: Info[RequestContext, None],
        call_id: str | None = None,
        first: int | None = None,
        after: str | None = None,
        filter: RecordingFilter | None = None,
    ) -> Connection[RecordingType]:
        ctx = info.context
        principal = await ctx.principal()
        page = page_request(first, after, max_page_size=ctx.max_page_size)
        if filter is not None:
            found = await service.search_recordings(
                session=ctx.session,
                principal=principal,
                page=page,
                recording_filter=filter.parse(),
                call_id=call_id,
            )
            return connection(found, RecordingType.from_view)
        rows = await service.list_recordings(
            session=ctx.session, principal=principal, page=page, call_id=call_id
        )
        views = await search.view_of(
            ctx.session, tenant_id=principal.tenant_id, recordings=[row for _, row in rows.items]
        )
        by_id = {view.recording.id: view for view in views}
        return connection(
            Page(
                items=[(cursor, by_id[row.id]) for cursor, row in rows.items],
                has_next_page=rows.has_next_page,
                has_previous_page=rows.has_previous_page,
            ),
            RecordingType.from_view,
        )

    @strawberry.field(description="A short-lived URL to play the recording (logged).")
    async def recording_playback_url(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> RecordingPlaybackUrl:
        return await _url(info, id, RecordingAction.PLAY)

    @strawberry.field(description="A short-lived URL to download the recording (logged).")
    async def recording_download_url(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> RecordingPlaybackUrl:
        return await _url(info, id, RecordingAction.DOWNLOAD)

    @strawberry.field(description="The tenant's recording rules and what the caller may do.")
    async def recording_settings(self, info: Info[RequestContext, None]) -> RecordingSettings:
        ctx = info.context
        value = await rights.rights_of(session=ctx.session, principal=await ctx.principal())
        return RecordingSettings.from_rights(value)

    @strawberry.field(
        description="Every playback and download URL issued, newest first (owners and admins)."
    )
    async def recording_access_log(
        self,
        info: Info[RequestContext, None],
        first: int | None = None,
        after: str | None = None,
        recording_id: strawberry.ID | None = None,
    ) -> Connection[RecordingAccessEntry]:
        ctx = info.context
        page = await access_log.list_access(
            session=ctx.session,
            principal=await ctx.principal(),
            page=page_request(first, after, max_page_size=ctx.max_page_size),
            recording_id=expect_global_id(recording_id, "Recording") if recording_id else None,
        )
        return connection(page, RecordingAccessEntry.from_entry)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Change the tenant's recording rules (owners and admins).")
    async def update_recording_settings(
        self, info: Info[RequestContext, None], input: UpdateRecordingSettingsInput
    ) -> RecordingSettings:
        ctx = info.context
        value = await rights.update_settings(
            session=ctx.session,
            principal=await ctx.principal(),
            agents_may_play_own=input.agents_may_play_own,
        )
        return RecordingSettings.from_rights(value)


async def _resolve_recording(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    return await _one(ctx, row_id)


async def _resolve_access(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    entry = await access_log.get_access(
        session=ctx.session, principal=await ctx.principal(), access_id=row_id
    )
    return RecordingAccessEntry.from_entry(entry)


NODE_RESOLVERS = {"Recording": _resolve_recording, "RecordingAccessEntry": _resolve_access}
TYPES = [RecordingType, RecordingAccessEntry]
