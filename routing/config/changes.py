"""What every routing-configuration change shares: a flush whose violated constraints become
CONFLICT, and the republishing of the tenant hash and of agents' profiles.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from routing.config import projection
from routing.config.publishing import Publications
from tenants.database.conflicts import flush_or_conflict
from tenants.identity import repository as identity_repository


async def flush(session: AsyncSession, conflicts: Mapping[str, tuple[str, str]]) -> None:
    """Flush; a violated constraint listed in ``conflicts`` becomes CONFLICT on its field."""
    await flush_or_conflict(session, "the change conflicts with existing data", fields=conflicts)


async def publish_tenant(
    session: AsyncSession, tenant_id: uuid.UUID, publications: Publications
) -> None:
    # Every batch carries the tenant hash, so a tenant's first configuration change also
    # gives routing its slug and limits without waiting for a sync.
    tenant = await identity_repository.tenant_by_id(session, tenant_id)
    if tenant is not None:
        entry = await projection.load_tenant_entry(session, tenant_id=tenant_id, slug=tenant.slug)
        publications.put_tenant(tenant_id, entry)


async def republish_agents(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    user_ids: list[uuid.UUID],
    publications: Publications,
) -> None:
    entries, removed = await projection.load_agents(session, tenant_id=tenant_id, user_ids=user_ids)
    for entry in entries:
        publications.put_agent_profile(tenant_id, entry)
    for user_id in removed:
        publications.remove_agent_profile(tenant_id, user_id)
