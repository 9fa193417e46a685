"""The Prometheus contract metrics (DESIGN.md "Metrics contract") and the worker's own.

Names are fixed: dashboards, recording rules and alerts rely on them. Only queue-level
series carry ``{tenant, queue}``; the tenant label is the slug, capped by
``settings.metrics.tenant_label_cap`` (the rest are aggregated as ``other``).

Each series has exactly one exporter, so a Prometheus scraping every process counts each
call once (``docs/analytics.md``, "Prometheus"). The worker exports the contract counters,
the wait histogram and ``hotline_queue_config_info`` from facts it has committed, so they
count the same calls as the reports; the routing tier exports only the live gauges and
its decision latency (``routing/metrics.py``).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from prometheus_client import REGISTRY, Counter, Gauge
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString

OTHER_TENANTS = "other"

CONTRACT_WAIT_BUCKETS = (5, 10, 15, 20, 25, 30, 45, 60, 90, 120, 180, 240, 300, 600)
"""Wait-histogram boundaries in seconds; every configured T and S is added to them."""

WAIT_OUTCOMES = ("answered", "abandoned", "short_abandoned", "callback", "flowout")


def wait_buckets(thresholds: tuple[float, ...] = ()) -> tuple[float, ...]:
    """The contract buckets plus ``thresholds`` (each T and S must be a boundary)."""
    return tuple(sorted({float(b) for b in (*CONTRACT_WAIT_BUCKETS, *thresholds)}))


class TenantLabels:
    """Hands out tenant label values: the first ``cap`` slugs seen, then ``other``."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self._labelled: set[str] = set()
        self._lock = threading.Lock()

    def __call__(self, slug: str) -> str:
        with self._lock:
            if slug in self._labelled:
                return slug
            if len(self._labelled) < self.cap:
                self._labelled.add(slug)
                return slug
        return OTHER_TENANTS


_tenant_labels = TenantLabels(cap=200)


def configure_tenant_label_cap(cap: int) -> None:
    """Set the cap from ``settings.metrics.tenant_label_cap`` (composition roots call this)."""
    global _tenant_labels
    _tenant_labels = TenantLabels(cap)


def tenant_label(slug: str) -> str:
    """The ``tenant`` label value for ``slug``: itself while under the cap, else ``other``."""
    return _tenant_labels(slug)


DEFAULT_THRESHOLDS = (20.0, 5.0)
"""T and S of a queue analytics has not been told about (``analytics_queues`` defaults)."""


@dataclass
class _WaitSeries:
    bounds: list[float]
    counts: list[int]  # one per bound, plus +Inf last; not cumulative
    total: float = 0.0


