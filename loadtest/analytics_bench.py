"""Benchmark: analytics reports over generated facts, against a raw SQL baseline.

    PYTHONPATH=. python loadtest/analytics_bench.py              # 1,000,000 + 10,000,000 legs
    PYTHONPATH=. python loadtest/analytics_bench.py --scale 0.1  # 100,000 + 1,000,000 legs

Facts are generated with COPY into an embedded PostgreSQL (or ``--database-url`` and
``--migration-url``), then timed through the real report service, as the API runs it
(app role, row-level security bound to the tenant):

- a queue-day report: one queue, one day, 15-minute rows, over ``1,000,000 * scale`` legs
  (and a segment for every answered leg);
- a tenant-month report: 30 daily rows over ``10,000,000 * scale`` legs in 10 queues, plus
  a shift a day of agent state intervals (``200 * scale`` agents) for occupancy.

Reports read the 15-minute rollups the worker maintains; the benchmark builds them from
the loaded facts first (timed) since COPY bypasses the worker.

Each is compared with a raw SQL baseline: one hand-written aggregate over the same rows
(no buckets, no KPI code). Medians of ``--repeat`` warm runs are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
from sqlalchemy import text

from analytics.facts import rollups
from analytics.reports import service as reports
from analytics.schemas import ReportInterval, ReportRangeIn
from tenants.database import migrate
from tenants.database.session import Database
from tenants.embedded.postgres import EmbeddedPostgres
from tenants.identity.principal import Principal
from tenants.identity.roles import Role

DAY0 = datetime(2026, 1, 1, tzinfo=UTC)
CHUNK = 50_000
OUTCOMES = (("answered", 0.85), ("abandoned", 0.08), ("callback", 0.04), ("flowout", 0.03))
LEG_COLUMNS = [
    "tenant_id",
    "call_id",
    "queue_id",
    "enqueued_at",
    "dequeued_at",
    "outcome",
    "wait_ms",
    "agent_id",
    "priority",
]
SEGMENT_COLUMNS = [
    "tenant_id",
    "call_id",
    "agent_id",
    "queue_id",
    "answered_at",
    "ended_at",
    "ended_by",
    "talk_ms",
    "hold_ms",
    "acw_ms",
    "acw_ended_at",
    "handled_at",
    "transferred_out",
]


def _asyncpg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


def _outcome(rng: random.Random) -> str:
    roll = rng.random()
    for name, share in OUTCOMES:
        if roll < share:
            return name
        roll -= share
    return OUTCOMES[0][0]


def _facts(
    *,
    rng: random.Random,
    tenant: uuid.UUID,
    queues: list[uuid.UUID],
    agents: list[uuid.UUID],
    count: int,
    start: datetime,
    days: int,
) -> Iterator[tuple[list[tuple], list[tuple]]]:
    """Chunks of (legs, segments) rows spread uniformly over ``days`` from ``start``."""
    span_ms = days * 86_400_000
    legs: list[tuple] = []
    segments: list[tuple] = []
    for _ in range(count):
        call = uuid.UUID(int=rng.getrandbits(128))
        queue = queues[rng.randrange(len(queues))]
        enqueued = start + timedelta(milliseconds=rng.randrange(span_ms))
        wait = min(int(rng.expovariate(1 / 15_000)), 600_000)
        outcome = _outcome(rng)
        if outcome == "abandoned" and wait <= 5_000:
            outcome = "short_abandoned"
        dequeued = enqueued + timedelta(milliseconds=wait)
        agent = agents[rng.randrange(len(agents))] if outcome == "answered" else None
        legs.append((tenant, call, queue, enqueued, dequeued, outcome, wait, agent, 0))
        if agent is not None:
            talk = int(rng.expovariate(1 / 180_000))
            acw = int(rng.expovariate(1 / 30_000))
            ended = dequeued + timedelta(milliseconds=talk)
            handled = ended + timedelta(milliseconds=acw)
            segments.append(
                (
                    tenant,
                    call,
                    agent,
                    queue,
                    dequeued,
                    ended,
                    "caller",
                    talk,
                    0,
                    acw,
                    handled,
                    handled,
                    False,
                )
            )
        if len(legs) >= CHUNK:
            yield legs, segments
            legs, segments = [], []
    if legs:
        yield legs, segments


def _states(
    rng: random.Random, tenant: uuid.UUID, agents: list[uuid.UUID], start: datetime, days: int
) -> list[tuple]:
    """A shift a day per agent: available / on_contact / acw cycles, then offline."""
    rows = []
    n = 0
    for agent in agents:
        for day in range(days):
            t = start + timedelta(days=day, hours=8)
            end = t + timedelta(hours=8)
            while t < end:
                for state, mean in (("available", 60), ("on_contact", 180), ("acw", 30)):
                    length = timedelta(seconds=max(1, rng.expovariate(1 / mean)))
                    n += 1
                    rows.append((tenant, f"bench-{n}", agent, state, t, n, t + length, None))
                    t += length
            n += 1
            rows.append(
                (tenant, f"bench-{n}", agent, "offline", t, n, t + timedelta(hours=16), None)
            )
    return rows


BULK_TABLES = (
    "analytics_queue_legs",
    "analytics_agent_segments",
    "analytics_agent_state_intervals",
)


async def _drop_indexes(conn: asyncpg.Connection, tables: tuple[str, ...]) -> list[str]:
    """Drop the tables' keys and indexes for a bulk load; returns the DDL that restores them.

    Building an index once after COPY is much cheaper than maintaining it row by row
    (random UUID keys especially).
    """
    restore: list[str] = []
    for table in tables:
        for row in await conn.fetch(
            "SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint "
            "WHERE conrelid = $1::regclass AND contype = 'p'",
            table,
        ):
            await conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{row["conname"]}"')
            restore.append(f'ALTER TABLE {table} ADD CONSTRAINT "{row["conname"]}" {row["def"]}')
        for row in await conn.fetch(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = $1", table
        ):
            await conn.execute(f'DROP INDEX "{row["indexname"]}"')
            restore.append(row["indexdef"])
    return restore


async def load(
    migration_url: str,
    *,
    legs_per_day_queue: int,
    legs_per_month: int,
    agent_count: int,
    seed: int,
) -> dict:
    """Create two tenants and COPY their facts; returns their ids and ranges."""
    rng = random.Random(seed)
    conn = await asyncpg.connect(_asyncpg_dsn(migration_url))
    try:
        ids = {}
        for name in ("queue-day", "tenant-month"):
            tenant = uuid.uuid4()
            await conn.execute(
                "INSERT INTO tenants (id, name, slug) VALUES ($1, $2, $3)",
                tenant,
                f"bench {name}",
                f"bench-{name}-{tenant.hex[:8]}",
            )
            ids[name] = tenant
        day_queue = uuid.uuid4()
        month_queues = [uuid.uuid4() for _ in range(10)]
        agents = [uuid.uuid4() for _ in range(agent_count)]
        for tenant, queues in (
            (ids["queue-day"], [day_queue]),
            (ids["tenant-month"], month_queues),
        ):
            await conn.copy_records_to_table(
                "analytics_queues",
                records=[(tenant, q) for q in queues],
                columns=["tenant_id", "queue_id"],
            )
        started = time.perf_counter()
        restore = await _drop_indexes(conn, BULK_TABLES)
        plans = (
            (ids["queue-day"], [day_queue], legs_per_day_queue, 1),
            (ids["tenant-month"], month_queues, legs_per_month, 30),
        )
        total = 0
        for tenant, queues, count, days in plans:
            for legs, segments in _facts(
                rng=rng,
                tenant=tenant,
                queues=queues,
                agents=agents,
                count=count,
                start=DAY0,
                days=days,
            ):
                await conn.copy_records_to_table(
                    "analytics_queue_legs", records=legs, columns=LEG_COLUMNS
                )
                await conn.copy_records_to_table(
                    "analytics_agent_segments", records=segments, columns=SEGMENT_COLUMNS
                )
                total += len(legs)
        states = _states(rng, ids["tenant-month"], agents, DAY0, 30)
        await conn.copy_records_to_table(
            "analytics_agent_state_intervals",
            records=states,
            columns=[
                "tenant_id",
                "event_id",
                "agent_id",
                "state",
                "started_at",
                "seq",
                "ended_at",
                "call_id",
            ],
        )
        for statement in restore:
            await conn.execute(statement)
        load_seconds = time.perf_counter() - started
        await conn.execute("ANALYZE analytics_queue_legs")
        await conn.execute("ANALYZE analytics_agent_segments")
        await conn.execute("ANALYZE analytics_agent_state_intervals")
        await conn.execute("VACUUM analytics_queue_legs")
        await conn.execute("VACUUM analytics_agent_segments")
        await conn.execute("VACUUM analytics_agent_state_intervals")
    finally:
        await conn.close()
    print(
        f"loaded {total:,} legs (+ segments for answered legs) and {len(states):,} state "
        f"intervals by COPY, indexes rebuilt, in {load_seconds:.1f} s"
    )
    return {"tenants": ids, "day_queue": day_queue}


async def build_rollups(app_url: str, loaded: dict) -> None:
    """Build the 15-minute rollups the worker would have maintained, and time it."""
    database = Database(app_url, pool_size=1)
    started = time.perf_counter()
    try:
        for tenant in loaded["tenants"].values():
            async with database.transaction(tenant) as session:
                await rollups.rebuild_queue_rollups(session, tenant_id=tenant)
                await rollups.rebuild_agent_state_rollups(
                    session, tenant_id=tenant, start=DAY0, end=DAY0 + timedelta(days=31)
                )
        async with database.engine.connect() as conn:
            await conn.execute(text("ANALYZE analytics_queue_rollups"))
            await conn.execute(text("ANALYZE analytics_agent_state_rollups"))
    finally:
        await database.dispose()
    print(f"built 15-minute rollups from the facts in {time.perf_counter() - started:.1f} s")


RAW_QUEUE_DAY = """
SELECT count(*) AS dequeued,
  count(*) FILTER (WHERE outcome = 'answered') AS answered,
  count(*) FILTER (WHERE outcome = 'answered' AND wait_ms <= 20000) AS answered_within_t,
  count(*) FILTER (WHERE outcome IN ('abandoned','short_abandoned')) AS abandoned,
  count(*) FILTER (WHERE outcome IN ('abandoned','short_abandoned') AND wait_ms <= 5000) AS short,
  sum(wait_ms) FILTER (WHERE outcome = 'answered') AS answered_wait
