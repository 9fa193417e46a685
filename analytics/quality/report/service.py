"""The QA report: evaluations, average score and auto-fails by agent, queue or period.

Submitted evaluations count (acknowledged and disputed ones too), placed by their call's
time; periods are cut in the report's time zone. Grouped by agent or queue, an optional
``interval`` (day, week or month) splits each one's rows by period as well. An auto-failed
evaluation counts as 0 in the average; one with every question N/A has no score and is left
out of the average only.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.quality.schemas import QaGroupBy, QaReportRangeIn
from tenants.errors import BadUserInput
from tenants.identity.principal import Principal
from tenants.identity.roles import SUPERVISORS

_KEYS = {
    QaGroupBy.AGENT: "agent_id::text",
    QaGroupBy.QUEUE: "COALESCE(queue_id::text, '')",
    QaGroupBy.DAY: "date_trunc('day', call_at AT TIME ZONE :zone)::text",
    QaGroupBy.WEEK: "date_trunc('week', call_at AT TIME ZONE :zone)::text",
    QaGroupBy.MONTH: "date_trunc('month', call_at AT TIME ZONE :zone)::text",
}

_REPORT = """
SELECT {key} AS key, {period} AS period, count(*) AS evaluations, avg(score) AS average_score,
       count(*) FILTER (WHERE auto_failed) AS auto_fails,
       min(score) AS lowest_score, max(score) AS highest_score,
       count(*) FILTER (WHERE status = 'disputed') AS disputed
FROM qa_evaluations
WHERE tenant_id = :tenant AND status IN ('submitted', 'acknowledged', 'disputed')
  AND call_at >= :start AND call_at < :end
  AND (CAST(:agent AS uuid) IS NULL OR agent_id = CAST(:agent AS uuid))
  AND (CAST(:queue AS uuid) IS NULL OR queue_id = CAST(:queue AS uuid))
GROUP BY {groups} ORDER BY {order}
"""
_PERIODS = (QaGroupBy.DAY, QaGroupBy.WEEK, QaGroupBy.MONTH)


@dataclass(frozen=True)
class QaReportRow:
    agent_id: uuid.UUID | None
    queue_id: uuid.UUID | None
    period_start: datetime | None
    evaluations: int
    average_score: float | None
    auto_fails: int
    lowest_score: float | None
    highest_score: float | None
    disputed: int


def _row(group_by: QaGroupBy, zone: str, values: Row[Any]) -> QaReportRow:
    key: str = values.key
    agent = queue = None
    cut: str | None = values.period
    if group_by is QaGroupBy.AGENT:
        agent = uuid.UUID(key)
    elif group_by is QaGroupBy.QUEUE:
        queue = uuid.UUID(key) if key else None
    else:
        cut = key
    period = datetime.fromisoformat(cut).replace(tzinfo=ZoneInfo(zone)) if cut else None
    average = values.average_score
    return QaReportRow(
        agent_id=agent,
        queue_id=queue,
        period_start=period,
        evaluations=values.evaluations,
        average_score=round(float(average), 2) if average is not None else None,
        auto_fails=values.auto_fails,
        lowest_score=values.lowest_score,
        highest_score=values.highest_score,
        disputed=values.disputed,
    )


async def qa_report(
    *,
    session: AsyncSession,
    principal: Principal,
    range_in: QaReportRangeIn,
    group_by: QaGroupBy,
    interval: QaGroupBy | None = None,
) -> list[QaReportRow]:
    """One row per agent, queue or period that has submitted evaluations (supervisors+);
    with ``interval``, one per agent or queue and period, by period first."""
    principal.require(SUPERVISORS, "read QA reports")
    if interval is not None and (interval not in _PERIODS or group_by in _PERIODS):
        raise BadUserInput(
            "interval is day, week or month, with groupBy agent or queue", field="interval"
        )
    statement = _REPORT.format(
        key=_KEYS[group_by],
        period=_KEYS[interval] if interval else "CAST(NULL AS text)",
        groups="1, 2" if interval else "1",
        order="2, 1" if interval else "1",
    )
    result = await session.execute(
        text(statement),
        {
            "tenant": principal.tenant_id,
            "start": range_in.start,
            "end": range_in.end,
            "zone": range_in.time_zone,
            "agent": range_in.agent_id,
            "queue": range_in.queue_id,
        },
    )
    return [_row(group_by, range_in.time_zone, values) for values in result]
