"""Music-on-hold benchmark: N concurrent sipp callers queued in early media, and the
DTMF keypress → next prompt latency, through real Kamailio, rtpengine and routing.

    .venv/bin/python loadtest/moh_bench.py --callers 200 --hold-s 20 --probes 40

Phase 1: sipp places ``--callers`` calls (``uac_queued_cancel.xml``, ``-rtp_echo`` so every
caller also sends audio) to a queue with no agents and a MOH file; each waits ``--hold-s``
in the 183's early media, then CANCELs. While all of them are on hold it samples
rtpengine's CPU (``/proc/<pid>/stat``) and its session count, and reports CPU per caller.
0 failed calls means every caller got its 183 with rtpengine's SDP and its 487.

Phase 2 (with the callers still on hold): ``--probes`` calls are announced to routing the
way Kamailio does (``POST /v1/calls`` with an SDP pointing at a UDP socket of this script),
so routing starts their MOH; each probe sends one RFC 4733 digit, routing publishes
``call.dtmf`` (rtpengine → ``--dtmf-log-dest`` → routing → Redis), the script reads it
(``XREAD BLOCK``) and plays the "next prompt" (``play media``, a 1 kHz tone), and the clock
stops at the first packet of that prompt at the socket: press → next prompt starting.
The IVR runtime will decide in between; its decision is a Redis read.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import secrets
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import uuid
import wave
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import contextlib
import itertools

import httpx
from redis.asyncio import Redis

from loadtest.sip_bench import SCENARIOS, SECRET, free_udp_tcp_port, start_routing
from media_plane.kamailio.config import KamailioConfig, write_dispatcher_list
from media_plane.processes import RtpengineOptions, start_kamailio, start_rtpengine
from media_plane.recordings import g711
from media_plane.rtpengine.client import RtpengineClient
from media_plane.rtpengine.errors import RtpengineError
from routing.config.directory import RoutingDirectory
from routing.config.projection import DidEntry, QueueEntry, TenantEntry
from tenants import redis_keys as keys
from tenants.embedded.process import free_port
from tenants.embedded.valkey import EmbeddedValkey


def tone_wav(path: Path, hz: int, seconds: float) -> Path:
    """An 8 kHz 16-bit mono WAV of a sine tone."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(
            b"".join(
                struct.pack("<h", int(12000 * math.sin(2 * math.pi * hz * i / 8000)))
                for i in range(int(8000 * seconds))
            )
        )
    return path


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def publish_queue(redis_url: str, moh: Path) -> tuple[str, str]:
    """One tenant, one queue with MOH and no agents, one DID; returns (tenant, DID)."""
    redis = Redis.from_url(redis_url, decode_responses=True)
    directory = RoutingDirectory(redis)
    tenant, queue = uuid.uuid4(), uuid.uuid4()
    await directory.put_tenant(tenant, TenantEntry(slug="mohbench", max_concurrent_calls=0))
    fields = {"name": "moh", "skills": "{}", "wrapup_s": "0", "moh": str(moh)}
    await directory.put_queue(tenant, QueueEntry(queue_id=queue, fields=fields))
    did = "+33100000200"
    await directory.put_did(DidEntry(e164=did, tenant_id=tenant, queue_id=queue))
    await redis.aclose()
    return str(tenant), did


def is_prompt(packet: bytes) -> bool:
    """True for a PCMA packet of the 1 kHz prompt (about 40 zero crossings in 20 ms; the
    440 Hz music has about 18)."""
    if len(packet) < 172 or packet[1] & 0x7F != g711.PCMA:
        return False
    samples = g711.decode(packet[12:], g711.PCMA)
    crossings = sum(1 for a, b in itertools.pairwise(samples) if (a < 0) != (b < 0))
    return crossings > 30


def probe_sdp(port: int) -> str:
    return (
        "v=0\r\no=probe 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        f"m=audio {port} RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\n"
        "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=sendrecv\r\n"
    )


