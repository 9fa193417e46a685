"""GraphQL surface of the tenant's routing settings and the directory sync."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from routing.config.edge import directory_of, principal_of, publications_of, set_fields
from routing.config.settings import service
from tenants.graphql.context import RequestContext
from tenants.identity.roles import MANAGERS


@strawberry.type(name="RoutingSettings")
class RoutingSettingsType:
    max_concurrent_calls: int = strawberry.field(description="0 = unlimited")
    default_region: str | None = strawberry.field(
        description="ISO country used to read numbers typed without +<country code>"
    )


@strawberry.input
class UpdateRoutingSettingsInput:
    max_concurrent_calls: int | None = strawberry.UNSET
    default_region: str | None = strawberry.UNSET


@strawberry.type
class Query:
    @strawberry.field(description="The tenant's routing limits.")
    async def routing_settings(self, info: Info[RequestContext, None]) -> RoutingSettingsType:
        ctx = info.context
        current = await service.get_routing_settings(
            session=ctx.session, principal=await principal_of(info)
        )
        return RoutingSettingsType(
            max_concurrent_calls=current.max_concurrent_calls,
            default_region=current.default_region,
        )


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def update_routing_settings(
        self, info: Info[RequestContext, None], input: UpdateRoutingSettingsInput
    ) -> RoutingSettingsType:
        ctx = info.context
        principal = await principal_of(info)
        current = await service.update_routing_settings(
            session=ctx.session,
            principal=principal,
            changes_in=set_fields(input, ["max_concurrent_calls", "default_region"]),
            publications=publications_of(ctx),
        )
        return RoutingSettingsType(
            max_concurrent_calls=current.max_concurrent_calls,
            default_region=current.default_region,
        )

    @strawberry.mutation(
        description="Rebuild the tenant's routing data in Redis from the saved configuration."
    )
    async def sync_routing_directory(self, info: Info[RequestContext, None]) -> bool:
        ctx = info.context
        principal = await principal_of(info)
        principal.require(MANAGERS, "sync the routing directory")
        await directory_of(ctx).sync_tenant(ctx.session, principal.tenant_id)
        return True
