# ruff: noqa: S608 - only constant SQL fragments are interpolated; every value is bound.
"""15-minute rollups of the facts, so month-long reports read thousands of rows, not millions.

The worker recomputes every bucket an event touches (old and new position of each
timestamp it moves) from the facts, in the same transaction as the facts, so a late
event rewrites exactly the closed buckets it belongs to. Refreshes of one tenant are
serialised by an advisory lock: a refresh then always sees every fact committed before
it, even when several workers write the same bucket.

Buckets are 15 minutes in UTC. Every report interval (15/30/60 minutes or a day, in
any zone whose offset is a whole number of quarter hours) is a union of them; a range
edge that is not on a quarter hour is read from the facts.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

BUCKET = timedelta(minutes=15)
ORIGIN = datetime(2000, 1, 1, tzinfo=UTC)
ABANDON = "l.outcome IN ('abandoned', 'short_abandoned')"

QUEUE_COLUMNS = (
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
    "longest_wait_ms",
    "handled",
    "talk_ms",
    "hold_ms",
    "acw_ms",
    "transferred_out",
)


def floor_bucket(moment: datetime) -> datetime:
    """The start of the 15-minute UTC bucket holding ``moment``."""
    return ORIGIN + ((moment - ORIGIN) // BUCKET) * BUCKET


def ceil_bucket(moment: datetime) -> datetime:
    """The first bucket boundary at or after ``moment``."""
    floor = floor_bucket(moment)
    return floor if floor == moment else floor + BUCKET


async def _lock(session: AsyncSession, tenant_id: uuid.UUID) -> None:
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
        {"key": f"analytics-rollup:{tenant_id}"},
    )


def _branch_filter(alias: str, column: str, dirty: bool) -> str:
    if dirty:
        return (
            f"JOIN unnest(CAST(:queues AS uuid[]), CAST(:buckets AS timestamptz[])) "
            f"AS d(queue_id, bucket_start) ON {alias}.queue_id = d.queue_id "
            f"AND {alias}.{column} >= d.bucket_start "
            f"AND {alias}.{column} < d.bucket_start + CAST(:step AS interval) "
            f"WHERE {alias}.tenant_id = :tenant"
        )
    return (
        f"WHERE {alias}.tenant_id = :tenant AND {alias}.{column} IS NOT NULL "
        f"AND (CAST(:queue AS uuid) IS NULL OR {alias}.queue_id = CAST(:queue AS uuid))"
    )


def _queue_rollup_select(dirty: bool) -> str:
    zero = "0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0"
    named_zeros = ", ".join(
        f"NULL::bigint AS {c}" if c == "longest_wait_ms" else f"0::bigint AS {c}"
        for c in QUEUE_COLUMNS[1:]
    )
    bucket = "date_bin(CAST(:step AS interval), {col}, CAST(:origin AS timestamptz))"
    return f"""
        SELECT queue_id, bucket_start,
          sum(offered), sum(dequeued), sum(answered), sum(answered_within_t), sum(abandoned),
          sum(abandoned_within_t), sum(short_abandoned), sum(callbacks), sum(flowouts),
          sum(answered_wait_ms), sum(abandoned_wait_ms), sum(dequeued_wait_ms),
          max(longest_wait_ms), sum(handled), sum(talk_ms), sum(hold_ms), sum(acw_ms),
          sum(transferred_out)
        FROM (
          SELECT l.queue_id, {bucket.format(col="l.enqueued_at")} AS bucket_start,
                 count(*) AS offered, {named_zeros}
          FROM analytics_queue_legs l {_branch_filter("l", "enqueued_at", dirty)}
          GROUP BY 1, 2
          UNION ALL
          SELECT l.queue_id, {bucket.format(col="l.dequeued_at")},
                 0, count(*),
                 count(*) FILTER (WHERE l.outcome = 'answered'),
                 count(*) FILTER (WHERE l.outcome = 'answered'
                                    AND l.wait_ms <= q.answer_seconds * 1000),
                 count(*) FILTER (WHERE {ABANDON}),
                 count(*) FILTER (WHERE {ABANDON} AND l.wait_ms <= q.answer_seconds * 1000),
                 count(*) FILTER (WHERE {ABANDON}
                                    AND l.wait_ms <= q.short_abandon_seconds * 1000),
                 count(*) FILTER (WHERE l.outcome = 'callback'),
                 count(*) FILTER (WHERE l.outcome = 'flowout'),
                 coalesce(sum(l.wait_ms) FILTER (WHERE l.outcome = 'answered'), 0),
                 coalesce(sum(l.wait_ms) FILTER (WHERE {ABANDON}), 0),
                 coalesce(sum(l.wait_ms), 0),
                 max(l.wait_ms),
                 0, 0, 0, 0, 0
          FROM analytics_queue_legs l
          JOIN analytics_queues q ON q.tenant_id = l.tenant_id AND q.queue_id = l.queue_id
          {_branch_filter("l", "dequeued_at", dirty)}
          GROUP BY 1, 2
          UNION ALL
          SELECT s.queue_id, {bucket.format(col="s.handled_at")},
                 0, {zero}, NULL::bigint,
                 count(*), coalesce(sum(s.talk_ms), 0), coalesce(sum(s.hold_ms), 0),
                 coalesce(sum(s.acw_ms), 0), count(*) FILTER (WHERE s.transferred_out)
          FROM analytics_agent_segments s {_branch_filter("s", "handled_at", dirty)}
            AND s.answered_at IS NOT NULL AND s.queue_id IS NOT NULL
          GROUP BY 1, 2
        ) x
        GROUP BY queue_id, bucket_start
    """


def _insert_queue_rollups(select_sql: str) -> str:
    columns = ", ".join(QUEUE_COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in QUEUE_COLUMNS)
    return f"""
        INSERT INTO analytics_queue_rollups (tenant_id, queue_id, bucket_start, {columns})
        SELECT :tenant, r.* FROM ({select_sql}) r
        ON CONFLICT (tenant_id, queue_id, bucket_start) DO UPDATE SET {updates}
    """


async def refresh_queue_buckets(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    touched: Iterable[tuple[uuid.UUID | None, datetime | None]],
) -> None:
    """Recompute the (queue, bucket) rollups holding the given timestamps."""
    dirty = sorted({(queue, floor_bucket(moment)) for queue, moment in touched if queue and moment})
    if not dirty:
        return
    await _lock(session, tenant_id)
    params: dict[str, Any] = {
        "tenant": tenant_id,
        "queues": [q for q, _ in dirty],
        "buckets": [b for _, b in dirty],
        "step": BUCKET,
        "origin": ORIGIN,
    }
    await session.execute(
        text(
            """
            DELETE FROM analytics_queue_rollups r
            USING unnest(CAST(:queues AS uuid[]), CAST(:buckets AS timestamptz[]))
              AS d(queue_id, bucket_start)
            WHERE r.tenant_id = :tenant AND r.queue_id = d.queue_id
              AND r.bucket_start = d.bucket_start
            """
        ),
        params,
    )
    await session.execute(text(_insert_queue_rollups(_queue_rollup_select(dirty=True))), params)


async def rebuild_queue_rollups(
    session: AsyncSession, *, tenant_id: uuid.UUID, queue_id: uuid.UUID | None = None
) -> None:
    """Recompute a tenant's (or one queue's) rollups from all its facts.

    Used after a bulk load and when a queue's thresholds change.
    """
    await _lock(session, tenant_id)
    params = {"tenant": tenant_id, "queue": queue_id, "step": BUCKET, "origin": ORIGIN}
    await session.execute(
        text(
            "DELETE FROM analytics_queue_rollups WHERE tenant_id = :tenant "
            "AND (CAST(:queue AS uuid) IS NULL OR queue_id = CAST(:queue AS uuid))"
        ),
        params,
    )
    await session.execute(text(_insert_queue_rollups(_queue_rollup_select(dirty=False))), params)


STATE_SPREAD = """
    INSERT INTO analytics_agent_state_rollups (tenant_id, bucket_start, agent_id, state, seconds)
    SELECT :tenant, b.bucket_start, agent_id, state,
           sum(extract(epoch FROM least(e, b.bucket_start + CAST(:step AS interval))
                                 - greatest(s, b.bucket_start)))
    FROM (
      SELECT agent_id, state, greatest(started_at, :lo) AS s, least(ended_at, :hi) AS e
      FROM analytics_agent_state_intervals
      WHERE tenant_id = :tenant AND ended_at IS NOT NULL {agent_filter}
        AND started_at < :hi AND ended_at > :lo
    ) spans,
    LATERAL generate_series(
      date_bin(CAST(:step AS interval), s, CAST(:origin AS timestamptz)),
      e, CAST(:step AS interval)) AS b(bucket_start)
    WHERE e > s AND b.bucket_start < e
    GROUP BY 2, 3, 4
    ON CONFLICT (tenant_id, bucket_start, agent_id, state)
      DO UPDATE SET seconds = excluded.seconds
