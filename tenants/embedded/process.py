"""A child process that Hotline started and must stop: the one owner of those PIDs."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PR_SET_PDEATHSIG = 1


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """True when nothing listens on ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _die_with_parent(signum: int) -> Callable[[], None]:
    """A ``preexec_fn`` asking Linux to send ``signum`` to the child when its parent dies.

    ``hotline up`` stops its children itself; this covers the parent being killed outright
    (SIGKILL, OOM), which would otherwise orphan PostgreSQL or Valkey. Linux ties this to the
    spawning thread, so children must be started from a long-lived thread (the main one).
    """

    def arrange() -> None:
        if sys.platform.startswith("linux"):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0)

    return arrange


def wait_until(check: Callable[[], bool], *, timeout: float, what: str) -> None:
    """Poll ``check`` until it is true, or raise ``TimeoutError`` naming ``what``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise TimeoutError(f"{what} not ready after {timeout:.0f}s")


@dataclass
class ChildProcess:
    """A foreground server process, stopped by its own PID and nothing else."""

    name: str
    argv: Sequence[str]
    log_path: Path
    user: str | None = None
    env: dict[str, str] | None = None
    stop_signal: int = signal.SIGTERM
    _popen: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)

    def start(self) -> None:
        """Start the process in its own session so a terminal Ctrl-C reaches only us."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        try:
            self._popen = subprocess.Popen(  # noqa: S603 - argv is built by Hotline, not user input
                list(self.argv),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                user=self.user,
                env=self.env,
                start_new_session=True,
                preexec_fn=_die_with_parent(self.stop_signal),
            )
        finally:
            log.close()

    @property
    def pid(self) -> int | None:
        """The PID, while the process runs."""
        return self._popen.pid if self._popen is not None else None

    def running(self) -> bool:
        """True while the process has not exited."""
        return self._popen is not None and self._popen.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        """The end of the process log, for error messages."""
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, timeout: float = 15.0) -> None:
        """Signal the process, wait, and kill it if it will not go."""
        if self._popen is None or self._popen.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._popen.pid, self.stop_signal)
        try:
            self._popen.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._popen.pid, signal.SIGKILL)
            self._popen.wait(5)
