"""One truth, third leg (issue 6 §6): a simulated batch through the real routing HTTP API,
the worker consuming its stream, and SL, abandonment and ASA computed three ways: from the
PostgreSQL facts, from Prometheus with the recording rules' PromQL (promtool over real
scrapes), and from the simulator's own ground-truth log."""

from __future__ import annotations

import asyncio
import json
import math
import re
import shutil
import subprocess
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from redis.asyncio import Redis

from analytics import kpi
from analytics.reports import service as reports
from analytics.schemas import ReportInterval, ReportRangeIn
from analytics.worker import EventWorker
from api.clients import ApiServices
from routing.call_control.app import create_routing_app
from routing.clients import RoutingServices
from routing.config.events import publish_queue_configured
from routing.config.projection import QueueEntry
from routing.simulator.params import SimulationParams
from routing.simulator.run import TruthRecord, simulate
from tenants.identity.principal import Principal
from tenants.identity.roles import Role
from tenants.redis_keys import events as stream_key
from tenants.settings import Settings
from tests.analytics.conftest import tenant_uuid
from tests.analytics.test_metrics import RULES, _scrape, _series
from tests.conftest import TenantAccount
from tests.routing.conftest import Center
from tests.routing.routing_config import publish_did, publish_tenant
from tests.serving import served

T, S = 10, 5
"""Bucket boundaries of the wait histogram; the rules are copied with le="10.0" for T."""


def truth_kpis(records: list[TruthRecord]) -> dict[str, object]:
    """SL (default formula), abandonment and ASA bounds from the simulator's log alone.

    A wait whose measurement window straddles T or S is ambiguous by the width of an HTTP
    request; the counts then carry that many possible values (``*_maybe``).
    """
    queued = [r for r in records if r.outcome in ("answered", "abandoned")]
    answered = [r for r in queued if r.outcome == "answered"]
    abandoned = [r for r in queued if r.outcome == "abandoned"]

    def within(limit: float, rows: list[TruthRecord]) -> tuple[int, int]:
        sure = sum(1 for r in rows if r.wait_max_s is not None and r.wait_max_s <= limit)
        maybe = sum(
            1 for r in rows if r.wait_min_s is not None and r.wait_min_s <= limit < r.wait_max_s
        )
        return sure, maybe

    answered_t, answered_t_maybe = within(T, answered)
    short, short_maybe = within(S, abandoned)
    return {
        "offered": len(queued),
        "answered": len(answered),
        "abandoned": len(abandoned),
        "answered_within_t": answered_t,
        "answered_within_t_maybe": answered_t_maybe,
        "short": short,
        "short_maybe": short_maybe,
        "answered_wait_min": sum(r.wait_min_s or 0 for r in answered),
        "answered_wait_max": sum(r.wait_max_s or 0 for r in answered),
    }


async def _consume(worker: EventWorker, stop: asyncio.Event) -> None:
    while not stop.is_set():
        await worker.run_once(block_ms=50)


