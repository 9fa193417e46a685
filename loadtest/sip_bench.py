"""SIP call-setup benchmark: Kamailio + Hotline call control vs the same Kamailio relaying
straight to the UAS, in one run, with RTP through rtpengine on every call.

    /work/venv/bin/python loadtest/sip_bench.py --rate 30 --seconds 10 --hold-ms 2000

Both phases use the same Kamailio and rtpengine, sipp caller and sipp UAS (the "agent",
answering at once, i.e. an idle agent). Phase "hotline" sends each INVITE through the
call-control flow (t_suspend, POST /v1/calls, GET /continue, relay); phase "direct" uses a
DID prefix the benchmark config relays without call control. It prints the median and p95
INVITE -> 200 latency of each phase, the added median, and failed calls.

Call control is the REAL routing process (``uvicorn routing.asgi:app``) on an embedded
Valkey, with one tenant, one queue (no wrap-up) and ``--agents`` agents published through
``routing.config.directory.RoutingDirectory``. Every agent is REGISTERed (ephemeral credentials) at
the one sipp UAS, so each call is routed to an idle agent's AOR, looked up by Kamailio.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.request import urlopen

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from redis.asyncio import Redis

from media_plane.kamailio.config import KamailioConfig, write_dispatcher_list
from media_plane.processes import (
    RtpengineOptions,
    start_kamailio,
    start_rtpengine,
)
from media_plane.sip.credentials import issue_credentials, tenant_sip_domain
from media_plane.sip.udp_client import register
from routing.config.directory import RoutingDirectory
from routing.config.projection import AgentEntry, DidEntry, QueueEntry, TenantEntry
from routing.engine.engine import AcdEngine
from tenants import redis_keys as keys
from tenants.embedded.process import ChildProcess, free_port
from tenants.embedded.valkey import EmbeddedValkey

SCENARIOS = Path(__file__).resolve().parent / "sipp"
SECRET = secrets.token_urlsafe(24)  # a fresh secret per run


def start_routing(*, redis_url: str, secret: str, sip_domain: str, workdir: Path) -> Any:
    """The routing process on a free port, ready (``/readyz``)."""
    port = free_port()
    env = {
        **os.environ,
        "HOTLINE_ENV": "test",
        "HOTLINE_VAR_DIR": str(workdir / "var"),
        "HOTLINE_REDIS_URL": redis_url,
        "HOTLINE_CALL_CONTROL_SECRET": secret,
        "HOTLINE_KAMAILIO_SIP_DOMAIN": sip_domain,
        "HOTLINE_LOG_LEVEL": "WARNING",
    }
    argv = [sys.executable, "-m", "uvicorn", "routing.asgi:app", "--host", "127.0.0.1"]
    argv += ["--port", str(port), "--no-access-log", "--log-level", "warning"]
    process = ChildProcess("routing", argv, workdir / "routing.log", env=env)
    process.start()
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with urlopen(f"{url}/readyz", timeout=1) as response:  # noqa: S310
                if response.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.1)
    process.stop()
    raise RuntimeError(f"routing not ready:\n{process.log_tail()}")


async def publish_center(redis_url: str, *, agents: int) -> tuple[str, str, str, list[str]]:
    """One tenant, queue, DID and ``agents`` available agents; returns
    ``(tenant id, slug, DID, sip users)``."""
    redis = Redis.from_url(redis_url, decode_responses=True)
    directory = RoutingDirectory(redis)
    engine = AcdEngine(redis, dispatches=False)
    tenant, queue = uuid.uuid4(), uuid.uuid4()
    slug = "bench"
    await directory.put_tenant(tenant, TenantEntry(slug=slug, max_concurrent_calls=0))
    fields = {"name": "bench", "skills": "{}", "wrapup_s": "0", "ring_timeout_s": "20"}
    await directory.put_queue(tenant, QueueEntry(queue_id=queue, fields=fields))
    did = "+33100000100"
    await directory.put_did(DidEntry(e164=did, tenant_id=tenant, queue_id=queue))
    users = []
    for _ in range(agents):
        user = uuid.uuid4()
        profile = {"skills": "{}", "queues": json.dumps([str(queue)]), "sip_user": user.hex}
        await directory.put_agent_profile(tenant, AgentEntry(user_id=user, fields=profile))
        await engine.sign_in(tenant_id=str(tenant), agent_id=str(user), queue_id=str(queue))
        users.append(user)
    await redis.aclose()
    return str(tenant), slug, did, [u.hex for u in users]


async def make_available(redis_url: str, tenant_id: str, sip_users: list[str]) -> None:
    """Every agent to ``available`` (after they REGISTERed)."""
    redis = Redis.from_url(redis_url, decode_responses=True)
    engine = AcdEngine(redis, dispatches=False)
    for user in sip_users:
        agent = str(uuid.UUID(user))
        await engine.set_agent_state(tenant_id=tenant_id, agent_id=agent, state="available")
    await redis.aclose()


async def event_counts(redis_url: str, tenant_id: str) -> dict[str, int]:
    """Routing's events of the run, by type."""
    redis = Redis.from_url(redis_url, decode_responses=True)
    counts: dict[str, int] = {}
    for _, fields in await redis.xrange(keys.events(tenant_id)):
        counts[fields["type"]] = counts.get(fields["type"], 0) + 1
    await redis.aclose()
    return counts


