"""The routing process's composition root: ``create_routing_app``."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from redis.exceptions import RedisError

from routing.call_control import timers
from routing.call_control.dtmf import dtmf_listener
from routing.call_control.http import router
from routing.clients import RoutingServices
from routing.nodes import reconcile
from routing.nodes.http import router as nodes_router
from tenants.errors import DomainError
from tenants.http_metrics import RequestMetricsMiddleware
from tenants.readiness import check_dependencies
from tenants.settings import Settings
from tenants.startup_heap import freeze_startup_heap, thaw_startup_heap

log = logging.getLogger("hotline.routing.http")


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(_: Request, err: DomainError) -> JSONResponse:
        return JSONResponse(
            {"detail": err.message, "code": err.code.value}, status_code=err.http_status
        )

    @app.exception_handler(RedisError)
    async def redis_down(_: Request, err: RedisError) -> JSONResponse:
        log.error("routing state unavailable: %s", err)
        return JSONResponse(
            {"detail": "routing state unavailable, retry", "code": "UNAVAILABLE"},
            status_code=503,
            headers={"Retry-After": "1"},
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, err: RequestValidationError) -> JSONResponse:
        problems = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in err.errors()
        ]
        first = problems[0] if problems else {"loc": [], "msg": "invalid request"}
        message = f"{'.'.join(first['loc'])}: {first['msg']}".strip(": ")
        return JSONResponse(
            {"detail": message, "code": "BAD_USER_INPUT", "errors": problems}, status_code=422
        )


def create_routing_app(
    settings: Settings, services: RoutingServices | None = None, *, run_timers: bool = True
) -> FastAPI:
    """The routing app; pass ``services`` to share clients, else the lifespan builds them."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = services is None
        built = services or RoutingServices.build(settings)
        app.state.services = built
        background = [
            asyncio.create_task(built.metrics.refresh_forever(settings.routing.metrics_refresh_s))
        ]
        if run_timers:
            background.append(asyncio.create_task(timers.run_forever(built)))
            background.append(asyncio.create_task(reconcile.run_forever(built)))
        listener = dtmf_listener(built)
        if listener is not None:
            try:
                await listener.start()
            except OSError as exc:
                # Another routing process on this host already receives rtpengine's DTMF
                # (one destination per rtpengine): this one serves calls without it.
                log.error(
                    "DTMF events not received here (%s:%s): %s", listener.host, listener.port, exc
                )
                listener = None
        freeze_startup_heap()
        try:
            yield
        finally:
            thaw_startup_heap()
            if listener is not None:
                await listener.aclose()
            for task in background:
                task.cancel()
            # Bounded: a loop that swallowed its cancellation must not hang shutdown.
            _, stuck = await asyncio.wait(background, timeout=5)
            if stuck:
                log.warning("%s routing background task(s) did not stop in 5 s", len(stuck))
            if owned:
                try:
                    # A stuck pool must not hang the process's exit.
                    await asyncio.wait_for(built.close(), timeout=10)
                except TimeoutError:
                    log.warning("closing routing clients took over 10 s; exiting anyway")

    app = FastAPI(
        title="Hotline routing", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None
    )
    if services is not None:
        app.state.services = services
    app.include_router(router)
    app.include_router(nodes_router)
    # HTTP latency by path template (DESIGN.md "operational"), in the default registry
    # that ``/metrics`` exposes after routing's own.
    app.add_middleware(RequestMetricsMiddleware)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz(request: Request) -> JSONResponse:
        ready, checks = await check_dependencies({"redis": request.app.state.services.redis.ping})
        return JSONResponse(
            {"status": "ok" if ready else "unavailable", "checks": checks},
            status_code=200 if ready else 503,
        )

    @app.get("/metrics")
    async def metrics(request: Request) -> Response:
        own = request.app.state.services.metrics.registry
        body = generate_latest(own) + generate_latest(REGISTRY)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    _install_error_handlers(app)
    return app
