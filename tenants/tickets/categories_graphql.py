"""GraphQL surface of teams, ticket categories and their workflows."""

from __future__ import annotations

import uuid

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from tenants.crm import loaders as crm_loaders
from tenants.crm.custom_fields.graphql import CustomFieldInput, CustomFieldTypeEnum
from tenants.crm.custom_fields.values import FieldType
from tenants.crm.edge import optional_global_id
from tenants.graphql.context import RequestContext
from tenants.graphql.relay import Node, expect_global_id, to_global_id
from tenants.identity.graphql import RoleEnum, UserType
from tenants.identity.roles import Role
from tenants.input_validation import enum_value, given_fields, parse_input
from tenants.tickets import loaders, models, service
from tenants.tickets.schemas import TeamIn, TicketCategoryIn


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


NODE_RESOLVERS = {
    "Team": _resolve_team,
    "TicketCategory": _resolve_category,
    "WorkflowStep": _resolve_step,
}
