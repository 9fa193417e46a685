"""GraphQL surface of phone numbers (DIDs)."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry
from strawberry.types import Info

from routing.config import models
from routing.config.edge import principal_of, publications_of, queue_ref, set_fields
from routing.config.numbers import service
from routing.config.schemas import PhoneNumberIn
from tenants.errors import NotFound
from tenants.graphql.context import RequestContext
from tenants.graphql.relay import (
    Connection,
    Node,
    connection,
    expect_global_id,
    page_request,
    to_global_id,
)
from tenants.identity.roles import MANAGERS
from tenants.input_validation import parse_input


@strawberry.type(name="PhoneNumber")
class PhoneNumberType(Node):
    number: str = strawberry.field(description="E.164")
    raw: str = strawberry.field(description="As it was entered")
    queue_id: strawberry.ID
    description: str
    call_flow_id: strawberry.ID | None = strawberry.field(
        description="The call flow the number runs (its published version); queueId is then "
        "the failover queue"
    )
    created_at: datetime

    @classmethod
    def from_row(cls, row: models.PhoneNumber) -> PhoneNumberType:
        return cls(
            id=to_global_id("PhoneNumber", row.id),
            number=row.e164,
            raw=row.raw,
            queue_id=to_global_id("Queue", row.queue_id),
            description=row.description,
            call_flow_id=to_global_id("CallFlow", row.call_flow_id) if row.call_flow_id else None,
            created_at=row.created_at,
        )


@strawberry.input
class CreatePhoneNumberInput:
    number: str
    queue_id: strawberry.ID
    description: str | None = strawberry.UNSET
    call_flow_id: strawberry.ID | None = strawberry.UNSET


@strawberry.input
class UpdatePhoneNumberInput:
    id: strawberry.ID
    number: str | None = strawberry.UNSET
    queue_id: strawberry.ID | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    call_flow_id: strawberry.ID | None = strawberry.UNSET


def _flow_field(value: strawberry.ID | None) -> uuid.UUID | None:
    if value is None:
        return None
    try:
        return expect_global_id(value, "CallFlow")
    except NotFound as err:
        raise NotFound("callFlowId: call flow not found", field="callFlowId") from err


@strawberry.type
class Query:
    @strawberry.field(description="The tenant's phone numbers (DIDs).")
    async def phone_numbers(
        self,
        info: Info[RequestContext, None],
        first: int | None = None,
        after: str | None = None,
        queue_id: strawberry.ID | None = None,
    ) -> Connection[PhoneNumberType]:
        ctx = info.context
        page = await service.list_phone_numbers(
            session=ctx.session,
            principal=await principal_of(info),
            page=page_request(first, after, max_page_size=ctx.max_page_size),
            queue_id=None if queue_id is None else expect_global_id(queue_id, "Queue"),
        )
        return connection(page, PhoneNumberType.from_row)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Claim a number for the tenant and route it to a queue.")
    async def create_phone_number(
        self, info: Info[RequestContext, None], input: CreatePhoneNumberInput
    ) -> PhoneNumberType:
        ctx = info.context
        principal = await principal_of(info)
        principal.require(MANAGERS, "manage phone numbers")
        fields = set_fields(input, ["number", "description"])
        fields["queueId"] = queue_ref(input.queue_id, "queueId")
        if input.call_flow_id is not strawberry.UNSET:
            fields["callFlowId"] = _flow_field(input.call_flow_id)
        number = await service.create_phone_number(
            session=ctx.session,
            principal=principal,
            number_in=parse_input(PhoneNumberIn, fields, camel=True),
            publications=publications_of(ctx),
        )
        return PhoneNumberType.from_row(number)

    @strawberry.mutation
    async def update_phone_number(
        self, info: Info[RequestContext, None], input: UpdatePhoneNumberInput
    ) -> PhoneNumberType:
        ctx = info.context
        principal = await principal_of(info)
        number_id = expect_global_id(input.id, "PhoneNumber")
        changes = set_fields(input, ["number", "description"])
        if input.queue_id is not strawberry.UNSET:
            changes["queueId"] = (
                None if input.queue_id is None else queue_ref(input.queue_id, "queueId")
            )
        if input.call_flow_id is not strawberry.UNSET:
            changes["callFlowId"] = _flow_field(input.call_flow_id)
        number = await service.update_phone_number(
            session=ctx.session,
            principal=principal,
            number_id=number_id,
            changes_in=changes,
            publications=publications_of(ctx),
        )
        return PhoneNumberType.from_row(number)

    @strawberry.mutation(description="Release a number; returns its id.")
    async def delete_phone_number(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> strawberry.ID:
        ctx = info.context
        principal = await principal_of(info)
        await service.delete_phone_number(
            session=ctx.session,
            principal=principal,
            number_id=expect_global_id(id, "PhoneNumber"),
            publications=publications_of(ctx),
        )
        return id


async def _resolve_phone_number(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    number = await service.get_phone_number(
        session=ctx.session, principal=await ctx.principal(), number_id=row_id
    )
    return PhoneNumberType.from_row(number)


NODE_RESOLVERS = {"PhoneNumber": _resolve_phone_number}


TYPES = [PhoneNumberType]
