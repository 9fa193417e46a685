"""GraphQL surface of break reasons."""

from __future__ import annotations

import uuid

import strawberry
from strawberry.types import Info

from routing.break_reasons import service
from routing.break_reasons.models import BreakReason
from routing.break_reasons.schemas import BreakReasonIn
from tenants.errors import NotFound
from tenants.graphql.context import RequestContext
from tenants.graphql.relay import Node, expect_global_id, to_global_id
from tenants.input_validation import parse_input


@strawberry.type(name="BreakReason")
class BreakReasonType(Node):
    name: str = strawberry.field(description="As routing spells it: break:<name>")

    @classmethod
    def from_row(cls, row: BreakReason) -> BreakReasonType:
        return cls(id=to_global_id("BreakReason", row.id), name=row.name)


@strawberry.input
class BreakReasonInput:
    name: str


@strawberry.type
class Query:
    @strawberry.field(description="The tenant's break reasons (agents choose from them).")
    async def break_reasons(self, info: Info[RequestContext, None]) -> list[BreakReasonType]:
        ctx = info.context
        rows = await service.list_break_reasons(
            session=ctx.session, principal=await ctx.principal()
        )
        return [BreakReasonType.from_row(row) for row in rows]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Add a break reason (owners and admins).")
    async def create_break_reason(
        self, info: Info[RequestContext, None], input: BreakReasonInput
    ) -> BreakReasonType:
        ctx = info.context
        row = await service.create_break_reason(
            session=ctx.session,
            principal=await ctx.principal(),
            reason_in=parse_input(BreakReasonIn, {"name": input.name}, camel=True),
        )
        return BreakReasonType.from_row(row)

    @strawberry.mutation(description="Rename a break reason (owners and admins).")
    async def update_break_reason(
        self, info: Info[RequestContext, None], id: strawberry.ID, input: BreakReasonInput
    ) -> BreakReasonType:
        ctx = info.context
        row = await service.update_break_reason(
            session=ctx.session,
            principal=await ctx.principal(),
            reason_id=expect_global_id(id, "BreakReason"),
            reason_in=parse_input(BreakReasonIn, {"name": input.name}, camel=True),
        )
        return BreakReasonType.from_row(row)

    @strawberry.mutation(description="Delete a break reason; returns its id.")
    async def delete_break_reason(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> strawberry.ID:
        ctx = info.context
        await service.delete_break_reason(
            session=ctx.session,
            principal=await ctx.principal(),
            reason_id=expect_global_id(id, "BreakReason"),
        )
        return id


async def _resolve(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    rows = await service.list_break_reasons(session=ctx.session, principal=await ctx.principal())
    for row in rows:
        if row.id == row_id:
            return BreakReasonType.from_row(row)
    raise NotFound("no BreakReason with this id")


NODE_RESOLVERS = {"BreakReason": _resolve}
TYPES = [BreakReasonType]
