"""The Prometheus contract metrics (DESIGN.md "Metrics contract") and the worker's own.

Names are fixed: dashboards, recording rules and alerts rely on them. Only queue-level
series carry ``{tenant, queue}``; the tenant label is the slug, capped by
``settings.metrics.tenant_label_cap`` (the rest are aggregated as ``other``).

The worker updates the counters and the wait histogram from facts it has committed, so
they count the same calls as the reports. The routing tier sets the live gauges.
"""

from __future__ import annotations

import threading

from prometheus_client import Counter, Gauge, Histogram

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
QUEUE_WAIT_SECONDS = Histogram(
    "hotline_queue_wait_seconds",
    "Queue wait observed at dequeue, by outcome.",
    ["tenant", "queue", "outcome"],
    buckets=wait_buckets(),
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
AGENTS = Gauge("hotline_agents", "Agents by current state (set by routing).", ["tenant", "state"])
QUEUE_CONTACTS_WAITING = Gauge(
    "hotline_queue_contacts_waiting", "Contacts waiting now (set by routing).", ["tenant", "queue"]
)
QUEUE_OLDEST_ENQUEUED = Gauge(
    "hotline_queue_oldest_contact_enqueued_timestamp_seconds",
    "Enqueue time of the oldest waiting contact (set by routing).",
    ["tenant", "queue"],
)

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

STATE_LABELS = frozenset(
    {"offline", "available", "reserved", "on_contact", "acw", "not_ready:missed"}
)


def state_label(state: str) -> str:
    """A bounded state label: break reasons collapse to ``break`` (reasons are not labels)."""
    if state.startswith("break"):
        return "break"
    return state if state in STATE_LABELS else "other"
