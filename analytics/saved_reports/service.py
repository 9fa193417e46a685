"""Saved custom reports (metrics x dimension x queue filter x interval) and CSV export."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import delete, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from analytics import kpi
from analytics.disposition_reports import service as dispositions
from analytics.models import SavedReport
from analytics.reports import repository as queries
from analytics.reports import service as reports
from analytics.schemas import ReportDimension, ReportInterval, ReportRangeIn, SavedReportIn
from tenants.database.pagination import Page, PageRequest, keyset_page
from tenants.database.scoping import scoped
from tenants.errors import BadUserInput, NotFound
from tenants.identity.principal import Principal
from tenants.identity.roles import MANAGERS, SUPERVISORS
from tenants.input_validation import parse_input

METRICS: dict[str, Callable[[reports.ReportRow], float | int | None]] = {
    "offered": lambda r: r.counts.enqueued,
    "answered": lambda r: r.counts.answered,
    "abandoned": lambda r: r.counts.abandoned,
    "shortAbandoned": lambda r: r.counts.short_abandoned,
    "callbacks": lambda r: r.callbacks,
    "flowouts": lambda r: r.flowouts,
    "missed_calls_opened": lambda r: r.missed_calls_opened,
    "missed_calls_closed": lambda r: r.missed_calls_closed,
    "serviceLevel": lambda r: r.service_level,
    "abandonmentRate": lambda r: kpi.abandonment_rate(r.counts),
    "asa": lambda r: kpi.average_speed_of_answer(r.counts),
    "averageAbandonTime": lambda r: kpi.average_abandon_time(r.counts),
    "averageWait": lambda r: kpi.average_wait(r.counts),
    "longestWait": lambda r: r.counts.longest_wait_seconds,
    "handled": lambda r: r.handle.handled,
    "aht": lambda r: r.aht.aht,
    "averageTalk": lambda r: r.aht.talk,
    "averageHold": lambda r: r.aht.hold,
    "averageAcw": lambda r: r.aht.acw,
    "transferRate": lambda r: kpi.transfer_rate(r.handle),
    "occupancy": lambda r: r.occupancy,
}


async def create_saved_report(
    *, session: AsyncSession, principal: Principal, report_in: SavedReportIn
) -> SavedReport:
    """Save a report definition (owners and admins); its queues must be known."""
    principal.require(MANAGERS, "save reports")
    await _known_queues(session, principal.tenant_id, report_in.queue_ids)
    report = SavedReport(
        tenant_id=principal.tenant_id,
        name=report_in.name,
        dimension=report_in.dimension.value,
        metrics=report_in.metrics,
        queue_ids=report_in.queue_ids,
        interval=report_in.interval.value,
        time_zone=report_in.time_zone,
        created_by=principal.user_id,
    )
    session.add(report)
    await session.flush()
    await session.refresh(report)
    return report


async def get_saved_report(
    *, session: AsyncSession, principal: Principal, report_id: uuid.UUID
) -> SavedReport:
    """One saved report of the caller's tenant (supervisors and up)."""
    principal.require(SUPERVISORS, "read saved reports")
    report = await session.scalar(
        scoped(select(SavedReport), principal.tenant_id).where(SavedReport.id == report_id)
    )
    if report is None:
        raise NotFound("no SavedReport with this id")
    return report


async def list_saved_reports(
    *, session: AsyncSession, principal: Principal, page: PageRequest
) -> Page[SavedReport]:
    """The tenant's saved reports, oldest first."""
    principal.require(SUPERVISORS, "read saved reports")
    return await keyset_page(
        session, scoped(select(SavedReport), principal.tenant_id), SavedReport, page
    )


async def delete_saved_report(
    *, session: AsyncSession, principal: Principal, report_id: uuid.UUID
) -> None:
    """Delete a saved report (owners and admins)."""
    principal.require(MANAGERS, "delete saved reports")
    await get_saved_report(session=session, principal=principal, report_id=report_id)
    await session.execute(
        scoped(delete(SavedReport), principal.tenant_id).where(SavedReport.id == report_id)
    )


async def _agents(
    session: AsyncSession, tenant_id: uuid.UUID, start: datetime, end: datetime
) -> list[uuid.UUID]:
    rows = await session.scalars(
        text(
            """
            SELECT agent_id FROM analytics_agent_segments
            WHERE tenant_id = :tenant AND handled_at >= :start AND handled_at < :end
            UNION
            SELECT agent_id FROM analytics_agent_state_intervals
            WHERE tenant_id = :tenant AND started_at < :end
              AND (ended_at IS NULL OR ended_at > :start)
            ORDER BY 1
            """
        ),
        {"tenant": tenant_id, "start": start, "end": end},
    )
    return list(rows)


