"""GraphQL surface of prompts: list, text-to-speech, delete, playback (uploads are REST:
``media_plane/prompts/http.py``, since audio exceeds GraphQL's body cap)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import Enum
from typing import Protocol, runtime_checkable

import strawberry
from strawberry.types import Info

from media_plane.prompts import models, service
from media_plane.recordings.store import RecordingStore
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

PLAYBACK_TTL_S = 300


@runtime_checkable
class PromptServices(Protocol):
    """What the prompts' resolvers read from the process."""

    @property
    def recording_store(self) -> RecordingStore:
        """Where prompt audio is stored (the recordings store)."""

    @property
    def prompt_usage(self) -> service.PromptUsage | None:
        """Who uses a prompt (routing's flows and queues), wired by the composition root."""


@strawberry.enum(description="espeak-ng voices")
class PromptVoice(Enum):
    EN_US = "en-us"
    CMN = "cmn"


@strawberry.enum
class PromptKind(Enum):
    TTS = "tts"
    UPLOAD = "upload"
    MUSIC = "music"


@strawberry.type(name="Prompt")
class PromptType(Node):
    name: str
    kind: PromptKind
    text: str = strawberry.field(description="What a TTS prompt says (empty for uploads)")
    voice: PromptVoice | None
    duration_ms: int
    size_bytes: int
    created_at: datetime
    audio_key: strawberry.Private[str]

    @classmethod
    def from_row(cls, row: models.Prompt) -> PromptType:
        return cls(
            id=to_global_id("Prompt", row.id),
            name=row.name,
            kind=PromptKind(row.kind),
            text=row.text,
            voice=PromptVoice(row.voice) if row.voice else None,
            duration_ms=row.duration_ms,
            size_bytes=row.size_bytes,
            created_at=row.created_at,
            audio_key=row.audio_key,
        )

    @strawberry.field(description="A short-lived URL of the audio (WAV, 8 kHz mono 16-bit).")
    def playback_url(self, info: Info[RequestContext[PromptServices], None]) -> str:
        store = info.context.services.recording_store
        return store.playback_url(self.audio_key, expires_in=PLAYBACK_TTL_S)


@strawberry.input
class CreateTtsPromptInput:
    name: str
    text: str
    voice: PromptVoice


@strawberry.type
class Query:
    @strawberry.field(description="The tenant's prompts and music on hold.")
    async def prompts(
        self,
        info: Info[RequestContext, None],
        first: int | None = None,
        after: str | None = None,
        kind: PromptKind | None = None,
    ) -> Connection[PromptType]:
        ctx = info.context
        page = await service.list_prompts(
            session=ctx.session,
            principal=await ctx.principal(),
            page=page_request(first, after, max_page_size=ctx.max_page_size),
            kind=kind.value if kind else None,
        )
        return connection(page, PromptType.from_row)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="A spoken prompt (rendered once per text and voice).")
    async def create_tts_prompt(
        self, info: Info[RequestContext[PromptServices], None], input: CreateTtsPromptInput
    ) -> PromptType:
        ctx = info.context
        prompt = await service.create_tts_prompt(
            session=ctx.session,
            principal=await ctx.principal(),
            prompt_in=parse_input(
                service.TtsPromptIn,
                {"name": input.name, "text": input.text, "voice": input.voice.value},
                camel=True,
            ),
            store=ctx.services.recording_store,
        )
        return PromptType.from_row(prompt)

    @strawberry.mutation(description="Delete a prompt nothing uses; returns its id.")
    async def delete_prompt(
        self, info: Info[RequestContext[PromptServices], None], id: strawberry.ID
    ) -> strawberry.ID:
        ctx = info.context
        await service.delete_prompt(
            session=ctx.session,
            principal=await ctx.principal(),
            prompt_id=expect_global_id(id, "Prompt"),
            usage=ctx.services.prompt_usage,
        )
        return id


async def _resolve_prompt(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    prompt = await service.get_prompt(
        session=ctx.session, principal=await ctx.principal(), prompt_id=row_id
    )
    return PromptType.from_row(prompt)


NODE_RESOLVERS = {"Prompt": _resolve_prompt}

TYPES = [PromptType]
