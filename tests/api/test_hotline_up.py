"""``hotline up``: embedded services start, data persists, and signals leave nothing behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tenants.embedded.process import free_port

SIGN_UP = """mutation { signUp(input: {tenantName: "Persisted Co", adminEmail: "p@example.com",
  adminPassword: "persisted password"}) { tenant { slug } } }"""
LOG_IN = """mutation { logIn(input: {tenantSlug: "persisted-co", email: "p@example.com",
  password: "persisted password"}) { user { email role } } }"""


def _processes_using(path: Path) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if str(path) in cmdline and ("postgres" in cmdline or "valkey" in cmdline):
            found.append(f"{entry.name}: {cmdline}")
    return found


def _start(var_dir: Path, port: int, routing_port: int, *flags: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "HOTLINE_VAR_DIR": str(var_dir),
        "HOTLINE_API_PORT": str(port),
        "HOTLINE_ROUTING_PORT": str(routing_port),
        # The media plane binds fixed SIP/RTP ports; its supervision is tested on its own.
        "HOTLINE_KAMAILIO_BINARY": "/nonexistent/kamailio",
    }
    for name in ("HOTLINE_DATABASE_URL", "HOTLINE_REDIS_URL"):
        env.pop(name, None)
    return subprocess.Popen(
        [sys.executable, "-c", "from api.cli import main; main()", "up", *flags],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=Path(__file__).resolve().parents[2],
    )


def _wait_healthy(process: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"hotline up exited: {process.stdout.read().decode()}")  # type: ignore[union-attr]
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    pytest.fail("hotline up did not serve /healthz within 60 s")


def _graphql(port: int, query: str) -> dict:
    return httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": query}, timeout=10).json()


def _stop(process: subprocess.Popen[bytes], signum: int) -> str:
    process.send_signal(signum)
    try:
        output, _ = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate(timeout=30)
        pytest.fail(f"hotline up did not stop within 120 s:\n{output.decode()[-4000:]}")
    return output.decode()


def test_up_persists_data_and_stops_cleanly_on_sigint_and_sigterm(tmp_path: Path) -> None:
    var_dir = tmp_path / "var"
    port = free_port()
    routing_port = free_port()
    first = _start(var_dir, port, routing_port)
    try:
        _wait_healthy(first, port)
        body = _graphql(port, SIGN_UP)
        assert body["data"]["signUp"]["tenant"]["slug"] == "persisted-co", body
    finally:
        output = _stop(first, signal.SIGINT)
    assert "PostgreSQL  embedded" in output and "Hotline stopped." in output
    assert "Media plane not installed" in output
    assert "Traceback" not in output, output
    assert _processes_using(var_dir) == []

    second = _start(var_dir, port, routing_port)
    try:
        _wait_healthy(second, port)
        body = _graphql(port, LOG_IN)
        assert body["data"]["logIn"]["user"] == {"email": "p@example.com", "role": "owner"}
    finally:
        output = _stop(second, signal.SIGTERM)
    assert "Traceback" not in output, output
    assert _processes_using(var_dir) == []
    assert (var_dir / "secrets" / "token-signing-key").stat().st_mode & 0o077 == 0


def test_up_simulate_runs_a_living_demo_center(tmp_path: Path) -> None:
    var_dir = tmp_path / "var"
    port, routing_port = free_port(), free_port()
    process = _start(var_dir, port, routing_port, "--simulate")
    try:
        _wait_healthy(process, port)
        login = _graphql(
            port,
            """mutation { logIn(input: {tenantSlug: "hotline-demo",
            email: "demo@hotline.test", password: "hotline-demo-password"}) { token } }""",
        )
        token = login["data"]["logIn"]["token"]
        deadline = time.monotonic() + 60
        offered = 0.0
        while time.monotonic() < deadline and offered < 3:
            metrics = httpx.get(f"http://127.0.0.1:{routing_port}/metrics", timeout=5).text
            offered = sum(
                float(line.rsplit(" ", 1)[1])
                for line in metrics.splitlines()
                if line.startswith("hotline_contacts_offered_total{") and "hotline-demo" in line
            )
            time.sleep(1)  # a poll's interval (bounded by the deadline), not a fixed wait
        assert offered >= 3, "the simulator offered no calls to the demo center"
        agents = httpx.post(
            f"http://127.0.0.1:{port}/graphql",
            json={"query": "{ agents(first: 100) { nodes { agentId state } } }"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        ).json()
        states = {agent["state"] for agent in agents["data"]["agents"]["nodes"]}
        assert states - {"offline"}, agents
    finally:
        output = _stop(process, signal.SIGINT)
    assert "Demo        tenant 'hotline-demo'" in output
    assert "Traceback" not in output, output[-3000:]
    assert _processes_using(var_dir) == []
