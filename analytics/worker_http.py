"""The worker's HTTP side: ``/healthz``, ``/readyz`` and ``/metrics`` for probes and scrapes.

``hotline worker`` serves it on ``HOTLINE_WORKER_HOST:HOTLINE_WORKER_PORT`` when a port is
set (the Helm chart sets both), beside the consumer loop in the same event loop.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import uvicorn
from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from redis.asyncio import Redis

from tenants.database.session import Database
from tenants.readiness import check_dependencies


def create_worker_app(*, database: Database, redis: Redis) -> FastAPI:
    """The probe and exposition endpoints of one worker process."""
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz() -> JSONResponse:
        ready, checks = await check_dependencies({"database": database.ping, "redis": redis.ping})
        return JSONResponse(
            {"status": "ok" if ready else "unavailable", "checks": checks},
            status_code=200 if ready else 503,
        )

    @app.get("/metrics")
    async def metrics() -> Response:
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    return app


class WorkerHttpServer(uvicorn.Server):
    """uvicorn without its own signal handling: the worker's stop event ends it."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def worker_http_server(
    *, database: Database, redis: Redis, host: str, port: int, log_level: str
) -> WorkerHttpServer:
    """A server for :func:`create_worker_app` on ``host:port``."""
    config = uvicorn.Config(
        create_worker_app(database=database, redis=redis),
        host=host,
        port=port,
        log_level=log_level.lower(),
        lifespan="off",
        access_log=False,
    )
    return WorkerHttpServer(config)
