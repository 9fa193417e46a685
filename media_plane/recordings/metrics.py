"""Prometheus metrics of the recordings agent.

Alert on ``hotline_recordings_pending > 0`` for longer than a call's wrap-up plus the
upload time (say 15 minutes), and on any increase of ``hotline_recordings_failed_total``.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

RECORDINGS_PENDING = Gauge(
    "hotline_recordings_pending",
    "Finished calls whose recording is in the spool but not yet verified in storage.",
)
RECORDINGS_FAILED = Counter(
    "hotline_recordings_failed_total",
    "Failed attempts to store a recording, by stage (the recording stays in the spool).",
    ["stage"],
)
RECORDINGS_STORED = Counter(
    "hotline_recordings_stored_total", "Recordings verified in storage.", ["format"]
)
RECORDING_STORE_SECONDS = Histogram(
    "hotline_recording_store_seconds",
    "Convert + upload + verify time of one recording.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
)
