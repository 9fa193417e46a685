# ruff: noqa: S608 - only constant SQL fragments are interpolated; every value is bound.
"""Report aggregates computed from the facts at query time.

Each query groups facts into local-time buckets of the tenant's time zone and returns
counts and sums only; ``analytics.kpi`` turns them into KPIs. Every statement filters
``tenant_id`` explicitly (the first wall) and runs on a session bound to the tenant
(row-level security, the second wall).

Bucketing happens in SQL on ``ts AT TIME ZONE :tz``: ``date_bin`` for 15/30/60 minutes
(origin 2000-01-01 00:00, a local midnight, so buckets align with wall-clock quarters),
``date_trunc('day')`` for days and one constant bucket for a custom range.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.models import QueueDefinition
from tenants.database.scoping import scoped

ABANDONS = "outcome IN ('abandoned', 'short_abandoned')"


@dataclass(frozen=True)
class Buckets:
    """How timestamps are grouped: ``step`` is the bucket length, or None for one bucket."""

    step: timedelta | None
    daily: bool
    time_zone: str
    start: datetime
    end: datetime
    anchor: datetime | None = None
    """The report's start: the key of its one bucket when ``step`` is None."""

    def part(self, start: datetime, end: datetime) -> Buckets:
        """The same bucketing over a sub-range ``[start, end)``."""
        return Buckets(self.step, self.daily, self.time_zone, start, end, self.anchor or self.start)

    def of(self, column: str) -> str:
        """SQL for the local bucket start of ``column``."""
        if self.step is None:
            return "(CAST(:anchor AS timestamptz) AT TIME ZONE :tz)"
        if self.daily:
            return f"date_trunc('day', {column} AT TIME ZONE :tz)"
        return (
            f"date_bin(CAST(:step AS interval), {column} AT TIME ZONE :tz, TIMESTAMP '2000-01-01')"
        )

    def params(self) -> dict[str, Any]:
        """Bind parameters every bucketed statement uses."""
        return {
            "tz": self.time_zone,
            "start": self.start,
            "end": self.end,
            "step": self.step,
            "anchor": self.anchor or self.start,
        }


@dataclass(frozen=True)
class Scope:
    """Which facts a report covers: a tenant, optionally one queue or one agent."""

    tenant_id: uuid.UUID
    queue_id: uuid.UUID | None = None
    agent_id: uuid.UUID | None = None

    def where(self, alias: str = "") -> str:
        """SQL conditions for this scope (``tenant_id`` always), columns of ``alias``."""
        prefix = f"{alias}." if alias else ""
        clauses = [f"{prefix}tenant_id = :tenant"]
        if self.queue_id is not None:
            clauses.append(f"{prefix}queue_id = :queue")
        if self.agent_id is not None:
            clauses.append(f"{prefix}agent_id = :agent")
        return " AND ".join(clauses)

    def params(self) -> dict[str, Any]:
        """Bind parameters of the scope."""
        return {"tenant": self.tenant_id, "queue": self.queue_id, "agent": self.agent_id}


async def queue_definition(
    session: AsyncSession, *, tenant_id: uuid.UUID, queue_id: uuid.UUID
) -> QueueDefinition | None:
    """The queue's T, S and formula, or None when no event ever named this queue."""
    return await session.scalar(
        scoped(select(QueueDefinition), tenant_id).where(QueueDefinition.queue_id == queue_id)
    )


async def queue_definitions(
    session: AsyncSession, *, tenant_id: uuid.UUID
) -> list[QueueDefinition]:
    """Every known queue of the tenant."""
    return list(
        await session.scalars(
            scoped(select(QueueDefinition), tenant_id).order_by(QueueDefinition.queue_id)
        )
    )


async def offered(session: AsyncSession, scope: Scope, buckets: Buckets) -> dict[Any, int]:
    """Legs offered (enqueued) per bucket."""
    sql = f"""
        SELECT {buckets.of("enqueued_at")} AS bucket, count(*) AS offered
        FROM analytics_queue_legs
        WHERE {scope.where()} AND enqueued_at >= :start AND enqueued_at < :end
        GROUP BY 1
    """
    rows = await session.execute(text(sql), {**scope.params(), **buckets.params()})
    return {row.bucket: row.offered for row in rows}


