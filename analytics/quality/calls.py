"""The recorded call an evaluation is about: its recording, agent, queue and time.

One read across the recordings table (media_plane's) and analytics' own facts, written as
``text()`` like analytics' other cross-domain reads, because ``analytics`` may not import
``media_plane``. Every statement filters on the tenant and runs on a tenant-bound session,
so row-level security holds too.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.errors import BadUserInput, NotFound

_RECORDING = """
SELECT r.id, r.call_id, r.duration_ms, COALESCE(r.started_at, r.created_at) AS call_at,
       COALESCE(r.agent_id, s.agent_id) AS agent_id,
       COALESCE(s.queue_id, c.first_queue_id) AS queue_id
FROM recordings r
LEFT JOIN LATERAL (
    SELECT agent_id, queue_id FROM analytics_agent_segments s
    WHERE s.tenant_id = r.tenant_id AND s.call_id = r.call_id
      AND (r.agent_id IS NULL OR s.agent_id = r.agent_id)
    ORDER BY s.answered_at DESC NULLS LAST LIMIT 1
) s ON true
LEFT JOIN analytics_contacts c ON c.tenant_id = r.tenant_id AND c.call_id = r.call_id
WHERE r.tenant_id = :tenant AND {where}
ORDER BY (r.format = 'wav') DESC, r.created_at
LIMIT 1
"""


@dataclass(frozen=True)
class RecordedCall:
    recording_id: uuid.UUID
    call_id: str
    call_at: datetime
    duration_seconds: float
    agent_id: uuid.UUID
    queue_id: uuid.UUID | None


async def recorded_call(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    recording_id: uuid.UUID | None = None,
    call_id: str | None = None,
) -> RecordedCall:
    """The tenant's recording by id, or a call's (WAV first); NOT_FOUND when there is none."""
    if recording_id is not None:
        where, params = "r.id = :recording", {"recording": recording_id}
    elif call_id is not None:
        where, params = "r.call_id = :call", {"call": call_id}
    else:
        raise BadUserInput("recordingId: give a recording id or a call id", field="recordingId")
    row = (
        await session.execute(text(_RECORDING.format(where=where)), {"tenant": tenant_id, **params})
    ).one_or_none()
    if row is None:
        raise NotFound("no Recording with this id")
    if row.agent_id is None:
        raise BadUserInput("recordingId: this call has no agent to evaluate", field="recordingId")
    return RecordedCall(
        recording_id=row.id,
        call_id=row.call_id,
        call_at=row.call_at,
        duration_seconds=row.duration_ms / 1000,
        agent_id=row.agent_id,
        queue_id=row.queue_id,
    )
