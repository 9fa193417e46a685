"""Real rtpengine and Kamailio for the media-plane tests, on free loopback ports.

Tests marked ``media`` skip when the binaries are missing, except in CI (``CI=true``),
where a missing binary fails the run: ``.ci/run`` installs them, so nothing may skip.
"""

from __future__ import annotations

import math
import os
import random
import shutil
import struct
import wave
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from redis.asyncio import Redis

from media_plane.kamailio.client import KamailioRpcClient
from media_plane.kamailio.config import KamailioConfig, write_dispatcher_list
from media_plane.processes import RtpengineOptions, start_kamailio, start_rtpengine
from media_plane.rtpengine.client import RtpengineClient
from tenants.embedded.process import ChildProcess, free_port
from tests.conftest import ServiceUrls
from tests.media_plane.live_routing import LiveCenter, RoutingProcess, start_routing_process
from tests.media_plane.sipp import free_sip_port, free_udp_port

CALL_CONTROL_SECRET = "test-call-control-secret-0123456789abcdef"
SIP_AUTH_SECRET = "test-sip-auth-secret"
SIP_DOMAIN = "sip.hotline.test"
CALLBACK_GATEWAY_SET = 1


def require_binaries(*names: str) -> None:
    """Skip (or, under CI=true, fail) when a media binary is not installed."""
    missing = [n for n in names if shutil.which(n) is None and not Path("/usr/sbin", n).exists()]
    if not missing:
        return
    message = f"not installed: {', '.join(missing)} (.ci/run installs them)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class RtpengineNode:
    """A running rtpengine."""

    process: ChildProcess
    host: str
    port: int
    recording_dir: Path
    dtmf_port: int
    """Where this rtpengine sends DTMF events (``--dtmf-log-dest``): the routing process's
    listener."""

    def client(self) -> RtpengineClient:
        """A new ng client to this node."""
        return RtpengineClient(self.host, self.port)


@dataclass
class KamailioNode:
    """A running Kamailio with its rendered config."""

    process: ChildProcess
    config: KamailioConfig
    runtime_dir: Path

    @property
    def sip_target(self) -> str:
        """``host:port`` for sipp."""
        return f"{self.config.sip_host}:{self.config.sip_port}"

    def log(self) -> str:
        """Kamailio's log so far."""
        return self.process.log_tail(400)


@pytest.fixture(scope="session")
def rtpengine_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RtpengineNode]:
    """rtpengine on a free ng port with its own media port range."""
    require_binaries("rtpengine")
    base = tmp_path_factory.mktemp("rtpengine")
    port_min = random.randrange(40000, 58000, 200)
    dtmf_port = free_udp_port()
    options = RtpengineOptions(
        ng_host="127.0.0.1",
        ng_port=free_udp_port(),
        interface="127.0.0.1",
        port_min=port_min,
        port_max=port_min + 199,
        recording_dir=base / "spool",
        dtmf_log_dest=f"127.0.0.1:{dtmf_port}",
    )
    process = start_rtpengine(options, base / "rtpengine.log")
    yield RtpengineNode(process, options.ng_host, options.ng_port, options.recording_dir, dtmf_port)
    process.stop()


@dataclass(frozen=True)
class MediaPorts:
    """Kamailio's ports and the FAKE carrier's, chosen before routing starts: routing's
    callback originator needs Kamailio's SIP address, and Kamailio needs routing's URL."""

    sip: int
    ws: int
    rpc: int
    carrier: int


@pytest.fixture(scope="session")
def media_ports() -> MediaPorts:
    """Free loopback ports for the session's Kamailio and the fake carrier (sipp UAS)."""
    return MediaPorts(sip=free_sip_port(), ws=free_port(), rpc=free_port(), carrier=free_sip_port())


