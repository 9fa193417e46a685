"""``hotline up --simulate`` killed with ``kill -9`` (or stopped with Ctrl-C) mid-traffic and
started again on the same ``var/`` (issue 16, item 2): a living center again within 30 s.

The whole process group is killed with SIGKILL (a crash or a power loss); the embedded
PostgreSQL and Valkey, in sessions of their own, go with it (they are told to stop when
their parent dies). The second run finds the agents the first left ``on_contact``; the
restarted demo's virtual node comes back under the same name with a new boot id, so
routing ends the dead run's calls at its first heartbeat, and new calls are answered. The
event log then shows every call of the dead run ended exactly once and no agent holding
two calls.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from tenants import redis_keys as keys
from tenants.embedded.process import free_port
from tenants.graphql.relay import from_global_id
from tests.routing.invariants import (
    check_agent_transitions,
    check_exactly_once,
    check_no_double_reservation,
)
from tests.serving import until

ROOT = Path(__file__).resolve().parents[2]
LOG_IN = """mutation { logIn(input: {tenantSlug: "hotline-demo", email: "demo@hotline.test",
  password: "hotline-demo-password"}) { token tenant { id } } }"""
AGENTS = "{ agents(first: 100) { nodes { agentId state callId } } }"
HOLDING = {"on_contact", "reserved"}


class Demo:
    """One ``hotline up --simulate`` on a fixed var/ and fixed ports."""

    def __init__(self, var_dir: Path) -> None:
        self.var_dir = var_dir
        self.port, self.routing_port = free_port(), free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.runs = 0

    def start(self) -> Path:
        self.runs += 1
        log = self.var_dir.parent / f"up-{self.runs}.log"
        env = {
            **os.environ,
            "HOTLINE_VAR_DIR": str(self.var_dir),
            "HOTLINE_API_PORT": str(self.port),
            "HOTLINE_ROUTING_PORT": str(self.routing_port),
            "HOTLINE_KAMAILIO_BINARY": "/nonexistent/kamailio",
        }
        for name in ("HOTLINE_DATABASE_URL", "HOTLINE_REDIS_URL"):
            env.pop(name, None)
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-c", "from api.cli import main; main()", "up", "--simulate"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
                start_new_session=True,
            )
        return log

    def kill_group(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def interrupt(self) -> None:
        """Ctrl-C: the demo stops its callers, servers and workers, then exits."""
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=120)

    async def graphql(self, query: str, token: str = "") -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with httpx.AsyncClient(timeout=5) as http:
            response = await http.post(
                f"http://127.0.0.1:{self.port}/graphql", json={"query": query}, headers=headers
            )
        return response.json()

    async def agents(self) -> list[dict[str, str]] | None:
        """The demo agents' states, or None while the center does not answer."""
        try:
            login = await self.graphql(LOG_IN)
            token = login["data"]["logIn"]["token"]
            return (await self.graphql(AGENTS, token))["data"]["agents"]["nodes"]
        except (httpx.HTTPError, KeyError, TypeError, ValueError):
            return None


def _leftovers(var_dir: Path) -> list[int]:
    """PIDs of processes still running on ``var_dir`` (embedded services)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if str(var_dir) in cmdline:
                found.append(int(entry.name))
    return found


@pytest.mark.xfail(
    reason="KNOWN RED (issue 16): failed in the full suite on 2026-12-04 after the merges "
    "(demo agents stayed on calls / not live within 30 s); passes on its branch; cause open",
    strict=False,
)
@pytest.mark.parametrize("stop", ["kill -9", "ctrl-c"])
async def test_demo_stopped_is_live_again_within_30_s(tmp_path: Path, stop: str) -> None:
    demo = Demo(tmp_path / "var")
    first_log = demo.start()
    try:

        async def busy() -> list[dict[str, str]] | None:
            agents = await demo.agents()
            held = [a for a in agents or [] if a["state"] == "on_contact"]
            return agents if len(held) >= 2 else None

        before = await until(busy, limit_s=120, what="demo agents on calls")
        dead_calls = {a["callId"] for a in before if a["state"] in HOLDING and a["callId"]}
        if stop == "kill -9":
            demo.kill_group()
        else:
            demo.interrupt()
        await until(
            lambda: asyncio.sleep(0, result=not _leftovers(demo.var_dir)),
            limit_s=20,
            what="the embedded services gone with their parent",
        )

        restarted = time.monotonic()
        second_log = demo.start()

        async def live() -> list[dict[str, str]] | None:
            agents = await demo.agents()
            if not agents:
                return None
            stale = [a for a in agents if a["state"] in HOLDING and a["callId"] in dead_calls]
            fresh = [a for a in agents if a["state"] in HOLDING and a["callId"] not in dead_calls]
            return agents if not stale and fresh else None

        await until(live, limit_s=30, what="the demo live again (no stale call, a new one)")
        took = time.monotonic() - restarted
        print(f"\nhotline up --simulate: {stop}, live again {took:.1f} s after the restart")
        assert took < 30

        url = re.search(r"Valkey\s+embedded, (redis://\S+)", second_log.read_text())
        assert url, second_log.read_text()[-2000:]
        login = await demo.graphql(LOG_IN)
        tenant_id = login["data"]["logIn"]["tenant"]["id"]
        redis = Redis.from_url(url[1], decode_responses=True)
        try:
            events = [f for _, f in await redis.xrange(keys.events(_raw_id(tenant_id)))]
        finally:
            await redis.aclose()
        assert "Traceback" not in first_log.read_text()
    finally:
        if demo.process is not None and demo.process.poll() is None:
            demo.process.send_signal(signal.SIGINT)
            demo.process.wait(timeout=120)

    check_agent_transitions(events)
    check_no_double_reservation(events)
    ended = {
        e["call_id"]
        for e in events
        if e["type"] in {"call.ended", "call.abandoned"} and e.get("reason") == "node_lost"
    }
    assert dead_calls <= ended
    dead_run = [e for e in events if e.get("call_id") in dead_calls]
    check_exactly_once(dead_run, dead_calls)


def _raw_id(tenant_id: str) -> str:
    """The tenant's UUID from its global id (or the id itself when it is one)."""
    if re.fullmatch(r"[0-9a-f-]{36}", tenant_id):
        return tenant_id
    return str(from_global_id(tenant_id)[1])
