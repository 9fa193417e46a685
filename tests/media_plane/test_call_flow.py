"""End to end through real Kamailio, rtpengine and sipp, driven by the fake call control."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest

from media_plane.rtpengine.client import RtpengineClient
from tests.media_plane.conftest import KamailioNode
from tests.media_plane.fake_routing import FakeRoutingCallControl, Plan
from tests.media_plane.sipp import Sipp

pytestmark = pytest.mark.media


def did() -> str:
    """A DID unique to the test."""
    return "did" + uuid.uuid4().hex[:10]


def call_id_of(run_messages: str) -> str:
    """The Call-ID of the first message in a sipp -trace_msg log."""
    for line in run_messages.splitlines():
        if line.lower().startswith("call-id:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError("no Call-ID in sipp log")


async def wait_for_call_id(caller: Sipp, limit: float = 10) -> str:
    """The caller's Call-ID, once its INVITE is in the message log."""
    path = caller.workdir / f"{caller.name}.msg"
    for _ in range(int(limit * 20)):
        if path.exists():
            try:
                return call_id_of(path.read_text(errors="replace"))
            except AssertionError:
                pass
        await asyncio.sleep(0.05)
    raise AssertionError("caller sent no INVITE")


async def test_answered_call_relays_media_and_reports_events(
    kamailio_node: KamailioNode,
    fake_routing: FakeRoutingCallControl,
    ng: RtpengineClient,
    sipp_dir: Path,
) -> None:
    agent = await Sipp("uas.xml", workdir=sipp_dir, pause_ms=300).start()
    number = did()
    fake_routing.plans[number] = Plan(dst=f"sip:agent@127.0.0.1:{agent.port}", delay=0.5)
    caller = await Sipp(
        "uac.xml", workdir=sipp_dir, target=kamailio_node.sip_target, service=number, pause_ms=3000
    ).start()
    call_id = await wait_for_call_id(caller)

    fake_routing.wait_for_event(call_id, "answered", timeout=10)
    await asyncio.sleep(1.5)
    info = await ng.query(call_id)
    assert len(info.legs) == 2, info.raw
    assert all(leg.packets > 0 for leg in info.legs), info.legs

    caller_run = await caller.wait()
    agent_run = await agent.wait()
    assert caller_run.ok, caller_run.output + kamailio_node.log()
    assert agent_run.ok, agent_run.output
    ended = fake_routing.wait_for_event(call_id, "ended", timeout=10)
    assert ended["by"] == "caller"
    call = fake_routing.by_sip_call_id[call_id]
    assert call.continued == [200]
    assert [e["type"] for e in call.events] == ["answered", "ended"]
    assert call.body["node"] == "test-node"
    assert call.body["continue_url"] == kamailio_node.config.continue_url
    # dialog:end freed the media session
    await asyncio.sleep(0.3)
    assert call_id not in await ng.list_calls()
