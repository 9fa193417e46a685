"""Call-flow use cases: drafts, atomic publishing, versions, archiving.

Services flush, never commit, and never write Redis: a publish records the new version and
the DIDs that now run it in ``publications``, which the edge applies after its commit.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel
from sqlalchemy.ext.asyncio import AsyncSession

from media_plane.prompts import repository as prompts_repository
from routing.config import projection
from routing.config.changes import flush, publish_tenant
from routing.config.publishing import Publications
from routing.flows import repository
from routing.flows.definition import FlowDefinition, parse_definition
from routing.flows.models import CallFlow, CallFlowVersion
from routing.flows.validation import KnownIds, validate_flow
from tenants.database.pagination import Page, PageRequest
from tenants.errors import BadUserInput, Conflict, NotFound
from tenants.identity.principal import Principal
from tenants.identity.roles import MANAGERS, SUPERVISORS
from tenants.input_validation import parse_input

NEW_FLOW: dict[str, Any] = {"start": "hangup", "nodes": {"hangup": {"type": "hangup"}}}
"""The draft of a new flow: valid, and does nothing but hang up."""


class CallFlowIn(BaseModel):
    """A flow's name and description (the definition is checked by ``parse_definition``)."""

    model_config = ConfigDict(
        str_strip_whitespace=True, extra="forbid", alias_generator=to_camel, populate_by_name=True
    )

    name: str = Field(min_length=1, max_length=120)
    description: str = Field(default="", max_length=500)


def _name_conflict(name: str) -> dict[str, tuple[str, str]]:
    return {"uq_call_flows_tenant_name": (f"a call flow named {name!r} exists", "name")}


async def checked_definition(
    session: AsyncSession, *, tenant_id: uuid.UUID, draft: Any
) -> FlowDefinition:
    """``draft`` parsed and validated against the tenant's queues, prompts and skills."""
    flow = parse_definition(draft)
    queues, skills = await repository.known_ids(session, tenant_id=tenant_id)
    prompts = await prompts_repository.prompt_ids(session, tenant_id=tenant_id)
    validate_flow(
        flow,
        KnownIds(queues=frozenset(queues), prompts=frozenset(prompts), skills=frozenset(skills)),
    )
    return flow


async def list_flows(
    *, session: AsyncSession, principal: Principal, page: PageRequest, archived: bool = False
) -> Page[CallFlow]:
    principal.require(SUPERVISORS, "read call flows")
    return await repository.list_flows(
        session, tenant_id=principal.tenant_id, page=page, archived=archived
    )


async def get_flow(
    *, session: AsyncSession, principal: Principal, flow_id: uuid.UUID, lock: bool = False
) -> CallFlow:
    principal.require(SUPERVISORS, "read call flows")
    flow = await repository.flow_by_id(
        session, tenant_id=principal.tenant_id, flow_id=flow_id, lock=lock
    )
    if flow is None:
        raise NotFound("call flow not found")
    return flow


async def create_flow(
    *, session: AsyncSession, principal: Principal, flow_in: CallFlowIn, draft: Any | None
) -> CallFlow:
    """A new flow with ``draft`` (validated) or a flow that only hangs up."""
    principal.require(MANAGERS, "manage call flows")
    tenant_id = principal.tenant_id
    definition = NEW_FLOW if draft is None else draft
    await checked_definition(session, tenant_id=tenant_id, draft=definition)
    flow = CallFlow(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        name=flow_in.name,
        description=flow_in.description,
        draft=definition,
    )
    session.add(flow)
    await flush(session, _name_conflict(flow_in.name))
    await session.refresh(flow)
    return flow


