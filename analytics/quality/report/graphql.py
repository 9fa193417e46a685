"""GraphQL surface of the QA report (the report builder's QA metrics)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from analytics.quality.report import service
from analytics.quality.schemas import QaGroupBy, QaReportRangeIn
from analytics.reports.graphql import row_id_of, tenant_zone
from tenants.graphql.context import RequestContext
from tenants.graphql.relay import to_global_id
from tenants.input_validation import parse_input

QaGroupByEnum = strawberry.enum(QaGroupBy, name="QaGroupBy")


@strawberry.input(description="Calls in [start, end); periods cut in timeZone.")
class QaReportRangeInput:
    start: datetime
    end: datetime
    time_zone: str | None = strawberry.field(
        default=None, description="IANA zone (default: the tenant's report time zone)"
    )
    agent_id: strawberry.ID | None = None
    queue_id: strawberry.ID | None = None


@strawberry.type(description="Submitted evaluations of one agent, queue or period.")
class QaReportRow:
    agent_id: strawberry.ID | None
    queue_id: strawberry.ID | None = strawberry.field(description="Null: calls with no queue")
    period_start: datetime | None
    evaluations: int
    average_score: float | None = strawberry.field(description="Mean score, auto-fails as 0")
    auto_fails: int
    lowest_score: float | None
    highest_score: float | None
    disputed: int


@strawberry.type
class Query:
    @strawberry.field(
        description="QA scores by agent, queue or period, or by agent or queue and period "
        "(supervisors and up)."
    )
    async def qa_report(
        self,
        info: Info[RequestContext, None],
        range: QaReportRangeInput,
        group_by: QaGroupByEnum,  # type: ignore[valid-type]
        interval: Annotated[
            QaGroupByEnum | None,  # type: ignore[valid-type]
            strawberry.argument(
                description="DAY, WEEK or MONTH: split each agent's or queue's rows by period"
            ),
        ] = None,
    ) -> list[QaReportRow]:
        ctx = info.context
        principal = await ctx.principal()
        range_in = parse_input(
            QaReportRangeIn,
            {
                "start": range.start,
                "end": range.end,
                "timeZone": range.time_zone or await tenant_zone(ctx),
                "agentId": row_id_of(range.agent_id, "User", "agentId") if range.agent_id else None,
                "queueId": row_id_of(range.queue_id, "Queue", "queueId")
                if range.queue_id
                else None,
            },
            camel=True,
        )
        rows = await service.qa_report(
            session=ctx.session,
            principal=principal,
            range_in=range_in,
            group_by=QaGroupBy(group_by),
            interval=QaGroupBy(interval) if interval else None,
        )
        return [
            QaReportRow(
                agent_id=to_global_id("User", r.agent_id) if r.agent_id else None,
                queue_id=to_global_id("Queue", r.queue_id) if r.queue_id else None,
                period_start=r.period_start,
                evaluations=r.evaluations,
                average_score=r.average_score,
                auto_fails=r.auto_fails,
                lowest_score=r.lowest_score,
                highest_score=r.highest_score,
                disputed=r.disputed,
            )
            for r in rows
        ]


TYPES: list[type] = []