async def missed_call_followups(
    session: AsyncSession, scope: Scope, buckets: Buckets
) -> dict[Any, tuple[int, int]]:
    """Missed-call follow-ups opened (created) and closed per bucket; none for agent scopes."""
    if scope.agent_id is not None:
        return {}
    counts: dict[Any, list[int]] = {}
    for position, column in enumerate(("created_at", "closed_at")):
        sql = f"""
            SELECT {buckets.of(column)} AS bucket, count(*) AS n
            FROM missed_calls
            WHERE {scope.where()} AND {column} >= :start AND {column} < :end
            GROUP BY 1
        """
        rows = await session.execute(text(sql), {**scope.params(), **buckets.params()})
        for row in rows:
            counts.setdefault(row.bucket, [0, 0])[position] = row.n
    return {bucket: (opened, closed) for bucket, (opened, closed) in counts.items()}


async def decided(
    session: AsyncSession,
    scope: Scope,
    buckets: Buckets,
    *,
    answer_ms: int | None = None,
    short_ms: int | None = None,
) -> dict[Any, Any]:
    """Dequeue counts and wait sums per bucket, against T and S.

    With ``answer_ms`` and ``short_ms`` every leg is measured against them; without,
    each leg against its own queue's T and S (tenant-wide reports).
    """
    if answer_ms is None or short_ms is None:
        source = "analytics_queue_legs l JOIN analytics_queues q USING (tenant_id, queue_id)"
        t_ms, s_ms = "q.answer_seconds * 1000", "q.short_abandon_seconds * 1000"
    else:
        source, t_ms, s_ms = "analytics_queue_legs l", ":t_ms", ":s_ms"
    where = scope.where("l")
    sql = f"""
        SELECT {buckets.of("dequeued_at")} AS bucket,
          count(*) AS dequeued,
          count(*) FILTER (WHERE outcome = 'answered') AS answered,
          count(*) FILTER (WHERE outcome = 'answered' AND wait_ms <= {t_ms}) AS answered_within_t,
          count(*) FILTER (WHERE {ABANDONS}) AS abandoned,
          count(*) FILTER (WHERE {ABANDONS} AND wait_ms <= {t_ms}) AS abandoned_within_t,
          count(*) FILTER (WHERE {ABANDONS} AND wait_ms <= {s_ms}) AS short_abandoned,
          count(*) FILTER (WHERE outcome = 'callback') AS callbacks,
          count(*) FILTER (WHERE outcome = 'flowout') AS flowouts,
          coalesce(sum(wait_ms) FILTER (WHERE outcome = 'answered'), 0) AS answered_wait_ms,
          coalesce(sum(wait_ms) FILTER (WHERE {ABANDONS}), 0) AS abandoned_wait_ms,
          coalesce(sum(wait_ms), 0) AS dequeued_wait_ms,
          max(wait_ms) AS longest_wait_ms
        FROM {source}
        WHERE {where} AND dequeued_at >= :start AND dequeued_at < :end
        GROUP BY 1
    """
    params = {**scope.params(), **buckets.params(), "t_ms": answer_ms, "s_ms": short_ms}
    rows = await session.execute(text(sql), params)
    return {row.bucket: row for row in rows}


async def handled(session: AsyncSession, scope: Scope, buckets: Buckets) -> dict[Any, Any]:
    """Handled segments and their talk, hold and ACW sums per bucket (at ``handled_at``)."""
    sql = f"""
        SELECT {buckets.of("handled_at")} AS bucket,
          count(*) AS handled,
          coalesce(sum(talk_ms), 0) AS talk_ms,
          coalesce(sum(hold_ms), 0) AS hold_ms,
          coalesce(sum(acw_ms), 0) AS acw_ms,
          count(*) FILTER (WHERE transferred_out) AS transferred_out
        FROM analytics_agent_segments
        WHERE {scope.where()} AND answered_at IS NOT NULL
          AND handled_at >= :start AND handled_at < :end
        GROUP BY 1
    """
    rows = await session.execute(text(sql), {**scope.params(), **buckets.params()})
    return {row.bucket: row for row in rows}


