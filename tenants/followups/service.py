"""Missed-call use cases: tasks created from routing's events, listed, assigned, closed."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from tenants.crm.callers import classify_caller
from tenants.database.pagination import Page, PageRequest
from tenants.errors import BadUserInput, Conflict, NotFound
from tenants.followups import repository
from tenants.followups.models import CLOSED, OPEN, MissedCall
from tenants.identity import repository as identity_repository
from tenants.identity.principal import Principal
from tenants.identity.roles import SUPERVISORS

STATUSES = frozenset({OPEN, CLOSED})
DISPOSITION_MAX = 64


async def record_missed_call(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    task_id: uuid.UUID,
    call_id: str,
    queue_id: uuid.UUID | None,
    number: str,
    wait_ms: int,
    at: datetime,
) -> bool:
    """Create the task of a ``missed_call.created`` event, once; links the CRM customer.

    For the event consumer; the session must be bound to ``tenant_id``. One missed call
    reads the tenant's region from the database (no cache: not a hot path).
    """
    caller = await classify_caller(
        session=session, tenant_id=tenant_id, number=number, regions=None
    )
    return await repository.insert_missed_call(
        session,
        tenant_id=tenant_id,
        task_id=task_id,
        call_id=call_id,
        queue_id=queue_id,
        number=number,
        customer_id=caller.customer_id,
        wait_ms=wait_ms,
        at=at,
    )


async def close_by_callback(
    *, session: AsyncSession, tenant_id: uuid.UUID, number: str, at: datetime
) -> list[uuid.UUID]:
    """A callback to ``number`` connected at ``at``: its open tasks close themselves."""
    if not number:
        return []
    return await repository.close_open_for_number(
        session, tenant_id=tenant_id, number=number, at=at
    )


async def get_missed_call(
    *, session: AsyncSession, principal: Principal, task_id: uuid.UUID
) -> MissedCall:
    """One task of the caller's tenant (another tenant's is NOT_FOUND)."""
    row = await repository.missed_call_by_id(
        session, tenant_id=principal.tenant_id, task_id=task_id
    )
    if row is None:
        raise NotFound("missed call not found")
    return row


async def list_missed_calls(
    *, session: AsyncSession, principal: Principal, status: str | None, page: PageRequest
) -> Page[MissedCall]:
    """The tenant's tasks, oldest first, optionally only ``open`` or ``closed`` ones."""
    if status is not None and status not in STATUSES:
        raise BadUserInput("status: must be open or closed", field="status")
    return await repository.list_missed_calls(
        session, tenant_id=principal.tenant_id, status=status, page=page
    )


async def assign_missed_call(
    *,
    session: AsyncSession,
    principal: Principal,
    task_id: uuid.UUID,
    assignee_id: uuid.UUID | None,
) -> MissedCall:
    """Give an open task to a user (or unassign it).

    Supervisors and managers assign anyone; an agent may only take a task for themselves.
    """
    if principal.role not in SUPERVISORS and (
        assignee_id is None or assignee_id != principal.user_id
    ):
        principal.require(SUPERVISORS, "assign missed calls to others")
    row = await get_missed_call(session=session, principal=principal, task_id=task_id)
    if row.status != OPEN:
        raise Conflict("missed call is already closed")
    if assignee_id is not None:
        users = await identity_repository.users_by_ids(
            session, tenant_id=principal.tenant_id, ids=[assignee_id]
        )
        user = users.get(assignee_id)
        if user is None or not user.active:
            raise BadUserInput("assigneeId: no such active user", field="assigneeId")
    row.assignee_id = assignee_id
    await session.flush()
    return row


async def close_missed_call(
    *, session: AsyncSession, principal: Principal, task_id: uuid.UUID, disposition: str
) -> MissedCall:
    """Close an open task with a disposition (``called back``, ``no answer`` ...)."""
    disposition = disposition.strip()
    if not disposition or len(disposition) > DISPOSITION_MAX:
        raise BadUserInput(f"disposition: 1 to {DISPOSITION_MAX} characters", field="disposition")
    row = await get_missed_call(session=session, principal=principal, task_id=task_id)
    if row.status != OPEN:
        raise Conflict("missed call is already closed")
    row.status = CLOSED
    row.disposition = disposition
    row.closed_by = principal.user_id
    row.closed_at = datetime.now(UTC)
    await session.flush()
    return row
