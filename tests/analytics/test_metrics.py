"""Prometheus contract metrics, recording rules and dashboards.

The worker's histogram and counters must count the same calls against the same
thresholds as the PostgreSQL facts: SL, abandonment and ASA computed the way the
recording rules compute them equal the report's figures exactly.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from prometheus_client import REGISTRY, generate_latest

from analytics import kpi, metrics
from analytics.reports import service as reports
from analytics.schemas import ReportInterval, ReportRangeIn
from analytics.worker import EventWorker
from api.clients import ApiServices
from tenants.agent_states import state_label
from tenants.identity.principal import Principal
from tenants.identity.roles import Role
from tests.analytics.conftest import T0, Publisher, drain, tenant_uuid
from tests.analytics.reports.test_reports import call
from tests.conftest import TenantAccount

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "infra" / "prometheus" / "rules.yml"


def test_tenant_labels_are_capped() -> None:
    labels = metrics.TenantLabels(cap=2)
    assert [labels(s) for s in ("acme", "globex", "initech", "acme")] == [
        "acme",
        "globex",
        "other",
        "acme",
    ]


def test_wait_buckets_include_every_threshold() -> None:
    assert metrics.wait_buckets((20, 7.5))[:4] == (5.0, 7.5, 10.0, 15.0)
    assert {5.0, 20.0} <= set(metrics.wait_buckets())
    assert state_label("break:lunch") == "break"
    assert state_label("on_contact") == "on_contact"


def _families(collector: metrics.QueueWaitMetrics) -> dict[str, list]:  # type: ignore[type-arg]
    return {family.name: family.samples for family in collector.collect()}


def test_each_queue_has_its_own_thresholds_as_boundaries_and_info() -> None:
    wait = metrics.QueueWaitMetrics()
    wait.set_thresholds("acme", "q2", 30, 10)
    wait.observe("acme", "q2", "answered", 25)
    wait.observe("acme", "q1", "answered", 3)  # never configured: the defaults, 20 and 5
    samples = _families(wait)
    buckets = {
        (s.labels["queue"], s.labels["le"]): s.value
        for s in samples["hotline_queue_wait_seconds"]
        if s.name.endswith("_bucket")
    }
    assert buckets[("q2", "10.0")] == 0 and buckets[("q2", "30.0")] == 1
    assert buckets[("q2", "25.0")] == 1 and buckets[("q2", "20.0")] == 0
    assert ("q1", "5.0") in buckets and ("q1", "30.0") in buckets and ("q1", "7.5") not in buckets
    info = {
        s.labels["queue"]: (s.labels["threshold_seconds"], s.labels["short_abandon_seconds"])
        for s in samples["hotline_queue_config_info"]
    }
    assert info == {"q2": ("30.0", "10.0"), "q1": ("20.0", "5.0")}


def test_a_new_threshold_becomes_a_boundary_of_existing_series() -> None:
    wait = metrics.QueueWaitMetrics()
    wait.set_thresholds("acme", "q", 20, 5)
    for seconds in (3, 11, 13, 40):
        wait.observe("acme", "q", "answered", seconds)
    wait.set_thresholds("acme", "q", 12, 3)
    wait.observe("acme", "q", "answered", 11.5)
    samples = _families(wait)
    bucket = {
        s.labels["le"]: s.value
        for s in samples["hotline_queue_wait_seconds"]
        if s.name.endswith("_bucket")
    }
    # 11 s was counted before 12 s was a boundary: it stays in (10, 15], so the new
    # bucket counts only what came after (buckets stay cumulative and monotonic).
    assert (bucket["10.0"], bucket["12.0"], bucket["15.0"]) == (1, 2, 4)
    values = [bucket[le] for le in sorted(bucket, key=float)]
    assert values == sorted(values) and bucket["+Inf"] == 5
    assert {"3.0", "5.0", "20.0"} <= set(bucket)
    (info,) = samples["hotline_queue_config_info"]
    assert (info.labels["threshold_seconds"], info.labels["short_abandon_seconds"]) == (
        "12.0",
        "3.0",
    )


def _sum(name: str, **labels: str) -> float:
    total = 0.0
    for family in REGISTRY.collect():
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                total += sample.value
    return total


async def test_prometheus_counts_agree_exactly_with_the_facts(
    services: ApiServices,
    tenant_a: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    tenant, queue = tenant_uuid(tenant_a), uuid.uuid4()
    agent = uuid.uuid4()
    waits = [
        (0, "answered"),
        (5, "answered"),
        (20, "answered"),  # exactly T
        (20.5, "answered"),
        (44, "answered"),
        (5, "abandoned"),  # exactly S: a short abandon
        (3, "short_abandoned"),
        (12, "abandoned"),
        (61, "abandoned"),
        (30, "callback"),
        (7, "flowout"),
    ]
    for n, (wait, outcome) in enumerate(waits):
        await call(
            publish,
            tenant,
            queue,
            T0 + timedelta(minutes=n),
            wait=wait,
            outcome=outcome,
            agent=agent if outcome == "answered" else None,
        )
    await drain(make_worker())

    q = str(queue)
    bucket = "hotline_queue_wait_seconds_bucket"
    count = "hotline_queue_wait_seconds_count"
    answered_in_t = _sum(bucket, queue=q, outcome="answered", le="20.0")
    answered = _sum(count, queue=q, outcome="answered")
    abandoned = _sum(count, queue=q, outcome="abandoned") + _sum(
        count, queue=q, outcome="short_abandoned"
    )
    short = _sum(bucket, queue=q, outcome="abandoned", le="5.0") + _sum(
        bucket, queue=q, outcome="short_abandoned", le="5.0"
    )
    offered = _sum("hotline_contacts_offered_total", queue=q)
    asa = _sum("hotline_queue_wait_seconds_sum", queue=q, outcome="answered") / answered
    promql_sl = answered_in_t / (answered + abandoned - short)

    async with services.database.transaction(tenant) as session:
        rows = await reports.queue_report(
            session=session,
            principal=Principal(tenant_id=tenant, role=Role.OWNER),
            queue_id=queue,
            range_in=ReportRangeIn(
                start=T0, end=T0 + timedelta(hours=1), interval=ReportInterval.RANGE
            ),
        )
    row = rows[0]
    assert (answered, answered_in_t, abandoned, short, offered) == (5, 3, 4, 2, 11)
    assert row.service_level == promql_sl == 3 / 7
    assert kpi.abandonment_rate(row.counts) == abandoned / offered
    assert kpi.average_speed_of_answer(row.counts) == pytest.approx(asa, abs=1e-12)
    assert _sum("hotline_contacts_handled_total", queue=q) == 5
    assert 'le="20.0"' in generate_latest(REGISTRY).decode()


async def configure(
    publish: Publisher, tenant: uuid.UUID, queue: uuid.UUID, answer_s: int, short_s: int
) -> None:
    """Announce the queue's T and S as routing-config does (``queue.configured``)."""
    await publish(
        tenant,
        "queue.configured",
        T0 - timedelta(minutes=1),
        queue_id=queue,
        name="q",
        sl_threshold_s=answer_s,
        short_abandon_s=short_s,
        sl_formula="default",
    )


