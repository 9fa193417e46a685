"""The ``hotline`` command: one entry point for every process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import tempfile
from collections.abc import Iterator

import typer
import uvicorn

from api.platform import platform
from media_plane.recordings.store import build_store, spool_dir
from tenants.settings import Settings

app = typer.Typer(
    help="Hotline: a multi-tenant contact center.", no_args_is_help=True, add_completion=False
)


def _configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


def _terminate_as_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


class _QuietServer(uvicorn.Server):
    """A uvicorn server whose signals are handled by ``serve_all``, not re-raised."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def serve_all(servers: list[uvicorn.Server]) -> None:
    """Run servers side by side until SIGINT or SIGTERM, then shut each down cleanly."""
    loop = asyncio.get_running_loop()

    def request_exit() -> None:
        for server in servers:
            server.should_exit = True

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, request_exit)
    try:
        await asyncio.gather(*(server.serve() for server in servers))
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


async def _serve_with_recordings(server: uvicorn.Server, settings: Settings) -> None:
    """Serve the API with the recordings agent beside it; the agent stops with the server."""
    from media_plane.recordings.agent import serve as serve_recordings

    stop = asyncio.Event()
    agent = asyncio.create_task(serve_recordings(settings, stop=stop))
    try:
        await server.serve()
    finally:
        stop.set()
        await agent


@app.command()
def up(
    simulate: bool = typer.Option(False, help="Also run the call simulator (demo traffic)."),
) -> None:
    """Run the whole platform on this machine, starting embedded services as needed."""
    settings = Settings()
    _configure_logging(settings)
    # SIGTERM during startup must unwind like Ctrl-C so embedded servers are stopped.
    signal.signal(signal.SIGTERM, _terminate_as_interrupt)
    try:
        with platform(settings) as running:
            from api.app import create_app

            typer.echo("Hotline is starting:")
            for note in running.notes:
                typer.echo(f"  {note}")
            typer.echo(
                f"  API         http://{settings.api.host}:{settings.api.port}"
                f"  (GraphQL at /graphql)"
            )
            if simulate:
                typer.echo("  Simulator   not available yet (the routing tier adds it)")
            config = uvicorn.Config(
                create_app(settings),
                host=settings.api.host,
                port=settings.api.port,
                log_level="info",
                lifespan="on",
            )
            typer.echo(
                f"  Recordings  spool {spool_dir(settings)} → {build_store(settings).name} store"
            )
            asyncio.run(_serve_with_recordings(uvicorn.Server(config), settings))
    except KeyboardInterrupt:
        pass
    finally:
        typer.echo("Hotline stopped.")


@app.command()
def migrate() -> None:
    """Apply database migrations (to the embedded server when no URL is set)."""
    settings = Settings()
    _configure_logging(settings)
    with platform(settings):
        typer.echo("Migrations applied.")


@app.command()
def api(
    workers: int = typer.Option(1, min=1, max=64, help="Worker processes."),
) -> None:
    """Serve the API against HOTLINE_DATABASE_URL and HOTLINE_REDIS_URL."""
    settings = Settings()
    _configure_logging(settings)
    if not settings.database.url or not settings.redis.url:
        typer.echo(
            "hotline api needs HOTLINE_DATABASE_URL and HOTLINE_REDIS_URL; "
            "use `hotline up` for embedded services.",
            err=True,
        )
        raise typer.Exit(2)
    if workers > 1 and "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        # prometheus-client reads this variable itself, in every worker.
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="hotline-prom-")
    uvicorn.run(
        "api.asgi:app",
        host=settings.api.host,
        port=settings.api.port,
        workers=workers,
        log_level=settings.log_level.lower(),
    )


@app.command()
def recordings() -> None:
    """Run the recordings agent: rtpengine's spool → stereo audio → object storage."""
    settings = Settings()
    _configure_logging(settings)
    if not settings.database.url or not settings.redis.url:
        typer.echo(
            "hotline recordings needs HOTLINE_DATABASE_URL and HOTLINE_REDIS_URL; "
            "`hotline up` runs it with embedded services.",
            err=True,
        )
        raise typer.Exit(2)
    from media_plane.recordings.agent import run

    run(settings)


@app.command()
def routing() -> None:
    """Serve the routing tier (call-control API, timers) against HOTLINE_REDIS_URL."""
    from routing.server import run_routing_server

    settings = Settings()
    _configure_logging(settings)
    if not settings.redis.url:
        typer.echo("hotline routing needs HOTLINE_REDIS_URL; `hotline up` starts one.", err=True)
        raise typer.Exit(2)
    asyncio.run(run_routing_server(settings))


@app.command()
def simulate(
    calls: int = typer.Option(100, min=1, help="Calls per round."),
    rate: float = typer.Option(2.0, min=0.01, help="Poisson arrivals per second."),
    patience: float = typer.Option(60.0, min=0, help="Mean caller patience (s)."),
    answer_delay: float = typer.Option(1.0, min=0, help="Agent answer delay (s)."),
    handle: float = typer.Option(20.0, min=0, help="Mean handle time (s)."),
    agents: int = typer.Option(10, min=1, help="Agents of the seeded demo center."),
    queues: int = typer.Option(3, min=1, help="Queues of the seeded demo center."),
    routing_url: list[str] = typer.Option(
        [], help="Routing replicas (default: routing.host:routing.port)."
    ),
    tenant: str | None = typer.Option(None, help="Existing tenant id (with --did)."),
    did: list[str] = typer.Option([], help="Numbers to call (default: seed a demo center)."),
    forever: bool = typer.Option(False, help="Keep traffic flowing until interrupted."),
) -> None:
    """Drive the call-control API with virtual callers and agents (no telephony needed)."""
    from routing.simulator.main import run_simulator_blocking
    from routing.simulator.params import SimulationParams

    settings = Settings()
    _configure_logging(settings)
    params = SimulationParams(
        calls=calls,
        calls_per_second=rate,
        patience_mean_s=patience,
        answer_delay_s=answer_delay,
        handle_mean_s=handle,
    )
    with contextlib.suppress(KeyboardInterrupt):
        typer.echo(
            run_simulator_blocking(
                settings,
                params,
                routing_urls=routing_url or None,
                tenant_id=tenant,
                dids=did or None,
                agents=agents,
                queues=queues,
                rounds=None if forever else 1,
            )
        )


def main() -> None:
    """Console entry point."""
    app()
