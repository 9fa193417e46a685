"""Recording use cases: store the row (the agent), read and play back (users)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from media_plane.recordings import access_log, repository, rights, search
from media_plane.recordings.models import Recording
from media_plane.recordings.rights import RecordingAction
from media_plane.recordings.store import RecordingStore, key_safe_call_id
from tenants.database.pagination import Page, PageRequest
from tenants.database.session import Database
from tenants.errors import NotFound
from tenants.identity.principal import Principal
from tenants.identity.roles import SUPERVISORS, Role

_NO_AGENT = uuid.UUID(int=0)


def _agent_filter(principal: Principal) -> uuid.UUID | None:
    """Agents see only their own calls' recordings; supervisors and up see the tenant's."""
    if principal.role in SUPERVISORS:
        return None
    if principal.role is Role.AGENT:
        return principal.user_id or _NO_AGENT
    return _NO_AGENT


@dataclass(frozen=True)
class PlaybackUrl:
    """A short-lived URL to the recording's audio."""

    url: str
    expires_at: datetime


async def save_recording(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    call_id: str,
    agent_id: uuid.UUID | None,
    storage: str,
    key: str,
    audio_format: str,
    content_type: str,
    size_bytes: int,
    sha256: str,
    duration_ms: int,
    channels: int,
    started_at: datetime | None,
) -> Recording:
    """Record a verified upload (idempotent per call and format)."""
    return await repository.upsert_recording(
        session,
        tenant_id=tenant_id,
        values={
            "call_id": call_id,
            "agent_id": agent_id,
            "storage": storage,
            "key": key,
            "format": audio_format,
            "content_type": content_type,
            "size_bytes": size_bytes,
            "sha256": sha256,
            "duration_ms": duration_ms,
            "channels": channels,
            "started_at": started_at,
        },
    )


async def get_recording(
    *, session: AsyncSession, principal: Principal, recording_id: uuid.UUID
) -> Recording:
    """One recording the caller may hear; NOT_FOUND otherwise (even another agent's)."""
    row = await repository.recording_by_id(
        session,
        tenant_id=principal.tenant_id,
        recording_id=recording_id,
        agent_id=_agent_filter(principal),
    )
    if row is None:
        raise NotFound("no Recording with this id")
    return row


async def list_recordings(
    *, session: AsyncSession, principal: Principal, page: PageRequest, call_id: str | None
) -> Page[Recording]:
    """The recordings the caller may hear, optionally of one call (oldest first)."""
    return await repository.list_recordings(
        session,
        tenant_id=principal.tenant_id,
        page=page,
        call_id=call_id,
        agent_id=_agent_filter(principal),
    )


async def search_recordings(
    *,
    session: AsyncSession,
    principal: Principal,
    page: PageRequest,
    recording_filter: search.RecordingFilter,
    call_id: str | None = None,
) -> Page[search.RecordingView]:
    """The recordings the caller may hear that match, newest first."""
    return await search.search_recordings(
        session,
        tenant_id=principal.tenant_id,
        page=page,
        recording_filter=recording_filter,
        call_id=call_id,
        agent_id=_agent_filter(principal),
    )


async def playback_url(
    *,
    session: AsyncSession,
    principal: Principal,
    recording_id: uuid.UUID,
    store: RecordingStore,
    database: Database,
    ttl_seconds: int,
    action: RecordingAction = RecordingAction.PLAY,
    client_ip: str | None = None,
) -> PlaybackUrl:
    """A presigned (S3) or signed (local) URL, valid for ``ttl_seconds``, to play or
    download; FORBIDDEN when the role may not, and committed to the access log before it is
    returned."""
    row = await get_recording(session=session, principal=principal, recording_id=recording_id)
    await rights.require(session=session, principal=principal, action=action)
    await access_log.log_access(
        database=database, principal=principal, recording=row, action=action, client_ip=client_ip
    )
    download_name = (
        f"{key_safe_call_id(row.call_id)}.{row.format}"
        if action is RecordingAction.DOWNLOAD
        else None
    )
    url = store.playback_url(row.key, expires_in=ttl_seconds, download_name=download_name)
    return PlaybackUrl(url=url, expires_at=datetime.now(UTC) + timedelta(seconds=ttl_seconds))