async def probe_once(
    index: int,
    *,
    http: httpx.AsyncClient,
    routing_url: str,
    redis: Redis,
    tenant_id: str,
    did: str,
    ng: RtpengineClient,
    prompt: Path,
) -> float:
    """One probe call: ms from the digit's last RFC 4733 packet to the next prompt's first
    packet at the caller."""
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.setblocking(False)
    call_id = f"probe-{index}-{secrets.token_hex(4)}"
    try:
        reply = await http.post(
            f"{routing_url}/v1/calls",
            headers={"X-Hotline-Secret": SECRET},
            json={
                "call_id": call_id,
                "node": "bench",
                "continue_url": "http://127.0.0.1:9/continue",
                "tindex": index,
                "tlabel": 1,
                "from": f"sip:probe{index}@127.0.0.1",
                "to": f"sip:{did}@127.0.0.1",
                "from_tag": "probe",
                "sdp": probe_sdp(sock.getsockname()[1]),
            },
        )
        sdp = reply.json()["sdp"]
        port = int(sdp.split("m=audio ", 1)[1].split()[0])
        first = await asyncio.wait_for(loop.sock_recv(sock, 2048), 5)  # the music
        assert not is_prompt(first), "the music is the 440 Hz tone"
        last_id = (await redis.xrevrange(keys.events(tenant_id), count=1) or [("0-0", {})])[0][0]
        # One digit (5): three packets, then the end bit three times (RFC 4733 §2.5.1.4).
        ts = random.randrange(2**31)
        for seq in range(6):
            end = 0x80 if seq >= 3 else 0
            payload = struct.pack("!BBH", 5, end | 10, 160 * (seq + 1))
            header = struct.pack("!BBHII", 0x80, 101 | (0x80 if seq == 0 else 0), seq, ts, 7)
            sock.sendto(header + payload, ("127.0.0.1", port))
            if seq == 3:  # rtpengine reports the digit on its first end packet
                pressed = time.perf_counter()
            if seq < 3:  # the end packets go back to back, so the wait below starts at once
                await asyncio.sleep(0.02)
        while True:
            entries = await redis.xread({keys.events(tenant_id): last_id}, block=2000)
            if not entries:
                raise RuntimeError(f"no call.dtmf for {call_id}")
            for entry_id, fields in entries[0][1]:
                last_id = entry_id
                if fields.get("type") == "call.dtmf" and fields.get("call_id") == call_id:
                    break
            else:
                continue
            break
        await ng.stop_media(call_id, from_tag="probe")
        await ng.play_media(call_id, from_tag="probe", file=str(prompt))
        while not is_prompt(await asyncio.wait_for(loop.sock_recv(sock, 2048), 5)):
            pass
        return (time.perf_counter() - pressed) * 1000
    finally:
        sock.close()
        with contextlib.suppress(RtpengineError):
            await ng.delete(call_id)


async def probes(
    count: int,
    *,
    routing_url: str,
    redis_url: str,
    tenant_id: str,
    did: str,
    ng_port: int,
    prompt: Path,
) -> list[float]:
    redis = Redis.from_url(redis_url, decode_responses=True)
    ng = RtpengineClient("127.0.0.1", ng_port)
    out: list[float] = []
    async with httpx.AsyncClient(timeout=5) as http:
        for index in range(count):
            out.append(
                await probe_once(
                    index,
                    http=http,
                    routing_url=routing_url,
                    redis=redis,
                    tenant_id=tenant_id,
                    did=did,
                    ng=ng,
                    prompt=prompt,
                )
            )
    await ng.aclose()
    await redis.aclose()
    return out


