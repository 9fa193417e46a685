"""GraphQL surface of disposition codes."""

from __future__ import annotations

import uuid

import strawberry
from strawberry.types import Info

from routing.dispositions import service
from routing.dispositions.models import Disposition
from routing.dispositions.schemas import DispositionIn
from tenants.graphql.context import RequestContext
from tenants.graphql.relay import Node, expect_global_id, to_global_id
from tenants.input_validation import parse_input


@strawberry.type(name="Disposition", description="A code agents record when they wrap up.")
class DispositionType(Node):
    code: str = strawberry.field(description="As facts and reports spell it: sale, no_answer")
    label: str
    active: bool = strawberry.field(description="False once archived: agents no longer see it")
    requires_note: bool = strawberry.field(description="Wrapping up with it needs a note")
    used: bool = strawberry.field(description="Calls carry it: it can be archived, not deleted")

    @classmethod
    def from_row(cls, row: Disposition) -> DispositionType:
        return cls(
            id=to_global_id("Disposition", row.id),
            code=row.code,
            label=row.label,
            active=row.active,
            requires_note=row.requires_note,
            used=row.used_at is not None,
        )


@strawberry.input
class DispositionInput:
    code: str
    label: str
    active: bool = True
    requires_note: bool = False


def _parse(value: DispositionInput) -> DispositionIn:
    return parse_input(
        DispositionIn,
        {
            "code": value.code,
            "label": value.label,
            "active": value.active,
            "requires_note": value.requires_note,
        },
        camel=True,
    )


@strawberry.type
class Query:
    @strawberry.field(
        description="The tenant's disposition codes by code (archived ones on request)."
    )
    async def dispositions(
        self, info: Info[RequestContext, None], include_archived: bool = False
    ) -> list[DispositionType]:
        ctx = info.context
        rows = await service.list_dispositions(
            session=ctx.session, principal=await ctx.principal(), include_archived=include_archived
        )
        return [DispositionType.from_row(row) for row in rows]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Add a disposition code (owners and admins).")
    async def create_disposition(
        self, info: Info[RequestContext, None], input: DispositionInput
    ) -> DispositionType:
        ctx = info.context
        row = await service.create_disposition(
            session=ctx.session, principal=await ctx.principal(), disposition_in=_parse(input)
        )
        return DispositionType.from_row(row)

    @strawberry.mutation(description="Change a disposition code; set active: false to archive it.")
    async def update_disposition(
        self, info: Info[RequestContext, None], id: strawberry.ID, input: DispositionInput
    ) -> DispositionType:
        ctx = info.context
        row = await service.update_disposition(
            session=ctx.session,
            principal=await ctx.principal(),
            disposition_id=expect_global_id(id, "Disposition"),
            disposition_in=_parse(input),
        )
        return DispositionType.from_row(row)

    @strawberry.mutation(
        description="Delete a code no call carries yet (CONFLICT once used: archive it)."
    )
    async def delete_disposition(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> strawberry.ID:
        ctx = info.context
        await service.delete_disposition(
            session=ctx.session,
            principal=await ctx.principal(),
            disposition_id=expect_global_id(id, "Disposition"),
        )
        return id


async def _resolve(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    row = await service.get_disposition(
        session=ctx.session, principal=await ctx.principal(), disposition_id=row_id
    )
    return DispositionType.from_row(row)


NODE_RESOLVERS = {"Disposition": _resolve}
TYPES = [DispositionType]
