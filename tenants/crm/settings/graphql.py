"""GraphQL surface of the tenant's CRM settings."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from tenants.crm.schemas import (
    CrmSettingsIn,
)
from tenants.crm.settings import service
from tenants.graphql.context import RequestContext
from tenants.input_validation import parse_input


@strawberry.type(name="CrmSettings")
class CrmSettingsType:
    default_region: str


@strawberry.type
class Query:
    @strawberry.field(description="The tenant's CRM settings.")
    async def crm_settings(self, info: Info[RequestContext, None]) -> CrmSettingsType:
        ctx = info.context
        row = await service.get_settings(session=ctx.session, principal=await ctx.principal())
        return CrmSettingsType(default_region=row.default_region)


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def update_crm_settings(
        self, info: Info[RequestContext, None], default_region: str
    ) -> CrmSettingsType:
        ctx = info.context
        principal = await ctx.principal()
        settings_in = parse_input(CrmSettingsIn, {"default_region": default_region})
        row = await service.update_settings(
            session=ctx.session, principal=principal, settings_in=settings_in, regions=ctx.regions
        )
        return CrmSettingsType(default_region=row.default_region)
