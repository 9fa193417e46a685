"""Screen-pop benchmark: ``lookupCaller`` through ``/graphql`` and through the service.

Seeds one tenant with N customers (PostgreSQL COPY), then looks up random customers'
numbers, each spelled one of several ways, at a fixed arrival rate (open loop):

1. over HTTP to ``/graphql`` on a real ``uvicorn`` process (``api.asgi:app``), and
2. through ``tenants.screen_pop.service.lookup_caller`` in this process (one transaction
   per lookup, as a request would have, with analytics' recent calls as the API wires
   them), plus ``tenants.crm.callers.classify_caller``.

It prints p50/p99 of each, the ratio GraphQL / service, the ratio of the lookup to an
empty ``{ __typename }`` query measured the same way in the same run (the per-request
floor of the HTTP and GraphQL stack), and the API processes' CPU time per request, which
stays meaningful on a machine shared with other work. Embedded PostgreSQL and Valkey
are started in a temporary folder unless ``--database-url``/``--migration-url`` and
``--redis-url`` are given.

    python -m loadtest.crm_lookup_bench --customers 100000 --lookups 2000 --rate 200
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import httpx
from sqlalchemy.engine import make_url

from analytics.recent_calls import recent_calls
from tenants.crm.callers import classify_caller
from tenants.crm.settings.regions import RegionCache
from tenants.database import migrate
from tenants.database.session import Database
from tenants.embedded.postgres import EmbeddedPostgres
from tenants.embedded.process import free_port
from tenants.embedded.valkey import EmbeddedValkey
from tenants.identity.principal import Principal
from tenants.identity.roles import Role
from tenants.screen_pop.service import lookup_caller

SIGN_UP = """
mutation($input: SignUpInput!) { signUp(input: $input) { token tenant { id } user { id } } }"""
SET_REGION = 'mutation { updateCrmSettings(defaultRegion: "CN") { defaultRegion } }'
BASELINE = "{ __typename }"
LOOKUP = """
query($n: String!) {
  lookupCaller(number: $n) {
    number customer { id name } openTickets { id } recentCalls { callId }
    lastInteractions { kind at summary }
  }
}"""


def _e164(i: int) -> str:
    return f"+86139{i:08d}"


def spellings(i: int) -> list[str]:
    """Ways people and carriers write customer ``i``'s number (tenant region CN)."""
    digits = f"139{i:08d}"
    return [
        f"+86 {digits[:3]} {digits[3:7]} {digits[7:]}",
        f"+86-{digits[:3]}-{digits[3:7]}-{digits[7:]}",
        f"0086{digits}",
        digits,
        f"tel:+86{digits}",
    ]


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def seed(migration_url: str, tenant_id: uuid.UUID, count: int, vip_id: uuid.UUID) -> float:
    """COPY ``count`` customers with one number each; returns the seconds it took."""
    started = time.perf_counter()
    conn = await asyncpg.connect(_asyncpg_dsn(migration_url))
    try:
        now = datetime.now(UTC)
        batch = 100_000
        for start in range(0, count, batch):
            ids = [uuid.uuid4() for _ in range(start, min(start + batch, count))]
            await conn.copy_records_to_table(
                "crm_customers",
                records=[
                    (
                        cid,
                        tenant_id,
                        f"Customer {start + k}",
                        vip_id if (start + k) % 100 == 0 else None,
                        now,
                        now,
                    )
                    for k, cid in enumerate(ids)
                ],
                columns=["id", "tenant_id", "name", "category_id", "created_at", "updated_at"],
            )
            await conn.copy_records_to_table(
                "crm_customer_phones",
                records=[
                    (uuid.uuid4(), tenant_id, cid, _e164(start + k), _e164(start + k), 0)
                    for k, cid in enumerate(ids)
                ],
                columns=["id", "tenant_id", "customer_id", "e164", "raw", "position"],
            )
            print(f"  seeded {min(start + batch, count):,} customers", flush=True)
        # Steady state, as a tenant's data is between imports: without this, autovacuum's
        # pass over a million fresh rows (and their indexes) lands in the middle of the
        # measurement and its I/O and CPU show up as the lookups' tail.
        await conn.execute("VACUUM (ANALYZE) crm_customers, crm_customer_phones")
        try:  # likewise the checkpoint that a million rows of WAL would trigger mid-run
            await conn.execute("CHECKPOINT")
        except asyncpg.InsufficientPrivilegeError:
            print("  (no CHECKPOINT: the migration role is not a superuser)")
    finally:
        await conn.close()
    return time.perf_counter() - started


