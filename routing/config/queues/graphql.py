"""GraphQL surface of queues: required skills, business hours, overflow."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from routing.config.edge import principal_of, publications_of, queue_ref, set_fields, skill_ref
from routing.config.queues import service
from routing.config.schemas import DAYS, ClosedAction, MaxWaitAction, QueueIn, SlFormula
from routing.config.skills.graphql import SkillType
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

SlFormulaEnum = strawberry.enum(SlFormula, name="SlFormula", description="shared/metrics.md")
MaxWaitActionEnum = strawberry.enum(MaxWaitAction, name="MaxWaitAction")
ClosedActionEnum = strawberry.enum(ClosedAction, name="ClosedAction")


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
    require_disposition: bool = strawberry.field(
        description="Agents must record a disposition before leaving wrap-up"
    )
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
            require_disposition=q.require_disposition,
            hours=hours,
            closed_action=ClosedAction(q.closed_action),
            closed_code=q.closed_code,
            blacklist_code=q.blacklist_code,
            vip_boost=q.vip_boost,
            sticky_agent_s=q.sticky_agent_s,
            created_at=q.created_at,
            updated_at=q.updated_at,
        )


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
    require_disposition: bool | None = strawberry.UNSET
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


_QUEUE_FIELDS = [
    name for name in QueueFieldsInput.__annotations__ if name not in {"required_skills", "hours"}
]


def _queue_changes(source: QueueFieldsInput) -> dict[str, Any]:
    changes = set_fields(source, [n for n in _QUEUE_FIELDS if n != "overflow_queue_id"])
    if source.required_skills is not strawberry.UNSET:
        changes["requiredSkills"] = (
            None
            if source.required_skills is None
            else [
                {
                    "skillId": skill_ref(r.skill_id, f"requiredSkills.{i}.skillId"),
                    "minLevel": r.min_level,
                }
                for i, r in enumerate(source.required_skills)
            ]
        )
    if source.overflow_queue_id is not strawberry.UNSET:
        changes["overflowQueueId"] = (
            None
            if source.overflow_queue_id is None
            else queue_ref(source.overflow_queue_id, "overflowQueueId")
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


@strawberry.type
class Query:
    @strawberry.field(description="The tenant's queues (supervisors and managers).")
    async def queues(
        self, info: Info[RequestContext, None], first: int | None = None, after: str | None = None
    ) -> Connection[QueueType]:
        ctx = info.context
        page = await service.list_queues(
            session=ctx.session,
            principal=await principal_of(info),
            page=page_request(first, after, max_page_size=ctx.max_page_size),
        )
        return connection(page, QueueType.from_view)

    @strawberry.field(description="One queue of the tenant.")
    async def queue(self, info: Info[RequestContext, None], id: strawberry.ID) -> QueueType:
        ctx = info.context
        view = await service.get_queue(
            session=ctx.session,
            principal=await principal_of(info),
            queue_id=expect_global_id(id, "Queue"),
        )
        return QueueType.from_view(view)


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def create_queue(
        self, info: Info[RequestContext, None], input: CreateQueueInput
    ) -> QueueType:
        ctx = info.context
        principal = await principal_of(info)
        principal.require(MANAGERS, "manage queues")
        queue_in = parse_input(QueueIn, _queue_changes(input), camel=True)
        view = await service.create_queue(
            session=ctx.session,
            principal=principal,
            queue_in=queue_in,
            publications=publications_of(ctx),
        )
        return QueueType.from_view(view)

    @strawberry.mutation(description="Change the fields given; null clears hours/overflow.")
    async def update_queue(
        self, info: Info[RequestContext, None], input: UpdateQueueInput
    ) -> QueueType:
        ctx = info.context
        principal = await principal_of(info)
        queue_id = expect_global_id(input.id, "Queue")
        view = await service.update_queue(
            session=ctx.session,
            principal=principal,
            queue_id=queue_id,
            changes_in=_queue_changes(input),
            publications=publications_of(ctx),
        )
        return QueueType.from_view(view)

    @strawberry.mutation(description="Delete a queue no number or queue points to.")
    async def delete_queue(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> strawberry.ID:
        ctx = info.context
        principal = await principal_of(info)
        await service.delete_queue(
            session=ctx.session,
            principal=principal,
            queue_id=expect_global_id(id, "Queue"),
            publications=publications_of(ctx),
        )
        return id


async def _resolve_queue(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    view = await service.get_queue(
        session=ctx.session, principal=await ctx.principal(), queue_id=row_id
    )
    return QueueType.from_view(view)


NODE_RESOLVERS = {"Queue": _resolve_queue}


TYPES = [QueueType]
