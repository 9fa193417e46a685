"""Entry points the CLI (``hotline routing``, ``hotline up``) calls."""

from __future__ import annotations

import uvicorn

from routing.call_control.app import create_routing_app
from routing.clients import RoutingServices
from tenants.settings import Settings


def routing_server(settings: Settings, services: RoutingServices | None = None) -> uvicorn.Server:
    """A uvicorn server for the routing app on ``routing.host:routing.port``.

    Pass ``services`` (``RoutingServices.build(settings, classifier=...)``) to inject the CRM
    caller classifier; the caller then closes them after the server stops.
    """
    config = uvicorn.Config(
        create_routing_app(settings, services),
        host=settings.routing.host,
        port=settings.routing.port,
        log_level=settings.log_level.lower(),
        lifespan="on",
        access_log=False,
    )
    return uvicorn.Server(config)


async def run_routing_server(settings: Settings, services: RoutingServices | None = None) -> None:
    """Serve routing until the server is told to exit (SIGINT/SIGTERM)."""
    await routing_server(settings, services).serve()
