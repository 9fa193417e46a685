"""Resolves where PostgreSQL and Redis are: configured URLs, or embedded servers in ``var/``."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from tenants.database import migrate
from tenants.embedded.postgres import EmbeddedPostgres
from tenants.embedded.valkey import EmbeddedValkey
from tenants.settings import Settings

log = logging.getLogger("hotline.platform")


@dataclass
class Platform:
    """The backing services of one ``hotline up``, and what it started itself."""

    settings: Settings
    postgres: EmbeddedPostgres | None = None
    valkey: EmbeddedValkey | None = None
    notes: list[str] = field(default_factory=list)

    def stop(self) -> None:
        """Stop what this run started, Redis first so nothing writes to a dying database."""
        if self.valkey is not None:
            self.valkey.stop()
            self.valkey = None
        if self.postgres is not None:
            self.postgres.stop()
            self.postgres = None


def _stop_stale(pidfile_pid: int | None, name: str) -> None:
    """Stop a server a crashed earlier run left behind (its PID came from our own pidfile)."""
    if not pidfile_pid:
        return
    try:
        with open(f"/proc/{pidfile_pid}/comm") as comm:
            if name not in comm.read():
                return
    except OSError:
        return
    log.warning("stopping %s (pid %s) left by an earlier run", name, pidfile_pid)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pidfile_pid, signal.SIGINT if name == "postgres" else signal.SIGTERM)
    for _ in range(200):
        if not os.path.exists(f"/proc/{pidfile_pid}"):
            return
        time.sleep(0.05)


def _read_pid(path: str) -> int | None:
    try:
        with open(path) as handle:
            return int(handle.readline().strip() or 0)
    except (OSError, ValueError):
        return None


@contextlib.contextmanager
def platform(settings: Settings, *, apply_migrations: bool = True) -> Iterator[Platform]:
    """Start embedded services for absent URLs, migrate, and always stop what was started."""
    var_dir = settings.var_dir.resolve()
    var_dir.mkdir(parents=True, exist_ok=True)
    running = Platform(settings=settings)
    try:
        if not settings.database.url:
            _stop_stale(
                _read_pid(str(var_dir / "postgres" / "data" / "postmaster.pid")), "postgres"
            )
            running.postgres = EmbeddedPostgres(var_dir / "postgres", secrets_dir=var_dir)
            urls = running.postgres.start()
            settings.database = settings.database.model_copy(
                update={"url": urls.app_url, "migration_url": urls.migration_url}
            )
            running.notes.append(
                f"PostgreSQL  embedded, 127.0.0.1:{urls.port} (data in {var_dir / 'postgres'})"
            )
        else:
            running.notes.append("PostgreSQL  external (HOTLINE_DATABASE_URL)")
        if not settings.redis.url:
            _stop_stale(_read_pid(str(var_dir / "valkey" / "valkey.pid")), "valkey")
            running.valkey = EmbeddedValkey(var_dir / "valkey")
            url = running.valkey.start()
            settings.redis = settings.redis.model_copy(update={"url": url})
            running.notes.append(f"Valkey      embedded, {url} (AOF in {var_dir / 'valkey'})")
        else:
            running.notes.append("Redis       external (HOTLINE_REDIS_URL)")
        if apply_migrations:
            assert settings.database.url is not None
            migrate.upgrade(
                settings.database.migration_url or settings.database.url, settings.database.url
            )
        yield running
    finally:
        running.stop()
