"""GraphQL surface of customers: phones, notes, owners, filters and bulk assignment."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import Enum

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from tenants.crm import loaders, models
from tenants.crm.categories.graphql import CustomerCategoryType
from tenants.crm.customers import service
from tenants.crm.edge import DeletePayload, optional_global_id
from tenants.crm.schemas import (
    CustomerCreateIn,
    CustomerFilterIn,
    CustomerSort,
    CustomerUpdateIn,
)
from tenants.graphql.context import RequestContext
from tenants.graphql.relay import (
    Connection,
    Node,
    connection,
    expect_global_id,
    page_request,
    to_global_id,
)
from tenants.identity.graphql import UserType
from tenants.input_validation import enum_value, given_fields, parse_input

CustomerSortEnum = strawberry.enum(
    Enum(
        "CustomerSortField",
        {"NAME": "name", "CREATED_AT": "created_at", "UPDATED_AT": "updated_at"},
    ),
    name="CustomerSortField",
)


def expect_customer_id(global_id: strawberry.ID) -> uuid.UUID:
    """A customer's row id; an id of anything else is BAD_USER_INPUT."""
    row_id = optional_global_id(global_id, "Customer", "ids")
    assert row_id is not None
    return row_id


@strawberry.type(name="Phone")
class PhoneType:
    e164: str = strawberry.field(description="The number in E.164, as matched.")
    raw: str = strawberry.field(description="The number as it was entered.")


@strawberry.type(name="Customer")
class CustomerType(Node):
    name: str
    company: str | None
    emails: list[str]
    tags: list[str]
    notes: str
    custom_fields: JSON
    external_id: str | None
    created_at: datetime
    updated_at: datetime
    row: strawberry.Private[models.Customer]

    @classmethod
    def from_row(cls, row: models.Customer) -> CustomerType:
        return cls(
            id=to_global_id("Customer", row.id),
            name=row.name,
            company=row.company,
            emails=list(row.emails),
            tags=list(row.tags),
            notes=row.notes,
            custom_fields=dict(row.custom_fields),
            external_id=row.external_id,
            created_at=row.created_at,
            updated_at=row.updated_at,
            row=row,
        )

    @strawberry.field
    async def phones(self, info: Info[RequestContext, None]) -> list[PhoneType]:
        rows = await loaders.phones(info.context, self.row.tenant_id).load(self.row.id)
        return [PhoneType(e164=p.e164, raw=p.raw) for p in rows or []]

    @strawberry.field
    async def category(self, info: Info[RequestContext, None]) -> CustomerCategoryType | None:
        if self.row.category_id is None:
            return None
        row = await loaders.categories(info.context, self.row.tenant_id).load(self.row.category_id)
        return CustomerCategoryType.from_row(row) if row else None

    @strawberry.field
    async def owner(self, info: Info[RequestContext, None]) -> UserType | None:
        if self.row.owner_id is None:
            return None
        row = await loaders.users(info.context, self.row.tenant_id).load(self.row.owner_id)
        return UserType.from_row(row) if row else None


@strawberry.type(name="CustomerNote")
class CustomerNoteType(Node):
    body: str
    created_at: datetime
    customer_id: strawberry.ID
    row: strawberry.Private[models.CustomerNote]

    @classmethod
    def from_row(cls, row: models.CustomerNote) -> CustomerNoteType:
        return cls(
            id=to_global_id("CustomerNote", row.id),
            body=row.body,
            created_at=row.created_at,
            customer_id=to_global_id("Customer", row.customer_id),
            row=row,
        )

    @strawberry.field
    async def author(self, info: Info[RequestContext, None]) -> UserType | None:
        if self.row.author_id is None:
            return None
        user = await loaders.users(info.context, self.row.tenant_id).load(self.row.author_id)
        return UserType.from_row(user) if user else None


@strawberry.input
class CreateCustomerInput:
    name: str
    phones: list[str] = strawberry.field(default_factory=list)
    company: str | None = None
    emails: list[str] | None = None
    category: str | None = strawberry.field(default=None, description="A category name.")
    tags: list[str] | None = None
    owner_id: strawberry.ID | None = None
    notes: str | None = None
    custom_fields: JSON | None = None
    external_id: str | None = None


@strawberry.input
class UpdateCustomerInput:
    id: strawberry.ID
    name: str | None = None
    phones: list[str] | None = strawberry.field(
        default=None, description="Replaces the customer's numbers when given."
    )
    company: str | None = None
    emails: list[str] | None = None
    category: str | None = None
    clear_category: bool | None = None
    tags: list[str] | None = None
    owner_id: strawberry.ID | None = None
    clear_owner: bool | None = None
    notes: str | None = None
    custom_fields: JSON | None = strawberry.field(
        default=None, description="Merged into the stored values; null clears a field."
    )
    external_id: str | None = None


@strawberry.input
class CustomerFilter:
    name_prefix: str | None = None
    phone: str | None = strawberry.field(default=None, description="Any spelling of a number.")
    category: str | None = None
    tag: str | None = None
    owner_id: strawberry.ID | None = None
    custom_fields: JSON | None = strawberry.field(
        default=None, description='Field values that must match, e.g. {"tier": "gold"}.'
    )
    updated_since: datetime | None = None
    mine: bool | None = strawberry.field(default=None, description="Only the caller's own.")


@strawberry.input
class AssignCustomersInput:
    owner_id: strawberry.ID | None = strawberry.field(description="Null unassigns.")
    ids: list[strawberry.ID] | None = None
    filter: CustomerFilter | None = None


