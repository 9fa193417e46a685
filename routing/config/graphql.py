"""GraphQL surface of routing configuration: skills, queues, numbers, agent profiles."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from routing.config import models, service
from routing.config.directory import RoutingDirectory
from routing.config.publishing import Publications
from routing.config.schemas import (
    DAYS,
    AgentProfileIn,
    ClosedAction,
    MaxWaitAction,
    PhoneNumberIn,
    QueueIn,
    SkillIn,
    SlFormula,
)
from tenants.errors import BadUserInput, NotFound
from tenants.graphql.context import RequestContext
from tenants.graphql.relay import (
    Connection,
    Node,
    connection,
    expect_global_id,
    page_request,
    to_global_id,
)
from tenants.identity.principal import Principal
from tenants.identity.roles import MANAGERS
from tenants.input_validation import parse_input

SlFormulaEnum = strawberry.enum(SlFormula, name="SlFormula", description="shared/metrics.md")
MaxWaitActionEnum = strawberry.enum(MaxWaitAction, name="MaxWaitAction")
ClosedActionEnum = strawberry.enum(ClosedAction, name="ClosedAction")


# Output types


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


@strawberry.type
class SkillRequirement:
    skill: SkillType
    min_level: int


@strawberry.type
class TimeWindow:
    day: str = strawberry.field(description="mon, tue, wed, thu, fri, sat or sun")
    start: str
    end: str


@strawberry.type
class BusinessHours:
    tz: str
    windows: list[TimeWindow]


@strawberry.type(name="Queue")
class QueueType(Node):
    name: str
    required_skills: list[SkillRequirement]
    priority: int
    sl_threshold_s: int = strawberry.field(description="Service-level threshold T, seconds")
    short_abandon_s: int = strawberry.field(description="Short-abandon threshold S ≤ T, seconds")
    sl_formula: SlFormulaEnum  # type: ignore[valid-type]
    max_wait_s: int = strawberry.field(description="0 = no limit")
    max_wait_action: MaxWaitActionEnum  # type: ignore[valid-type]
    overflow_queue_id: strawberry.ID | None
    wrapup_s: int
    ring_timeout_s: int
    max_size: int = strawberry.field(description="0 = unlimited")
    record: bool
    hours: BusinessHours | None = strawberry.field(description="null = always open")
    closed_action: ClosedActionEnum  # type: ignore[valid-type]
    closed_code: int
    blacklist_code: int
    vip_boost: int
    sticky_agent_s: int = strawberry.field(description="0 = off")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_view(cls, view: service.QueueView) -> QueueType:
        q = view.queue
        hours = None
        if q.hours:
            hours = BusinessHours(
                tz=q.hours["tz"],
                windows=[
                    TimeWindow(day=day, start=start, end=end)
                    for day in DAYS
                    for start, end in q.hours.get("windows", {}).get(day, [])
                ],
            )
        return cls(
            id=to_global_id("Queue", q.id),
            name=q.name,
            required_skills=[
                SkillRequirement(skill=SkillType.from_row(skill), min_level=req.min_level)
                for req, skill in view.requirements
            ],
            priority=q.priority,
            sl_threshold_s=q.sl_threshold_s,
            short_abandon_s=q.short_abandon_s,
            sl_formula=SlFormula(q.sl_formula),
            max_wait_s=q.max_wait_s,
            max_wait_action=MaxWaitAction(q.max_wait_action),
            overflow_queue_id=(
                to_global_id("Queue", q.overflow_queue_id) if q.overflow_queue_id else None
            ),
            wrapup_s=q.wrapup_s,
            ring_timeout_s=q.ring_timeout_s,
            max_size=q.max_size,
            record=q.record,
            hours=hours,
            closed_action=ClosedAction(q.closed_action),
            closed_code=q.closed_code,
            blacklist_code=q.blacklist_code,
            vip_boost=q.vip_boost,
            sticky_agent_s=q.sticky_agent_s,
            created_at=q.created_at,
            updated_at=q.updated_at,
        )


@strawberry.type(name="PhoneNumber")
class PhoneNumberType(Node):
    number: str = strawberry.field(description="E.164")
    raw: str = strawberry.field(description="As it was entered")
    queue_id: strawberry.ID
    description: str
    created_at: datetime

    @classmethod
    def from_row(cls, row: models.PhoneNumber) -> PhoneNumberType:
        return cls(
            id=to_global_id("PhoneNumber", row.id),
            number=row.e164,
            raw=row.raw,
            queue_id=to_global_id("Queue", row.queue_id),
            description=row.description,
            created_at=row.created_at,
        )


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


@strawberry.type(name="RoutingSettings")
class RoutingSettingsType:
    max_concurrent_calls: int = strawberry.field(description="0 = unlimited")
    default_region: str | None = strawberry.field(
        description="ISO country used to read numbers typed without +<country code>"
    )


# Inputs


@strawberry.input
class CreateSkillInput:
    name: str


@strawberry.input
class UpdateSkillInput:
    id: strawberry.ID
    name: str


@strawberry.input
class SkillRequirementInput:
    skill_id: strawberry.ID
    min_level: int


@strawberry.input
class TimeWindowInput:
    day: str = strawberry.field(description="mon … sun")
    start: str = strawberry.field(description="HH:MM")
    end: str = strawberry.field(description="HH:MM (24:00 ends the day)")


@strawberry.input
class BusinessHoursInput:
    tz: str = strawberry.field(description="IANA time zone, e.g. Europe/Paris")
    windows: list[TimeWindowInput]


@strawberry.input
class QueueFieldsInput:
    name: str | None = strawberry.UNSET
    required_skills: list[SkillRequirementInput] | None = strawberry.UNSET
    priority: int | None = strawberry.UNSET
    sl_threshold_s: int | None = strawberry.UNSET
    short_abandon_s: int | None = strawberry.UNSET
    sl_formula: SlFormulaEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    max_wait_s: int | None = strawberry.UNSET
    max_wait_action: MaxWaitActionEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    overflow_queue_id: strawberry.ID | None = strawberry.UNSET
    wrapup_s: int | None = strawberry.UNSET
    ring_timeout_s: int | None = strawberry.UNSET
    max_size: int | None = strawberry.UNSET
    record: bool | None = strawberry.UNSET
    hours: BusinessHoursInput | None = strawberry.UNSET
    closed_action: ClosedActionEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    closed_code: int | None = strawberry.UNSET
    blacklist_code: int | None = strawberry.UNSET
    vip_boost: int | None = strawberry.UNSET
    sticky_agent_s: int | None = strawberry.UNSET


@strawberry.input
class CreateQueueInput(QueueFieldsInput):
    name: str


@strawberry.input
class UpdateQueueInput(QueueFieldsInput):
    id: strawberry.ID


@strawberry.input
class CreatePhoneNumberInput:
    number: str
    queue_id: strawberry.ID
    description: str | None = strawberry.UNSET


@strawberry.input
class UpdatePhoneNumberInput:
    id: strawberry.ID
    number: str | None = strawberry.UNSET
    queue_id: strawberry.ID | None = strawberry.UNSET
    description: str | None = strawberry.UNSET


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


@strawberry.input
class UpdateRoutingSettingsInput:
    max_concurrent_calls: int | None = strawberry.UNSET
    default_region: str | None = strawberry.UNSET


# Input conversion: global ids → row ids, GraphQL names kept for error messages


def _skill_ref(global_id: str, field: str) -> str:
    # An unknown skill is bad input (the skill is data the caller chose, not the target).
    try:
        return str(expect_global_id(global_id, "Skill"))
    except NotFound as err:
        raise BadUserInput(f"{field}: unknown skill", field=field) from err


def _queue_ref(global_id: str, field: str) -> str:
    try:
        return str(expect_global_id(global_id, "Queue"))
    except NotFound as err:
        raise NotFound(f"{field}: queue not found", field=field) from err


def _set_fields(source: object, names: list[str]) -> dict[str, Any]:
    """The fields the client sent (explicit nulls included), keyed by GraphQL name."""
    result: dict[str, Any] = {}
    for name in names:
        value = getattr(source, name)
        if value is strawberry.UNSET:
            continue
        camel = name.split("_")[0] + "".join(p.title() for p in name.split("_")[1:])
        result[camel] = value
    return result


_QUEUE_FIELDS = [
    name for name in QueueFieldsInput.__annotations__ if name not in {"required_skills", "hours"}
]


def _queue_changes(source: QueueFieldsInput) -> dict[str, Any]:
    changes = _set_fields(source, [n for n in _QUEUE_FIELDS if n != "overflow_queue_id"])
    if source.required_skills is not strawberry.UNSET:
        changes["requiredSkills"] = (
            None
            if source.required_skills is None
            else [
                {
                    "skillId": _skill_ref(r.skill_id, f"requiredSkills.{i}.skillId"),
                    "minLevel": r.min_level,
                }
                for i, r in enumerate(source.required_skills)
            ]
        )
    if source.overflow_queue_id is not strawberry.UNSET:
        changes["overflowQueueId"] = (
            None
            if source.overflow_queue_id is None
            else _queue_ref(source.overflow_queue_id, "overflowQueueId")
        )
    if source.hours is not strawberry.UNSET:
        changes["hours"] = (
            None
            if source.hours is None
            else {
                "tz": source.hours.tz,
                "windows": [
                    {"day": w.day, "start": w.start, "end": w.end} for w in source.hours.windows
                ],
            }
        )
    return changes


def _profile_changes(
    source: CreateAgentProfileInput | UpdateAgentProfileInput,
) -> dict[str, Any]:
    changes = _set_fields(source, ["sip_user"])
    if source.skills is not strawberry.UNSET:
        changes["skills"] = (
            None
            if source.skills is None
            else [
                {"skillId": _skill_ref(s.skill_id, f"skills.{i}.skillId"), "level": s.level}
                for i, s in enumerate(source.skills)
            ]
        )
    if source.queue_ids is not strawberry.UNSET:
        changes["queueIds"] = (
            None
            if source.queue_ids is None
            else [_queue_ref(q, f"queueIds.{i}") for i, q in enumerate(source.queue_ids)]
        )
    return changes


def _publications(ctx: RequestContext) -> Publications:
    """A record of Redis writes that the edge applies after this request commits."""
    publications = Publications()

    async def publish() -> None:
        await publications.apply(RoutingDirectory(ctx.redis))

    ctx.after_commit(publish)
    return publications


async def _principal(info: Info[RequestContext, None]) -> Principal:
    return await info.context.principal()


@strawberry.type
class Query:
    @strawberry.field(description="The tenant's skills (supervisors and managers).")
    async def skills(
        self, info: Info[RequestContext, None], first: int | None = None, after: str | None = None
    ) -> Connection[SkillType]:
        ctx = info.context
        page = await service.list_skills(
            session=ctx.session,
            principal=await _principal(info),
            page=page_request(first, after, max_page_size=ctx.max_page_size),
        )
        return connection(page, SkillType.from_row)

    @strawberry.field(description="The tenant's queues (supervisors and managers).")
    async def queues(
        self, info: Info[RequestContext, None], first: int | None = None, after: str | None = None
    ) -> Connection[QueueType]:
        ctx = info.context
        page = await service.list_queues(
            session=ctx.session,
            principal=await _principal(info),
            page=page_request(first, after, max_page_size=ctx.max_page_size),
        )
        return connection(page, QueueType.from_view)

    @strawberry.field(description="One queue of the tenant.")
    async def queue(self, info: Info[RequestContext, None], id: strawberry.ID) -> QueueType:
        ctx = info.context
        view = await service.get_queue(
            session=ctx.session,
            principal=await _principal(info),
            queue_id=expect_global_id(id, "Queue"),
        )
        return QueueType.from_view(view)

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
            principal=await _principal(info),
            page=page_request(first, after, max_page_size=ctx.max_page_size),
            queue_id=None if queue_id is None else expect_global_id(queue_id, "Queue"),
        )
        return connection(page, PhoneNumberType.from_row)

    @strawberry.field(description="Agent profiles; an agent sees only their own.")
    async def agent_profiles(
        self, info: Info[RequestContext, None], first: int | None = None, after: str | None = None
    ) -> Connection[AgentProfileType]:
        ctx = info.context
        page = await service.list_agent_profiles(
            session=ctx.session,
            principal=await _principal(info),
            page=page_request(first, after, max_page_size=ctx.max_page_size),
        )
        return connection(page, AgentProfileType.from_view)

    @strawberry.field(description="The tenant's routing limits.")
    async def routing_settings(self, info: Info[RequestContext, None]) -> RoutingSettingsType:
        ctx = info.context
        current = await service.get_routing_settings(
            session=ctx.session, principal=await _principal(info)
        )
        return RoutingSettingsType(
            max_concurrent_calls=current.max_concurrent_calls,
            default_region=current.default_region,
        )


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def create_skill(
        self, info: Info[RequestContext, None], input: CreateSkillInput
    ) -> SkillType:
        ctx = info.context
        principal = await _principal(info)
        skill = await service.create_skill(
            session=ctx.session,
            principal=principal,
            skill_in=parse_input(SkillIn, {"name": input.name}, camel=True),
            publications=_publications(ctx),
        )
        return SkillType.from_row(skill)

    @strawberry.mutation
    async def update_skill(
        self, info: Info[RequestContext, None], input: UpdateSkillInput
    ) -> SkillType:
        ctx = info.context
        principal = await _principal(info)
        skill = await service.update_skill(
            session=ctx.session,
            principal=principal,
            skill_id=expect_global_id(input.id, "Skill"),
            skill_in=parse_input(SkillIn, {"name": input.name}, camel=True),
            publications=_publications(ctx),
        )
        return SkillType.from_row(skill)

    @strawberry.mutation(description="Delete a skill that no queue requires; returns its id.")
    async def delete_skill(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> strawberry.ID:
        ctx = info.context
        principal = await _principal(info)
        await service.delete_skill(
            session=ctx.session,
            principal=principal,
            skill_id=expect_global_id(id, "Skill"),
            publications=_publications(ctx),
        )
        return id

    @strawberry.mutation
    async def create_queue(
        self, info: Info[RequestContext, None], input: CreateQueueInput
    ) -> QueueType:
        ctx = info.context
        principal = await _principal(info)
        principal.require(MANAGERS, "manage queues")
        queue_in = parse_input(QueueIn, _queue_changes(input), camel=True)
        view = await service.create_queue(
            session=ctx.session,
            principal=principal,
            queue_in=queue_in,
            publications=_publications(ctx),
        )
        return QueueType.from_view(view)

    @strawberry.mutation(description="Change the fields given; null clears hours/overflow.")
    async def update_queue(
        self, info: Info[RequestContext, None], input: UpdateQueueInput
    ) -> QueueType:
        ctx = info.context
        principal = await _principal(info)
        queue_id = expect_global_id(input.id, "Queue")
        view = await service.update_queue(
            session=ctx.session,
            principal=principal,
            queue_id=queue_id,
            changes_in=_queue_changes(input),
            publications=_publications(ctx),
        )
        return QueueType.from_view(view)

    @strawberry.mutation(description="Delete a queue no number or queue points to.")
    async def delete_queue(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> strawberry.ID:
        ctx = info.context
        principal = await _principal(info)
        await service.delete_queue(
            session=ctx.session,
            principal=principal,
            queue_id=expect_global_id(id, "Queue"),
            publications=_publications(ctx),
        )
        return id

    @strawberry.mutation(description="Claim a number for the tenant and route it to a queue.")
    async def create_phone_number(
        self, info: Info[RequestContext, None], input: CreatePhoneNumberInput
    ) -> PhoneNumberType:
        ctx = info.context
        principal = await _principal(info)
        principal.require(MANAGERS, "manage phone numbers")
        fields = _set_fields(input, ["number", "description"])
        fields["queueId"] = _queue_ref(input.queue_id, "queueId")
        number = await service.create_phone_number(
            session=ctx.session,
            principal=principal,
            number_in=parse_input(PhoneNumberIn, fields, camel=True),
            publications=_publications(ctx),
        )
        return PhoneNumberType.from_row(number)

    @strawberry.mutation
    async def update_phone_number(
        self, info: Info[RequestContext, None], input: UpdatePhoneNumberInput
    ) -> PhoneNumberType:
        ctx = info.context
        principal = await _principal(info)
        number_id = expect_global_id(input.id, "PhoneNumber")
        changes = _set_fields(input, ["number", "description"])
        if input.queue_id is not strawberry.UNSET:
            changes["queueId"] = (
                None if input.queue_id is None else _queue_ref(input.queue_id, "queueId")
            )
        number = await service.update_phone_number(
            session=ctx.session,
            principal=principal,
            number_id=number_id,
            changes_in=changes,
            publications=_publications(ctx),
        )
        return PhoneNumberType.from_row(number)

    @strawberry.mutation(description="Release a number; returns its id.")
    async def delete_phone_number(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> strawberry.ID:
        ctx = info.context
        principal = await _principal(info)
        await service.delete_phone_number(
            session=ctx.session,
            principal=principal,
            number_id=expect_global_id(id, "PhoneNumber"),
            publications=_publications(ctx),
        )
        return id

    @strawberry.mutation(description="Give an agent or supervisor user a routing profile.")
    async def create_agent_profile(
        self, info: Info[RequestContext, None], input: CreateAgentProfileInput
    ) -> AgentProfileType:
        ctx = info.context
        principal = await _principal(info)
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
            publications=_publications(ctx),
        )
        return AgentProfileType.from_view(view)

    @strawberry.mutation
    async def update_agent_profile(
        self, info: Info[RequestContext, None], input: UpdateAgentProfileInput
    ) -> AgentProfileType:
        ctx = info.context
        principal = await _principal(info)
        profile_id = expect_global_id(input.id, "AgentProfile")
        view = await service.update_agent_profile(
            session=ctx.session,
            principal=principal,
            profile_id=profile_id,
            changes_in=_profile_changes(input),
            publications=_publications(ctx),
        )
        return AgentProfileType.from_view(view)

    @strawberry.mutation(description="Remove an agent's routing profile; returns its id.")
    async def delete_agent_profile(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> strawberry.ID:
        ctx = info.context
        principal = await _principal(info)
        await service.delete_agent_profile(
            session=ctx.session,
            principal=principal,
            profile_id=expect_global_id(id, "AgentProfile"),
            publications=_publications(ctx),
        )
        return id

    @strawberry.mutation
    async def update_routing_settings(
        self, info: Info[RequestContext, None], input: UpdateRoutingSettingsInput
    ) -> RoutingSettingsType:
        ctx = info.context
        principal = await _principal(info)
        current = await service.update_routing_settings(
            session=ctx.session,
            principal=principal,
            changes_in=_set_fields(input, ["max_concurrent_calls", "default_region"]),
            publications=_publications(ctx),
        )
        return RoutingSettingsType(
            max_concurrent_calls=current.max_concurrent_calls,
            default_region=current.default_region,
        )

    @strawberry.mutation(
        description="Rebuild the tenant's routing data in Redis from the saved configuration."
    )
    async def sync_routing_directory(self, info: Info[RequestContext, None]) -> bool:
        ctx = info.context
        principal = await _principal(info)
        principal.require(MANAGERS, "sync the routing directory")
        await RoutingDirectory(ctx.redis).sync_tenant(ctx.session, principal.tenant_id)
        return True


async def _resolve_skill(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    skill = await service.get_skill(
        session=ctx.session, principal=await ctx.principal(), skill_id=row_id
    )
    return SkillType.from_row(skill)


async def _resolve_queue(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    view = await service.get_queue(
        session=ctx.session, principal=await ctx.principal(), queue_id=row_id
    )
    return QueueType.from_view(view)


async def _resolve_phone_number(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    number = await service.get_phone_number(
        session=ctx.session, principal=await ctx.principal(), number_id=row_id
    )
    return PhoneNumberType.from_row(number)


async def _resolve_agent_profile(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    view = await service.get_agent_profile(
        session=ctx.session, principal=await ctx.principal(), profile_id=row_id
    )
    return AgentProfileType.from_view(view)


NODE_RESOLVERS = {
    "Skill": _resolve_skill,
    "Queue": _resolve_queue,
    "PhoneNumber": _resolve_phone_number,
    "AgentProfile": _resolve_agent_profile,
}
"""How ``node(id:)`` loads each routing-configuration type, through the services' checks."""

TYPES = [SkillType, QueueType, PhoneNumberType, AgentProfileType]
