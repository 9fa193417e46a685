"""Liveness, readiness and Prometheus exposition."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api.http.metrics import exposition_registry

router = APIRouter(tags=["ops"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    """The database and Redis answer; 503 naming what does not."""
    services = request.app.state.services
    checks: dict[str, str] = {}

    async def check(name: str, probe) -> None:  # type: ignore[no-untyped-def]
        try:
            await asyncio.wait_for(probe(), timeout=2)
            checks[name] = "ok"
        except Exception as err:  # readiness reports any failure, whatever its type
            checks[name] = f"unavailable: {type(err).__name__}"

    await asyncio.gather(
        check("database", services.database.ping), check("redis", services.redis.ping)
    )
    ready = all(value == "ok" for value in checks.values())
    return JSONResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status_code=200 if ready else 503,
    )


@router.get("/metrics")
async def metrics() -> Response:
    """Prometheus text exposition."""
    return Response(generate_latest(exposition_registry()), media_type=CONTENT_TYPE_LATEST)
