"""GraphQL surface of saved reports and the tenant's report time zone."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry
from strawberry.types import Info

from analytics.models import SavedReport
from analytics.reports import service as reports
from analytics.reports.graphql import ReportIntervalEnum, row_id_of, tenant_zone
from analytics.saved_reports import service as saved_reports
from analytics.schemas import (
    ReportDimension,
    ReportInterval,
    SavedReportIn,
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
from tenants.input_validation import parse_input

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


async def _report_in(
    ctx: RequestContext, input: SavedReportInput, *, name: str | None = None
) -> SavedReportIn:
    return parse_input(
        SavedReportIn,
        {
            "name": name if name is not None else input.name,
            "dimension": ReportDimension(input.dimension),
            "metrics": input.metrics,
            "queue_ids": [row_id_of(q, "Queue", "queueIds") for q in input.queue_ids],
            "interval": ReportInterval(input.interval),
            "time_zone": input.time_zone or await tenant_zone(ctx),
        },
        camel=True,
    )


@strawberry.type
class SavedReportQuery:
    @strawberry.field(description="The time zone the tenant's reports follow by default.")
    async def report_time_zone(self, info: Info[RequestContext, None]) -> str:
        return await tenant_zone(info.context)

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

    @strawberry.field(
        description="Run an unsaved report definition over [start, end) and return its CSV."
    )
    async def preview_report(
        self,
        info: Info[RequestContext, None],
        input: SavedReportInput,
        start: datetime,
        end: datetime,
    ) -> str:
        ctx = info.context
        return await saved_reports.preview_csv(
            session=ctx.session,
            principal=await ctx.principal(),
            report_in=await _report_in(ctx, input, name=input.name or "preview"),
            start=start,
            end=end,
        )

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
        report = await saved_reports.create_saved_report(
            session=ctx.session, principal=principal, report_in=await _report_in(ctx, input)
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


async def _resolve_saved_report(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    report = await saved_reports.get_saved_report(
        session=ctx.session, principal=await ctx.principal(), report_id=row_id
    )
    return SavedReportType.from_row(report)


TYPES: list[type] = [SavedReportType]
NODE_RESOLVERS: dict = {"SavedReport": _resolve_saved_report}
