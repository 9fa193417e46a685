"""A real rtpengine recording a call in pcap mode → stereo WAV → S3 (moto) → row and event.

The call is driven over rtpengine's ng protocol (a minimal bencode exchange here, so this
test does not depend on Hotline's own ng client) and fed RTP from two UDP sockets.
"""

from __future__ import annotations

import io
import math
import os
import random
import re
import shutil
import socket
import struct
import time
import uuid
import wave
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from api.clients import ApiServices
from media_plane.recordings import g711
from media_plane.recordings.agent import RecordingsAgent
from media_plane.recordings.pcap import read_udp
from media_plane.recordings.rtpengine_meta import parse_metadata_file
from media_plane.recordings.s3_store import S3RecordingStore
from media_plane.recordings.stereo import build_stereo
from tenants.embedded.process import ChildProcess, wait_until
from tenants.graphql.relay import from_global_id
from tenants.settings import RecordingsSettings, Settings
from tests.conftest import TenantAccount
from tests.media_plane.recordings.conftest import MotoS3
from tests.media_plane.recordings.synthetic import goertzel_power, rms

RTPENGINE = shutil.which("rtpengine") or "/usr/bin/rtpengine"

pytestmark = [
    pytest.mark.media,
    pytest.mark.skipif(not os.path.exists(RTPENGINE), reason="rtpengine is not installed"),
]


def bencode(value: Any) -> bytes:
    if isinstance(value, int):
        return b"i%de" % value
    if isinstance(value, str):
        value = value.encode()
    if isinstance(value, bytes):
        return b"%d:%s" % (len(value), value)
    if isinstance(value, list):
        return b"l" + b"".join(bencode(v) for v in value) + b"e"
    return b"d" + b"".join(bencode(k) + bencode(value[k]) for k in sorted(value)) + b"e"


def bdecode(data: bytes, i: int = 0) -> tuple[Any, int]:
    kind = data[i : i + 1]
    if kind == b"i":
        end = data.index(b"e", i)
        return int(data[i + 1 : end]), end + 1
    if kind in (b"l", b"d"):
        i += 1
        items: list[Any] = []
        while data[i : i + 1] != b"e":
            item, i = bdecode(data, i)
            items.append(item)
        if kind == b"l":
            return items, i + 1
        return {items[n].decode(): items[n + 1] for n in range(0, len(items), 2)}, i + 1
    colon = data.index(b":", i)
    length = int(data[i:colon])
    return data[colon + 1 : colon + 1 + length], colon + 1 + length


class Ng:
    """A blocking ng client: cookie, space, bencoded dictionary over UDP."""

    def __init__(self, port: int) -> None:
        self.address = ("127.0.0.1", port)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.settimeout(1.0)

    def __call__(self, **command: Any) -> dict[str, Any]:
        cookie = uuid.uuid4().hex[:12].encode()
        self.sock.sendto(cookie + b" " + bencode(command), self.address)
        while True:
            data, _ = self.sock.recvfrom(65535)
            got, _, body = data.partition(b" ")
            if got == cookie:
                return bdecode(body)[0]

    def close(self) -> None:
        self.sock.close()


def _free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _free_udp_range(size: int) -> int:
    """A run of ``size`` free UDP ports (rtpengine binds them per call)."""
    rng = random.Random()
    for _ in range(100):
        base = rng.randrange(20000, 29000, 2)
        sockets = []
        try:
            for port in range(base, base + size):
                sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError("no free UDP port range")


class Rtpengine:
    """rtpengine in userspace, pcap-recording into ``spool``."""

    def __init__(self, spool: Path, logs: Path) -> None:
        self.ng_port = _free_udp_port()
        base = _free_udp_range(20)
        self.process = ChildProcess(
            name="rtpengine",
            argv=[
                RTPENGINE,
                "--config-file=none",
                "--table=-1",
                "--interface=127.0.0.1",
                f"--listen-ng=127.0.0.1:{self.ng_port}",
                f"--port-min={base}",
                f"--port-max={base + 19}",
                "--delete-delay=0",
                "--recording-method=pcap",
                f"--recording-dir={spool}",
                "--foreground",
                "--log-stderr",
            ],
            log_path=logs / "rtpengine.log",
        )

    def start(self) -> Ng:
        self.process.start()
        ng = Ng(self.ng_port)

        def answers() -> bool:
            if not self.process.running():
                raise RuntimeError("rtpengine exited:\n" + self.process.log_tail())
            try:
                return ng(command="ping").get("result") == b"pong"
            except OSError:
                return False

        wait_until(answers, timeout=15, what="rtpengine")
        return ng


@pytest.fixture
def rtpengine(tmp_path: Path) -> Iterator[tuple[Ng, Path]]:
    spool = tmp_path / "spool"
    spool.mkdir()
    engine = Rtpengine(spool, tmp_path)
    ng = engine.start()
    yield ng, spool
    ng.close()
    engine.process.stop()


def _sdp(port: int) -> str:
    return (
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        f"m=audio {port} RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\na=sendrecv\r\n"
    )


def _media_port(sdp: bytes) -> int:
    match = re.search(rb"m=audio (\d+)", sdp)
    assert match, sdp
    return int(match.group(1))


