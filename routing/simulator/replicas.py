"""Routing replicas as child processes on free ports (load runs, fault tests)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from tenants.embedded.process import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Replica:
    """One ``uvicorn routing.asgi:app`` process this code started."""

    process: subprocess.Popen[bytes]
    port: int

    @property
    def url(self) -> str:
        """Its base URL."""
        return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        """SIGKILL: no shutdown, no drain (the crash case)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it lingers."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def start_replicas(
    count: int,
    *,
    redis_url: str,
    secret: str,
    var_dir: Path,
    extra_env: dict[str, str] | None = None,
) -> list[Replica]:
    """Start ``count`` replicas and wait until each answers ``/healthz``."""
    replicas = []
    log_dir = var_dir / "replica-logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        port = free_port()
        env = {
            **os.environ,
            "HOTLINE_ENV": "test",
            "HOTLINE_REDIS_URL": redis_url,
            "HOTLINE_CALL_CONTROL_SECRET": secret,
            "HOTLINE_VAR_DIR": str(var_dir),
            "HOTLINE_LOG_LEVEL": "WARNING",
            **(extra_env or {}),
        }
        log = (log_dir / f"routing-{index}.log").open("wb")
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [
                sys.executable,
                "-m",
                "uvicorn",
                "routing.asgi:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        replicas.append(Replica(process=process, port=port))
    deadline = time.monotonic() + 30
    for replica in replicas:
        while True:
            if replica.process.poll() is not None:
                raise RuntimeError(f"routing replica on port {replica.port} exited")
            try:
                if httpx.get(replica.url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("routing replicas did not start")
            time.sleep(0.1)
    return replicas
