"""GraphQL surface of customer categories."""

from __future__ import annotations

import uuid

import strawberry
from strawberry.types import Info

from tenants.crm import models
from tenants.crm.categories import service
from tenants.crm.edge import DeletePayload
from tenants.crm.schemas import (
    CategoryIn,
    CategoryRouting,
)
from tenants.graphql.context import RequestContext
from tenants.graphql.relay import (
    Node,
    expect_global_id,
    to_global_id,
)
from tenants.input_validation import given_fields, parse_input

CategoryRoutingEnum = strawberry.enum(CategoryRouting, name="CategoryRouting")


@strawberry.type(name="CustomerCategory")
class CustomerCategoryType(Node):
    name: str
    routing: CategoryRoutingEnum  # type: ignore[valid-type]
    position: int

    @classmethod
    def from_row(cls, row: models.CustomerCategory) -> CustomerCategoryType:
        return cls(
            id=to_global_id("CustomerCategory", row.id),
            name=row.name,
            routing=CategoryRouting(row.routing),
            position=row.position,
        )


@strawberry.input
class CustomerCategoryInput:
    name: str
    routing: CategoryRoutingEnum = CategoryRouting.NONE  # type: ignore[valid-type]
    position: int = 0


def _category_in(input: CustomerCategoryInput) -> CategoryIn:
    return parse_input(
        CategoryIn, given_fields(name=input.name, routing=input.routing, position=input.position)
    )


@strawberry.type
class Query:
    @strawberry.field(description="The tenant's customer categories.")
    async def customer_categories(
        self, info: Info[RequestContext, None]
    ) -> list[CustomerCategoryType]:
        ctx = info.context
        rows = await service.list_categories(session=ctx.session, principal=await ctx.principal())
        return [CustomerCategoryType.from_row(r) for r in rows]


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def create_customer_category(
        self, info: Info[RequestContext, None], input: CustomerCategoryInput
    ) -> CustomerCategoryType:
        ctx = info.context
        principal = await ctx.principal()
        row = await service.create_category(
            session=ctx.session, principal=principal, category_in=_category_in(input)
        )
        return CustomerCategoryType.from_row(row)

    @strawberry.mutation
    async def update_customer_category(
        self, info: Info[RequestContext, None], id: strawberry.ID, input: CustomerCategoryInput
    ) -> CustomerCategoryType:
        ctx = info.context
        principal = await ctx.principal()
        row = await service.update_category(
            session=ctx.session,
            principal=principal,
            category_id=expect_global_id(id, "CustomerCategory"),
            category_in=_category_in(input),
        )
        return CustomerCategoryType.from_row(row)

    @strawberry.mutation
    async def delete_customer_category(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> DeletePayload:
        ctx = info.context
        principal = await ctx.principal()
        await service.delete_category(
            session=ctx.session,
            principal=principal,
            category_id=expect_global_id(id, "CustomerCategory"),
        )
        return DeletePayload(deleted_id=id)


async def _resolve_category(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    row = await service.get_category(
        session=ctx.session, principal=await ctx.principal(), category_id=row_id
    )
    return CustomerCategoryType.from_row(row)


NODE_RESOLVERS = {"CustomerCategory": _resolve_category}


TYPES = [CustomerCategoryType]
