"""Phone number (DID) use cases.

Services flush, never commit, and never write Redis: every change records what routing
must see in ``publications``, which the edge applies after its commit succeeds.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import phonenumbers
from sqlalchemy.ext.asyncio import AsyncSession

from routing.config import projection, repository
from routing.config.changes import flush, publish_tenant
from routing.config.models import PhoneNumber, Queue
from routing.config.publishing import Publications
from routing.config.schemas import PhoneNumberIn
from routing.flows import repository as flows_repository
from tenants.database.pagination import Page, PageRequest
from tenants.errors import BadUserInput, NotFound
from tenants.identity.principal import Principal
from tenants.identity.roles import MANAGERS, SUPERVISORS
from tenants.input_validation import parse_input


async def list_phone_numbers(
    *,
    session: AsyncSession,
    principal: Principal,
    page: PageRequest,
    queue_id: uuid.UUID | None = None,
) -> Page[PhoneNumber]:
    """The tenant's phone numbers, optionally only those of one queue."""
    principal.require(SUPERVISORS, "read phone numbers")
    return await repository.list_phone_numbers(
        session, tenant_id=principal.tenant_id, page=page, queue_id=queue_id
    )


async def get_phone_number(
    *, session: AsyncSession, principal: Principal, number_id: uuid.UUID
) -> PhoneNumber:
    """One phone number of the tenant."""
    principal.require(SUPERVISORS, "read phone numbers")
    number = await repository.phone_number_by_id(
        session, tenant_id=principal.tenant_id, number_id=number_id
    )
    if number is None:
        raise NotFound("phone number not found")
    return number


async def normalize_number(
    session: AsyncSession, *, tenant_id: uuid.UUID, raw: str, field: str = "number"
) -> str:
    """``raw`` in E.164, read with the tenant's default region; BAD_USER_INPUT if invalid."""
    settings = await repository.routing_settings(session, tenant_id=tenant_id)
    region = settings.default_region if settings else None
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as err:
        hint = "" if region else " (no default region is set: use the +<country code> form)"
        raise BadUserInput(f"{field}: {raw!r} is not a phone number{hint}", field=field) from err
    if not phonenumbers.is_valid_number(parsed):
        raise BadUserInput(f"{field}: {raw!r} is not a valid phone number", field=field)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _number_conflicts(e164: str) -> dict[str, tuple[str, str]]:
    return {"uq_phone_numbers_e164": (f"number {e164} is already in use", "number")}


async def _queue_ref(session: AsyncSession, tenant_id: uuid.UUID, queue_id: uuid.UUID) -> Queue:
    queue = await repository.queue_by_id(session, tenant_id=tenant_id, queue_id=queue_id)
    if queue is None:
        raise NotFound("queueId: queue not found", field="queueId")
    return queue


async def _flow_version(
    session: AsyncSession, tenant_id: uuid.UUID, flow_id: uuid.UUID | None
) -> uuid.UUID | None:
    """The published version of the flow a number runs; only a live, published flow."""
    if flow_id is None:
        return None
    flow = await flows_repository.flow_by_id(session, tenant_id=tenant_id, flow_id=flow_id)
    if flow is None or flow.archived_at is not None:
        raise NotFound("callFlowId: call flow not found", field="callFlowId")
    if flow.published_version_id is None:
        raise BadUserInput(
            f"callFlowId: call flow {flow.name} has no published version yet", field="callFlowId"
        )
    return flow.published_version_id


async def create_phone_number(
    *,
    session: AsyncSession,
    principal: Principal,
    number_in: PhoneNumberIn,
    publications: Publications,
) -> PhoneNumber:
    """Claim a DID for the tenant and route it to one of its queues.

    A number belongs to at most one tenant: another tenant's claim is a CONFLICT, enforced
    by a global unique index that row-level security does not hide.
    """
    principal.require(MANAGERS, "manage phone numbers")
    tenant_id = principal.tenant_id
    e164 = await normalize_number(session, tenant_id=tenant_id, raw=number_in.number)
    await _queue_ref(session, tenant_id, number_in.queue_id)
    version_id = await _flow_version(session, tenant_id, number_in.call_flow_id)
    number = PhoneNumber(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        e164=e164,
        raw=number_in.number,
        queue_id=number_in.queue_id,
        description=number_in.description,
        call_flow_id=number_in.call_flow_id,
    )
    session.add(number)
    await flush(session, _number_conflicts(e164))
    await session.refresh(number)
    await publish_tenant(session, tenant_id, publications)
    publications.put_did(projection.did_entry(number, version_id))
    return number


async def update_phone_number(
    *,
    session: AsyncSession,
    principal: Principal,
    number_id: uuid.UUID,
    changes_in: Mapping[str, Any],
    publications: Publications,
) -> PhoneNumber:
    """Change a number's digits, queue, flow or description (GraphQL names)."""
    principal.require(MANAGERS, "manage phone numbers")
    tenant_id = principal.tenant_id
    number = await get_phone_number(session=session, principal=principal, number_id=number_id)
    current = {
        "number": number.raw,
        "queueId": number.queue_id,
        "description": number.description,
        "callFlowId": number.call_flow_id,
    }
    number_in = parse_input(PhoneNumberIn, {**current, **changes_in}, camel=True)
    old_e164 = number.e164
    if number_in.number != number.raw:
        number.e164 = await normalize_number(session, tenant_id=tenant_id, raw=number_in.number)
        number.raw = number_in.number
    if number_in.queue_id != number.queue_id:
        await _queue_ref(session, tenant_id, number_in.queue_id)
        number.queue_id = number_in.queue_id
    number.description = number_in.description
    version_id = await _flow_version(session, tenant_id, number_in.call_flow_id)
    number.call_flow_id = number_in.call_flow_id
    await flush(session, _number_conflicts(number.e164))
    await session.refresh(number)
    await publish_tenant(session, tenant_id, publications)
    if old_e164 != number.e164:
        publications.remove_did(tenant_id, old_e164)
    publications.put_did(projection.did_entry(number, version_id))
    return number


async def delete_phone_number(
    *,
    session: AsyncSession,
    principal: Principal,
    number_id: uuid.UUID,
    publications: Publications,
) -> PhoneNumber:
    """Release a DID."""
    principal.require(MANAGERS, "manage phone numbers")
    number = await get_phone_number(session=session, principal=principal, number_id=number_id)
    await session.delete(number)
    await flush(session, {})
    publications.remove_did(principal.tenant_id, number.e164)
    return number
