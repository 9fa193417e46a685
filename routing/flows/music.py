"""Each queue's music on hold: an uploaded ``music`` prompt, or Hotline's default
(``media_plane.prompts.hold_music``, CC0) when the queue has none."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from media_plane.prompts import repository as prompts_repository
from media_plane.prompts.models import Prompt
from routing.config import repository as config_repository
from routing.config.changes import flush
from routing.config.projection import QueueMusicEntry
from routing.config.publishing import Publications
from routing.flows import repository
from routing.flows.models import QueueMusic
from tenants.errors import BadUserInput, NotFound
from tenants.identity.principal import Principal
from tenants.identity.roles import MANAGERS, SUPERVISORS


async def _queue(session: AsyncSession, principal: Principal, queue_id: uuid.UUID) -> None:
    queue = await config_repository.queue_by_id(
        session, tenant_id=principal.tenant_id, queue_id=queue_id
    )
    if queue is None:
        raise NotFound("queueId: queue not found", field="queueId")


async def queue_music(
    *, session: AsyncSession, principal: Principal, queue_id: uuid.UUID
) -> Prompt | None:
    """The queue's own music prompt, or None for the default."""
    principal.require(SUPERVISORS, "read queues")
    await _queue(session, principal, queue_id)
    row = await repository.queue_music(session, tenant_id=principal.tenant_id, queue_id=queue_id)
    if row is None:
        return None
    return await prompts_repository.prompt_by_id(
        session, tenant_id=principal.tenant_id, prompt_id=row.prompt_id
    )


async def set_queue_music(
    *,
    session: AsyncSession,
    principal: Principal,
    queue_id: uuid.UUID,
    prompt_id: uuid.UUID | None,
    publications: Publications,
) -> Prompt | None:
    """Give the queue a music prompt (kind ``music``), or the default with None."""
    principal.require(MANAGERS, "manage queues")
    tenant_id = principal.tenant_id
    await _queue(session, principal, queue_id)
    row = await repository.queue_music(session, tenant_id=tenant_id, queue_id=queue_id)
    if prompt_id is None:
        if row is not None:
            await session.delete(row)
            await flush(session, {})
        publications.remove_queue_music(tenant_id, queue_id)
        return None
    prompt = await prompts_repository.prompt_by_id(
        session, tenant_id=tenant_id, prompt_id=prompt_id
    )
    if prompt is None:
        raise NotFound("promptId: prompt not found", field="promptId")
    if prompt.kind != "music":
        raise BadUserInput(
            f"promptId: {prompt.name} is not music on hold (upload it as music)", field="promptId"
        )
    if row is None:
        session.add(QueueMusic(tenant_id=tenant_id, queue_id=queue_id, prompt_id=prompt.id))
    else:
        row.prompt_id = prompt.id
    await flush(session, {})
    publications.put_queue_music(
        tenant_id,
        QueueMusicEntry(queue_id=queue_id, prompt_id=prompt.id, audio_key=prompt.audio_key),
    )
    return prompt
