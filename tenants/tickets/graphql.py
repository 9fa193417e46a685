"""GraphQL surface of tickets: teams, categories and workflows, tickets and transitions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from tenants.crm import loaders as crm_loaders
from tenants.crm.custom_fields.graphql import CustomFieldInput, CustomFieldTypeEnum
from tenants.crm.custom_fields.values import FieldType
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
from tenants.identity.graphql import RoleEnum, UserType
from tenants.identity.roles import Role
from tenants.input_validation import enum_value, given_fields, parse_input
from tenants.tickets import loaders, models, repository, service
from tenants.tickets.schemas import (
    AttachmentIn,
    CommentIn,
    Priority,
    TeamIn,
    TicketCategoryIn,
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


@strawberry.type(name="Team")
class TeamType(Node):
    name: str
    row: strawberry.Private[models.Team]

    @classmethod
    def from_row(cls, row: models.Team) -> TeamType:
        return cls(id=to_global_id("Team", row.id), name=row.name, row=row)

    @strawberry.field
    async def members(self, info: Info[RequestContext, None]) -> list[UserType]:
        ctx = info.context
        ids = await loaders.team_members(ctx, self.row.tenant_id).load(self.row.id) or []
        users = await crm_loaders.users(ctx, self.row.tenant_id).load_many(ids)
        return [UserType.from_row(u) for u in users if u is not None]


@strawberry.type(name="WorkflowStep")
class WorkflowStepType(Node):
    name: str
    position: int
    role: str | None
    sla_seconds: int
    row: strawberry.Private[models.WorkflowStep]

    @classmethod
    def from_row(cls, row: models.WorkflowStep) -> WorkflowStepType:
        return cls(
            id=to_global_id("WorkflowStep", row.id),
            name=row.name,
            position=row.position,
            role=row.role,
            sla_seconds=row.sla_seconds,
            row=row,
        )

    @strawberry.field
    async def team(self, info: Info[RequestContext, None]) -> TeamType | None:
        if self.row.team_id is None:
            return None
        row = await loaders.teams(info.context, self.row.tenant_id).load(self.row.team_id)
        return TeamType.from_row(row) if row else None


@strawberry.type(name="TicketFieldDefinition")
class TicketFieldDefinitionType:
    key: str
    label: str
    type: CustomFieldTypeEnum  # type: ignore[valid-type]
    required: bool
    default: JSON | None
    options: list[str]


@strawberry.type(name="TicketCategory")
class TicketCategoryType(Node):
    name: str
    fields: list[TicketFieldDefinitionType]
    row: strawberry.Private[models.TicketCategory]

    @classmethod
    def from_row(cls, row: models.TicketCategory) -> TicketCategoryType:
        return cls(
            id=to_global_id("TicketCategory", row.id),
            name=row.name,
            fields=[
                TicketFieldDefinitionType(
                    key=f["key"],
                    label=f["label"],
                    type=FieldType(f["type"]),
                    required=bool(f.get("required")),
                    default=f.get("default"),
                    options=list(f.get("options") or []),
                )
                for f in row.fields
            ],
            row=row,
        )

    @strawberry.field(description="The workflow: ordered steps.")
    async def steps(self, info: Info[RequestContext, None]) -> list[WorkflowStepType]:
        rows = await loaders.category_steps(info.context, self.row.tenant_id).load(self.row.id)
        return [WorkflowStepType.from_row(s) for s in rows or []]


@strawberry.type(name="TicketComment")
class TicketCommentType(Node):
    body: str
    created_at: datetime
    row: strawberry.Private[models.TicketComment]

    @classmethod
    def from_row(cls, row: models.TicketComment) -> TicketCommentType:
        return cls(
            id=to_global_id("TicketComment", row.id),
            body=row.body,
            created_at=row.created_at,
            row=row,
        )

    @strawberry.field
    async def author(self, info: Info[RequestContext, None]) -> UserType | None:
        if self.row.author_id is None:
            return None
        row = await crm_loaders.users(info.context, self.row.tenant_id).load(self.row.author_id)
        return UserType.from_row(row) if row else None


@strawberry.type(name="TicketAttachment")
class TicketAttachmentType(Node):
    filename: str
    content_type: str
    size_bytes: float
    storage_key: str
    created_at: datetime

    @classmethod
    def from_row(cls, row: models.TicketAttachment) -> TicketAttachmentType:
        return cls(
            id=to_global_id("TicketAttachment", row.id),
            filename=row.filename,
            content_type=row.content_type,
            size_bytes=row.size_bytes,
            storage_key=row.storage_key,
            created_at=row.created_at,
        )


def _step_gid(step_id: uuid.UUID | None) -> strawberry.ID | None:
    return to_global_id("WorkflowStep", step_id) if step_id else None


@strawberry.type(name="TicketHistoryEntry")
class TicketHistoryEntryType(Node):
    action: str
    at: datetime
    from_step_id: strawberry.ID | None
    to_step_id: strawberry.ID | None
    detail: JSON
    row: strawberry.Private[models.TicketHistory]

    @classmethod
    def from_row(cls, row: models.TicketHistory) -> TicketHistoryEntryType:
        return cls(
            id=to_global_id("TicketHistoryEntry", row.id),
            action=row.action,
            at=row.at,
            from_step_id=_step_gid(row.from_step_id),
            to_step_id=_step_gid(row.to_step_id),
            detail=dict(row.detail),
            row=row,
        )

    @strawberry.field
    async def actor(self, info: Info[RequestContext, None]) -> UserType | None:
        if self.row.actor_id is None:
            return None
        row = await crm_loaders.users(info.context, self.row.tenant_id).load(self.row.actor_id)
        return UserType.from_row(row) if row else None


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
        rows = await repository.comments_of(
            info.context.session, tenant_id=self.row.tenant_id, ticket_id=self.row.id
        )
        return [TicketCommentType.from_row(r) for r in rows]

    @strawberry.field
    async def attachments(self, info: Info[RequestContext, None]) -> list[TicketAttachmentType]:
        rows = await repository.attachments_of(
            info.context.session, tenant_id=self.row.tenant_id, ticket_id=self.row.id
        )
        return [TicketAttachmentType.from_row(r) for r in rows]

    @strawberry.field(description="Who did what, when; append-only.")
    async def history(self, info: Info[RequestContext, None]) -> list[TicketHistoryEntryType]:
        rows = await repository.history_of(
            info.context.session, tenant_id=self.row.tenant_id, ticket_id=self.row.id
        )
        return [TicketHistoryEntryType.from_row(r) for r in rows]


@strawberry.type
class DeletedPayload:
    deleted_id: strawberry.ID


@strawberry.input
class TeamInput:
    name: str
    member_ids: list[strawberry.ID] | None = None


@strawberry.input
class WorkflowStepInput:
    name: str
    sla_seconds: int
    team_id: strawberry.ID | None = None
    role: RoleEnum | None = None  # type: ignore[valid-type]


@strawberry.input
class TicketCategoryInput:
    name: str
    steps: list[WorkflowStepInput]
    fields: list[CustomFieldInput] | None = None


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


@strawberry.input
class AttachmentInput:
    ticket_id: strawberry.ID
    filename: str
    content_type: str
    size_bytes: int
    storage_key: str


def _category_in(input: TicketCategoryInput) -> TicketCategoryIn:
    fields = []
    for f in input.fields or []:
        data = given_fields(
            key=f.key,
            label=f.label,
            type=f.type,
            required=f.required,
            unique=f.unique,
            options=f.options,
            position=f.position,
        )
        data["default"] = f.default
        fields.append(data)
    steps = [
        given_fields(
            name=s.name,
            sla_seconds=s.sla_seconds,
            team_id=optional_global_id(s.team_id, "Team", "steps.teamId"),
            role=Role(enum_value(s.role)) if s.role is not None else None,
        )
        for s in input.steps
    ]
    return parse_input(TicketCategoryIn, {"name": input.name, "fields": fields, "steps": steps})


def _ids(values: list[strawberry.ID] | None, type_name: str, field: str) -> list[uuid.UUID] | None:
    if values is None:
        return None
    return [optional_global_id(v, type_name, field) for v in values]  # type: ignore[misc]


@strawberry.type
class Query:
    @strawberry.field(description="One ticket of the caller's tenant.")
    async def ticket(self, info: Info[RequestContext, None], id: strawberry.ID) -> TicketType:
        ctx = info.context
        row = await service.get_ticket(
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
        page = await service.list_tickets(
            session=ctx.session,
            principal=principal,
            filter_in=filter_in,
            page=page_request(first, after, max_page_size=ctx.max_page_size),
        )
        return connection(page, lambda pair: TicketType.from_row(pair[0], pair[1]))

    @strawberry.field(description="The tenant's teams (departments).")
    async def teams(self, info: Info[RequestContext, None]) -> list[TeamType]:
        ctx = info.context
        rows = await service.list_teams(session=ctx.session, principal=await ctx.principal())
        return [TeamType.from_row(r) for r in rows]

    @strawberry.field(description="The tenant's ticket categories with their workflows.")
    async def ticket_categories(self, info: Info[RequestContext, None]) -> list[TicketCategoryType]:
        ctx = info.context
        rows = await service.list_categories(session=ctx.session, principal=await ctx.principal())
        return [TicketCategoryType.from_row(r) for r in rows]


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def create_team(self, info: Info[RequestContext, None], input: TeamInput) -> TeamType:
        ctx = info.context
        principal = await ctx.principal()
        team_in = parse_input(
            TeamIn,
            given_fields(name=input.name, member_ids=_ids(input.member_ids, "User", "memberIds")),
        )
        row = await service.save_team(
            session=ctx.session, principal=principal, team_in=team_in, team_id=None
        )
        return TeamType.from_row(row)

    @strawberry.mutation
    async def update_team(
        self, info: Info[RequestContext, None], id: strawberry.ID, input: TeamInput
    ) -> TeamType:
        ctx = info.context
        principal = await ctx.principal()
        team_id = expect_global_id(id, "Team")
        team_in = parse_input(
            TeamIn,
            given_fields(name=input.name, member_ids=_ids(input.member_ids, "User", "memberIds")),
        )
        row = await service.save_team(
            session=ctx.session, principal=principal, team_in=team_in, team_id=team_id
        )
        return TeamType.from_row(row)

    @strawberry.mutation
    async def delete_team(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> DeletedPayload:
        ctx = info.context
        principal = await ctx.principal()
        await service.delete_team(
            session=ctx.session, principal=principal, team_id=expect_global_id(id, "Team")
        )
        return DeletedPayload(deleted_id=id)

    @strawberry.mutation
    async def create_ticket_category(
        self, info: Info[RequestContext, None], input: TicketCategoryInput
    ) -> TicketCategoryType:
        ctx = info.context
        principal = await ctx.principal()
        row = await service.save_category(
            session=ctx.session,
            principal=principal,
            category_in=_category_in(input),
            category_id=None,
        )
        return TicketCategoryType.from_row(row)

    @strawberry.mutation
    async def update_ticket_category(
        self, info: Info[RequestContext, None], id: strawberry.ID, input: TicketCategoryInput
    ) -> TicketCategoryType:
        ctx = info.context
        principal = await ctx.principal()
        category_id = expect_global_id(id, "TicketCategory")
        row = await service.save_category(
            session=ctx.session,
            principal=principal,
            category_in=_category_in(input),
            category_id=category_id,
        )
        return TicketCategoryType.from_row(row)

    @strawberry.mutation
    async def delete_ticket_category(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> DeletedPayload:
        ctx = info.context
        principal = await ctx.principal()
        await service.delete_category(
            session=ctx.session,
            principal=principal,
            category_id=expect_global_id(id, "TicketCategory"),
        )
        return DeletedPayload(deleted_id=id)

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
        row = await service.create_ticket(
            session=ctx.session, principal=principal, ticket_in=parse_input(TicketCreateIn, data)
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
        row = await service.update_ticket(
            session=ctx.session, principal=principal, ticket_id=ticket_id, ticket_in=ticket_in
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
        row = await service.transition_ticket(
            session=ctx.session,
            principal=principal,
            ticket_id=ticket_id,
            transition_in=transition_in,
        )
        return TicketType.from_row(row)

    @strawberry.mutation
    async def add_ticket_comment(
        self, info: Info[RequestContext, None], ticket_id: strawberry.ID, body: str
    ) -> TicketCommentType:
        ctx = info.context
        principal = await ctx.principal()
        row = await service.add_comment(
            session=ctx.session,
            principal=principal,
            ticket_id=expect_global_id(ticket_id, "Ticket"),
            comment_in=parse_input(CommentIn, {"body": body}),
        )
        return TicketCommentType.from_row(row)

    @strawberry.mutation
    async def add_ticket_attachment(
        self, info: Info[RequestContext, None], input: AttachmentInput
    ) -> TicketAttachmentType:
        ctx = info.context
        principal = await ctx.principal()
        ticket_id = expect_global_id(input.ticket_id, "Ticket")
        attachment_in = parse_input(
            AttachmentIn,
            {
                "filename": input.filename,
                "content_type": input.content_type,
                "size_bytes": input.size_bytes,
                "storage_key": input.storage_key,
            },
        )
        row = await service.add_attachment(
            session=ctx.session,
            principal=principal,
            ticket_id=ticket_id,
            attachment_in=attachment_in,
        )
        return TicketAttachmentType.from_row(row)


async def _resolve_ticket(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    row = await service.get_ticket(
        session=ctx.session, principal=await ctx.principal(), ticket_id=row_id
    )
    return TicketType.from_row(row)


async def _resolve_team(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    row = await service.get_team(
        session=ctx.session, principal=await ctx.principal(), team_id=row_id
    )
    return TeamType.from_row(row)


async def _resolve_category(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    row = await service.get_category(
        session=ctx.session, principal=await ctx.principal(), category_id=row_id
    )
    return TicketCategoryType.from_row(row)


async def _resolve_step(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    row = await service.get_step(
        session=ctx.session, principal=await ctx.principal(), step_id=row_id
    )
    return WorkflowStepType.from_row(row)


def _child_resolver(type_name: str, to_node: Any) -> Any:
    async def resolve(ctx: RequestContext, row_id: uuid.UUID) -> Node:
        row = await service.get_child(
            session=ctx.session,
            principal=await ctx.principal(),
            model=service.CHILD_MODELS[type_name],
            row_id=row_id,
        )
        return to_node(row)

    return resolve


NODE_RESOLVERS = {
    "Ticket": _resolve_ticket,
    "Team": _resolve_team,
    "TicketCategory": _resolve_category,
    "WorkflowStep": _resolve_step,
    "TicketComment": _child_resolver("TicketComment", TicketCommentType.from_row),
    "TicketAttachment": _child_resolver("TicketAttachment", TicketAttachmentType.from_row),
    "TicketHistoryEntry": _child_resolver("TicketHistoryEntry", TicketHistoryEntryType.from_row),
}
"""How ``node(id:)`` loads each ticket type, always through the service's tenant checks."""

TYPES = [
    TicketType,
    TeamType,
    TicketCategoryType,
    WorkflowStepType,
    TicketCommentType,
    TicketAttachmentType,
    TicketHistoryEntryType,
]
