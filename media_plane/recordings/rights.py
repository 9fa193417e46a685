"""Who may play and who may download a recording: two separate rights.

- Owners, admins and supervisors play and download every recording of their tenant.
- Agents see only their own calls' recordings; they play them only while the tenant's
  ``agentsMayPlayOwn`` setting is on (the default, as before this setting existed) and
  never download.
- API keys follow their role.

A recording the caller's role may see but not use is FORBIDDEN; one it may not see
(another agent's, another tenant's) stays NOT_FOUND, so its existence is not revealed.
Only owners and admins change the setting.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from media_plane.recordings.models import RecordingSettings
from tenants.database.scoping import scoped
from tenants.errors import Forbidden
from tenants.identity.principal import Principal
from tenants.identity.roles import MANAGERS, SUPERVISORS, Role


class RecordingAction(StrEnum):
    """What a caller does with a recording (the access log's ``action``)."""

    PLAY = "play"
    DOWNLOAD = "download"


@dataclass(frozen=True)
class Rights:
    """The tenant's setting and what the caller may therefore do."""

    agents_may_play_own: bool
    may_play: bool
    may_download: bool


async def _agents_may_play_own(session: AsyncSession, tenant_id: uuid.UUID) -> bool:
    value = await session.scalar(scoped(select(RecordingSettings.agents_may_play_own), tenant_id))
    return True if value is None else value


async def rights_of(*, session: AsyncSession, principal: Principal) -> Rights:
    """The caller's rights on the recordings they can see."""
    agents_may_play_own = await _agents_may_play_own(session, principal.tenant_id)
    if principal.role in SUPERVISORS:
        return Rights(agents_may_play_own, may_play=True, may_download=True)
    may_play = principal.role is Role.AGENT and agents_may_play_own
    return Rights(agents_may_play_own, may_play=may_play, may_download=False)


async def require(*, session: AsyncSession, principal: Principal, action: RecordingAction) -> None:
    """FORBIDDEN unless the caller may ``action`` the recordings they see."""
    rights = await rights_of(session=session, principal=principal)
    allowed = rights.may_play if action is RecordingAction.PLAY else rights.may_download
    if not allowed:
        raise Forbidden(f"role {principal.role.value} may not {action.value} recordings")


async def update_settings(
    *, session: AsyncSession, principal: Principal, agents_may_play_own: bool
) -> Rights:
    """Change the tenant's setting (owners and admins)."""
    principal.require(MANAGERS, "change the recording settings")
    statement = insert(RecordingSettings).values(
        tenant_id=principal.tenant_id, agents_may_play_own=agents_may_play_own
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[RecordingSettings.tenant_id],
            set_={"agents_may_play_own": agents_may_play_own, "updated_at": func.now()},
        )
    )
    return await rights_of(session=session, principal=principal)