async def sessions(ng_port: int) -> int:
    ng = RtpengineClient("127.0.0.1", ng_port)
    stats = await ng.statistics()
    await ng.aclose()
    return int((stats.get("currentstatistics") or {}).get("sessionsown", 0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--callers", type=int, default=200, help="concurrent callers on hold")
    parser.add_argument("--rate", type=float, default=40, help="calls per second while ramping")
    parser.add_argument("--hold-s", type=int, default=20, help="how long each caller waits")
    parser.add_argument("--probes", type=int, default=40, help="DTMF latency samples")
    args = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="hotline-moh-bench-"))
    moh = tone_wav(base / "moh.wav", 440, 5)
    prompt = tone_wav(base / "next-prompt.wav", 1000, 1)
    port_min = random.randrange(40000, 52000, 4000)
    dtmf_port = free_udp_tcp_port()
    rtp = RtpengineOptions(
        ng_host="127.0.0.1",
        ng_port=free_udp_tcp_port(),
        interface="127.0.0.1",
        port_min=port_min,
        port_max=port_min + 3999,
        recording_dir=base / "spool",
        dtmf_log_dest=f"127.0.0.1:{dtmf_port}",
    )
    valkey = EmbeddedValkey(base / "valkey", port=free_port(), persist=False)
    redis_url = valkey.start()
    os.environ |= {
        "HOTLINE_RTPENGINE_NG_HOST": rtp.ng_host,
        "HOTLINE_RTPENGINE_NG_PORT": str(rtp.ng_port),
        "HOTLINE_RTPENGINE_DTMF_LOG_PORT": str(dtmf_port),
    }
    rtpengine = start_rtpengine(rtp, base / "rtpengine.log")
    routing_process, routing_url = start_routing(
        redis_url=redis_url, secret=SECRET, sip_domain="sip.bench.test", workdir=base
    )
    tenant_id, did = asyncio.run(publish_queue(redis_url, moh))
    config = KamailioConfig(
        sip_host="127.0.0.1",
        sip_port=free_udp_tcp_port(),
        ws_host="127.0.0.1",
        ws_port=free_port(),
        rpc_host="127.0.0.1",
        rpc_port=free_port(),
        routing_url=routing_url,
        call_control_secret=SECRET,
        sip_auth_secret=secrets.token_urlsafe(24),
        rtpengine_nodes=[f"udp:{rtp.ng_host}:{rtp.ng_port}"],
        sip_domain="sip.bench.test",
        dispatcher_file=str(write_dispatcher_list([], base / "dispatcher.list")),
        children=8,
        tcp_children=4,
        debug=1,
        queue_timeout_seconds=args.hold_s + 60,
    )
    kamailio = start_kamailio(config, base / "kamailio")
    target = f"{config.sip_host}:{config.sip_port}"
    argv = [
        "sipp", target, "-sf", str(SCENARIOS / "uac_queued_cancel.xml"), "-i", "127.0.0.1",
        "-p", str(free_udp_tcp_port()), "-mi", "127.0.0.1", "-mp", str(free_udp_tcp_port()),
        "-s", did, "-m", str(args.callers), "-l", str(args.callers), "-r", str(args.rate),
        "-d", str(args.hold_s * 1000), "-rtp_echo", "-nostdin", "-timeout", f"{args.hold_s + 90}s",
        "-trace_err", "-error_file", str(base / "callers.err"),
    ]  # fmt: skip
    pid = rtpengine.pid
    assert pid is not None
    try:
        callers = subprocess.Popen(argv, cwd=base, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        ramp = args.callers / args.rate
        time.sleep(ramp + 2)  # every caller placed and on hold
        on_hold = asyncio.run(sessions(rtp.ng_port))
        window = max(3.0, args.hold_s - ramp - 6)
        cpu0, wall0 = cpu_seconds(pid), time.monotonic()
        time.sleep(window)
        cpu = (cpu_seconds(pid) - cpu0) / (time.monotonic() - wall0)
        latencies = asyncio.run(
            probes(
                args.probes,
                routing_url=routing_url,
                redis_url=redis_url,
                tenant_id=tenant_id,
                did=did,
                ng_port=rtp.ng_port,
                prompt=prompt,
            )
        )
        out, _ = callers.communicate(timeout=args.hold_s + 120)
        summary = out.decode(errors="replace")
    finally:
        kamailio.stop()
        rtpengine.stop()
        routing_process.stop()
        valkey.stop()

    failed = _sipp_count(summary, "Failed call")
    ok = _sipp_count(summary, "Successful call")
    print(f"music on hold: {args.callers} callers, {args.hold_s} s each; logs in {base}")
    print(f"calls: {ok} successful, {failed} failed (183 with rtpengine's SDP, then 487)")
    print(f"rtpengine sessions while all on hold: {on_hold}")
    print(
        f"rtpengine CPU over {window:.0f} s with {on_hold} on hold: {cpu * 100:.1f} % of one core,"
        f" {cpu * 100 / max(1, on_hold):.3f} % per caller"
    )
    latencies.sort()
    p95 = latencies[max(0, math.ceil(0.95 * len(latencies)) - 1)]
    print(
        f"DTMF -> next prompt ({len(latencies)} probes, with the callers on hold): median "
        f"{statistics.median(latencies):.1f} ms, p95 {p95:.1f} ms, max {latencies[-1]:.1f} ms"
    )


def _sipp_count(summary: str, label: str) -> int:
    """The cumulative column of a line of sipp's final statistics."""
    for line in summary.splitlines():
        if line.strip().startswith(label):
            cells = [c.strip() for c in line.split("|") if c.strip()]
            return int(cells[-1]) if cells and cells[-1].isdigit() else 0
    return -1


if __name__ == "__main__":
    main()
