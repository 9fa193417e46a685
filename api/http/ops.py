"""Liveness, readiness and Prometheus exposition."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from tenants.http_metrics import exposition_registry
from tenants.readiness import check_dependencies

router = APIRouter(tags=["ops"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    """The database and Redis answer; 503 naming what does not."""
    services = request.app.state.services
    ready, checks = await check_dependencies(
        {"database": services.database.ping, "redis": services.redis.ping}
    )
    return JSONResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status_code=200 if ready else 503,
    )


@router.get("/metrics")
async def metrics() -> Response:
    """Prometheus text exposition."""
    return Response(generate_latest(exposition_registry()), media_type=CONTENT_TYPE_LATEST)