@pytest.fixture(scope="session")
def routing_process(
    service_urls: ServiceUrls,
    rtpengine_node: RtpengineNode,
    media_ports: MediaPorts,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[RoutingProcess]:
    """The real routing process (``uvicorn routing.asgi:app``) on the suite's Valkey, dialling
    callbacks through the test Kamailio and rtpengine (``KamailioCallbackOriginator``).

    It uses its own logical database: its timer loop serves every tenant it finds, and must
    not fire the timers that tests/routing drive by hand in database 0.
    """
    process = start_routing_process(
        redis_url=urlunsplit(urlsplit(service_urls.redis_url)._replace(path="/1")),
        secret=CALL_CONTROL_SECRET,
        sip_domain=SIP_DOMAIN,
        workdir=tmp_path_factory.mktemp("routing"),
        env={
            "HOTLINE_KAMAILIO_SIP_HOST": "127.0.0.1",
            "HOTLINE_KAMAILIO_SIP_PORT": str(media_ports.sip),
            "HOTLINE_KAMAILIO_CALLBACK_GATEWAY_SET": str(CALLBACK_GATEWAY_SET),
            "HOTLINE_RTPENGINE_NG_HOST": rtpengine_node.host,
            "HOTLINE_RTPENGINE_NG_PORT": str(rtpengine_node.port),
            "HOTLINE_RTPENGINE_DTMF_LOG_PORT": str(rtpengine_node.dtmf_port),
        },
    )
    yield process
    process.process.stop()


@pytest.fixture
async def center(routing_process: RoutingProcess) -> AsyncIterator[LiveCenter]:
    """A fresh tenant configured in the live routing process."""
    redis = Redis.from_url(routing_process.redis_url, decode_responses=True)
    yield LiveCenter(redis)
    await redis.aclose()


@pytest.fixture(scope="session")
def kamailio_node(
    rtpengine_node: RtpengineNode,
    routing_process: RoutingProcess,
    media_ports: MediaPorts,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[KamailioNode]:
    """Kamailio rendered from Hotline's template, talking to rtpengine and the real routing;
    callbacks' customer legs go to the FAKE carrier on ``media_ports.carrier``."""
    require_binaries("kamailio")
    runtime = tmp_path_factory.mktemp("kamailio")
    carrier = f"{CALLBACK_GATEWAY_SET}:sip:127.0.0.1:{media_ports.carrier}"
    config = KamailioConfig(
        sip_host="127.0.0.1",
        sip_port=media_ports.sip,
        ws_host="127.0.0.1",
        ws_port=media_ports.ws,
        rpc_host="127.0.0.1",
        rpc_port=media_ports.rpc,
        routing_url=routing_process.url,
        call_control_secret=CALL_CONTROL_SECRET,
        sip_auth_secret=SIP_AUTH_SECRET,
        rtpengine_nodes=[f"udp:{rtpengine_node.host}:{rtpengine_node.port}"],
        sip_domain=SIP_DOMAIN,
        node="test-node",
        dispatcher_file=str(write_dispatcher_list([carrier], runtime / "dispatcher.list")),
        callback_gateway_set=CALLBACK_GATEWAY_SET,
        children=2,
        tcp_children=3,
        queue_timeout_seconds=60,
        ring_timeout_seconds=10,
        debug=2,
    )
    process = start_kamailio(config, runtime)
    yield KamailioNode(process, config, runtime)
    process.stop()


@pytest.fixture
async def rpc(kamailio_node: KamailioNode) -> AsyncIterator[KamailioRpcClient]:
    """A JSON-RPC client to the test Kamailio."""
    client = KamailioRpcClient(kamailio_node.config.rpc_url)
    yield client
    await client.aclose()


@pytest.fixture
async def ng(rtpengine_node: RtpengineNode) -> AsyncIterator[RtpengineClient]:
    """An ng client to the test rtpengine."""
    client = rtpengine_node.client()
    yield client
    await client.aclose()


@pytest.fixture
def sipp_dir(tmp_path: Path) -> Path:
    """Where a test's sipp logs go."""
    require_binaries("sipp")
    return tmp_path / "sipp"


@pytest.fixture(scope="session")
def moh_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2 s, 8 kHz, 16-bit mono WAV of a 440 Hz tone (the flows work ships the real MOH)."""
    path = tmp_path_factory.mktemp("moh") / "moh-440.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(
            b"".join(
                struct.pack("<h", int(12000 * math.sin(2 * math.pi * 440 * i / 8000)))
                for i in range(2 * 8000)
            )
        )
    return path