def _info(queue: str) -> tuple[str, str] | None:
    found = [
        (s.labels["threshold_seconds"], s.labels["short_abandon_seconds"])
        for family in REGISTRY.collect()
        if family.name == "hotline_queue_config_info"
        for s in family.samples
        if s.labels["queue"] == queue
    ]
    assert len(found) <= 1
    return found[0] if found else None


async def test_the_worker_exports_each_queues_thresholds_with_its_buckets(
    services: ApiServices,
    tenant_a: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    tenant, queue = tenant_uuid(tenant_a), uuid.uuid4()
    await configure(publish, tenant, queue, 30, 10)
    await call(publish, tenant, queue, T0, wait=25, outcome="answered", agent=uuid.uuid4())
    worker = make_worker()
    await drain(worker)
    q = str(queue)
    assert _info(q) == ("30.0", "10.0")
    assert _sum("hotline_queue_wait_seconds_bucket", queue=q, outcome="answered", le="30.0") == 1
    assert _sum("hotline_queue_wait_seconds_bucket", queue=q, outcome="answered", le="20.0") == 0
    assert _sum("hotline_queue_wait_seconds_bucket", queue=q, le="10.0") == 0

    # Another replica applied a change this one never saw: the periodic re-read heals it.
    tenant_label = next(
        s.labels["tenant"]
        for family in REGISTRY.collect()
        if family.name == "hotline_queue_config_info"
        for s in family.samples
        if s.labels["queue"] == q
    )
    metrics.QUEUE_WAIT.set_thresholds(tenant_label, q, 20, 5)
    assert _info(q) == ("20.0", "5.0")
    await worker.refresh_thresholds()
    assert _info(q) == ("30.0", "10.0")


async def test_routing_and_the_worker_scraped_together_count_each_call_once(
    services: ApiServices,
    tenant_a: TenantAccount,
    streams_set: str,
    make_worker: Callable[..., EventWorker],
) -> None:
    """Routing's and the worker's expositions, as Prometheus scrapes two processes."""
    from prometheus_client.parser import text_string_to_metric_families

    from routing.engine.engine import AcdEngine
    from routing.metrics import RoutingMetrics
    from tenants import redis_keys as keys
    from tests.routing.conftest import Center

    tenant, now = tenant_uuid(tenant_a), datetime.now(UTC)
    routing_metrics = RoutingMetrics(services.redis, tenant_label_cap=10)
    engine = AcdEngine(services.redis, observer=routing_metrics.observe, dispatches=False)
    center = Center(services.redis, engine, str(tenant))
    queue = await center.queue()
    agent = await center.agent([queue])
    calls = [uuid.uuid4().hex for _ in range(3)]
    await center.call(queue, calls[0])
    await center.event(calls[0], "answered")
    await center.event(calls[0], "ended", by="agent")
    await center.call(queue, calls[1])
    await center.call(queue, calls[2])
    await center.event(calls[2], "abandoned")
    await services.redis.sadd(streams_set, keys.events(str(tenant)))
    await drain(make_worker())
    await routing_metrics.refresh()
    assert agent

    def parse(text: str) -> dict[str, float]:
        totals: dict[str, float] = {}
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                if sample.labels.get("queue") == queue:
                    totals[sample.name] = totals.get(sample.name, 0) + sample.value
        return totals

    routing_text = generate_latest(routing_metrics.registry).decode()
    worker_text = generate_latest(REGISTRY).decode()
    routing_names = {f.name for f in text_string_to_metric_families(routing_text)}
    worker_names = {f.name for f in text_string_to_metric_families(worker_text)}
    assert routing_names & worker_names == set()
    scraped: dict[str, float] = {}
    for part in (parse(routing_text), parse(worker_text)):
        for name, value in part.items():
            scraped[name] = scraped.get(name, 0) + value

    async with services.database.transaction(tenant) as session:
        (row,) = await reports.queue_report(
            session=session,
            principal=Principal(tenant_id=tenant, role=Role.OWNER),
            queue_id=uuid.UUID(queue),
            range_in=ReportRangeIn(
                start=now - timedelta(hours=1),
                end=now + timedelta(hours=1),
                interval=ReportInterval.RANGE,
            ),
        )
    assert scraped["hotline_contacts_offered_total"] == row.counts.enqueued == 3
    assert scraped["hotline_queue_wait_seconds_count"] == 2  # answered + abandoned so far
    assert scraped["hotline_contacts_handled_total"] == row.handle.handled
    assert "hotline_queue_contacts_waiting" in parse(routing_text)  # routing's gauge only


@pytest.mark.skipif(shutil.which("promtool") is None, reason="Debian's prometheus not installed")
def test_recording_rules_are_valid_and_compute_the_kpis() -> None:
    checked = subprocess.run(
        ["promtool", "check", "rules", str(RULES)], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    tested = subprocess.run(
        ["promtool", "test", "rules", "rules_test.yml"],
        cwd=RULES.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert tested.returncode == 0, tested.stdout + tested.stderr


def _recorded_names() -> set[str]:
    return set(re.findall(r"record: (\S+)", RULES.read_text()))


OTHER_TIERS = {
    "hotline_routing_decision_seconds_bucket",
    "hotline_media_rpc_duration_seconds_bucket",
    "hotline_recordings_pending",
    "hotline_http_request_duration_seconds_bucket",
    "hotline_http_request_duration_seconds_count",
}


def _exported_names() -> set[str]:
    """Every name the worker's registry and routing's registry export."""
    from redis.asyncio import Redis

    from routing.metrics import RoutingMetrics

    routing = RoutingMetrics(Redis(), tenant_label_cap=1).registry  # never connects
    names = set()
    for registry in (REGISTRY, routing):
        for family in registry.collect():
            for sample in family.samples:
                names.add(sample.name)
            names.add(family.name)
    return names


@pytest.mark.parametrize("name", ["sre", "operations"])
def test_dashboards_query_only_known_series(name: str) -> None:
    dashboard = json.loads((ROOT / "infra" / "grafana" / f"{name}.json").read_text())
    known = _recorded_names() | OTHER_TIERS | _exported_names()
    exprs = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    assert exprs
    for expr in exprs:
        for metric in re.findall(r"\b((?:tenant_queue|tenant):[a-z_:0-9]+|hotline_[a-z_]+)", expr):
            assert metric in known, f"{name}.json queries unknown series {metric}"


def _scrape(queue: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """This queue's samples from a real text exposition of the registry."""
    from prometheus_client.parser import text_string_to_metric_families

    samples = {}
    for family in text_string_to_metric_families(generate_latest(REGISTRY).decode()):
        for sample in family.samples:
            if sample.labels.get("queue") == queue:
                samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def _series(name: str, labels: tuple[tuple[str, str], ...]) -> str:
    rendered = ", ".join(f'{k}="{v}"' for k, v in labels)
    return f"{name}{{{rendered}}}"


@pytest.mark.skipif(shutil.which("promtool") is None, reason="Debian's prometheus not installed")
async def test_recording_rules_over_real_scrapes_equal_the_facts(
    services: ApiServices,
    tenant_a: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
    tmp_path: Path,
) -> None:
    """The recording rules, evaluated by promtool on two scrapes of the worker's metrics,
    give exactly the report's SL, abandonment and ASA for the same calls.

    The first scrape is taken before any call; its missing series stand for zero (series
    created at zero, as Prometheus needs to count a series' first increment).
    """
    tenant, queue = tenant_uuid(tenant_a), uuid.uuid4()
    before = _scrape(str(queue))
    # The queue's own thresholds, T = 30 s and S = 10 s, not the defaults: 20.5 s is within
    # T and the 8 s abandon is short.
    await configure(publish, tenant, queue, 30, 10)
    waits = [
        (0, "answered"),
        (5, "answered"),
        (20, "answered"),
        (20.5, "answered"),
        (44, "answered"),
        (5, "abandoned"),
        (3, "short_abandoned"),
        (8, "abandoned"),
        (61, "abandoned"),
        (30, "callback"),
        (7, "flowout"),
    ]
    for n, (wait, outcome) in enumerate(waits):
        await call(
            publish,
            tenant,
            queue,
            T0 + timedelta(minutes=n),
            wait=wait,
            outcome=outcome,
            agent=uuid.uuid4() if outcome == "answered" else None,
        )
    await drain(make_worker())
    after = _scrape(str(queue))
    async with services.database.transaction(tenant) as session:
        row = (
            await reports.queue_report(
                session=session,
                principal=Principal(tenant_id=tenant, role=Role.OWNER),
                queue_id=queue,
                range_in=ReportRangeIn(
                    start=T0, end=T0 + timedelta(hours=1), interval=ReportInterval.RANGE
                ),
            )
        )[0]
    labels = {
        "tenant": after and next(iter(after))[1] and dict(next(iter(after))[1])["tenant"],
        "queue": str(queue),
    }
    series = [
        {"series": _series(name, key), "values": f"{before.get((name, key), 0)!r} {value!r}"}
        for (name, key), value in after.items()
    ]
    expected = {
        "tenant_queue:hotline_service_level:ratio5m": row.service_level,
        "tenant_queue:hotline_abandonment:ratio5m": kpi.abandonment_rate(row.counts),
        "tenant_queue:hotline_asa_seconds:mean5m": kpi.average_speed_of_answer(row.counts),
    }
    test = {
        "rule_files": [str(RULES)],
        "evaluation_interval": "1m",
        "tests": [
            {
                "interval": "1m",
                "input_series": series,
                "promql_expr_test": [
                    {
                        "expr": name,
                        "eval_time": "1m",
                        "exp_samples": [
                            {"labels": _series(name, tuple(sorted(labels.items()))), "value": value}
                        ],
                    }
                    for name, value in expected.items()
                ],
            }
        ],
    }
    path = tmp_path / "scrape_test.yml"
    path.write_text(json.dumps(test))  # JSON is YAML
    result = await asyncio.to_thread(
        subprocess.run,
        ["promtool", "test", "rules", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert row.service_level == 4 / (5 + 4 - 3)