async def state_seconds(
    session: AsyncSession,
    scope: Scope,
    buckets: Buckets,
    *,
    now: datetime,
    which: str = "all",
) -> dict[Any, dict[str, float]]:
    """Seconds per agent state per bucket, each interval clipped to its buckets.

    An open interval counts until ``now``. Each interval is spread over the buckets it
    overlaps (usually one or two), so the work grows with intervals, not buckets.
    Agent states belong to no queue, so ``scope`` names a tenant or an agent.
    ``which`` selects all intervals, only closed ones or only open ones.
    """
    only = {"all": "", "closed": "AND ended_at IS NOT NULL", "open": "AND ended_at IS NULL"}[which]
    if scope.queue_id is not None:
        raise ValueError("agent states have no queue")
    if buckets.step is None:
        spread = "(SELECT CAST(:anchor AS timestamptz) AT TIME ZONE :tz AS local_start) b"
        bucket_start = "CAST(:start AS timestamptz)"
        bucket_end = "CAST(:end AS timestamptz)"
    else:
        step = "interval '1 day'" if buckets.daily else "CAST(:step AS interval)"
        first = buckets.of("s")
        spread = f"generate_series({first}, e AT TIME ZONE :tz, {step}) AS b(local_start)"
        bucket_start = "(b.local_start AT TIME ZONE :tz)"
        bucket_end = f"((b.local_start + {step}) AT TIME ZONE :tz)"
    sql = f"""
        WITH spans AS (
          SELECT state,
                 greatest(started_at, :start) AS s,
                 least(coalesce(ended_at, :now), :end) AS e
          FROM analytics_agent_state_intervals
          WHERE {scope.where()} AND started_at < :end
            AND (ended_at IS NULL OR ended_at > :start) {only}
        )
        SELECT b.local_start AS bucket, state,
               sum(extract(epoch FROM least(e, {bucket_end}) - greatest(s, {bucket_start})))
                 AS seconds
        FROM spans, LATERAL {spread}
        WHERE e > s
        GROUP BY 1, 2
    """
    rows = await session.execute(text(sql), {**scope.params(), **buckets.params(), "now": now})
    result: dict[Any, dict[str, float]] = {}
    for row in rows:
        seconds = max(0.0, float(row.seconds or 0))
        result.setdefault(row.bucket, {})[row.state] = seconds
    return result


async def hourly_traffic(
    session: AsyncSession, scope: Scope, *, start: datetime, end: datetime, time_zone: str
) -> dict[int, Any]:
    """Offered, answered and abandoned per local hour of day over the range."""
    sql = f"""
        SELECT extract(hour FROM enqueued_at AT TIME ZONE :tz)::int AS hour,
          count(*) AS offered,
          count(*) FILTER (WHERE outcome = 'answered') AS answered,
          count(*) FILTER (WHERE {ABANDONS}) AS abandoned,
          coalesce(sum(wait_ms) FILTER (WHERE outcome = 'answered'), 0) AS answered_wait_ms
        FROM analytics_queue_legs
        WHERE {scope.where()} AND enqueued_at >= :start AND enqueued_at < :end
        GROUP BY 1
    """
    rows = await session.execute(
        text(sql), {**scope.params(), "start": start, "end": end, "tz": time_zone}
    )
    return {row.hour: row for row in rows}


ROLLUP_SUMS = (
    "offered",
    "dequeued",
    "answered",
    "answered_within_t",
    "abandoned",
    "abandoned_within_t",
    "short_abandoned",
    "callbacks",
    "flowouts",
    "answered_wait_ms",
    "abandoned_wait_ms",
    "dequeued_wait_ms",
    "handled",
    "talk_ms",
    "hold_ms",
    "acw_ms",
    "transferred_out",
)


async def rollup_totals(session: AsyncSession, scope: Scope, buckets: Buckets) -> dict[Any, Any]:
    """Queue rollups summed into report buckets over ``[buckets.start, buckets.end)``.

    The range must lie on 15-minute UTC boundaries.
    """
    sums = ", ".join(f"sum({c}) AS {c}" for c in ROLLUP_SUMS)
    sql = f"""
        SELECT {buckets.of("bucket_start")} AS bucket, {sums},
               max(longest_wait_ms) AS longest_wait_ms
        FROM analytics_queue_rollups
        WHERE {scope.where()} AND bucket_start >= :start AND bucket_start < :end
        GROUP BY 1
    """
    rows = await session.execute(text(sql), {**scope.params(), **buckets.params()})
    return {row.bucket: row for row in rows}


