"""The media node's commands: ``hotline kamailio-config`` renders what ``hotline up``
renders for the same settings (the Helm chart's init container runs it), and
``hotline rtpengine-ping`` (the media pod's probe)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from media_plane.kamailio.config import (
    KamailioConfig,
    node_config,
    render,
    write_dispatcher_list,
)
from media_plane.processes import kamailio_argv, start_kamailio
from tenants.embedded.process import free_port
from tenants.settings import Settings
from tests.media_plane.conftest import (
    CALL_CONTROL_SECRET,
    SIP_AUTH_SECRET,
    SIP_DOMAIN,
    RtpengineNode,
    require_binaries,
)
from tests.media_plane.sipp import free_sip_port

ENV = {
    "HOTLINE_ENV": "prod",
    "HOTLINE_CALL_CONTROL_SECRET": "cc-secret-1234567890-abcdefghijklmnop",
    "HOTLINE_AUTH_SECRET_KEY": "auth-secret-1234567890-abcdefghijklmnop",
    "HOTLINE_KAMAILIO_SIP_AUTH_SECRET": "sip-secret-1234567890",
    "HOTLINE_KAMAILIO_SIP_HOST": "10.1.2.3",
    "HOTLINE_KAMAILIO_WS_HOST": "10.1.2.3",
    "HOTLINE_KAMAILIO_RPC_HOST": "10.1.2.3",
    "HOTLINE_KAMAILIO_NODE": "media-node-a",
    "HOTLINE_KAMAILIO_ROUTING_URL": "http://hotline-routing:8100",
    "HOTLINE_KAMAILIO_RPC_ALLOWED_SOURCES": '["10.244.0.0/16"]',
    "HOTLINE_KAMAILIO_DISPATCHER_TARGETS": '["1:sip:gw.example.com:5060"]',
    "HOTLINE_RTPENGINE_NG_HOST": "127.0.0.1",
}


def hotline(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run ``hotline <args>`` with only ``env`` as its HOTLINE_* settings."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    return subprocess.run(
        [sys.executable, "-c", "from api.cli import app; app()", *args],
        env={**clean, **env, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def run_command(runtime: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return hotline("kamailio-config", "--runtime-dir", str(runtime), env=env)


def test_the_command_renders_what_hotline_up_renders(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    runtime = tmp_path / "run"
    result = run_command(runtime, ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(runtime / "kamailio.cfg")
    rendered = (runtime / "kamailio.cfg").read_text()
    assert (runtime / "kamailio.cfg").stat().st_mode & 0o077 == 0
    assert "1 sip:gw.example.com:5060" in (runtime / "dispatcher.list").read_text()

    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    expected = render(node_config(Settings(), tmp_path / "again"))
    assert rendered == expected.replace(str(tmp_path / "again"), str(runtime))
    assert 'is_in_subnet("$si", "10.244.0.0/16")' in rendered
    assert "listen=udp:10.1.2.3:5060" in rendered


def test_placeholder_secrets_are_refused_in_prod(tmp_path: Path) -> None:
    result = run_command(tmp_path, {**ENV, "HOTLINE_CALL_CONTROL_SECRET": "change-me"})
    assert result.returncode != 0
    assert "HOTLINE_CALL_CONTROL_SECRET" in result.stderr
    assert not (tmp_path / "kamailio.cfg").exists()


@pytest.mark.skipif(
    shutil.which("kamailio") is None and not Path("/usr/sbin/kamailio").exists(),
    reason="kamailio not installed",
)
def test_kamailio_accepts_the_rendered_file(tmp_path: Path) -> None:
    result = run_command(tmp_path, ENV)
    assert result.returncode == 0, result.stderr
    kamailio = shutil.which("kamailio") or "/usr/sbin/kamailio"
    argv = kamailio_argv(kamailio, tmp_path)
    checked = subprocess.run([*argv[:3], "-c"], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr[-2000:]


@pytest.mark.media
def test_json_rpc_admits_a_network_and_refuses_addresses_outside_it(
    rtpengine_node: RtpengineNode, tmp_path: Path
) -> None:
    """A routing replica in Kubernetes has a pod-network address: sources may be networks."""
    require_binaries("kamailio")
    config = KamailioConfig(
        sip_host="127.0.0.1",
        sip_port=free_sip_port(),
        ws_host="127.0.0.1",
        ws_port=free_port(),
        rpc_host="127.0.0.1",
        rpc_port=free_port(),
        routing_url="http://127.0.0.1:9",
        call_control_secret=CALL_CONTROL_SECRET,
        sip_auth_secret=SIP_AUTH_SECRET,
        rtpengine_nodes=[f"udp:{rtpengine_node.host}:{rtpengine_node.port}"],
        sip_domain=SIP_DOMAIN,
        rpc_allowed_sources=["127.0.0.0/31"],  # 127.0.0.0 and 127.0.0.1 only
        dispatcher_file=str(write_dispatcher_list([], tmp_path / "dispatcher.list")),
        children=1,
        tcp_children=2,
    )
    process = start_kamailio(config, tmp_path)  # waits for /healthz from 127.0.0.1
    try:
        body = {"jsonrpc": "2.0", "method": "core.version", "id": 1}
        inside = httpx.post(config.rpc_url, json=body, timeout=5)
        assert inside.status_code == 200 and "kamailio" in inside.text.lower()
        outside_client = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"))
        with outside_client:
            outside = outside_client.post(config.rpc_url, json=body, timeout=5)
        assert outside.status_code == 403
    finally:
        process.stop()


@pytest.mark.media
def test_rtpengine_ping_answers_for_a_live_node_only(rtpengine_node: RtpengineNode) -> None:
    live = {
        "HOTLINE_RTPENGINE_NG_HOST": rtpengine_node.host,
        "HOTLINE_RTPENGINE_NG_PORT": str(rtpengine_node.port),
        "HOTLINE_RTPENGINE_TIMEOUT_SECONDS": "0.5",
    }
    assert hotline("rtpengine-ping", env=live).returncode == 0
    dead = {**live, "HOTLINE_RTPENGINE_NG_PORT": str(free_port())}
    result = hotline("rtpengine-ping", env=dead)
    assert result.returncode == 1 and "does not answer" in result.stderr
