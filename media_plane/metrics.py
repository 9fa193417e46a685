"""The one latency histogram of every control-plane call (bounded labels only)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import Histogram

MEDIA_RPC_SECONDS = Histogram(
    "hotline_media_rpc_duration_seconds",
    "Latency of Kamailio JSON-RPC and rtpengine ng commands",
    ["target", "method"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)


@contextmanager
def observe_rpc(target: str, method: str) -> Iterator[None]:
    """Time one command; ``target`` is ``kamailio`` or ``rtpengine``, never a call id."""
    started = time.perf_counter()
    try:
        yield
    finally:
        MEDIA_RPC_SECONDS.labels(target=target, method=method).observe(
            time.perf_counter() - started
        )
