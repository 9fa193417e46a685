"""GraphQL surface of agent profiles."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from routing.config.agents import service
from routing.config.edge import principal_of, publications_of, queue_ref, set_fields, skill_ref
from routing.config.schemas import AgentProfileIn
from routing.config.skills.graphql import SkillType
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


@strawberry.type
class AgentSkillLevel:
    skill: SkillType
    level: int


@strawberry.type
class QueueRef:
    id: strawberry.ID
    name: str


@strawberry.type(name="AgentProfile")
class AgentProfileType(Node):
    user_id: strawberry.ID
    display_name: str
    role: str
    sip_user: str
    skills: list[AgentSkillLevel]
    queues: list[QueueRef]
    created_at: datetime

    @classmethod
    def from_view(cls, view: service.AgentProfileView) -> AgentProfileType:
        return cls(
            id=to_global_id("AgentProfile", view.profile.id),
            user_id=to_global_id("User", view.user.id),
            display_name=view.user.display_name or view.user.email,
            role=view.user.role,
            sip_user=view.profile.sip_user,
            skills=[
                AgentSkillLevel(skill=SkillType.from_row(skill), level=level.level)
                for level, skill in view.skills
            ],
            queues=[QueueRef(id=to_global_id("Queue", q.id), name=q.name) for q in view.queues],
            created_at=view.profile.created_at,
        )


@strawberry.input
class AgentSkillInput:
    skill_id: strawberry.ID
    level: int


@strawberry.input
class CreateAgentProfileInput:
    user_id: strawberry.ID
    skills: list[AgentSkillInput] | None = strawberry.UNSET
    queue_ids: list[strawberry.ID] | None = strawberry.UNSET
    sip_user: str | None = strawberry.UNSET


@strawberry.input
class UpdateAgentProfileInput:
    id: strawberry.ID
    skills: list[AgentSkillInput] | None = strawberry.UNSET
    queue_ids: list[strawberry.ID] | None = strawberry.UNSET
    sip_user: str | None = strawberry.UNSET


def _profile_changes(
    source: CreateAgentProfileInput | UpdateAgentProfileInput,
) -> dict[str, Any]:
    changes = set_fields(source, ["sip_user"])
    if source.skills is not strawberry.UNSET:
        changes["skills"] = (
            None
            if source.skills is None
            else [
                {"skillId": skill_ref(s.skill_id, f"skills.{i}.skillId"), "level": s.level}
                for i, s in enumerate(source.skills)
            ]
        )
    if source.queue_ids is not strawberry.UNSET:
        changes["queueIds"] = (
            None
            if source.queue_ids is None
            else [queue_ref(q, f"queueIds.{i}") for i, q in enumerate(source.queue_ids)]
        )
    return changes


@strawberry.type
class Query:
    @strawberry.field(description="Agent profiles; an agent sees only their own.")
    async def agent_profiles(
        self, info: Info[RequestContext, None], first: int | None = None, after: str | None = None
    ) -> Connection[AgentProfileType]:
        ctx = info.context
        page = await service.list_agent_profiles(
            session=ctx.session,
            principal=await principal_of(info),
            page=page_request(first, after, max_page_size=ctx.max_page_size),
        )
        return connection(page, AgentProfileType.from_view)

    @strawberry.field(description="Your own agent profile; null when you have none.")
    async def my_agent_profile(self, info: Info[RequestContext, None]) -> AgentProfileType | None:
        ctx = info.context
        view = await service.my_agent_profile(
            session=ctx.session, principal=await principal_of(info)
        )
        return AgentProfileType.from_view(view) if view else None


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Give an agent or supervisor user a routing profile.")
    async def create_agent_profile(
        self, info: Info[RequestContext, None], input: CreateAgentProfileInput
    ) -> AgentProfileType:
        ctx = info.context
        principal = await principal_of(info)
        principal.require(MANAGERS, "manage agent profiles")
        fields = _profile_changes(input)
        try:
            fields["userId"] = str(expect_global_id(input.user_id, "User"))
        except NotFound as err:
            raise NotFound("userId: user not found", field="userId") from err
        view = await service.create_agent_profile(
            session=ctx.session,
            principal=principal,
            profile_in=parse_input(AgentProfileIn, fields, camel=True),
            publications=publications_of(ctx),
        )
        return AgentProfileType.from_view(view)

    @strawberry.mutation
    async def update_agent_profile(
        self, info: Info[RequestContext, None], input: UpdateAgentProfileInput
    ) -> AgentProfileType:
        ctx = info.context
        principal = await principal_of(info)
        profile_id = expect_global_id(input.id, "AgentProfile")
        view = await service.update_agent_profile(
            session=ctx.session,
            principal=principal,
            profile_id=profile_id,
            changes_in=_profile_changes(input),
            publications=publications_of(ctx),
        )
        return AgentProfileType.from_view(view)

    @strawberry.mutation(description="Remove an agent's routing profile; returns its id.")
    async def delete_agent_profile(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> strawberry.ID:
        ctx = info.context
        principal = await principal_of(info)
        await service.delete_agent_profile(
            session=ctx.session,
            principal=principal,
            profile_id=expect_global_id(id, "AgentProfile"),
            publications=publications_of(ctx),
        )
        return id


async def _resolve_agent_profile(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    view = await service.get_agent_profile(
        session=ctx.session, principal=await ctx.principal(), profile_id=row_id
    )
    return AgentProfileType.from_view(view)


NODE_RESOLVERS = {"AgentProfile": _resolve_agent_profile}


TYPES = [AgentProfileType]
