"""HTTP request metrics by route template, and the registry ``/metrics`` exposes."""

from __future__ import annotations

import os
import time

from prometheus_client import REGISTRY, CollectorRegistry, Histogram
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HTTP_REQUEST_SECONDS = Histogram(
    "hotline_http_request_duration_seconds",
    "HTTP request latency by route template.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def exposition_registry() -> CollectorRegistry:
    """The registry to scrape: merged across worker processes in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return registry
    return REGISTRY


class RequestMetricsMiddleware:
    """Observes latency with the matched route's path template, never the raw path."""

    def __init__(self, app: ASGIApp, *, static_paths: frozenset[str] = frozenset()) -> None:
        self.app = app
        # Routes FastAPI does not stamp on the scope (strawberry's router) but whose
        # path is fixed, so the raw path is a safe, bounded label value.
        self.static_paths = static_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or (
                scope["path"] if scope["path"] in self.static_paths else "unmatched"
            )
            HTTP_REQUEST_SECONDS.labels(scope["method"], template, str(status)).observe(
                time.perf_counter() - started
            )