async def rollup_state_seconds(
    session: AsyncSession, scope: Scope, buckets: Buckets
) -> dict[Any, dict[str, float]]:
    """Closed agent state time from the rollups, per report bucket and state."""
    if scope.queue_id is not None:
        raise ValueError("agent states have no queue")
    sql = f"""
        SELECT {buckets.of("bucket_start")} AS bucket, state, sum(seconds) AS seconds
        FROM analytics_agent_state_rollups
        WHERE {scope.where()} AND bucket_start >= :start AND bucket_start < :end
        GROUP BY 1, 2
    """
    rows = await session.execute(text(sql), {**scope.params(), **buckets.params()})
    result: dict[Any, dict[str, float]] = {}
    for row in rows:
        result.setdefault(row.bucket, {})[row.state] = float(row.seconds or 0)
    return result


async def waiting_now(
    session: AsyncSession, scope: Scope, *, now: datetime, horizon: timedelta
) -> tuple[int, datetime | None]:
    """Legs enqueued within ``horizon`` and not yet dequeued: count and oldest enqueue."""
    sql = f"""
        SELECT count(*) AS waiting, min(enqueued_at) AS oldest
        FROM analytics_queue_legs
        WHERE {scope.where()} AND dequeued_at IS NULL
          AND enqueued_at > :since AND enqueued_at <= :now
    """
    row = (
        await session.execute(text(sql), {**scope.params(), "since": now - horizon, "now": now})
    ).one()
    return row.waiting, row.oldest


async def agents_by_state(session: AsyncSession, tenant_id: uuid.UUID) -> dict[str, int]:
    """Agents per current state (each agent's open interval)."""
    rows = await session.execute(
        text(
            """
            SELECT state, count(DISTINCT agent_id) AS agents
            FROM analytics_agent_state_intervals
            WHERE tenant_id = :tenant AND ended_at IS NULL
            GROUP BY state
            """
        ),
        {"tenant": tenant_id},
    )
    return {row.state: row.agents for row in rows}


async def handled_by_agent(
    session: AsyncSession, *, tenant_id: uuid.UUID, start: datetime, end: datetime
) -> dict[uuid.UUID, Any]:
    """Handled segments and their talk, hold and ACW sums per agent over ``[start, end)``."""
    rows = await session.execute(
        text(
            """
            SELECT agent_id, count(*) AS handled,
              coalesce(sum(talk_ms), 0) AS talk_ms, coalesce(sum(hold_ms), 0) AS hold_ms,
              coalesce(sum(acw_ms), 0) AS acw_ms,
              count(*) FILTER (WHERE transferred_out) AS transferred_out
            FROM analytics_agent_segments
            WHERE tenant_id = :tenant AND answered_at IS NOT NULL
              AND handled_at >= :start AND handled_at < :end
            GROUP BY agent_id
            """
        ),
        {"tenant": tenant_id, "start": start, "end": end},
    )
    return {row.agent_id: row for row in rows}


async def state_seconds_by_agent(
    session: AsyncSession, *, tenant_id: uuid.UUID, start: datetime, end: datetime, now: datetime
) -> dict[uuid.UUID, dict[str, float]]:
    """Seconds per state per agent, intervals clipped to ``[start, end)``."""
    rows = await session.execute(
        text(
            """
            SELECT agent_id, state,
              sum(extract(epoch FROM least(coalesce(ended_at, :now), :end)
                                     - greatest(started_at, :start))) AS seconds
            FROM analytics_agent_state_intervals
            WHERE tenant_id = :tenant AND started_at < :end
              AND (ended_at IS NULL OR ended_at > :start)
              AND least(coalesce(ended_at, :now), :end) > greatest(started_at, :start)
            GROUP BY agent_id, state
            """
        ),
        {"tenant": tenant_id, "start": start, "end": end, "now": now},
    )
    result: dict[uuid.UUID, dict[str, float]] = {}
    for row in rows:
        result.setdefault(row.agent_id, {})[row.state] = float(row.seconds or 0)
    return result