async def paced(
    name: str,
    lookups: int,
    rate: float,
    one: Callable[[int], Awaitable[None]],
    concurrency: int,
) -> list[float]:
    """Run ``one(k)`` ``lookups`` times, starting one every 1/rate s; latencies in ms.

    At most ``concurrency`` lookups are in flight; when the system cannot keep up, the
    arrival rate drops (the achieved rate is printed) instead of queueing without bound.
    """
    latencies: list[float] = []
    errors = 0
    slots = asyncio.Semaphore(concurrency)
    trace = os.environ.get("BENCH_TRACE_DIR")

    async def timed(k: int) -> None:
        nonlocal errors
        started = time.perf_counter()
        try:
            await one(k)
        except Exception as err:  # the benchmark reports failures rather than dying
            errors += 1
            if errors <= 3:
                print(f"  {name}: lookup failed: {err!r}", file=sys.stderr)
            return
        finally:
            slots.release()
        latencies.append((time.perf_counter() - started) * 1000)
        if trace:
            starts.append((started - begin, latencies[-1]))

    starts: list[tuple[float, float]] = []
    tasks = []
    begin = time.perf_counter()
    for k in range(lookups):
        delay = begin + k / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        await slots.acquire()
        tasks.append(asyncio.create_task(timed(k)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - begin
    if trace:
        out = Path(trace) / f"{name.replace(' ', '_')}.tsv"
        out.write_text("".join(f"{t:.4f}\t{ms:.3f}\n" for t, ms in starts))
    print(f"  {name}: {len(latencies)} ok, {errors} failed, {len(latencies) / elapsed:.0f}/s")
    return latencies


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


_SERVER_PIDS: list[int] = []


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu_seconds() -> float:
    """CPU seconds used so far by the API server and its worker processes (Linux)."""
    total = 0.0
    for pid in _SERVER_PIDS:
        total += _cpu_seconds(pid)
        children = Path(f"/proc/{pid}/task/{pid}/children")
        if children.exists():
            total += sum(_cpu_seconds(int(child)) for child in children.read_text().split())
    return total


def _wait_http(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def start_api(
    database_url: str, migration_url: str, redis_url: str, var: Path, workers: int
) -> tuple[subprocess.Popen[bytes], int]:
    """Migrate, then run ``api.asgi:app`` under uvicorn in its own process."""
    migrate.upgrade(migration_url, database_url)
    port = free_port()
    env = {
        **os.environ,
        "HOTLINE_ENV": "dev",
        "HOTLINE_VAR_DIR": str(var),
        "HOTLINE_DATABASE_URL": database_url,
        "HOTLINE_DATABASE_MIGRATION_URL": migration_url,
        "HOTLINE_DATABASE_POOL_SIZE": "20",
        "HOTLINE_REDIS_URL": redis_url,
        "HOTLINE_LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "api.asgi:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
            "--timeout-keep-alive",
            "60",
            "--workers",
            str(workers),
        ],
        env=env,
    )
    _wait_http(f"http://127.0.0.1:{port}/healthz")
    _SERVER_PIDS.append(server.pid)
    return server, port


async def run(args: argparse.Namespace, database_url: str, migration_url: str, port: int) -> None:
    """Seed, measure through the API on ``port`` and through the service, print."""
    if port:
        base = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(
            base_url=base, timeout=30, limits=httpx.Limits(max_connections=64)
        ) as http:
            body = (
                await http.post(
                    "/graphql",
                    json={
                        "query": SIGN_UP,
                        "variables": {
                            "input": {
                                "tenantName": f"Bench {uuid.uuid4().hex[:6]}",
                                "adminEmail": "bench@example.com",
                                "adminPassword": "benchmark password 123",
                            }
                        },
                    },
                )
            ).json()
            token = body["data"]["signUp"]["token"]
            headers = {"Authorization": f"Bearer {token}"}
            await http.post("/graphql", json={"query": SET_REGION}, headers=headers)
            categories = (
                await http.post(
                    "/graphql",
                    json={"query": "{ customerCategories { id name } }"},
                    headers=headers,
                )
            ).json()["data"]["customerCategories"]
            from tenants.graphql.relay import from_global_id

            _, tenant_id = from_global_id(body["data"]["signUp"]["tenant"]["id"])
            _, owner_id = from_global_id(body["data"]["signUp"]["user"]["id"])
            vip_id = next(from_global_id(c["id"])[1] for c in categories if c["name"] == "VIP")
            print(f"seeding {args.customers:,} customers with COPY …", flush=True)
            seconds = await seed(migration_url, tenant_id, args.customers, vip_id)
            print(f"  seeded in {seconds:.1f}s")

            rng = random.Random(7)
            picks = [rng.randrange(args.customers) for _ in range(args.lookups)]
            numbers = [rng.choice(spellings(i)) for i in picks]
            misses = 0

            async def over_graphql(k: int) -> None:
                nonlocal misses
                response = await http.post(
                    "/graphql",
                    json={"query": LOOKUP, "variables": {"n": numbers[k]}},
                    headers=headers,
                )
                data = response.json()
                if "errors" in data:
                    raise RuntimeError(data["errors"][0]["message"])
                if data["data"]["lookupCaller"]["customer"] is None:
                    misses += 1

            async def typename(k: int) -> None:
                response = await http.post("/graphql", json={"query": BASELINE}, headers=headers)
                if "errors" in response.json():
                    raise RuntimeError(response.text)

            # Warm every worker, pooled connection (each prepares its statements once) and
            # cache before measuring, with the measurement's own rate and concurrency: a
            # sequential warm-up reaches one worker and one connection only.
            warm = min(400, args.lookups)
            await paced("warm-up lookups", warm, args.rate, over_graphql, args.concurrency)
            await paced("warm-up { __typename }", warm, args.rate, typename, args.concurrency)
            misses = 0
            cpu = server_cpu_seconds()
            baseline_ms = await paced(
                "{ __typename }", args.lookups, args.rate, typename, args.concurrency
            )
            baseline_cpu = (server_cpu_seconds() - cpu) / args.lookups * 1000
            cpu = server_cpu_seconds()
            graphql_ms = await paced(
                "graphql", args.lookups, args.rate, over_graphql, args.concurrency
            )
            graphql_cpu = (server_cpu_seconds() - cpu) / args.lookups * 1000

        database = Database(database_url, pool_size=20)
        regions = RegionCache()
        principal = Principal(tenant_id=tenant_id, role=Role.OWNER, user_id=owner_id)

        async def through_service(k: int) -> None:
            nonlocal misses
            async with database.transaction(tenant_id) as session:
                pop = await lookup_caller(
                    session=session,
                    principal=principal,
                    number=numbers[k],
                    regions=regions,
                    recent_calls=recent_calls,
                )
            if pop.customer is None:
                misses += 1

        async def classify(k: int) -> None:
            async with database.transaction() as session:
                info = await classify_caller(
                    session=session, tenant_id=tenant_id, number=numbers[k], regions=regions
                )
            if info.customer_id is None:
                raise RuntimeError("classify_caller missed")

        # The same warm-up as the API's: every pooled connection prepares its statements.
        await database.warm(args.concurrency)
        warm = min(400, args.lookups)
        await paced("warm-up service", warm, args.rate, through_service, args.concurrency)
        await paced("warm-up classify_caller", warm, args.rate, classify, args.concurrency)
        service_ms = await paced(
            "service", args.lookups, args.rate, through_service, args.concurrency
        )
        classify_ms = await paced(
            "classify_caller", args.lookups, args.rate, classify, args.concurrency
        )
        await database.dispose()

    print()
    print(
        f"customers={args.customers:,} lookups={args.lookups:,} "
        f"rate={args.rate:g}/s misses={misses}"
    )
    rows = [
        ("{ __typename } via /graphql", baseline_ms),
        ("lookupCaller via /graphql", graphql_ms),
        ("lookup_caller service", service_ms),
        ("classify_caller service", classify_ms),
    ]
    for name, values in rows:
        print(
            f"{name:28s} p50={percentile(values, 50):7.2f} ms  p99={percentile(values, 99):7.2f} ms"
            f"  mean={statistics.fmean(values):7.2f} ms"
        )
    print(
        f"ratio lookup/__typename     "
        f"p50={percentile(graphql_ms, 50) / percentile(baseline_ms, 50):.2f}x  "
        f"p99={percentile(graphql_ms, 99) / percentile(baseline_ms, 99):.2f}x"
    )
    print(
        f"API CPU per request         __typename={baseline_cpu:.2f} ms  "
        f"lookupCaller={graphql_cpu:.2f} ms  (all {args.api_workers} worker(s))"
    )
    print(
        f"ratio graphql/service       "
        f"p50={percentile(graphql_ms, 50) / percentile(service_ms, 50):.2f}x  "
        f"p99={percentile(graphql_ms, 99) / percentile(service_ms, 99):.2f}x"
    )


def main() -> None:
    """Parse arguments, start embedded services when needed, run the benchmark."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=200.0, help="lookups per second")
    parser.add_argument("--concurrency", type=int, default=16, help="most lookups in flight")
    parser.add_argument("--api-workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--database-url")
    parser.add_argument("--migration-url")
    parser.add_argument("--redis-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hotline-bench-") as tmp:
        base = Path(tmp)
        # Under root, PostgreSQL runs as another user that must reach its data folder.
        os.chmod(base, 0o755)  # noqa: S103
        started: list = []
        try:
            database_url, migration_url = args.database_url, args.migration_url or args.database_url
            if not database_url:
                postgres = EmbeddedPostgres(base / "postgres", secrets_dir=base, port=free_port())
                started.append(postgres)
                urls = postgres.start()
                database_url, migration_url = urls.app_url, urls.migration_url
            redis_url = args.redis_url
            if not redis_url:
                valkey = EmbeddedValkey(base / "valkey", port=free_port(), persist=False)
                started.append(valkey)
                redis_url = valkey.start()
            server, port = start_api(
                database_url, migration_url, redis_url, base / "var", args.api_workers
            )
            started.append(server)
            asyncio.run(run(args, database_url, migration_url, port))
        finally:
            for service in reversed(started):
                if isinstance(service, subprocess.Popen):
                    service.terminate()
                    service.wait(timeout=10)
                else:
                    service.stop()


if __name__ == "__main__":
    main()
