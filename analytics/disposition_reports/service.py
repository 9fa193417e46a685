# ruff: noqa: S608 - only constant SQL fragments are interpolated; every value is bound.
"""Contacts counted by disposition code, per interval, from the contact facts.

A contact counts in the interval of its wrap-up (``wrapped_up_at``), under the queue of the
segment of the agent who wrapped it up (its first queue when no segment is known). Like
every report statement it filters ``tenant_id`` itself and runs on a session bound to the
tenant (docs/analytics.md).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.reports.repository import Buckets
from analytics.schemas import ReportInterval, ReportRangeIn
from tenants.identity.principal import Principal
from tenants.identity.roles import SUPERVISORS


@dataclass(frozen=True)
class DispositionFilter:
    """Which wrapped-up contacts count: some queues, one agent, some codes (empty: all)."""

    queue_ids: tuple[uuid.UUID, ...] = ()
    agent_id: uuid.UUID | None = None
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class DispositionCount:
    """Contacts wrapped up with ``code`` in ``[start, end)``."""

    start: datetime
    end: datetime
    code: str
    disposition_id: uuid.UUID | None
    contacts: int


async def disposition_counts(
    *,
    session: AsyncSession,
    principal: Principal,
    range_in: ReportRangeIn,
    only: DispositionFilter,
) -> list[DispositionCount]:
    """Counts per interval and code, intervals in order, codes by count then name."""
    principal.require(SUPERVISORS, "read reports")
    buckets = Buckets(
        step=range_in.interval.step,
        daily=range_in.interval is ReportInterval.DAY,
        time_zone=range_in.time_zone,
        start=range_in.start,
        end=range_in.end,
    )
    conditions = [
        "c.tenant_id = :tenant",
        "c.disposition_code IS NOT NULL",
        "c.wrapped_up_at >= :start",
        "c.wrapped_up_at < :end",
    ]
    params = {**buckets.params(), "tenant": principal.tenant_id}
    if only.queue_ids:
        conditions.append("COALESCE(s.queue_id, c.first_queue_id) = ANY(:queues)")
        params["queues"] = list(only.queue_ids)
    if only.agent_id is not None:
        conditions.append("c.wrapped_up_by = :agent")
        params["agent"] = only.agent_id
    if only.codes:
        conditions.append("c.disposition_code = ANY(:codes)")
        params["codes"] = list(only.codes)
    rows = await session.execute(
        text(
            f"""
            SELECT {buckets.of("c.wrapped_up_at")} AS bucket, c.disposition_code AS code,
                   (array_agg(c.disposition_id ORDER BY c.wrapped_up_at DESC))[1] AS did,
                   count(*) AS contacts
            FROM analytics_contacts c
            LEFT JOIN analytics_agent_segments s
              ON s.tenant_id = c.tenant_id AND s.call_id = c.call_id
             AND s.agent_id = c.wrapped_up_by
            WHERE {" AND ".join(conditions)}
            GROUP BY 1, 2
            ORDER BY 1, 4 DESC, 2
            """
        ),
        params,
    )
    zone, step = range_in.zone, range_in.interval.step
    counts = []
    for row in rows:
        if step is None:
            start, end = range_in.start, range_in.end
        else:
            local = row.bucket.replace(tzinfo=zone)
            start, end = max(local, range_in.start), min(local + step, range_in.end)
        counts.append(
            DispositionCount(
                start=start.astimezone(zone),
                end=end.astimezone(zone),
                code=row.code,
                disposition_id=row.did,
                contacts=int(row.contacts),
            )
        )
    return counts