"""


async def refresh_agent_states(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    agent_id: uuid.UUID,
    start: datetime,
    end: datetime,
) -> None:
    """Recompute an agent's closed state time in the buckets covering ``[start, end)``."""
    lo, hi = floor_bucket(start), ceil_bucket(end)
    if hi <= lo:
        hi = lo + BUCKET
    await _lock(session, tenant_id)
    params = {
        "tenant": tenant_id,
        "agent": agent_id,
        "lo": lo,
        "hi": hi,
        "step": BUCKET,
        "origin": ORIGIN,
    }
    await session.execute(
        text(
            "DELETE FROM analytics_agent_state_rollups WHERE tenant_id = :tenant "
            "AND agent_id = :agent AND bucket_start >= :lo AND bucket_start < :hi"
        ),
        params,
    )
    await session.execute(text(STATE_SPREAD.format(agent_filter="AND agent_id = :agent")), params)


async def rebuild_agent_state_rollups(
    session: AsyncSession, *, tenant_id: uuid.UUID, start: datetime, end: datetime
) -> None:
    """Recompute every agent's closed state time over ``[start, end)`` (after a bulk load)."""
    lo, hi = floor_bucket(start), ceil_bucket(end)
    await _lock(session, tenant_id)
    params = {"tenant": tenant_id, "lo": lo, "hi": hi, "step": BUCKET, "origin": ORIGIN}
    await session.execute(
        text(
            "DELETE FROM analytics_agent_state_rollups WHERE tenant_id = :tenant "
            "AND bucket_start >= :lo AND bucket_start < :hi"
        ),
        params,
    )
    await session.execute(text(STATE_SPREAD.format(agent_filter="")), params)
