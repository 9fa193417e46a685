"""GraphQL surface of analytics: staffing maths and interval reports."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry
from strawberry.tools import merge_types
from strawberry.types import Info

from analytics.models import SavedReport
from analytics.reports import kpi
from analytics.reports import service as reports
from analytics.saved_reports import service as saved_reports
from analytics.schemas import (
    QueueServiceLevelIn,
    ReportDimension,
    ReportInterval,
    ReportRangeIn,
    SavedReportIn,
)
from analytics.staffing import erlang
from tenants.errors import BadUserInput, NotFound
from tenants.graphql.context import RequestContext
from tenants.graphql.relay import (
    Connection,
    Node,
    connection,
    expect_global_id,
    from_global_id,
    page_request,
    to_global_id,
)
from tenants.input_validation import parse_input

ReportIntervalEnum = strawberry.enum(
    ReportInterval, name="ReportInterval", description="How a report splits its range into rows."
)


@strawberry.input(description="One interval's forecast and the service goal to staff for.")
class StaffingPlanInput:
    calls_per_interval: float
    interval_seconds: float
    aht_seconds: float
    target_service_level: float = strawberry.field(description="A share in [0, 1), e.g. 0.8")
    target_seconds: float
    shrinkage: float = 0.0
    max_occupancy: float | None = strawberry.field(
        default=None, description="Optional cap in (0, 1]: staff at least A / maxOccupancy"
    )


@strawberry.type(description="Erlang C staffing for one interval.")
class StaffingPlan:
    traffic_erlangs: float
    agents: int = strawberry.field(description="Productive agents needed (N)")
    scheduled_agents: int = strawberry.field(description="⌈N / (1 - shrinkage)⌉")
    service_level: float
    asa: float = strawberry.field(description="Average speed of answer in seconds")
    occupancy: float
    probability_of_waiting: float


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
            "time_zone": value.time_zone or await _tenant_zone(ctx),
        },
    )


async def _tenant_zone(ctx: RequestContext) -> str:
    return await reports.report_time_zone(session=ctx.session, principal=await ctx.principal())


def _row_id(value: str, type_name: str, field: str) -> uuid.UUID:
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
    @strawberry.field(description="Agents needed for a forecast (Erlang C).")
    async def staffing_plan(
        self, info: Info[RequestContext, None], input: StaffingPlanInput
    ) -> StaffingPlan:
        await info.context.principal()
        plan = erlang.staffing_plan(
            calls_per_interval=input.calls_per_interval,
            interval_seconds=input.interval_seconds,
            aht_seconds=input.aht_seconds,
            target_service_level=input.target_service_level,
            target_seconds=input.target_seconds,
            shrinkage=input.shrinkage,
            max_occupancy=input.max_occupancy,
        )
        return StaffingPlan(
            traffic_erlangs=plan.traffic_erlangs,
            agents=plan.agents,
            scheduled_agents=plan.scheduled_agents,
            service_level=plan.service_level,
            asa=plan.asa_seconds,
            occupancy=plan.occupancy,
            probability_of_waiting=plan.probability_of_waiting,
        )

    @strawberry.field(description="Lines needed to carry traffic at a blocking target (Erlang B).")
    async def erlang_b_lines(
        self, info: Info[RequestContext, None], traffic_erlangs: float, blocking_target: float
    ) -> int:
        await info.context.principal()
        return erlang.erlang_b_lines(traffic_erlangs, blocking_target)

    @strawberry.field(description="One queue's intervals (supervisors and admins).")
    async def queue_report(
        self, info: Info[RequestContext, None], queue_id: strawberry.ID, range: ReportRangeInput
    ) -> list[ReportRow]:
        ctx = info.context
        rows = await reports.queue_report(
            session=ctx.session,
            principal=await ctx.principal(),
            queue_id=_row_id(queue_id, "Queue", "queueId"),
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
            agent_id=_row_id(agent_id, "User", "agentId"),
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
            queue_id=None if queue_id is None else _row_id(queue_id, "Queue", "queueId"),
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
        view = await reports.realtime(
            session=ctx.session,
            principal=await ctx.principal(),
            time_zone=time_zone or await _tenant_zone(ctx),
            queue_id=None if queue_id is None else _row_id(queue_id, "Queue", "queueId"),
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


ReportDimensionEnum = strawberry.enum(ReportDimension, name="ReportDimension")


@strawberry.type(name="SavedReport", description="A saved custom report.")
class SavedReportType(Node):
    name: str
    dimension: str
    metrics: list[str]
    queue_ids: list[strawberry.ID]
    interval: str
    time_zone: str
    created_at: datetime

    @classmethod
    def from_row(cls, row: SavedReport) -> SavedReportType:
        return cls(
            id=to_global_id("SavedReport", row.id),
            name=row.name,
            dimension=row.dimension,
            metrics=list(row.metrics),
            queue_ids=[to_global_id("Queue", q) for q in row.queue_ids],
            interval=row.interval,
            time_zone=row.time_zone,
            created_at=row.created_at,
        )


@strawberry.input(description="Metrics x dimension x queue filter x interval.")
class SavedReportInput:
    name: str
    dimension: ReportDimensionEnum  # type: ignore[valid-type]
    metrics: list[str] = strawberry.field(description="ReportRow field names, e.g. serviceLevel")
    queue_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="For the QUEUE dimension; empty = every queue"
    )
    interval: ReportIntervalEnum = ReportInterval.MINUTES_60  # type: ignore[valid-type]
    time_zone: str | None = None


@strawberry.type
class WorkloadQuery:
    @strawberry.field(description="Every agent's handles, AHT split, state time and occupancy.")
    async def agent_workload(
        self, info: Info[RequestContext, None], range: ReportRangeInput
    ) -> list[AgentWorkloadRow]:
        ctx = info.context
        rows = await reports.agent_workload(
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
class SavedReportQuery:
    @strawberry.field(description="The time zone the tenant's reports follow by default.")
    async def report_time_zone(self, info: Info[RequestContext, None]) -> str:
        return await _tenant_zone(info.context)

    @strawberry.field(description="The tenant's saved reports (supervisors and admins).")
    async def saved_reports(
        self, info: Info[RequestContext, None], first: int | None = None, after: str | None = None
    ) -> Connection[SavedReportType]:
        ctx = info.context
        page = await saved_reports.list_saved_reports(
            session=ctx.session,
            principal=await ctx.principal(),
            page=page_request(first, after, max_page_size=ctx.max_page_size),
        )
        return connection(page, SavedReportType.from_row)

    @strawberry.field(description="Run a saved report over [start, end) and return CSV.")
    async def export_saved_report(
        self, info: Info[RequestContext, None], id: strawberry.ID, start: datetime, end: datetime
    ) -> str:
        ctx = info.context
        return await saved_reports.export_csv(
            session=ctx.session,
            principal=await ctx.principal(),
            report_id=expect_global_id(id, "SavedReport"),
            start=start,
            end=end,
        )


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Save a custom report (owners and admins).")
    async def create_saved_report(
        self, info: Info[RequestContext, None], input: SavedReportInput
    ) -> SavedReportType:
        ctx = info.context
        principal = await ctx.principal()
        report_in = parse_input(
            SavedReportIn,
            {
                "name": input.name,
                "dimension": ReportDimension(input.dimension),
                "metrics": input.metrics,
                "queue_ids": [_row_id(q, "Queue", "queueIds") for q in input.queue_ids],
                "interval": ReportInterval(input.interval),
                "time_zone": input.time_zone or await _tenant_zone(ctx),
            },
        )
        report = await saved_reports.create_saved_report(
            session=ctx.session, principal=principal, report_in=report_in
        )
        return SavedReportType.from_row(report)

    @strawberry.mutation(description="Set the time zone the tenant's reports follow.")
    async def set_report_time_zone(self, info: Info[RequestContext, None], time_zone: str) -> str:
        ctx = info.context
        return await reports.set_report_time_zone(
            session=ctx.session, principal=await ctx.principal(), time_zone=time_zone
        )

    @strawberry.mutation(description="Delete a saved report (owners and admins).")
    async def delete_saved_report(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> bool:
        ctx = info.context
        await saved_reports.delete_saved_report(
            session=ctx.session,
            principal=await ctx.principal(),
            report_id=expect_global_id(id, "SavedReport"),
        )
        return True

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
            queue_id=_row_id(input.queue_id, "Queue", "queueId"),
            definition_in=definition_in,
        )
        return ServiceLevelDefinition(
            answer_seconds=definition.answer_seconds,
            short_abandon_seconds=definition.short_abandon_seconds,
            formula=definition.formula.value,
            per_queue_thresholds=False,
        )


Query = merge_types("AnalyticsQuery", (Query, SavedReportQuery, WorkloadQuery))  # type: ignore[misc]


async def _resolve_saved_report(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    report = await saved_reports.get_saved_report(
        session=ctx.session, principal=await ctx.principal(), report_id=row_id
    )
    return SavedReportType.from_row(report)


TYPES: list[type] = [StaffingPlan, ReportRow, HourlyTrafficRow, Realtime, SavedReportType]
NODE_RESOLVERS: dict = {"SavedReport": _resolve_saved_report}
