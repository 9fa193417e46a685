"""Prompt use cases: text-to-speech (rendered once per text and voice), uploads, deletion.

Audio is made and stored before the row is written: a store failure leaves no row, and a
request that fails after the store wrote leaves only an unreferenced object (a TTS render
is then found again by its key on the next try). Object keys:
``<tenant>/prompts/tts/<render key>.wav`` and ``<tenant>/prompts/uploads/<prompt id>.wav``.
"""

from __future__ import annotations

import asyncio
import tempfile
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_camel
from sqlalchemy.ext.asyncio import AsyncSession

from media_plane.prompts import audio, repository
from media_plane.prompts.models import Prompt, PromptRender
from media_plane.recordings.store import RecordingStore
from tenants.database.conflicts import flush_or_conflict
from tenants.database.pagination import Page, PageRequest
from tenants.errors import Conflict, NotFound
from tenants.identity.principal import Principal
from tenants.identity.roles import MANAGERS, SUPERVISORS

PromptUsage = Callable[[AsyncSession, uuid.UUID, uuid.UUID], Awaitable[str | None]]
"""``(session, tenant, prompt) →`` what uses the prompt (a flow's name), or None. Routing
owns flows, which this room may not import, so the composition root passes it in."""


class _In(BaseModel):
    model_config = ConfigDict(
        str_strip_whitespace=True, extra="forbid", alias_generator=to_camel, populate_by_name=True
    )


class TtsPromptIn(_In):
    name: str = Field(min_length=1, max_length=120)
    text: str = Field(min_length=1, max_length=audio.MAX_TEXT_CHARS)
    voice: str

    @field_validator("voice")
    @classmethod
    def _known_voice(cls, value: str) -> str:
        if value not in audio.VOICES:
            raise ValueError(f"must be one of {', '.join(audio.VOICES)}")
        return value


class UploadPromptIn(_In):
    name: str = Field(min_length=1, max_length=120)
    kind: str = "upload"

    @field_validator("kind")
    @classmethod
    def _upload_kind(cls, value: str) -> str:
        if value not in {"upload", "music"}:
            raise ValueError("must be upload or music")
        return value


def _name_conflict(name: str) -> dict[str, tuple[str, str]]:
    return {"uq_prompts_tenant_name": (f"a prompt named {name!r} exists", "name")}


async def _store_audio(store: RecordingStore, key: str, made: audio.Audio, kind: str) -> None:
    await asyncio.to_thread(
        store.put_file,
        key=key,
        path=made.path,
        content_type=audio.CONTENT_TYPE,
        sha256=made.sha256,
        metadata={"prompt-kind": kind},
    )


async def _name_free(session: AsyncSession, tenant_id: uuid.UUID, name: str) -> None:
    # Checked before any audio is made, so a taken name stores nothing.
    if await repository.prompt_by_name(session, tenant_id=tenant_id, name=name) is not None:
        raise Conflict(f"a prompt named {name!r} exists", field="name")


async def create_tts_prompt(
    *, session: AsyncSession, principal: Principal, prompt_in: TtsPromptIn, store: RecordingStore
) -> Prompt:
    """A spoken prompt; the render is reused when this text was spoken in this voice."""
    principal.require(MANAGERS, "manage prompts")
    tenant_id = principal.tenant_id
    await _name_free(session, tenant_id, prompt_in.name)
    key = audio.render_key(prompt_in.text, prompt_in.voice)
    render = await repository.render_by_key(session, tenant_id=tenant_id, render_key=key)
    if render is None:
        with tempfile.TemporaryDirectory(prefix="hotline-tts-") as workdir:
            made = await asyncio.to_thread(
                audio.render_tts, prompt_in.text, prompt_in.voice, Path(workdir)
            )
            audio_key = f"{tenant_id}/prompts/tts/{key}.wav"
            await _store_audio(store, audio_key, made, "tts")
        render = PromptRender(
            tenant_id=tenant_id,
            render_key=key,
            audio_key=audio_key,
            duration_ms=made.duration_ms,
            size_bytes=made.size_bytes,
            sha256=made.sha256,
        )
        session.add(render)
    prompt = Prompt(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        name=prompt_in.name,
        kind="tts",
        text=prompt_in.text,
        voice=prompt_in.voice,
        audio_key=render.audio_key,
        duration_ms=render.duration_ms,
        size_bytes=render.size_bytes,
        sha256=render.sha256,
    )
    session.add(prompt)
    await flush_or_conflict(session, "the prompt conflicts", fields=_name_conflict(prompt_in.name))
    await session.refresh(prompt)
    return prompt


async def upload_prompt(
    *,
    session: AsyncSession,
    principal: Principal,
    prompt_in: UploadPromptIn,
    data: bytes,
    store: RecordingStore,
) -> Prompt:
    """An uploaded WAV or MP3, checked and converted; bad input stores nothing."""
    principal.require(MANAGERS, "manage prompts")
    tenant_id = principal.tenant_id
    kind = audio.check_upload(data)
    await _name_free(session, tenant_id, prompt_in.name)
    limit = audio.MAX_MUSIC_SECONDS if prompt_in.kind == "music" else audio.MAX_PROMPT_SECONDS
    prompt_id = uuid.uuid4()
    audio_key = f"{tenant_id}/prompts/uploads/{prompt_id}.wav"
    with tempfile.TemporaryDirectory(prefix="hotline-upload-") as workdir:
        made = await asyncio.to_thread(
            audio.convert_upload, data, kind, Path(workdir), max_seconds=limit
        )
        await _store_audio(store, audio_key, made, prompt_in.kind)
    prompt = Prompt(
        id=prompt_id,
        tenant_id=tenant_id,
        name=prompt_in.name,
        kind=prompt_in.kind,
        audio_key=audio_key,
        duration_ms=made.duration_ms,
        size_bytes=made.size_bytes,
        sha256=made.sha256,
    )
    session.add(prompt)
    await flush_or_conflict(session, "the prompt conflicts", fields=_name_conflict(prompt_in.name))
    await session.refresh(prompt)
    return prompt


async def list_prompts(
    *, session: AsyncSession, principal: Principal, page: PageRequest, kind: str | None = None
) -> Page[Prompt]:
    principal.require(SUPERVISORS, "read prompts")
    return await repository.list_prompts(
        session, tenant_id=principal.tenant_id, page=page, kind=kind
    )


async def get_prompt(
    *, session: AsyncSession, principal: Principal, prompt_id: uuid.UUID
) -> Prompt:
    principal.require(SUPERVISORS, "read prompts")
    prompt = await repository.prompt_by_id(
        session, tenant_id=principal.tenant_id, prompt_id=prompt_id
    )
    if prompt is None:
        raise NotFound("prompt not found")
    return prompt


async def delete_prompt(
    *,
    session: AsyncSession,
    principal: Principal,
    prompt_id: uuid.UUID,
    usage: PromptUsage | None,
) -> Prompt:
    """Delete a prompt nothing uses (a flow's draft or version, a queue's music): CONFLICT
    otherwise. The audio object stays (a TTS render is shared by every prompt of its text)."""
    principal.require(MANAGERS, "manage prompts")
    prompt = await get_prompt(session=session, principal=principal, prompt_id=prompt_id)
    if usage is not None and (user := await usage(session, principal.tenant_id, prompt.id)):
        raise Conflict(f"the prompt is used by {user}", field="id")
    await session.delete(prompt)
    await flush_or_conflict(
        session,
        "the prompt is in use",
        fields={"fk_queue_music_prompt": ("the prompt is a queue's music on hold", "id")},
    )
    return prompt