FROM analytics_queue_legs
WHERE tenant_id = :tenant AND queue_id = :queue AND dequeued_at >= :start AND dequeued_at < :end
"""
RAW_TENANT_MONTH = """
SELECT count(*) AS dequeued,
  count(*) FILTER (WHERE outcome = 'answered') AS answered,
  count(*) FILTER (WHERE outcome = 'answered' AND wait_ms <= 20000) AS answered_within_t,
  count(*) FILTER (WHERE outcome IN ('abandoned','short_abandoned')) AS abandoned,
  count(*) FILTER (WHERE outcome IN ('abandoned','short_abandoned') AND wait_ms <= 5000) AS short,
  sum(wait_ms) FILTER (WHERE outcome = 'answered') AS answered_wait
FROM analytics_queue_legs
WHERE tenant_id = :tenant AND dequeued_at >= :start AND dequeued_at < :end
"""


async def _time(repeat: int, run: Callable[[], Awaitable[object]]) -> tuple[float, list[float]]:
    await run()  # warm the cache once; the report is about warm, steady-state reads
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        await run()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs), runs


async def measure(app_url: str, loaded: dict, repeat: int) -> dict[str, float]:
    """Median seconds of each report and its raw SQL baseline."""
    database = Database(app_url, pool_size=2)
    day_tenant = loaded["tenants"]["queue-day"]
    month_tenant = loaded["tenants"]["tenant-month"]
    day = ReportRangeIn(
        start=DAY0, end=DAY0 + timedelta(days=1), interval=ReportInterval.MINUTES_15
    )
    month = ReportRangeIn(start=DAY0, end=DAY0 + timedelta(days=30), interval=ReportInterval.DAY)

    async def queue_day(use_rollups: bool = True) -> object:
        async with database.transaction(day_tenant) as session:
            rows = await reports.queue_report(
                session=session,
                principal=Principal(tenant_id=day_tenant, role=Role.ADMIN),
                queue_id=loaded["day_queue"],
                range_in=day,
                use_rollups=use_rollups,
            )
        assert len(rows) == 96
        return rows

    async def tenant_month(use_rollups: bool = True) -> object:
        async with database.transaction(month_tenant) as session:
            rows = await reports.tenant_report(
                session=session,
                principal=Principal(tenant_id=month_tenant, role=Role.ADMIN),
                range_in=month,
                use_rollups=use_rollups,
            )
        assert len(rows) == 30
        return rows

    async def raw(sql: str, tenant: uuid.UUID, **params: object) -> object:
        async with database.transaction(tenant) as session:
            return (await session.execute(text(sql), {"tenant": tenant, **params})).one()

    results = {}
    try:
        cases = [
            ("queue-day report (15-min rows)", queue_day),
            ("queue-day report from facts only", lambda: queue_day(use_rollups=False)),
            (
                "queue-day raw SQL baseline",
                lambda: raw(
                    RAW_QUEUE_DAY,
                    day_tenant,
                    queue=loaded["day_queue"],
                    start=day.start,
                    end=day.end,
                ),
            ),
            ("tenant-month report (daily rows)", tenant_month),
            ("tenant-month report from facts only", lambda: tenant_month(use_rollups=False)),
            (
                "tenant-month raw SQL baseline",
                lambda: raw(RAW_TENANT_MONTH, month_tenant, start=month.start, end=month.end),
            ),
        ]
        for name, run in cases:
            median, runs = await _time(repeat, run)
            results[name] = median
            print(
                f"{name:<36} median {median * 1000:8.1f} ms   runs "
                + " ".join(f"{r * 1000:.0f}" for r in runs)
            )
    finally:
        await database.dispose()
    return results


def main() -> None:
    """Parse arguments, load facts, time the reports and print medians."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 1M and 10M legs")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", help="app-role URL (default: embedded PostgreSQL)")
    parser.add_argument("--migration-url", help="owner/superuser URL used to load facts")
    args = parser.parse_args()
    legs_day = int(1_000_000 * args.scale)
    legs_month = int(10_000_000 * args.scale)
    print(f"queue-day facts: {legs_day:,}   tenant-month facts: {legs_month:,}")
    with tempfile.TemporaryDirectory(prefix="hotline-bench-") as tmp:
        postgres = None
        if args.database_url and args.migration_url:
            app_url, migration_url = args.database_url, args.migration_url
        else:
            postgres = EmbeddedPostgres(Path(tmp) / "pg", secrets_dir=Path(tmp))
            urls = postgres.start()
            app_url, migration_url = urls.app_url, urls.migration_url
        try:
            migrate.upgrade(migration_url, app_url)
            loaded = asyncio.run(
                load(
                    migration_url,
                    legs_per_day_queue=legs_day,
                    legs_per_month=legs_month,
                    agent_count=max(10, int(200 * args.scale)),
                    seed=args.seed,
                )
            )
            asyncio.run(build_rollups(app_url, loaded))
            asyncio.run(measure(app_url, loaded, args.repeat))
        finally:
            if postgres is not None:
                postgres.stop()


if __name__ == "__main__":
    main()