@pytest.mark.skipif(shutil.which("promtool") is None, reason="Debian's prometheus not installed")
async def test_facts_prometheus_and_simulator_agree(
    settings: Settings,
    services: ApiServices,
    tenant_a: TenantAccount,
    streams_set: str,
    make_worker: Callable[..., EventWorker],
    tmp_path: Path,
) -> None:
    tenant = tenant_uuid(tenant_a)
    redis: Redis = services.redis
    routing = RoutingServices.build(settings)
    center = Center(redis, routing.engine, str(tenant))
    queue = await center.queue(sl_threshold_s=T, short_abandon_s=S, ring_timeout_s=30)
    await publish_tenant(redis, str(tenant), slug=tenant_a.slug)
    did = "+3319" + str(uuid.uuid4().int)[:8]
    await publish_did(redis, did, tenant_id=str(tenant), queue_id=queue)
    for _ in range(2):
        await center.agent([queue])
    await redis.sadd(streams_set, stream_key(tenant))
    # Analytics learns T and S the way routing-config announces them.
    fields = {"name": "sim", "sl_threshold_s": str(T), "short_abandon_s": str(S)}
    await publish_queue_configured(
        redis,
        tenant,
        QueueEntry(queue_id=uuid.UUID(queue), fields={**fields, "sl_formula": "default"}),
    )
    before = _scrape(queue)
    started = datetime.now(UTC)

    worker, stop = make_worker(), asyncio.Event()
    consuming = asyncio.create_task(_consume(worker, stop))
    try:
        async with served(
            create_routing_app(settings, routing), lifespan="on", access_log=False
        ) as api:
            report = await simulate(
                params=SimulationParams(
                    calls=30,
                    calls_per_second=1.5,
                    patience_mean_s=9.0,
                    answer_delay_s=0.2,
                    handle_mean_s=3.5,
                    no_answer_rate=0.0,
                    missed_recover_s=0.5,
                    seed=11,
                ),
                routing_urls=[api.url],
                secret=routing.secret,
                dids=[did],
                engine=routing.engine,
                tenant_id=str(tenant),
                call_id_of=lambda _: str(uuid.uuid4()),
            )
    finally:
        stop.set()
        await consuming
        await routing.close()
    for _ in range(50):
        if not await worker.run_once(block_ms=20):
            break

    truth = truth_kpis(report.ground_truth())
    # A batch that tests something: answers on both sides of T, short and long abandons.
    # The run must exercise both sides of T and abandons; how many of each varies with timing.
    assert 0 < truth["answered_within_t"] <= truth["answered"], truth
    assert truth["abandoned"] > 0 and truth["short"] <= truth["abandoned"], truth

    # 1. PostgreSQL facts (the report) against the simulator's log.
    async with services.database.transaction(tenant) as session:
        (row,) = await reports.queue_report(
            session=session,
            principal=Principal(tenant_id=tenant, role=Role.OWNER),
            queue_id=uuid.UUID(queue),
            range_in=ReportRangeIn(
                start=started - timedelta(minutes=1),
                end=datetime.now(UTC) + timedelta(minutes=1),
                interval=ReportInterval.RANGE,
            ),
        )
    counts = row.counts
    assert (row.definition.answer_seconds, row.definition.short_abandon_seconds) == (T, S)
    assert counts.enqueued == truth["offered"]
    assert counts.answered == truth["answered"]
    assert counts.abandoned == truth["abandoned"]
    assert (
        0
        <= counts.answered_within_t - truth["answered_within_t"]
        <= truth["answered_within_t_maybe"]
    )
    assert 0 <= counts.short_abandoned - truth["short"] <= truth["short_maybe"]
    assert truth["answered_wait_min"] <= counts.answered_wait_seconds <= truth["answered_wait_max"]
    if not truth["answered_within_t_maybe"] and not truth["short_maybe"]:
        sl = truth["answered_within_t"] / (truth["answered"] + truth["abandoned"] - truth["short"])
        assert row.service_level == sl
    assert kpi.abandonment_rate(counts) == truth["abandoned"] / truth["offered"]

    # 2. Prometheus: the recording rules (with this queue's T) over two real scrapes.
    after = _scrape(queue)
    rules = tmp_path / "rules.yml"
    rules.write_text(RULES.read_text().replace('le="20.0"', f'le="{float(T)}"'))
    tenant_label = dict(next(iter(after))[1])["tenant"]
    labels = tuple(sorted({"tenant": tenant_label, "queue": queue}.items()))
    expected = {
        "tenant_queue:hotline_service_level:ratio5m": row.service_level,
        "tenant_queue:hotline_abandonment:ratio5m": kpi.abandonment_rate(counts),
        "tenant_queue:hotline_asa_seconds:mean5m": kpi.average_speed_of_answer(counts),
    }
    test = {
        "rule_files": [str(rules)],
        "evaluation_interval": "1m",
        "tests": [
            {
                "interval": "1m",
                "input_series": [
                    {
                        "series": _series(name, key),
                        "values": f"{before.get((name, key), 0)!r} {value!r}",
                    }
                    for (name, key), value in after.items()
                ],
                "promql_expr_test": [
                    {
                        "expr": name,
                        "eval_time": "1m",
                        "exp_samples": [{"labels": _series(name, labels), "value": value}],
                    }
                    for name, value in expected.items()
                ],
            }
        ],
    }
    path = tmp_path / "scrape_test.yml"
    path.write_text(json.dumps(test))
    result = await asyncio.to_thread(
        subprocess.run,
        ["promtool", "test", "rules", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    _assert_promtool_agrees(result)
    print(f"one truth: {truth} SL={row.service_level} ASA={kpi.average_speed_of_answer(counts)}")


_SAMPLE = re.compile(r"(exp|got): \{[^}]*\} (\S+)")


def _assert_promtool_agrees(result: subprocess.CompletedProcess[str]) -> None:
    """promtool 2.42 compares floats bit for bit; a ratio of two float sums (ASA) can differ
    from the same ratio computed in Python in the last unit of precision only. Accept that,
    and nothing else: every other failure, or any larger difference, fails the test."""
    if result.returncode == 0:
        return
    output = result.stdout + result.stderr
    samples = _SAMPLE.findall(output)
    expected = [float(v) for kind, v in samples if kind == "exp"]
    got = [float(v) for kind, v in samples if kind == "got"]
    assert expected and len(expected) == len(got), output
    for want, have in zip(expected, got, strict=True):
        assert math.isclose(want, have, rel_tol=1e-12, abs_tol=0.0), output
