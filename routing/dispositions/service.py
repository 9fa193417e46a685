"""Disposition use cases: managers keep the codes, agents record them at wrap-up."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from routing.dispositions import repository
from routing.dispositions.models import Disposition
from routing.dispositions.schemas import DispositionIn
from tenants.errors import BadUserInput, Conflict, NotFound
from tenants.identity.principal import Principal
from tenants.identity.roles import MANAGERS


async def list_dispositions(
    *, session: AsyncSession, principal: Principal, include_archived: bool = False
) -> list[Disposition]:
    """The tenant's codes (every role: agents choose from the active ones)."""
    return await repository.list_dispositions(
        session, tenant_id=principal.tenant_id, active_only=not include_archived
    )


async def get_disposition(
    *, session: AsyncSession, principal: Principal, disposition_id: uuid.UUID
) -> Disposition:
    """One code of the caller's tenant (anyone else's is NOT_FOUND)."""
    row = await repository.disposition_by_id(
        session, tenant_id=principal.tenant_id, disposition_id=disposition_id
    )
    if row is None:
        raise NotFound("disposition not found")
    return row


async def _unique(
    session: AsyncSession, tenant_id: uuid.UUID, code: str, current: uuid.UUID | None = None
) -> None:
    existing = await repository.disposition_by_code(session, tenant_id=tenant_id, code=code)
    if existing is not None and existing.id != current:
        raise Conflict(f"a disposition with code {code} already exists", field="code")


async def create_disposition(
    *, session: AsyncSession, principal: Principal, disposition_in: DispositionIn
) -> Disposition:
    """Add a code (owners and admins)."""
    principal.require(MANAGERS, "manage dispositions")
    await _unique(session, principal.tenant_id, disposition_in.code)
    row = Disposition(
        id=uuid.uuid4(),
        tenant_id=principal.tenant_id,
        code=disposition_in.code,
        label=disposition_in.label,
        active=disposition_in.active,
        requires_note=disposition_in.requires_note,
    )
    session.add(row)
    await session.flush()
    await session.refresh(row)
    return row


async def update_disposition(
    *,
    session: AsyncSession,
    principal: Principal,
    disposition_id: uuid.UUID,
    disposition_in: DispositionIn,
) -> Disposition:
    """Change a code. Once used its code is part of the facts: only its label, note rule and
    archive flag may change."""
    principal.require(MANAGERS, "manage dispositions")
    row = await get_disposition(session=session, principal=principal, disposition_id=disposition_id)
    if row.used_at is not None and disposition_in.code != row.code:
        raise Conflict(
            "this code is already recorded on calls: add a new code and archive this one",
            field="code",
        )
    await _unique(session, principal.tenant_id, disposition_in.code, current=row.id)
    row.code = disposition_in.code
    row.label = disposition_in.label
    row.active = disposition_in.active
    row.requires_note = disposition_in.requires_note
    await session.flush()
    await session.refresh(row)
    return row


async def delete_disposition(
    *, session: AsyncSession, principal: Principal, disposition_id: uuid.UUID
) -> None:
    """Remove a code that no call carries yet (a used one is archived instead)."""
    principal.require(MANAGERS, "manage dispositions")
    row = await get_disposition(session=session, principal=principal, disposition_id=disposition_id)
    if row.used_at is not None:
        raise Conflict("this code is recorded on calls: archive it instead of deleting it")
    await repository.delete_disposition(
        session, tenant_id=principal.tenant_id, disposition_id=disposition_id
    )


async def choose_disposition(
    *, session: AsyncSession, principal: Principal, disposition_id: uuid.UUID, note: str
) -> Disposition:
    """The code an agent records: active, with a note when it requires one; marked used."""
    row = await get_disposition(session=session, principal=principal, disposition_id=disposition_id)
    if not row.active:
        raise BadUserInput("this disposition is archived: choose another", field="dispositionId")
    if row.requires_note and not note.strip():
        raise BadUserInput(f"{row.label} needs a note", field="note")
    if row.used_at is None:
        row.used_at = datetime.now(UTC)
        await session.flush()
    return row
