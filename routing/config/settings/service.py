"""Tenant routing settings use cases: the tenant's limits and default region.

Services flush, never commit, and never write Redis: every change records what routing
must see in ``publications``, which the edge applies after its commit succeeds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from routing.config import repository
from routing.config.changes import flush, publish_tenant
from routing.config.models import TenantRoutingSettings
from routing.config.publishing import Publications
from routing.config.schemas import RoutingSettingsIn
from tenants.identity.principal import Principal
from tenants.identity.roles import MANAGERS, SUPERVISORS
from tenants.input_validation import parse_input


async def get_routing_settings(*, session: AsyncSession, principal: Principal) -> RoutingSettingsIn:
    """The tenant's routing settings (defaults when never saved)."""
    principal.require(SUPERVISORS, "read routing settings")
    row = await repository.routing_settings(session, tenant_id=principal.tenant_id)
    if row is None:
        return RoutingSettingsIn()
    return RoutingSettingsIn(
        max_concurrent_calls=row.max_concurrent_calls, default_region=row.default_region
    )


async def update_routing_settings(
    *,
    session: AsyncSession,
    principal: Principal,
    changes_in: Mapping[str, Any],
    publications: Publications,
) -> RoutingSettingsIn:
    """Change the tenant's routing limits (GraphQL names)."""
    principal.require(MANAGERS, "manage routing settings")
    tenant_id = principal.tenant_id
    current = await get_routing_settings(session=session, principal=principal)
    settings_in = parse_input(
        RoutingSettingsIn, {**current.model_dump(by_alias=True), **changes_in}, camel=True
    )
    row = await repository.routing_settings(session, tenant_id=tenant_id)
    if row is None:
        row = TenantRoutingSettings(tenant_id=tenant_id)
        session.add(row)
    row.max_concurrent_calls = settings_in.max_concurrent_calls
    row.default_region = settings_in.default_region
    await flush(session, {})
    await publish_tenant(session, tenant_id, publications)
    return settings_in
