"""GraphQL surface of skills."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry
from strawberry.types import Info

from routing.config import models
from routing.config.edge import principal_of, publications_of
from routing.config.schemas import SkillIn
from routing.config.skills import service
from tenants.graphql.context import RequestContext
from tenants.graphql.relay import (
    Connection,
    Node,
    connection,
    expect_global_id,
    page_request,
    to_global_id,
)
from tenants.input_validation import parse_input


@strawberry.type(name="Skill")
class SkillType(Node):
    name: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: models.Skill) -> SkillType:
        return cls(
            id=to_global_id("Skill", row.id),
            name=row.name,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


@strawberry.input
class CreateSkillInput:
    name: str


@strawberry.input
class UpdateSkillInput:
    id: strawberry.ID
    name: str


@strawberry.type
class Query:
    @strawberry.field(description="The tenant's skills (supervisors and managers).")
    async def skills(
        self, info: Info[RequestContext, None], first: int | None = None, after: str | None = None
    ) -> Connection[SkillType]:
        ctx = info.context
        page = await service.list_skills(
            session=ctx.session,
            principal=await principal_of(info),
            page=page_request(first, after, max_page_size=ctx.max_page_size),
        )
        return connection(page, SkillType.from_row)


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def create_skill(
        self, info: Info[RequestContext, None], input: CreateSkillInput
    ) -> SkillType:
        ctx = info.context
        principal = await principal_of(info)
        skill = await service.create_skill(
            session=ctx.session,
            principal=principal,
            skill_in=parse_input(SkillIn, {"name": input.name}, camel=True),
            publications=publications_of(ctx),
        )
        return SkillType.from_row(skill)

    @strawberry.mutation
    async def update_skill(
        self, info: Info[RequestContext, None], input: UpdateSkillInput
    ) -> SkillType:
        ctx = info.context
        principal = await principal_of(info)
        skill = await service.update_skill(
            session=ctx.session,
            principal=principal,
            skill_id=expect_global_id(input.id, "Skill"),
            skill_in=parse_input(SkillIn, {"name": input.name}, camel=True),
            publications=publications_of(ctx),
        )
        return SkillType.from_row(skill)

    @strawberry.mutation(description="Delete a skill that no queue requires; returns its id.")
    async def delete_skill(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> strawberry.ID:
        ctx = info.context
        principal = await principal_of(info)
        await service.delete_skill(
            session=ctx.session,
            principal=principal,
            skill_id=expect_global_id(id, "Skill"),
            publications=publications_of(ctx),
        )
        return id


async def _resolve_skill(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    skill = await service.get_skill(
        session=ctx.session, principal=await ctx.principal(), skill_id=row_id
    )
    return SkillType.from_row(skill)


NODE_RESOLVERS = {"Skill": _resolve_skill}


TYPES = [SkillType]
