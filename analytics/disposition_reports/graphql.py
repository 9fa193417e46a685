"""GraphQL surface of the disposition report."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from analytics.disposition_reports import service
from analytics.reports.graphql import ReportRangeInput, row_id_of, tenant_zone
from analytics.schemas import ReportInterval, ReportRangeIn
from tenants.graphql.context import RequestContext
from tenants.graphql.relay import to_global_id
from tenants.input_validation import parse_input


@strawberry.type(description="Handled contacts wrapped up with one disposition in an interval.")
class DispositionCountRow:
    interval_start: datetime
    interval_end: datetime
    code: str
    disposition_id: strawberry.ID | None
    contacts: int


@strawberry.input(description="Which wrapped-up contacts count (each list empty: all).")
class DispositionFilterInput:
    queue_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    agent_id: strawberry.ID | None = None
    codes: list[str] = strawberry.field(default_factory=list)


@strawberry.type
class Query:
    @strawberry.field(
        description=(
            "Contacts by disposition code per interval of their wrap-up, filtered by queue, "
            "agent or code (supervisors and admins)."
        )
    )
    async def disposition_report(
        self,
        info: Info[RequestContext, None],
        range: ReportRangeInput,
        filter: DispositionFilterInput | None = None,
    ) -> list[DispositionCountRow]:
        ctx = info.context
        only = filter or DispositionFilterInput()
        rows = await service.disposition_counts(
            session=ctx.session,
            principal=await ctx.principal(),
            range_in=parse_input(
                ReportRangeIn,
                {
                    "start": range.start,
                    "end": range.end,
                    "interval": ReportInterval(range.interval),
                    "time_zone": range.time_zone or await tenant_zone(ctx),
                },
            ),
            only=service.DispositionFilter(
                queue_ids=tuple(row_id_of(q, "Queue", "queueIds") for q in only.queue_ids),
                agent_id=row_id_of(only.agent_id, "User", "agentId") if only.agent_id else None,
                codes=tuple(c.strip().lower() for c in only.codes),
            ),
        )
        return [
            DispositionCountRow(
                interval_start=r.start,
                interval_end=r.end,
                code=r.code,
                disposition_id=(
                    to_global_id("Disposition", r.disposition_id) if r.disposition_id else None
                ),
                contacts=r.contacts,
            )
            for r in rows
        ]


TYPES: list[type] = [DispositionCountRow]
