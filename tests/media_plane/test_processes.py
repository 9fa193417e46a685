"""``hotline up``'s media supervision: rtpengine first, then Kamailio; both stopped by PID."""

from __future__ import annotations

import os
import random
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from media_plane.processes import media_plane_running, start_media_plane
from tenants.embedded.process import free_port
from tenants.settings import (
    Environment,
    KamailioSettings,
    RoutingSettings,
    RtpengineSettings,
    Settings,
)
from tests.media_plane.conftest import require_binaries
from tests.media_plane.sipp import free_sip_port, free_udp_port


def media_settings(tmp_path: Path, **rtp: object) -> Settings:
    port_min = random.randrange(40000, 58000, 200)
    return Settings(
        env=Environment.TEST,
        var_dir=tmp_path,
        call_control_secret=SecretStr("supervisor-test-secret-0123456789abcdef"),
        routing=RoutingSettings(port=free_port()),
        kamailio=KamailioSettings(
            sip_port=free_sip_port(), ws_port=free_port(), rpc_port=free_port(), children=1
        ),
        rtpengine=RtpengineSettings(
            **{"ng_port": free_udp_port(), "port_min": port_min, "port_max": port_min + 99, **rtp}
        ),
    )


@pytest.mark.media
def test_starts_rtpengine_then_kamailio_and_stops_both(tmp_path: Path) -> None:
    require_binaries("kamailio", "rtpengine")
    settings = media_settings(tmp_path)
    with media_plane_running(settings) as media:
        assert media is not None
        pids = (media.rtpengine.pid, media.kamailio.pid)
        assert media.rtpengine.running() and media.kamailio.running()
        rpc = httpx.post(
            media.kamailio_config.rpc_url,
            json={"jsonrpc": "2.0", "method": "rtpengine.show", "params": ["all"], "id": 1},
        ).json()
        assert rpc["result"][0]["disabled"] == 0  # rtpengine answered Kamailio's startup ping
        assert (tmp_path / "run" / "kamailio" / "kamailio.cfg").exists()
        assert (tmp_path / "recordings" / "spool").is_dir()
        assert any("Kamailio" in note for note in media.notes)
    for pid in pids:
        assert pid is not None
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_missing_binaries_start_nothing(tmp_path: Path) -> None:
    settings = media_settings(tmp_path, binary="/nonexistent/rtpengine")
    assert start_media_plane(settings) is None