async def update_draft(
    *,
    session: AsyncSession,
    principal: Principal,
    flow_id: uuid.UUID,
    changes_in: dict[str, Any],
) -> CallFlow:
    """Change the name, description or draft; the published version is untouched."""
    principal.require(MANAGERS, "manage call flows")
    flow = await get_flow(session=session, principal=principal, flow_id=flow_id)
    if flow.archived_at is not None:
        raise Conflict("the call flow is archived", field="id")
    current = {"name": flow.name, "description": flow.description}
    named = {k: v for k, v in changes_in.items() if k != "draft"}
    flow_in = parse_input(CallFlowIn, {**current, **named}, camel=True)
    if "draft" in changes_in:
        if changes_in["draft"] is None:
            raise BadUserInput("draft: is required", field="draft")
        await checked_definition(session, tenant_id=principal.tenant_id, draft=changes_in["draft"])
        flow.draft = changes_in["draft"]
    flow.name, flow.description = flow_in.name, flow_in.description
    flow.updated_at = datetime.now(UTC)
    await flush(session, _name_conflict(flow_in.name))
    await session.refresh(flow)
    return flow


async def publish_flow(
    *,
    session: AsyncSession,
    principal: Principal,
    flow_id: uuid.UUID,
    publications: Publications,
) -> CallFlowVersion:
    """Publish the draft as the next immutable version, in this one transaction.

    The flow's row lock serialises concurrent publishes; the version number's unique index
    is the backstop. New calls run the new version once the edge commits and the numbers'
    DID entries are republished; calls in progress keep the version they started on.
    """
    principal.require(MANAGERS, "manage call flows")
    tenant_id = principal.tenant_id
    flow = await get_flow(session=session, principal=principal, flow_id=flow_id, lock=True)
    if flow.archived_at is not None:
        raise Conflict("the call flow is archived", field="id")
    await checked_definition(session, tenant_id=tenant_id, draft=flow.draft)
    number = await repository.last_version_number(session, tenant_id=tenant_id, flow_id=flow.id)
    version = CallFlowVersion(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        flow_id=flow.id,
        number=number + 1,
        definition=flow.draft,
        published_by=principal.user_id,
    )
    session.add(version)
    await flush(session, {"uq_call_flow_versions_flow_number": ("published concurrently", "id")})
    flow.published_version_id = version.id
    flow.updated_at = datetime.now(UTC)
    await flush(session, {})
    await session.refresh(version)
    publications.put_flow_version(tenant_id, projection.flow_version_entry(version))
    await publish_tenant(session, tenant_id, publications)
    for phone in await repository.numbers_of_flow(session, tenant_id=tenant_id, flow_id=flow.id):
        publications.put_did(projection.did_entry(phone, version.id))
    return version


async def archive_flow(
    *, session: AsyncSession, principal: Principal, flow_id: uuid.UUID
) -> CallFlow:
    """Hide a flow from new use; refused while a number runs it. Its versions stay."""
    principal.require(MANAGERS, "manage call flows")
    flow = await get_flow(session=session, principal=principal, flow_id=flow_id)
    numbers = await repository.numbers_of_flow(
        session, tenant_id=principal.tenant_id, flow_id=flow.id
    )
    if numbers:
        used = ", ".join(n.e164 for n in numbers)
        raise Conflict(f"the call flow is used by {used}: route them elsewhere first", field="id")
    if flow.archived_at is None:
        flow.archived_at = datetime.now(UTC)
        await flush(session, {})
        await session.refresh(flow)
    return flow


async def list_versions(
    *, session: AsyncSession, principal: Principal, flow_id: uuid.UUID, page: PageRequest
) -> Page[CallFlowVersion]:
    flow = await get_flow(session=session, principal=principal, flow_id=flow_id)
    return await repository.list_versions(
        session, tenant_id=principal.tenant_id, flow_id=flow.id, page=page
    )


async def get_version(
    *, session: AsyncSession, principal: Principal, version_id: uuid.UUID
) -> CallFlowVersion:
    principal.require(SUPERVISORS, "read call flows")
    version = await repository.version_by_id(
        session, tenant_id=principal.tenant_id, version_id=version_id
    )
    if version is None:
        raise NotFound("call flow version not found")
    return version