def _tone_payload(frequency: float, start: int) -> bytes:
    samples = [
        round(8000 * math.sin(2 * math.pi * frequency * (start + k) / 8000)) for k in range(160)
    ]
    return g711.encode(samples, g711.PCMA)


def record_call(ng: Ng, spool: Path, *, call_id: str, metadata: str, seconds: float) -> Path:
    """Offer/answer with recording on, 440 Hz from the caller, 1000 Hz from the agent."""
    caller = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    agent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        caller.bind(("127.0.0.1", 0))
        agent.bind(("127.0.0.1", 0))
        offer = ng(
            command="offer",
            **{"call-id": call_id, "from-tag": "caller-tag", "record-call": "yes"},
            sdp=_sdp(caller.getsockname()[1]),
            metadata=metadata,
            replace=["origin", "session-connection"],
        )
        assert offer["result"] == b"ok", offer
        answer = ng(
            command="answer",
            **{"call-id": call_id, "from-tag": "caller-tag", "to-tag": "agent-tag"},
            sdp=_sdp(agent.getsockname()[1]),
            replace=["origin", "session-connection"],
        )
        assert answer["result"] == b"ok", answer
        toward_caller_leg = ("127.0.0.1", _media_port(answer["sdp"]))
        toward_agent_leg = ("127.0.0.1", _media_port(offer["sdp"]))
        started = time.monotonic()
        for index in range(int(seconds * 50)):
            timestamp = index * 160
            caller.sendto(
                struct.pack("!BBHII", 0x80, 8, 100 + index, 5000 + timestamp, 0xCA11E2)
                + _tone_payload(440, timestamp),
                toward_caller_leg,
            )
            agent.sendto(
                struct.pack("!BBHII", 0x80, 8, 900 + index, 77000 + timestamp, 0xA6E27)
                + _tone_payload(1000, timestamp),
                toward_agent_leg,
            )
            time.sleep(max(0.0, started + (index + 1) * 0.02 - time.monotonic()))
        query = ng(command="query", **{"call-id": call_id})
        assert query["result"] == b"ok", query
        deleted = ng(command="delete", **{"call-id": call_id, "from-tag": "caller-tag"})
        assert deleted["result"] == b"ok", deleted
    finally:
        caller.close()
        agent.close()
    found: list[Path] = []

    def finished() -> bool:
        found[:] = list((spool / "metadata").glob("rtpengine-meta-*.txt"))
        return bool(found)

    wait_until(finished, timeout=10, what="rtpengine's metadata file")
    return found[0]


def test_real_rtpengine_pcap_becomes_stereo_wav(rtpengine: tuple[Ng, Path]) -> None:
    ng, spool = rtpengine
    tenant = uuid.uuid4()
    meta_path = record_call(
        ng, spool, call_id="real-1@hotline.test", metadata=f"tenant={tenant}", seconds=1.0
    )
    metadata = parse_metadata_file(meta_path)
    assert metadata.call_id == "real-1@hotline.test"
    assert metadata.ended and metadata.fields["tenant"] == str(tenant)
    assert metadata.pcap_path is not None and metadata.pcap_path.is_file()
    audio = build_stereo(read_udp(metadata.pcap_path), metadata)
    assert audio.packets == {"caller": 50, "agent": 50}
    assert 0.9 <= audio.duration_seconds <= 1.3
    assert rms(audio.left) > 1000 and rms(audio.right) > 1000
    assert goertzel_power(audio.left, 440) > 50 * goertzel_power(audio.left, 1000)
    assert goertzel_power(audio.right, 1000) > 50 * goertzel_power(audio.right, 440)


async def test_real_recording_reaches_s3_with_a_row(
    rtpengine: tuple[Ng, Path],
    tmp_path: Path,
    settings: Settings,
    services: ApiServices,
    tenant_a: TenantAccount,
    running_moto: MotoS3,
) -> None:
    ng, spool = rtpengine
    tenant = from_global_id(tenant_a.tenant_id)[1]
    call_id = f"real-{uuid.uuid4().hex[:8]}@hotline.test"
    meta_path = record_call(ng, spool, call_id=call_id, metadata=f"tenant={tenant}", seconds=1.0)
    s3 = running_moto.settings()
    agent = RecordingsAgent(
        settings=settings.model_copy(update={"recordings": RecordingsSettings(spool_dir=spool)}),
        database=services.database,
        redis=services.redis,
        store=S3RecordingStore(s3),
    )
    [row] = await agent.scan_once()
    assert row.call_id == call_id and row.tenant_id == tenant and row.channels == 2
    assert not meta_path.exists()
    raw = boto3.client(
        "s3",
        endpoint_url=running_moto.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    obj = raw.get_object(Bucket=s3.bucket, Key=row.key)
    assert obj["ServerSideEncryption"] == "AES256"
    body = obj["Body"].read()
    assert len(body) == row.size_bytes
    with wave.open(io.BytesIO(body)) as wav:
        assert wav.getnchannels() == 2
        frames = array("h", wav.readframes(wav.getnframes()))
    left, right = frames[0::2], frames[1::2]
    assert rms(left) > 1000 and rms(right) > 1000
    assert goertzel_power(left, 440) > 50 * goertzel_power(left, 1000)
    assert goertzel_power(right, 1000) > 50 * goertzel_power(right, 440)