def free_udp_tcp_port() -> int:
    import socket

    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.bind(("127.0.0.1", 0))
            port = udp.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
                try:
                    tcp.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return int(port)


_STAMP = re.compile(r"^-{20,} (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d+)$")


def setup_latencies_ms(message_log: Path) -> list[float]:
    """INVITE sent -> 200 (INVITE) received per call, from sipp's microsecond message log.

    sipp's own response-time counters tick in 4 ms steps here, too coarse for a few-ms
    difference; the message log stamps each message when sipp handles it.
    """
    sent: dict[str, float] = {}
    answered: dict[str, float] = {}
    stamp: float | None = None
    direction = first = call_id = cseq = ""
    lines_left = 0

    def flush() -> None:
        if stamp is None or not call_id:
            return
        if direction == "sent" and first.startswith("INVITE ") and call_id not in sent:
            sent[call_id] = stamp
        elif (
            direction == "received"
            and first.startswith("SIP/2.0 200")
            and cseq.endswith("INVITE")
            and call_id not in answered
        ):
            answered[call_id] = stamp

    for raw in message_log.read_text(errors="replace").splitlines():
        match = _STAMP.match(raw)
        if match:
            flush()
            day = datetime.strptime(f"{match[1]} {match[2]}", "%Y-%m-%d %H:%M:%S.%f")
            stamp = day.timestamp()
            direction = first = call_id = cseq = ""
            lines_left = 40
            continue
        if lines_left <= 0:
            continue
        lines_left -= 1
        if raw.startswith("UDP message sent"):
            direction = "sent"
        elif raw.startswith("UDP message received"):
            direction = "received"
        elif not first and (raw.startswith("INVITE ") or raw.startswith("SIP/2.0 ")):
            first = raw
        elif raw.lower().startswith("call-id:"):
            call_id = raw.split(":", 1)[1].strip()
        elif raw.lower().startswith("cseq:"):
            cseq = raw.split(":", 1)[1].strip()
    flush()
    return [(answered[c] - sent[c]) * 1000 for c in answered if c in sent]


