"""GraphQL surface of tickets: opening, listing, updating and moving them through their
workflow."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from tenants.crm import loaders as crm_loaders
from tenants.crm.customers.graphql import CustomerType
from tenants.crm.edge import optional_global_id
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
from tenants.input_validation import given_fields, parse_input
from tenants.tickets import loaders, models, tickets_service
from tenants.tickets.categories_graphql import TicketCategoryType, WorkflowStepType
from tenants.tickets.comments_graphql import (
    TicketAttachmentType,
    TicketCommentType,
    TicketHistoryEntryType,
)
from tenants.tickets.schemas import (
    Priority,
    TicketCreateIn,
    TicketFilterIn,
    TicketStatus,
    TicketUpdateIn,
    Transition,
    TransitionIn,
)

PriorityEnum = strawberry.enum(Priority, name="TicketPriority")
StatusEnum = strawberry.enum(TicketStatus, name="TicketStatus")
TransitionEnum = strawberry.enum(Transition, name="TicketTransition")


@strawberry.type(name="Ticket")
class TicketType(Node):
    number: str = strawberry.field(description="The human number, e.g. T-000123.")
    subject: str
    description: str
    fields: JSON
    priority: PriorityEnum  # type: ignore[valid-type]
    status: StatusEnum  # type: ignore[valid-type]
    call_id: str | None
    step_started_at: datetime | None
    step_due_at: datetime | None
    due_at: datetime | None
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    row: strawberry.Private[models.Ticket]
    step: strawberry.Private[models.WorkflowStep | None] = None

    @classmethod
    def from_row(cls, row: models.Ticket, step: models.WorkflowStep | None = None) -> TicketType:
        return cls(
            id=to_global_id("Ticket", row.id),
            number=row.display_number,
            subject=row.subject,
            description=row.description,
            fields=dict(row.fields),
            priority=Priority(row.priority),
            status=TicketStatus(row.status),
            call_id=row.call_id,
            step_started_at=row.step_started_at,
            step_due_at=row.step_due_at,
            due_at=row.due_at,
            closed_at=row.closed_at,
            created_at=row.created_at,
            updated_at=row.updated_at,
            row=row,
            step=step,
        )

    @strawberry.field
    async def customer(self, info: Info[RequestContext, None]) -> CustomerType | None:
        if self.row.customer_id is None:
            return None
        row = await crm_loaders.customers(info.context, self.row.tenant_id).load(
            self.row.customer_id
        )
        return CustomerType.from_row(row) if row else None

    @strawberry.field
    async def assignee(self, info: Info[RequestContext, None]) -> UserType | None:
        if self.row.assignee_id is None:
            return None
        row = await crm_loaders.users(info.context, self.row.tenant_id).load(self.row.assignee_id)
        return UserType.from_row(row) if row else None

    @strawberry.field
    async def current_step(self, info: Info[RequestContext, None]) -> WorkflowStepType | None:
        if self.row.current_step_id is None:
            return None
        step = self.step
        if step is None:
            step = await loaders.steps(info.context, self.row.tenant_id).load(
                self.row.current_step_id
            )
        return WorkflowStepType.from_row(step) if step else None

    @strawberry.field
    async def category(self, info: Info[RequestContext, None]) -> TicketCategoryType | None:
        row = await loaders.categories(info.context, self.row.tenant_id).load(self.row.category_id)
        return TicketCategoryType.from_row(row) if row else None

    @strawberry.field
    async def comments(self, info: Info[RequestContext, None]) -> list[TicketCommentType]:
        rows = await loaders.comments(info.context, self.row.tenant_id).load(self.row.id)
        return [TicketCommentType.from_row(r) for r in rows or []]

    @strawberry.field
    async def attachments(self, info: Info[RequestContext, None]) -> list[TicketAttachmentType]:
        rows = await loaders.attachments(info.context, self.row.tenant_id).load(self.row.id)
        return [TicketAttachmentType.from_row(r) for r in rows or []]

    @strawberry.field(description="Who did what, when; append-only.")
    async def history(self, info: Info[RequestContext, None]) -> list[TicketHistoryEntryType]:
        rows = await loaders.history(info.context, self.row.tenant_id).load(self.row.id)
        return [TicketHistoryEntryType.from_row(r) for r in rows or []]


@strawberry.input
class CreateTicketInput:
    category_id: strawberry.ID
    subject: str
    description: str | None = None
    customer_id: strawberry.ID | None = None
    caller_number: str | None = strawberry.field(
        default=None, description="Pre-fills the customer from any spelling of a number."
    )
    call_id: str | None = None
    fields: JSON | None = None
    priority: PriorityEnum | None = None  # type: ignore[valid-type]
    assignee_id: strawberry.ID | None = None


@strawberry.input
class UpdateTicketInput:
    id: strawberry.ID
    subject: str | None = None
    description: str | None = None
    fields: JSON | None = None
    priority: PriorityEnum | None = None  # type: ignore[valid-type]


@strawberry.input
class TransitionTicketInput:
    id: strawberry.ID
    action: TransitionEnum  # type: ignore[valid-type]
    assignee_id: strawberry.ID | None = None
    to_step_id: strawberry.ID | None = None
    comment: str | None = None


@strawberry.input
class TicketFilter:
    status: StatusEnum | None = None  # type: ignore[valid-type]
    assignee_id: strawberry.ID | None = None
    customer_id: strawberry.ID | None = None
    category_id: strawberry.ID | None = None
    mine: bool | None = None


@strawberry.type
class Query:
    @strawberry.field(description="One ticket of the caller's tenant.")
    async def ticket(self, info: Info[RequestContext, None], id: strawberry.ID) -> TicketType:
        ctx = info.context
        row = await tickets_service.get_ticket(
            session=ctx.session,
            principal=await ctx.principal(),
            ticket_id=expect_global_id(id, "Ticket"),
        )
        return TicketType.from_row(row)

    @strawberry.field(description="Tickets matching every condition, oldest first.")
    async def tickets(
        self,
        info: Info[RequestContext, None],
        filter: TicketFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[TicketType]:
        ctx = info.context
        principal = await ctx.principal()
        filter_in = None
        if filter is not None:
            filter_in = parse_input(
                TicketFilterIn,
                given_fields(
                    status=filter.status,
                    assignee_id=optional_global_id(filter.assignee_id, "User", "filter.assigneeId"),
                    customer_id=optional_global_id(
                        filter.customer_id, "Customer", "filter.customerId"
                    ),
                    category_id=optional_global_id(
                        filter.category_id, "TicketCategory", "filter.categoryId"
                    ),
                    mine=filter.mine,
                ),
            )
        page = await tickets_service.list_tickets(
            session=ctx.session,
            principal=principal,
            filter_in=filter_in,
            page=page_request(first, after, max_page_size=ctx.max_page_size),
        )
        return connection(page, lambda pair: TicketType.from_row(pair[0], pair[1]))


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Open a ticket; a caller number or call id pre-fills it.")
    async def create_ticket(
        self, info: Info[RequestContext, None], input: CreateTicketInput
    ) -> TicketType:
        ctx = info.context
        principal = await ctx.principal()
        data = given_fields(
            category_id=optional_global_id(input.category_id, "TicketCategory", "categoryId"),
            subject=input.subject,
            description=input.description,
            customer_id=optional_global_id(input.customer_id, "Customer", "customerId"),
            caller_number=input.caller_number,
            call_id=input.call_id,
            fields=input.fields,
            priority=input.priority,
            assignee_id=optional_global_id(input.assignee_id, "User", "assigneeId"),
        )
        row = await tickets_service.create_ticket(
            session=ctx.session,
            principal=principal,
            ticket_in=parse_input(TicketCreateIn, data),
            regions=ctx.regions,
        )
        return TicketType.from_row(row)

    @strawberry.mutation
    async def update_ticket(
        self, info: Info[RequestContext, None], input: UpdateTicketInput
    ) -> TicketType:
        ctx = info.context
        principal = await ctx.principal()
        ticket_id = expect_global_id(input.id, "Ticket")
        ticket_in = parse_input(
            TicketUpdateIn,
            given_fields(
                subject=input.subject,
                description=input.description,
                fields=input.fields,
                priority=input.priority,
            ),
        )
        row = await tickets_service.update_ticket(
            session=ctx.session,
            principal=principal,
            ticket_id=ticket_id,
            ticket_in=ticket_in,
            regions=ctx.regions,
        )
        return TicketType.from_row(row)

    @strawberry.mutation(description="Advance, send back, reassign, close or reopen a ticket.")
    async def transition_ticket(
        self, info: Info[RequestContext, None], input: TransitionTicketInput
    ) -> TicketType:
        ctx = info.context
        principal = await ctx.principal()
        ticket_id = expect_global_id(input.id, "Ticket")
        transition_in = parse_input(
            TransitionIn,
            given_fields(
                action=input.action,
                assignee_id=optional_global_id(input.assignee_id, "User", "assigneeId"),
                to_step_id=optional_global_id(input.to_step_id, "WorkflowStep", "toStepId"),
                comment=input.comment,
            ),
        )
        row = await tickets_service.transition_ticket(
            session=ctx.session,
            principal=principal,
            ticket_id=ticket_id,
            transition_in=transition_in,
        )
        return TicketType.from_row(row)


async def _resolve_ticket(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    row = await tickets_service.get_ticket(
        session=ctx.session, principal=await ctx.principal(), ticket_id=row_id
    )
    return TicketType.from_row(row)


NODE_RESOLVERS = {"Ticket": _resolve_ticket}