class QueueWaitMetrics(Collector):
    """``hotline_queue_wait_seconds`` with each queue's T and S as bucket boundaries, and
    ``hotline_queue_config_info`` naming those T and S, from one table of thresholds.

    One object holds both so that the boundaries a queue's histogram has and the
    thresholds the recording rules select are the same numbers. A new T or S adds a
    boundary to the queue's existing series (its count starts at the bucket below, so
    buckets stay cumulative); ``increase()`` counts it from its first scrape on.
    """

    def __init__(self) -> None:
        self._thresholds: dict[tuple[str, str], tuple[float, float]] = {}
        self._series: dict[tuple[str, str, str], _WaitSeries] = {}
        self._lock = threading.Lock()

    def set_thresholds(self, tenant: str, queue: str, answer_s: float, short_s: float) -> None:
        """Record the queue's T and S (and make both boundaries of its series)."""
        thresholds = (float(answer_s), float(short_s))
        with self._lock:
            if self._thresholds.get((tenant, queue)) == thresholds:
                return
            self._thresholds[(tenant, queue)] = thresholds
            for (t, q, _), series in self._series.items():
                if (t, q) == (tenant, queue):
                    for bound in thresholds:
                        _add_bound(series, bound)

    def thresholds(self, tenant: str, queue: str) -> tuple[float, float] | None:
        """The queue's T and S as last set, or ``None``."""
        with self._lock:
            return self._thresholds.get((tenant, queue))

    def queues(self) -> list[tuple[str, str]]:
        """Every ``(tenant, queue)`` label pair with thresholds or series."""
        with self._lock:
            return sorted({*self._thresholds, *((t, q) for t, q, _ in self._series)})

    def observe(self, tenant: str, queue: str, outcome: str, seconds: float) -> None:
        """One dequeue of ``queue`` after ``seconds`` of waiting."""
        with self._lock:
            series = self._series.get((tenant, queue, outcome))
            if series is None:
                thresholds = self._thresholds.setdefault((tenant, queue), DEFAULT_THRESHOLDS)
                bounds = list(wait_buckets(thresholds))
                series = self._series[(tenant, queue, outcome)] = _WaitSeries(
                    bounds, [0] * (len(bounds) + 1)
                )
            index = next(
                (i for i, b in enumerate(series.bounds) if seconds <= b), len(series.bounds)
            )
            series.counts[index] += 1
            series.total += seconds

    def collect(self) -> Iterator[Metric]:
        """The wait histogram family and the info family."""
        wait = HistogramMetricFamily(
            "hotline_queue_wait_seconds",
            "Queue wait observed at dequeue, by outcome; each queue's T and S are boundaries.",
            labels=["tenant", "queue", "outcome"],
        )
        info = GaugeMetricFamily(
            "hotline_queue_config_info",
            "Each queue's answer threshold T and short-abandon threshold S, written as the "
            "le values of hotline_queue_wait_seconds_bucket (always 1).",
            labels=["tenant", "queue", "threshold_seconds", "short_abandon_seconds"],
        )
        with self._lock:
            for labels, series in self._series.items():
                cumulative, buckets = 0, []
                for bound, count in zip((*series.bounds, math.inf), series.counts, strict=True):
                    cumulative += count
                    buckets.append((floatToGoString(bound), cumulative))
                wait.add_metric(list(labels), buckets, series.total)
            for (tenant, queue), (answer_s, short_s) in self._thresholds.items():
                info.add_metric(
                    [tenant, queue, floatToGoString(answer_s), floatToGoString(short_s)], 1
                )
        yield from (wait, info)


def _add_bound(series: _WaitSeries, bound: float) -> None:
    if bound <= 0 or bound in series.bounds:
        return
    index = next((i for i, b in enumerate(series.bounds) if bound < b), len(series.bounds))
    series.bounds.insert(index, bound)
    # The waits already counted in the bucket this bound splits stay above it: the new
    # bucket starts empty, so its cumulative count equals the bucket below's.
    series.counts.insert(index, 0)


CONTACTS_OFFERED = Counter(
    "hotline_contacts_offered",
    "Contacts offered to a queue (counted at enqueue).",
    ["tenant", "queue"],
)
CONTACTS_HANDLED = Counter(
    "hotline_contacts_handled",
    "Agent segments handled (each segment of a transferred call is a handle).",
    ["tenant", "queue"],
)
HANDLE_SECONDS = Counter(
    "hotline_handle_seconds",
    "Talk + hold + ACW seconds of handled segments.",
    ["tenant", "queue"],
)
AGENT_STATE_SECONDS = Counter(
    "hotline_agent_state_seconds",
    "Seconds agents spent per state (closed intervals).",
    ["tenant", "state"],
)
QUEUE_WAIT = QueueWaitMetrics()
REGISTRY.register(QUEUE_WAIT)

WORKER_EVENTS = Counter(
    "hotline_worker_events",
    "Events the analytics worker handled, by type and result (applied, duplicate, malformed).",
    ["type", "result"],
)
WORKER_STREAM_LAG = Gauge(
    "hotline_worker_stream_lag_events",
    "Entries in the event streams not yet delivered to the analytics group.",
)
WORKER_PENDING = Gauge(
    "hotline_worker_pending_events",
    "Entries delivered to the analytics group but not yet acknowledged.",
)
WORKER_LAST_EVENT = Gauge(
    "hotline_worker_last_event_timestamp_seconds",
    "The ``at`` time of the newest event the worker committed (lag = time() - this).",
)
WORKER_RECLAIMED = Counter(
    "hotline_worker_reclaimed_events",
    "Pending entries reclaimed from consumers that stopped acknowledging.",
)