def run_phase(
    name: str,
    *,
    kamailio: str,
    uas_port: int,
    service: str,
    rate: float,
    seconds: int,
    hold_ms: int,
    workdir: Path,
) -> dict[str, Any]:
    calls = int(rate * seconds)
    port = free_udp_tcp_port()
    argv = [
        "sipp",
        f"127.0.0.1:{uas_port}",
        "-rsa",
        kamailio,
        "-sf",
        str(SCENARIOS / "uac.xml"),
        "-i",
        "127.0.0.1",
        "-p",
        str(port),
        "-mi",
        "127.0.0.1",
        "-mp",
        str(free_udp_tcp_port()),
        "-s",
        service,
        "-r",
        str(rate),
        "-m",
        str(calls),
        "-d",
        str(hold_ms),
        "-l",
        "1000",
        "-timeout",
        f"{seconds + hold_ms // 1000 + 30}s",
        "-nostdin",
        "-timer_resol",
        "1",
        "-trace_msg",
        "-message_file",
        str(workdir / f"{name}_messages.log"),
        "-trace_stat",
        "-fd",
        "1",
        "-stf",
        str(workdir / f"{name}_stat.csv"),
    ]
    started = time.monotonic()
    result = subprocess.run(argv, cwd=workdir, capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - started
    rtts = setup_latencies_ms(workdir / f"{name}_messages.log")
    successful = failed = 0
    stat = workdir / f"{name}_stat.csv"
    if stat.exists():
        rows = list(csv.reader(stat.open(), delimiter=";"))
        header, last = rows[0], rows[-1]
        successful = int(last[header.index("SuccessfulCall(C)")])
        failed = int(last[header.index("FailedCall(C)")])
    return {
        "phase": name,
        "calls": calls,
        "successful": successful,
        "failed": failed + (calls - successful - failed),
        "sipp_exit": result.returncode,
        "elapsed_s": round(elapsed, 1),
        "median_ms": statistics.median(rtts) if rtts else None,
        "p95_ms": statistics.quantiles(rtts, n=20)[18] if len(rtts) >= 20 else None,
        "samples": len(rtts),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=30, help="calls per second")
    parser.add_argument("--seconds", type=int, default=10, help="duration of each phase")
    parser.add_argument("--hold-ms", type=int, default=2000, help="call length")
    parser.add_argument("--agents", type=int, default=200, help="registered idle agents")
    args = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="hotline-sip-bench-"))
    port_min = random.randrange(40000, 56000, 2000)
    rtp = RtpengineOptions(
        ng_host="127.0.0.1",
        ng_port=free_udp_tcp_port(),
        interface="127.0.0.1",
        port_min=port_min,
        port_max=port_min + 1999,
        recording_dir=base / "spool",
    )
    uas_port = free_udp_tcp_port()
    sip_domain = "sip.bench.test"
    sip_secret = secrets.token_urlsafe(24)
    valkey = EmbeddedValkey(base / "valkey", port=free_port(), persist=False)
    redis_url = valkey.start()
    routing_process, routing_url = start_routing(
        redis_url=redis_url, secret=SECRET, sip_domain=sip_domain, workdir=base
    )
    tenant_id, slug, did, sip_users = asyncio.run(publish_center(redis_url, agents=args.agents))
    config = KamailioConfig(
        sip_host="127.0.0.1",
        sip_port=free_udp_tcp_port(),
        ws_host="127.0.0.1",
        ws_port=free_port(),
        rpc_host="127.0.0.1",
        rpc_port=free_port(),
        routing_url=routing_url,
        call_control_secret=SECRET,
        sip_auth_secret=sip_secret,
        rtpengine_nodes=[f"udp:{rtp.ng_host}:{rtp.ng_port}"],
        sip_domain=sip_domain,
        dispatcher_file=str(write_dispatcher_list([], base / "dispatcher.list")),
        children=8,
        tcp_children=4,
        debug=1,
        direct_relay_prefix="direct-",
    )
    rtpengine = start_rtpengine(rtp, base / "rtpengine.log")
    kamailio = start_kamailio(config, base / "kamailio")
    uas = subprocess.Popen(
        [
            "sipp", "-sf", str(SCENARIOS / "uas.xml"), "-i", "127.0.0.1", "-p", str(uas_port),
            "-mi", "127.0.0.1", "-mp", str(free_udp_tcp_port()), "-d", "0", "-nostdin",
            "-timer_resol", "1",
        ],
        cwd=base,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        domain = tenant_sip_domain(slug=slug, base_domain=sip_domain)
        for user in sip_users:  # every agent's softphone is the one sipp UAS
            creds = issue_credentials(
                secret=sip_secret, agent=user, domain=domain, ttl_seconds=3600
            )
            status, reply = register(
                (config.sip_host, config.sip_port),
                aor_user=user,
                domain=domain,
                contact=f"sip:{user}@127.0.0.1:{uas_port}",
                username=creds.username,
                password=creds.password,
                expires=3600,
            )
            if status != 200:
                raise RuntimeError(f"REGISTER {user}: {status}\n{reply}")
        asyncio.run(make_available(redis_url, tenant_id, sip_users))
        time.sleep(0.5)
        target = f"{config.sip_host}:{config.sip_port}"
        common = {
            "kamailio": target,
            "uas_port": uas_port,
            "rate": args.rate,
            "seconds": args.seconds,
            "hold_ms": args.hold_ms,
            "workdir": base,
        }
        direct = run_phase("direct", service="direct-100", **common)
        hotline = run_phase("hotline", service=did, **common)
        time.sleep(1.0)  # let the event sender drain
        counts = asyncio.run(event_counts(redis_url, tenant_id))
    finally:
        kamailio.stop()
        rtpengine.stop()
        uas.terminate()
        uas.wait(5)
        routing_process.stop()
        valkey.stop()

    print(f"SIP call setup (INVITE -> 200), {args.rate:g} calls/s for {args.seconds}s per phase,")
    print(f"{args.hold_ms} ms calls with PCMA RTP both ways through rtpengine; logs in {base}")
    print(f"{'phase':<10}{'calls':>7}{'ok':>7}{'failed':>8}{'median ms':>11}{'p95 ms':>9}")
    for r in (direct, hotline):
        median = f"{r['median_ms']:.2f}" if r["median_ms"] is not None else "-"
        p95 = f"{r['p95_ms']:.2f}" if r["p95_ms"] is not None else "-"
        print(
            f"{r['phase']:<10}{r['calls']:>7}{r['successful']:>7}{r['failed']:>8}"
            f"{median:>11}{p95:>9}"
        )
    if direct["median_ms"] is not None and hotline["median_ms"] is not None:
        added = hotline["median_ms"] - direct["median_ms"]
        print(f"added median setup latency (call control): {added:.2f} ms")
    print(f"failed calls: {direct['failed'] + hotline['failed']}")
    kinds = ", ".join(
        f"{counts.get(k, 0)} {k}"
        for k in ("call.enqueued", "call.answered", "call.ended", "call.agent_failed")
    )
    print(f"routing's event stream ({args.agents} agents): {kinds}")


if __name__ == "__main__":
    main()
