"""The typed control-plane clients against real Kamailio and rtpengine, and dead nodes."""

from __future__ import annotations

import pytest
from prometheus_client import REGISTRY

from media_plane.kamailio.client import KamailioRpcClient
from media_plane.kamailio.errors import KamailioRpcError, KamailioUnavailable
from media_plane.rtpengine.client import RtpengineClient
from media_plane.rtpengine.errors import RtpengineError, RtpengineUnavailable
from tenants.embedded.process import free_port
from tests.media_plane.conftest import (
    CALLBACK_GATEWAY_SET,
    KamailioNode,
    MediaPorts,
    RtpengineNode,
)
from tests.media_plane.sipp import free_udp_port

pytestmark = pytest.mark.media


def observed(target: str, method: str) -> float:
    value = REGISTRY.get_sample_value(
        "hotline_media_rpc_duration_seconds_count", {"target": target, "method": method}
    )
    return value or 0.0


async def test_kamailio_rpc_reads_results_and_errors(
    rpc: KamailioRpcClient, rtpengine_node: RtpengineNode, media_ports: MediaPorts
) -> None:
    before = observed("kamailio", "dlg.stats_active")
    stats = await rpc.active_dialogs()
    assert stats.all >= 0
    assert observed("kamailio", "dlg.stats_active") == before + 1

    with pytest.raises(KamailioRpcError) as missing:
        await rpc.end_dialog(h_entry=1, h_id=1)
    assert missing.value.code == 404
    assert missing.value.message == "Dialog not found"

    with pytest.raises(KamailioRpcError) as unknown:
        await rpc.call("no.such.method")
    assert unknown.value.code == 500

    assert await rpc.dialogs_by_call_id("nope") == []
    counters = await rpc.statistics("dialog:")
    assert "dialog:active_dialogs" in counters
    assert await rpc.websockets() == []
    # The callbacks' gateway set holds the FAKE carrier only.
    targets = await rpc.dispatcher_targets()
    assert [(t.set_id, t.uri) for t in targets] == [
        (CALLBACK_GATEWAY_SET, f"sip:127.0.0.1:{media_ports.carrier}")
    ]

    nodes = await rpc.rtpengine_nodes()
    assert [n.url for n in nodes] == [f"udp:{rtpengine_node.host}:{rtpengine_node.port}"]
    assert not nodes[0].disabled
    assert await rpc.rtpengine_enable(nodes[0].url, True)


async def test_rpc_to_dead_node_is_a_mapped_error() -> None:
    dead = KamailioRpcClient(f"http://127.0.0.1:{free_port()}/RPC", retries=1, backoff=0.01)
    with pytest.raises(KamailioUnavailable):
        await dead.active_dialogs()
    with pytest.raises(KamailioUnavailable):
        await dead.end_dialog(h_entry=1, h_id=1)
    await dead.aclose()


async def test_rpc_from_other_path_or_method_is_refused(kamailio_node: KamailioNode) -> None:
    # a non-RPC path answers 404 JSON, which the client maps without crashing
    client = KamailioRpcClient(
        f"http://{kamailio_node.config.rpc_host}:{kamailio_node.config.rpc_port}/nothing"
    )
    with pytest.raises((KamailioRpcError, KamailioUnavailable)):
        await client.active_dialogs()
    await client.aclose()


async def test_rtpengine_ng_commands(ng: RtpengineClient) -> None:
    before = observed("rtpengine", "ping")
    await ng.ping()
    assert observed("rtpengine", "ping") == before + 1
    assert await ng.is_alive()
    stats = await ng.statistics()
    assert "currentstatistics" in stats
    assert isinstance(await ng.list_calls(), list)
    with pytest.raises(RtpengineError) as unknown:
        await ng.query("no-such-call")
    assert unknown.value.reason == "Unknown call-id"


async def test_rtpengine_dead_node_is_unavailable_not_a_hang() -> None:
    dead = RtpengineClient("127.0.0.1", free_udp_port(), timeout=0.2, retries=1)
    with pytest.raises(RtpengineUnavailable):
        await dead.ping()
    assert not await dead.is_alive()
    await dead.aclose()