@strawberry.type
class AssignCustomersPayload:
    updated: int


@strawberry.input
class CustomerOrder:
    field: CustomerSortEnum = CustomerSortEnum.CREATED_AT  # type: ignore[valid-type, attr-defined]
    descending: bool = False


def filter_in(value: CustomerFilter | None) -> CustomerFilterIn | None:
    """The validated filter of a GraphQL ``CustomerFilter``."""
    if value is None:
        return None
    return parse_input(
        CustomerFilterIn,
        given_fields(
            name_prefix=value.name_prefix,
            phone=value.phone,
            category=value.category,
            tag=value.tag,
            owner_id=optional_global_id(value.owner_id, "User", "filter.ownerId"),
            custom_fields=value.custom_fields,
            updated_since=value.updated_since,
            mine=value.mine,
        ),
    )


@strawberry.type
class Query:
    @strawberry.field(description="One customer of the caller's tenant.")
    async def customer(self, info: Info[RequestContext, None], id: strawberry.ID) -> CustomerType:
        ctx = info.context
        row = await service.get_customer(
            session=ctx.session,
            principal=await ctx.principal(),
            customer_id=expect_global_id(id, "Customer"),
        )
        return CustomerType.from_row(row)

    @strawberry.field(description="Customers matching every condition of the filter.")
    async def customers(
        self,
        info: Info[RequestContext, None],
        filter: CustomerFilter | None = None,
        order_by: CustomerOrder | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[CustomerType]:
        ctx = info.context
        principal = await ctx.principal()
        order = order_by or CustomerOrder()
        page = await service.list_customers(
            session=ctx.session,
            principal=principal,
            filter_in=filter_in(filter),
            page=page_request(first, after, max_page_size=ctx.max_page_size),
            sort=CustomerSort(enum_value(order.field)),
            descending=order.descending,
            regions=ctx.regions,
        )
        return connection(page, CustomerType.from_row)


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def create_customer(
        self, info: Info[RequestContext, None], input: CreateCustomerInput
    ) -> CustomerType:
        ctx = info.context
        principal = await ctx.principal()
        customer_in = parse_input(
            CustomerCreateIn,
            given_fields(
                name=input.name,
                phones=input.phones,
                company=input.company,
                emails=input.emails,
                category=input.category,
                tags=input.tags,
                owner_id=optional_global_id(input.owner_id, "User", "ownerId"),
                notes=input.notes,
                custom_fields=input.custom_fields,
                external_id=input.external_id,
            ),
        )
        row = await service.create_customer(
            session=ctx.session, principal=principal, customer_in=customer_in, regions=ctx.regions
        )
        return CustomerType.from_row(row)

    @strawberry.mutation
    async def update_customer(
        self, info: Info[RequestContext, None], input: UpdateCustomerInput
    ) -> CustomerType:
        ctx = info.context
        principal = await ctx.principal()
        customer_id = expect_global_id(input.id, "Customer")
        customer_in = parse_input(
            CustomerUpdateIn,
            given_fields(
                name=input.name,
                phones=input.phones,
                company=input.company,
                emails=input.emails,
                category=input.category,
                clear_category=input.clear_category,
                tags=input.tags,
                owner_id=optional_global_id(input.owner_id, "User", "ownerId"),
                clear_owner=input.clear_owner,
                notes=input.notes,
                custom_fields=input.custom_fields,
                external_id=input.external_id,
            ),
        )
        row = await service.update_customer(
            session=ctx.session,
            principal=principal,
            customer_id=customer_id,
            customer_in=customer_in,
            regions=ctx.regions,
        )
        return CustomerType.from_row(row)

    @strawberry.mutation
    async def delete_customer(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> DeletePayload:
        ctx = info.context
        principal = await ctx.principal()
        await service.delete_customer(
            session=ctx.session, principal=principal, customer_id=expect_global_id(id, "Customer")
        )
        return DeletePayload(deleted_id=id)

    @strawberry.mutation(description="Assign customers to an owner one by one or by filter.")
    async def assign_customers(
        self, info: Info[RequestContext, None], input: AssignCustomersInput
    ) -> AssignCustomersPayload:
        ctx = info.context
        principal = await ctx.principal()
        ids = [expect_customer_id(i) for i in input.ids] if input.ids is not None else None
        updated = await service.assign_customers(
            session=ctx.session,
            principal=principal,
            owner_id=optional_global_id(input.owner_id, "User", "ownerId"),
            customer_ids=ids,
            filter_in=filter_in(input.filter) if input.filter is not None else None,
            regions=ctx.regions,
        )
        return AssignCustomersPayload(updated=updated)

    @strawberry.mutation(description="Add a dated note to a customer's timeline.")
    async def add_customer_note(
        self, info: Info[RequestContext, None], customer_id: strawberry.ID, body: str
    ) -> CustomerNoteType:
        ctx = info.context
        principal = await ctx.principal()
        note = await service.add_note(
            session=ctx.session,
            principal=principal,
            customer_id=expect_global_id(customer_id, "Customer"),
            body=body,
        )
        return CustomerNoteType.from_row(note)


async def _resolve_customer(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    row = await service.get_customer(
        session=ctx.session, principal=await ctx.principal(), customer_id=row_id
    )
    return CustomerType.from_row(row)


async def _resolve_note(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    row = await service.get_note(
        session=ctx.session, principal=await ctx.principal(), note_id=row_id
    )
    return CustomerNoteType.from_row(row)


NODE_RESOLVERS = {"Customer": _resolve_customer, "CustomerNote": _resolve_note}


TYPES = [CustomerType, CustomerNoteType]
