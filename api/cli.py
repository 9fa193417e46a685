"""The ``hotline`` command: one entry point for every process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import tempfile
from pathlib import Path

import typer
import uvicorn

from api.platform import platform
from tenants.settings import Settings

app = typer.Typer(
    help="Hotline: a multi-tenant contact center.", no_args_is_help=True, add_completion=False
)


def _configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


@app.command()
def up(
    simulate: bool = typer.Option(False, help="Also run a demo center with virtual traffic."),
) -> None:
    """Run the whole platform on this machine, starting embedded services as needed."""
    from api.stack import run_stack

    settings = Settings()
    _configure_logging(settings)
    run_stack(settings, simulate=simulate)


@app.command()
def settings() -> None:
    """Print every HOTLINE_* variable with its default, as a Markdown table."""
    from tenants.settings_reference import markdown_table

    typer.echo(markdown_table())


@app.command()
def schema() -> None:
    """Print the public GraphQL schema (SDL); ``web/schema.graphql`` is this output."""
    from api.graphql.schema import build_schema

    typer.echo(build_schema(Settings()).as_str())


@app.command()
def migrate() -> None:
    """Apply database migrations (to the embedded server when no URL is set)."""
    settings = Settings()
    _configure_logging(settings)
    if settings.database.url:
        # Against an external database nothing else is needed (no embedded Valkey either):
        # the Helm chart's pre-install/pre-upgrade Job runs this.
        from tenants.database import migrate as migrations

        migrations.upgrade(
            settings.database.migration_url or settings.database.url, settings.database.url
        )
        typer.echo("Migrations applied.")
        return
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
def worker(
    metrics_port: int | None = typer.Option(None, help="Serve /metrics on this port."),
) -> None:
    """Consume the event streams into analytics facts (scale out in one consumer group)."""
    from analytics.worker import run_worker

    settings = Settings()
    _configure_logging(settings)
    run_worker(settings, metrics_port=metrics_port)


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
    from api.clients import build_store
    from media_plane.recordings.agent import run

    run(settings, build_store(settings))


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


@app.command("kamailio-config")
def kamailio_config(
    runtime_dir: Path | None = typer.Option(
        None, help="Write kamailio.cfg and dispatcher.list here (default var/run/kamailio)."
    ),
) -> None:
    """Render this node's Kamailio config from settings, as `hotline up` does.

    The Helm chart's media pod runs this as its init container, so the chart and
    `make run` never disagree; Kamailio then runs `kamailio -f <dir>/kamailio.cfg`.
    """
    from media_plane.kamailio.config import ConfigError, node_config, write

    settings = Settings()
    runtime = (runtime_dir or settings.var_dir / "run" / "kamailio").resolve()
    runtime.mkdir(parents=True, exist_ok=True)
    try:
        path = write(node_config(settings, runtime), runtime / "kamailio.cfg")
    except (ConfigError, RuntimeError) as err:
        typer.echo(f"hotline kamailio-config: {err}", err=True)
        raise typer.Exit(2) from err
    typer.echo(str(path))


@app.command()
def rtpengine() -> None:
    """Run rtpengine in the foreground with the command line `hotline up` gives it."""
    from media_plane.processes import RtpengineOptions, missing_binaries, resolve_binary

    settings = Settings()
    options = RtpengineOptions.from_settings(settings)
    if missing_binaries(options.binary):
        typer.echo(f"hotline rtpengine: {options.binary} is not installed", err=True)
        raise typer.Exit(2)
    # rtpengine creates metadata/ pcaps/ tmp/ only at startup, under an existing folder.
    options.recording_dir.mkdir(parents=True, exist_ok=True)
    executable = resolve_binary(options.binary)
    os.execv(executable, options.argv(executable))  # noqa: S606 - our own settings


@app.command("rtpengine-ping")
def rtpengine_ping() -> None:
    """Exit 0 when this node's rtpengine answers an ng ``ping`` (the media pod's probe)."""
    from media_plane.rtpengine.client import RtpengineClient

    r = Settings().rtpengine

    async def ping() -> bool:
        client = RtpengineClient(r.ng_host, r.ng_port, timeout=r.timeout_seconds, retries=1)
        try:
            return await client.is_alive()
        finally:
            await client.aclose()

    if not asyncio.run(ping()):
        typer.echo(f"rtpengine at {r.ng_host}:{r.ng_port} does not answer ping", err=True)
        raise typer.Exit(1)


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
