"""Everything ``hotline up`` runs in one process tree, started in order and stopped cleanly.

Order: embedded PostgreSQL and Valkey (unless URLs are given) and migrations; the media
plane (rtpengine, then Kamailio) when installed; then, in one event loop, the API and
routing servers, the analytics worker, the recordings agent, the ticket SLA timer and,
with ``--simulate``, a demo center with virtual traffic. SIGINT or SIGTERM stops it all.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Iterator

import typer
import uvicorn

from analytics import worker as analytics_worker
from api.app import create_app
from api.clients import build_store
from api.demo import keep_demo_traffic, prepare_demo_center
from api.platform import platform
from media_plane.processes import media_plane_running
from media_plane.recordings import agent as recordings_agent
from media_plane.recordings.store import spool_dir
from routing.config.directory import sync_directory
from routing.server import routing_server
from tenants.cancellation import raise_if_cancel_requested
from tenants.database.session import Database
from tenants.redis_connection import connect as connect_redis
from tenants.settings import Settings
from tenants.tickets.sla import run_sla_reminders

log = logging.getLogger("hotline.up")

SLA_INTERVAL_SECONDS = 30.0


class _QuietServer(uvicorn.Server):
    """A uvicorn server whose signals ``run_stack`` handles (uvicorn would re-raise them)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def _quiet(server: uvicorn.Server) -> uvicorn.Server:
    server.__class__ = _QuietServer
    return server


async def _every(
    interval: float, job: Callable[[], Awaitable[object]], stop: asyncio.Event
) -> None:
    while not stop.is_set():
        raise_if_cancel_requested()
        try:
            await job()
        except Exception:
            raise_if_cancel_requested()
            log.exception("periodic job failed; retrying in %ss", interval)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)


async def _serve(settings: Settings, *, simulate: bool) -> None:
    stop = asyncio.Event()
    api = _quiet(
        uvicorn.Server(
            uvicorn.Config(
                create_app(settings),
                host=settings.api.host,
                port=settings.api.port,
                log_level="warning",
                lifespan="on",
            )
        )
    )
    routing = _quiet(routing_server(settings))
    servers = [api, routing]
    loop = asyncio.get_running_loop()

    demo_traffic: asyncio.Task[object] | None = None

    async def shut_down_when_stopped() -> None:
        # Traffic stops before the servers it talks to, so no caller sees a closed socket.
        await stop.wait()
        if demo_traffic is not None:
            demo_traffic.cancel()
            await asyncio.gather(demo_traffic, return_exceptions=True)
        for server in servers:
            server.should_exit = True

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    shutdown = asyncio.create_task(shut_down_when_stopped())

    assert settings.database.url and settings.redis.url
    database = Database(settings.database.url, pool_size=2)
    redis = connect_redis(settings.redis.url)
    background: list[asyncio.Task[object]] = []
    try:
        published = await sync_directory(database=database, redis=redis)
        log.info("routing directory synced (%s entries)", published)
        background += [
            asyncio.create_task(analytics_worker.serve(settings, stop=stop, install_signals=False)),
            asyncio.create_task(
                recordings_agent.serve(settings, store=build_store(settings), stop=stop)
            ),
            asyncio.create_task(
                _every(
                    SLA_INTERVAL_SECONDS,
                    lambda: run_sla_reminders(database=database, redis=redis),
                    stop,
                )
            ),
        ]
        if simulate:
            demo = await prepare_demo_center(database=database, redis=redis)
            typer.echo(
                f"  Demo        tenant '{demo.slug}', log in as {demo.owner_email} / "
                f"{demo.password}; calls to {', '.join(demo.numbers)}"
            )
            demo_traffic = asyncio.create_task(keep_demo_traffic(settings, demo))
            background.append(demo_traffic)
        typer.echo("Hotline is up. Press Ctrl-C to stop.")
        await asyncio.gather(*(server.serve() for server in servers))
    finally:
        stop.set()
        await shutdown
        # Workers stop on ``stop``; one that does not within the grace is cancelled.
        _, stuck = await asyncio.wait(background, timeout=15) if background else (set(), set())
        for task in stuck:
            task.cancel()
        results = await asyncio.gather(*background, return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException) and not isinstance(result, asyncio.CancelledError):
                log.error("background task ended with %r", result)
        await database.dispose()
        await redis.aclose()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


def _terminate_as_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run_stack(settings: Settings, *, simulate: bool = False) -> None:
    """Run the whole platform until SIGINT/SIGTERM; leaves no child process behind."""
    # Until the event loop installs its handlers, SIGTERM must unwind like Ctrl-C so the
    # embedded servers and the media plane are stopped by the ``with`` blocks below.
    signal.signal(signal.SIGTERM, _terminate_as_interrupt)
    try:
        with platform(settings) as running, media_plane_running(settings) as media:
            typer.echo("Hotline is starting:")
            for note in running.notes:
                typer.echo(f"  {note}")
            if media is None:
                typer.echo(
                    "  Media plane not installed (kamailio, rtpengine): calls can "
                    "still be simulated with --simulate"
                )
            else:
                for note in media.notes:
                    typer.echo(f"  {note}")
            typer.echo(
                f"  API         http://{settings.api.host}:{settings.api.port}"
                "  (GraphQL at /graphql)"
            )
            typer.echo(
                f"  Routing     http://{settings.routing.host}:{settings.routing.port}"
                "  (call control /v1/calls)"
            )
            typer.echo(
                f"  Recordings  spool {spool_dir(settings)} -> {build_store(settings).name} store"
            )
            try:
                asyncio.run(_serve(settings, simulate=simulate))
            finally:
                # Stopping the embedded servers must not be cut short by a second Ctrl-C.
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
    except KeyboardInterrupt:
        pass
    finally:
        typer.echo("Hotline stopped.")
