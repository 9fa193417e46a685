"""GraphQL surface of custom field definitions."""

from __future__ import annotations

import uuid

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from tenants.crm import models
from tenants.crm.custom_fields import service
from tenants.crm.custom_fields.values import FieldType
from tenants.crm.edge import DeletePayload
from tenants.crm.schemas import (
    CustomFieldIn,
)
from tenants.graphql.context import RequestContext
from tenants.graphql.relay import (
    Node,
    expect_global_id,
    to_global_id,
)
from tenants.input_validation import given_fields, parse_input

CustomFieldTypeEnum = strawberry.enum(FieldType, name="CustomFieldType")


@strawberry.type(name="CustomField")
class CustomFieldType(Node):
    key: str
    label: str
    type: CustomFieldTypeEnum  # type: ignore[valid-type]
    required: bool
    unique: bool
    default: JSON | None
    options: list[str]
    position: int

    @classmethod
    def from_row(cls, row: models.CustomFieldDefinition) -> CustomFieldType:
        return cls(
            id=to_global_id("CustomField", row.id),
            key=row.key,
            label=row.label,
            type=FieldType(row.type),
            required=row.required,
            unique=row.unique,
            default=row.default,
            options=list(row.options),
            position=row.position,
        )


@strawberry.input
class CustomFieldInput:
    key: str
    label: str
    type: CustomFieldTypeEnum  # type: ignore[valid-type]
    required: bool = False
    unique: bool = False
    default: JSON | None = None
    options: list[str] | None = None
    position: int = 0


def _field_in(input: CustomFieldInput) -> CustomFieldIn:
    data = given_fields(
        key=input.key,
        label=input.label,
        type=input.type,
        required=input.required,
        unique=input.unique,
        options=input.options,
        position=input.position,
    )
    data["default"] = input.default
    return parse_input(CustomFieldIn, data)


@strawberry.type
class Query:
    @strawberry.field(description="The tenant's customer custom field definitions.")
    async def custom_fields(self, info: Info[RequestContext, None]) -> list[CustomFieldType]:
        ctx = info.context
        rows = await service.list_custom_fields(
            session=ctx.session, principal=await ctx.principal()
        )
        return [CustomFieldType.from_row(r) for r in rows]


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def create_custom_field(
        self, info: Info[RequestContext, None], input: CustomFieldInput
    ) -> CustomFieldType:
        ctx = info.context
        principal = await ctx.principal()
        row = await service.create_custom_field(
            session=ctx.session, principal=principal, field_in=_field_in(input)
        )
        return CustomFieldType.from_row(row)

    @strawberry.mutation
    async def update_custom_field(
        self, info: Info[RequestContext, None], id: strawberry.ID, input: CustomFieldInput
    ) -> CustomFieldType:
        ctx = info.context
        principal = await ctx.principal()
        row = await service.update_custom_field(
            session=ctx.session,
            principal=principal,
            field_id=expect_global_id(id, "CustomField"),
            field_in=_field_in(input),
        )
        return CustomFieldType.from_row(row)

    @strawberry.mutation
    async def delete_custom_field(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> DeletePayload:
        ctx = info.context
        principal = await ctx.principal()
        await service.delete_custom_field(
            session=ctx.session, principal=principal, field_id=expect_global_id(id, "CustomField")
        )
        return DeletePayload(deleted_id=id)


async def _resolve_custom_field(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    row = await service.get_custom_field(
        session=ctx.session, principal=await ctx.principal(), field_id=row_id
    )
    return CustomFieldType.from_row(row)


NODE_RESOLVERS = {"CustomField": _resolve_custom_field}


TYPES = [CustomFieldType]
