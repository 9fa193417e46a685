"""The recordings' access log: every playback and download URL issued, newest first.

An entry is written and committed in a transaction of its own before the URL is handed
out: in the request's transaction, another field of the same operation failing would roll
the entry back while GraphQL still returned the URL (partial results). If the log cannot
be written, the URL is not issued. Only owners and admins read it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy import and_, or_, select
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.ext.asyncio import AsyncSession

from media_plane.recordings.models import Recording, RecordingAccess
from media_plane.recordings.rights import RecordingAction
from tenants.database.pagination import Page, PageRequest, decode_cursor, encode_cursor
from tenants.database.scoping import scoped
from tenants.database.session import Database
from tenants.errors import NotFound
from tenants.identity.principal import Principal
from tenants.identity.roles import MANAGERS

_users = sa.table(
    "users",
    sa.column("tenant_id", UUID(as_uuid=True)),
    sa.column("id", UUID(as_uuid=True)),
    sa.column("display_name", sa.String),
    sa.column("email", sa.String),
)


@dataclass(frozen=True)
class AccessEntry:
    """One log row with the user's name, when the user still exists."""

    access: RecordingAccess
    user_name: str | None


async def log_access(
    *,
    database: Database,
    principal: Principal,
    recording: Recording,
    action: RecordingAction,
    client_ip: str | None,
) -> RecordingAccess:
    """Append one entry for ``principal`` using ``recording``."""
    entry = RecordingAccess(
        tenant_id=principal.tenant_id,
        recording_id=recording.id,
        call_id=recording.call_id,
        user_id=principal.user_id,
        api_key_id=principal.api_key_id,
        role=principal.role.value,
        action=action.value,
        client_ip=(client_ip or None) and client_ip[:64],
        created_at=datetime.now(UTC),
    )
    async with database.transaction(principal.tenant_id) as session:
        session.add(entry)
    return entry


def _with_user_name(tenant_id: uuid.UUID) -> sa.Select[tuple[RecordingAccess, str | None]]:
    name = sa.func.coalesce(sa.func.nullif(_users.c.display_name, ""), _users.c.email)
    return scoped(select(RecordingAccess, name.label("user_name")), tenant_id).outerjoin(
        _users,
        and_(_users.c.tenant_id == tenant_id, _users.c.id == RecordingAccess.user_id),
    )


async def get_access(
    *, session: AsyncSession, principal: Principal, access_id: uuid.UUID
) -> AccessEntry:
    """One entry (owners and admins); NOT_FOUND when the tenant has none with this id."""
    principal.require(MANAGERS, "read the recordings' access log")
    statement = _with_user_name(principal.tenant_id).where(RecordingAccess.id == access_id)
    row = (await session.execute(statement)).first()
    if row is None:
        raise NotFound("no RecordingAccessEntry with this id")
    return AccessEntry(row[0], row.user_name)


async def list_access(
    *,
    session: AsyncSession,
    principal: Principal,
    page: PageRequest,
    recording_id: uuid.UUID | None = None,
) -> Page[AccessEntry]:
    """A page of the tenant's log, newest first (owners and admins)."""
    principal.require(MANAGERS, "read the recordings' access log")
    statement = _with_user_name(principal.tenant_id)
    if recording_id is not None:
        statement = statement.where(RecordingAccess.recording_id == recording_id)
    if page.after is not None:
        created, row_id = decode_cursor(page.after)
        statement = statement.where(
            or_(
                RecordingAccess.created_at < created,
                and_(RecordingAccess.created_at == created, RecordingAccess.id < row_id),
            )
        )
    statement = statement.order_by(
        RecordingAccess.created_at.desc(), RecordingAccess.id.desc()
    ).limit(page.first + 1)
    rows = [AccessEntry(row[0], row.user_name) for row in await session.execute(statement)]
    return Page(
        items=[(encode_cursor(e.access.created_at, e.access.id), e) for e in rows[: page.first]],
        has_next_page=len(rows) > page.first,
        has_previous_page=page.after is not None,
    )
