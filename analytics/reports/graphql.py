"""GraphQL surface of reports: interval reports, hourly traffic, the floor right now, agent
workload, and the queues' service-level definitions."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry
from strawberry.types import Info

from analytics import kpi
from analytics.reports import realtime as realtime_service
from analytics.reports import service as reports
from analytics.schemas import (
    QueueServiceLevelIn,
    ReportInterval,
    ReportRangeIn,
)
from tenants.errors import BadUserInput, NotFound
from tenants.graphql.context import RequestContext
from tenants.graphql.relay import (
    from_global_id,
    to_global_id,
)
from tenants.input_validation import parse_input

ReportIntervalEnum = strawberry.enum(
    ReportInterval, name="ReportInterval", description="How a report splits its range into rows."
)


@strawberry.input(description="A half-open range [start, end) split into intervals.")
class ReportRangeInput:
    start: datetime
    end: datetime
    interval: ReportIntervalEnum = ReportInterval.MINUTES_60  # type: ignore[valid-type]
    time_zone: str | None = strawberry.field(
        default=None, description="IANA zone the intervals follow (default: the tenant's)"
    )


@strawberry.type(description="The thresholds and formula a row's service level used.")
class ServiceLevelDefinition:
    answer_seconds: int | None = strawberry.field(description="T; null when queues differ")
    short_abandon_seconds: int | None = strawberry.field(description="S; null when queues differ")
    formula: str
    per_queue_thresholds: bool = strawberry.field(
        description="Each contact was measured against its own queue's T and S"
    )


@strawberry.type(description="One interval of a queue, agent or tenant report.")
class ReportRow:
    interval_start: datetime
    interval_end: datetime
    definition: ServiceLevelDefinition
    offered: int
    dequeued: int
    answered: int
    answered_within_threshold: int
    abandoned: int = strawberry.field(description="Short abandons included")
    abandoned_within_threshold: int
    short_abandoned: int
    callbacks: int
    flowouts: int
    missed_calls_opened: int = strawberry.field(
        description="Missed-call follow-ups created in the interval."
    )
    missed_calls_closed: int = strawberry.field(
        description="Missed-call follow-ups closed in the interval."
    )
    service_level: float | None
    abandonment_rate: float | None
    short_abandon_rate: float | None
    asa: float | None = strawberry.field(description="Average speed of answer, seconds")
    average_abandon_time: float | None
    average_wait: float | None = strawberry.field(description="Over all dequeued contacts")
    longest_wait: float | None
    handled: int
    aht: float | None
    average_talk: float | None
    average_hold: float | None
    average_acw: float | None
    transfer_rate: float | None
    occupancy: float | None = strawberry.field(description="Null on queue reports")
    available_seconds: float | None
    on_contact_seconds: float | None
    acw_seconds: float | None
    reserved_seconds: float | None
    other_state_seconds: float | None

    @classmethod
    def from_row(cls, row: reports.ReportRow) -> ReportRow:
        c, aht, states = row.counts, row.aht, row.states

        def state(name: str) -> float | None:
            return states.get(name, 0.0) if row.with_states else None

        other = (
            sum(
                v
                for k, v in states.items()
                if k not in {"available", "on_contact", "acw", "reserved", "offline"}
            )
            if row.with_states
            else None
        )
        return cls(
            interval_start=row.start,
            interval_end=row.end,
            definition=ServiceLevelDefinition(
                answer_seconds=row.definition.answer_seconds,
                short_abandon_seconds=row.definition.short_abandon_seconds,
                formula=row.definition.formula.value,
                per_queue_thresholds=row.definition.per_queue_thresholds,
            ),
            offered=c.enqueued,
            dequeued=c.dequeued,
            answered=c.answered,
            answered_within_threshold=c.answered_within_t,
            abandoned=c.abandoned,
            abandoned_within_threshold=c.abandoned_within_t,
            short_abandoned=c.short_abandoned,
            callbacks=row.callbacks,
            flowouts=row.flowouts,
            missed_calls_opened=row.missed_calls_opened,
            missed_calls_closed=row.missed_calls_closed,
            service_level=row.service_level,
            abandonment_rate=kpi.abandonment_rate(c),
            short_abandon_rate=kpi.short_abandon_rate(c),
            asa=kpi.average_speed_of_answer(c),
            average_abandon_time=kpi.average_abandon_time(c),
            average_wait=kpi.average_wait(c),
            longest_wait=c.longest_wait_seconds,
            handled=row.handle.handled,
            aht=aht.aht,
            average_talk=aht.talk,
            average_hold=aht.hold,
            average_acw=aht.acw,
            transfer_rate=kpi.transfer_rate(row.handle),
            occupancy=row.occupancy,
            available_seconds=state("available"),
            on_contact_seconds=state("on_contact"),
            acw_seconds=state("acw"),
            reserved_seconds=state("reserved"),
            other_state_seconds=other,
        )


@strawberry.type(description="Traffic in one local hour of the day over the range.")
class HourlyTrafficRow:
    hour: int
    offered: int
    answered: int
    abandoned: int
    average_offered_per_day: float
    asa: float | None


async def _range(value: ReportRangeInput, ctx: RequestContext) -> ReportRangeIn:
    return parse_input(
        ReportRangeIn,
        {
            "start": value.start,
            "end": value.end,
            "interval": ReportInterval(value.interval),
            "time_zone": value.time_zone or await tenant_zone(ctx),
        },
    )


async def tenant_zone(ctx: RequestContext) -> str:
    return await reports.report_time_zone(session=ctx.session, principal=await ctx.principal())


def row_id_of(value: str, type_name: str, field: str) -> uuid.UUID:
    """A raw UUID or a global id of ``type_name``; anything else is BAD_USER_INPUT."""
    try:
        return uuid.UUID(value)
    except ValueError:
        pass
    try:
        kind, row_id = from_global_id(value)
    except NotFound as err:
        raise BadUserInput(f"{field}: not a {type_name} id", field=field) from err
    if kind != type_name:
        raise BadUserInput(f"{field}: not a {type_name} id", field=field)
    return row_id


@strawberry.type
class Query:
    @strawberry.field(description="One queue's intervals (supervisors and admins).")
    async def queue_report(
        self, info: Info[RequestContext, None], queue_id: strawberry.ID, range: ReportRangeInput
    ) -> list[ReportRow]:
        ctx = info.context
        rows = await reports.queue_report(
            session=ctx.session,
            principal=await ctx.principal(),
            queue_id=row_id_of(queue_id, "Queue", "queueId"),
            range_in=await _range(range, ctx),
        )
        return [ReportRow.from_row(row) for row in rows]

    @strawberry.field(description="One agent's intervals (supervisors, or the agent).")
    async def agent_report(
        self, info: Info[RequestContext, None], agent_id: strawberry.ID, range: ReportRangeInput
    ) -> list[ReportRow]:
        ctx = info.context
        rows = await reports.agent_report(
            session=ctx.session,
            principal=await ctx.principal(),
            agent_id=row_id_of(agent_id, "User", "agentId"),
            range_in=await _range(range, ctx),
        )
        return [ReportRow.from_row(row) for row in rows]

    @strawberry.field(description="The whole tenant's intervals (supervisors and admins).")
    async def tenant_report(
        self, info: Info[RequestContext, None], range: ReportRangeInput
    ) -> list[ReportRow]:
        ctx = info.context
        rows = await reports.tenant_report(
            session=ctx.session, principal=await ctx.principal(), range_in=await _range(range, ctx)
        )
        return [ReportRow.from_row(row) for row in rows]

    @strawberry.field(description="Traffic by local hour of day, to find the peaks.")
    async def hourly_traffic(
        self,
        info: Info[RequestContext, None],
        range: ReportRangeInput,
        queue_id: strawberry.ID | None = None,
    ) -> list[HourlyTrafficRow]:
        ctx = info.context
        rows = await reports.hourly_traffic(
            session=ctx.session,
            principal=await ctx.principal(),
            range_in=await _range(range, ctx),
            queue_id=None if queue_id is None else row_id_of(queue_id, "Queue", "queueId"),
        )
        return [
            HourlyTrafficRow(
                hour=r.hour,
                offered=r.offered,
                answered=r.answered,
                abandoned=r.abandoned,
                average_offered_per_day=r.average_offered_per_day,
                asa=r.asa,
            )
            for r in rows
        ]

    @strawberry.field(description="Waiting now, longest wait, agents by state, SL today so far.")
    async def realtime(
        self,
        info: Info[RequestContext, None],
        time_zone: str | None = None,
        queue_id: strawberry.ID | None = None,
    ) -> Realtime:
        ctx = info.context
        view = await realtime_service.realtime(
            session=ctx.session,
            principal=await ctx.principal(),
            time_zone=time_zone or await tenant_zone(ctx),
            queue_id=None if queue_id is None else row_id_of(queue_id, "Queue", "queueId"),
        )
        return Realtime(
            waiting_now=view.waiting,
            longest_wait=view.longest_wait_seconds,
            agents_by_state=[
                AgentStateCount(state=state, agents=count)
                for state, count in sorted(view.agents_by_state.items())
            ],
            today=ReportRow.from_row(view.today),
        )


@strawberry.type(description="One agent's load over the range.")
class AgentWorkloadRow:
    agent_id: strawberry.ID
    handled: int
    aht: float | None
    average_talk: float | None
    average_hold: float | None
    average_acw: float | None
    transfer_rate: float | None
    occupancy: float | None
    available_seconds: float
    on_contact_seconds: float
    acw_seconds: float
    reserved_seconds: float
    break_seconds: float


@strawberry.type(description="Agents currently in one state.")
class AgentStateCount:
    state: str
    agents: int


@strawberry.type(description="The floor now (from the facts, as fresh as the worker).")
class Realtime:
    waiting_now: int
    longest_wait: float | None = strawberry.field(description="Seconds, oldest waiting contact")
    agents_by_state: list[AgentStateCount]
    today: ReportRow = strawberry.field(description="Since local midnight, SL included")


@strawberry.input(description="A queue's service-level definition.")
class QueueServiceLevelInput:
    queue_id: strawberry.ID
    answer_seconds: int = strawberry.field(description="T: answered within T counts as met")
    short_abandon_seconds: int = strawberry.field(description="S: abandons within S are short")
    formula: str = strawberry.field(
        default="genesys",
        description="genesys | answered_only | abandons_met | abandons_missed",
    )


@strawberry.type
class WorkloadQuery:
    @strawberry.field(description="Every agent's handles, AHT split, state time and occupancy.")
    async def agent_workload(
        self, info: Info[RequestContext, None], range: ReportRangeInput
    ) -> list[AgentWorkloadRow]:
        ctx = info.context
        rows = await realtime_service.agent_workload(
            session=ctx.session, principal=await ctx.principal(), range_in=await _range(range, ctx)
        )
        return [
            AgentWorkloadRow(
                agent_id=to_global_id("User", row.agent_id),
                handled=row.handle.handled,
                aht=row.aht.aht,
                average_talk=row.aht.talk,
                average_hold=row.aht.hold,
                average_acw=row.aht.acw,
                transfer_rate=kpi.transfer_rate(row.handle),
                occupancy=row.occupancy,
                available_seconds=row.states.get("available", 0.0),
                on_contact_seconds=row.states.get("on_contact", 0.0),
                acw_seconds=row.states.get("acw", 0.0),
                reserved_seconds=row.states.get("reserved", 0.0),
                break_seconds=sum(v for k, v in row.states.items() if k.startswith("break")),
            )
            for row in rows
        ]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Set a queue's T, S and SL formula; recomputes its rollups.")
    async def configure_queue_service_level(
        self, info: Info[RequestContext, None], input: QueueServiceLevelInput
    ) -> ServiceLevelDefinition:
        ctx = info.context
        principal = await ctx.principal()
        definition_in = parse_input(
            QueueServiceLevelIn,
            {
                "answer_seconds": input.answer_seconds,
                "short_abandon_seconds": input.short_abandon_seconds,
                "formula": input.formula,
            },
        )
        definition = await reports.configure_queue_service_level(
            session=ctx.session,
            principal=principal,
            queue_id=row_id_of(input.queue_id, "Queue", "queueId"),
            definition_in=definition_in,
        )
        return ServiceLevelDefinition(
            answer_seconds=definition.answer_seconds,
            short_abandon_seconds=definition.short_abandon_seconds,
            formula=definition.formula.value,
            per_queue_thresholds=False,
        )


TYPES: list[type] = [ReportRow, HourlyTrafficRow, Realtime]
