"""The API process's composition root: ``create_app`` builds everything it uses."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, Request
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import HTTPConnection

from api.clients import ApiServices
from api.graphql.router import HotlineGraphQLRouter
from api.graphql.schema import build_schema
from api.http.body_limit import BodyLimitMiddleware
from api.http.errors import install_error_handlers
from api.http.ops import router as ops_router
from api.http.web_app import SecurityHeadersMiddleware, mount_web_app
from media_plane.prompts import http as prompts_http
from media_plane.recordings.http import router as recordings_router
from tenants.crm import http as crm_http
from tenants.database.session import Database
from tenants.graphql.connection import ConnectionContext
from tenants.graphql.context import RequestContext
from tenants.http_metrics import RequestMetricsMiddleware
from tenants.identity import browser_session
from tenants.settings import Settings
from tenants.startup_heap import freeze_startup_heap, thaw_startup_heap

log = logging.getLogger("hotline.api")


SHUTDOWN_GRACE_S = 10.0
"""How long closing pooled clients may take before shutdown carries on without them."""


async def close_within(closing: Awaitable[None], seconds: float, what: str) -> None:
    """Await ``closing`` for at most ``seconds``: a stuck pool must not hang process exit."""
    try:
        await asyncio.wait_for(closing, timeout=seconds)
    except TimeoutError:
        log.warning("closing %s took over %ss; exiting without waiting", what, seconds)


def _bearer(request: HTTPConnection) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, credential = header.partition(" ")
    if scheme.lower() == "bearer" and credential.strip():
        return credential.strip()
    return None


def _same_origin(connection: HTTPConnection) -> bool:
    """Whether a request or WebSocket handshake comes from a page of this server."""
    origin = connection.headers.get("origin")
    host = connection.headers.get("host")
    if not origin or not host:
        return False
    return urlsplit(origin).netloc.lower() == host.lower()


async def request_context(request: Request) -> AsyncIterator[RequestContext]:
    """One session per request; ``EdgeTransaction`` commits it, closing rolls back the rest."""
    services: ApiServices = request.app.state.services
    bearer = _bearer(request)
    cookie = None if bearer else request.cookies.get(browser_session.SESSION_COOKIE)
    async with services.database.sessions() as session:
        await session.begin()
        yield RequestContext(
            session=session,
            settings=services.settings,
            browser_sessions=services.browser_sessions,
            signer=services.signer,
            rate_limits=services.rate_limits,
            principals=services.principals,
            regions=services.regions,
            client_ip=request.client.host if request.client else "unknown",
            credential=bearer or cookie,
            services=services,
            cookie_session=cookie is not None,
            browser=_same_origin(request),
            csrf_valid=cookie is not None
            and browser_session.csrf_matches(
                services.signer, cookie, request.headers.get(browser_session.CSRF_HEADER)
            ),
        )


_request_scope = asynccontextmanager(request_context)


def connection_context(websocket: HTTPConnection) -> ConnectionContext:
    """A WebSocket's context: no request-long session (each subscription event opens one)."""
    services: ApiServices = websocket.app.state.services
    # A page of another site could open this socket with the visitor's cookie: only this
    # server's own pages may use the session cookie (tokens in connection_init work anywhere).
    credential = _bearer(websocket)
    from_cookie = False
    if credential is None and _same_origin(websocket):
        credential = websocket.cookies.get(browser_session.SESSION_COOKIE)
        from_cookie = credential is not None
    return ConnectionContext(
        database=services.database,
        settings=services.settings,
        browser_sessions=services.browser_sessions,
        signer=services.signer,
        rate_limits=services.rate_limits,
        principals=services.principals,
        regions=services.regions,
        client_ip=websocket.client.host if websocket.client else "unknown",
        header_credential=credential,
        cookie_session=from_cookie,
        services=services,
    )


async def graphql_context(connection: HTTPConnection) -> AsyncIterator[RequestContext]:
    """HTTP: ``request_context``. WebSocket (subscriptions): ``connection_context``."""
    if connection.scope["type"] == "websocket":
        yield connection_context(connection)
        return
    async with _request_scope(connection) as ctx:  # type: ignore[arg-type]
        yield ctx


async def _warm_database(database: Database, connections: int) -> None:
    """Best effort: a database that is down at startup shows in ``/readyz``, not a crash."""
    try:
        await asyncio.wait_for(database.warm(connections), timeout=10)
    except (OSError, SQLAlchemyError, TimeoutError) as err:
        log.warning("could not open the database pool at startup: %s", err)


def create_app(settings: Settings, services: ApiServices | None = None) -> FastAPI:
    """The FastAPI app; pass ``services`` to share clients, else the lifespan builds them."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = services is None
        app.state.services = services or ApiServices.build(settings)
        if owned:
            await _warm_database(app.state.services.database, settings.database.pool_size)
        freeze_startup_heap()
        try:
            yield
        finally:
            thaw_startup_heap()
            if owned:
                await close_within(app.state.services.close(), SHUTDOWN_GRACE_S, "API clients")

    app = FastAPI(
        # Metrics are Prometheus (``/metrics``); FastAPI's native OpenTelemetry would only
        # look up (unconfigured) providers on every request.
        telemetry={"tracing": False, "metrics": False, "logs": False},
        title="Hotline",
        version="0.1.0",
        lifespan=lifespan,
        docs_url="/docs" if settings.is_dev else None,
        redoc_url=None,
    )
    if services is not None:
        app.state.services = services

    async def context_getter(
        ctx: RequestContext = Depends(graphql_context),
    ) -> RequestContext:
        return ctx

    graphql = HotlineGraphQLRouter(
        build_schema(settings),
        context_getter=context_getter,
        graphql_ide="graphiql" if settings.graphiql_enabled else None,
        multipart_uploads_enabled=False,
    )
    app.include_router(graphql, prefix="/graphql")
    app.include_router(ops_router)
    app.include_router(recordings_router)
    app.include_router(crm_http.router)
    app.include_router(prompts_http.router)
    mount_web_app(app, Path(settings.api.web_dir))
    install_error_handlers(app)
    app.add_middleware(RequestMetricsMiddleware, static_paths=frozenset({"/graphql"}))
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.api.max_body_bytes,
        path_limits={
            crm_http.IMPORT_PATH_PREFIX: settings.api.max_import_bytes,
            prompts_http.UPLOAD_PATH_PREFIX: prompts_http.UPLOAD_BODY_LIMIT,
        },
    )
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.secure_cookies)
    return app