def _cell(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


async def export_csv(
    *,
    session: AsyncSession,
    principal: Principal,
    report_id: uuid.UUID,
    start: datetime,
    end: datetime,
) -> str:
    """Run a saved report over ``[start, end)`` and render it as CSV.

    Every row states the definitions its service level used (T, S, formula).
    """
    report = await get_saved_report(session=session, principal=principal, report_id=report_id)
    definition = SavedReportIn.model_construct(  # validated when it was saved
        name=report.name,
        dimension=ReportDimension(report.dimension),
        metrics=list(report.metrics),
        queue_ids=list(report.queue_ids),
        interval=ReportInterval(report.interval),
        time_zone=report.time_zone,
    )
    return await _render_csv(session, principal, definition, start, end)


async def preview_csv(
    *,
    session: AsyncSession,
    principal: Principal,
    report_in: SavedReportIn,
    start: datetime,
    end: datetime,
) -> str:
    """Run an unsaved definition over ``[start, end)``: the CSV its export would give."""
    principal.require(SUPERVISORS, "preview reports")
    await _known_queues(session, principal.tenant_id, report_in.queue_ids)
    return await _render_csv(session, principal, report_in, start, end)


async def _known_queues(
    session: AsyncSession, tenant_id: uuid.UUID, queue_ids: list[uuid.UUID]
) -> None:
    """BAD_USER_INPUT on queueIds unless every queue is the tenant's."""
    for queue_id in queue_ids:
        known = await queries.queue_definition(session, tenant_id=tenant_id, queue_id=queue_id)
        if known is None:
            raise BadUserInput("queueIds: no such queue", field="queueIds")


async def _render_csv(
    session: AsyncSession,
    principal: Principal,
    report: SavedReportIn,
    start: datetime,
    end: datetime,
) -> str:
    range_in = parse_input(
        ReportRangeIn,
        {"start": start, "end": end, "interval": report.interval, "time_zone": report.time_zone},
    )
    series: list[tuple[str, list[reports.ReportRow]]] = []
    dimension = report.dimension
    if dimension is ReportDimension.DISPOSITION:
        return await _disposition_csv(session, principal, report, range_in)
    if dimension is ReportDimension.TENANT:
        series.append(
            (
                "tenant",
                await reports.tenant_report(
                    session=session, principal=principal, range_in=range_in
                ),
            )
        )
    elif dimension is ReportDimension.QUEUE:
        queue_ids = report.queue_ids or [
            q.queue_id
            for q in await queries.queue_definitions(session, tenant_id=principal.tenant_id)
        ]
        for queue_id in queue_ids:
            rows = await reports.queue_report(
                session=session, principal=principal, queue_id=queue_id, range_in=range_in
            )
            series.append((str(queue_id), rows))
    else:
        for agent_id in await _agents(session, principal.tenant_id, range_in.start, range_in.end):
            try:
                rows = await reports.agent_report(
                    session=session, principal=principal, agent_id=agent_id, range_in=range_in
                )
            except BadUserInput:
                continue  # an agent id that is no (longer a) user of this tenant
            series.append((str(agent_id), rows))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "interval_start",
            "interval_end",
            report.dimension.value,
            *report.metrics,
            "answer_seconds",
            "short_abandon_seconds",
            "sl_formula",
        ]
    )
    for key, rows in series:
        for row in rows:
            writer.writerow(
                [
                    row.start.isoformat(),
                    row.end.isoformat(),
                    key,
                    *(_cell(METRICS[m](row)) for m in report.metrics),
                    _cell(row.definition.answer_seconds),
                    _cell(row.definition.short_abandon_seconds),
                    row.definition.formula.value,
                ]
            )
    return out.getvalue()


async def _disposition_csv(
    session: AsyncSession, principal: Principal, report: SavedReportIn, range_in: ReportRangeIn
) -> str:
    counts = await dispositions.disposition_counts(
        session=session,
        principal=principal,
        range_in=range_in,
        only=dispositions.DispositionFilter(queue_ids=tuple(report.queue_ids)),
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["interval_start", "interval_end", "disposition", "handled"])
    for row in counts:
        writer.writerow([row.start.isoformat(), row.end.isoformat(), row.code, row.contacts])
    return out.getvalue()
