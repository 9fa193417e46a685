"""Music on hold, then a browser agent: the caller's early media was offered plain RTP, and
Kamailio's re-offer toward the browser (ICE, DTLS-SRTP) from the same From tag still
bridges, with the 183's port kept in the 200 (docs/voice.md). The browser is the plain
agent page the callback tests also drive (tests/media_plane/callbacks/agent_page.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from media_plane.kamailio.client import KamailioRpcClient
from media_plane.rtpengine.client import RtpengineClient
from media_plane.sip.sdp import audio_address
from tests.media_plane.callbacks.agent_page import browser, browser_agent, web_server
from tests.media_plane.conftest import KamailioNode
from tests.media_plane.live_routing import LiveCenter
from tests.media_plane.media_waits import browser_media
from tests.media_plane.sipp import Sipp
from tests.media_plane.test_queue_media import caller_on_hold, sdp_bodies

pytestmark = [pytest.mark.media, pytest.mark.browser]
__all__ = ["browser", "web_server"]  # fixtures, imported to be found here


async def test_browser_agent_answers_a_caller_on_music_on_hold(
    browser: Any,
    web_server: str,
    kamailio_node: KamailioNode,
    center: LiveCenter,
    ng: RtpengineClient,
    rpc: KamailioRpcClient,
    sipp_dir: Path,
    moh_file: Path,
) -> None:
    queue_id = await center.queue(wrapup_s=1, moh=str(moh_file))
    number = await center.number(queue_id)
    caller = await Sipp(
        "uac_queued_answer.xml",
        workdir=sipp_dir,
        target=kamailio_node.sip_target,
        service=number,
        pause_ms=3000,
        extra=["-rtp_echo"],
    ).start()
    call_id, _ = await caller_on_hold(ng, caller)
    page, agent_id, _, console = await browser_agent(
        browser, web_server, kamailio_node, center, [queue_id]
    )
    await center.set_state(agent_id, "available")
    answered = await center.wait_event(call_id, "call.answered", limit=15)
    assert answered["agent_id"] == agent_id
    assert (await rpc.dialogs_by_call_id(call_id))[0].variables["agent_leg"] == "webrtc"
    stats = await browser_media(page)
    assert stats["dtls"] == "connected", (stats, console)
    assert stats["inboundPackets"] > 0 and stats["outboundPackets"] > 0, stats
    messages = caller.messages_so_far()
    [early] = sdp_bodies(messages, "183")
    [final] = sdp_bodies(messages, "200")
    assert audio_address(early) == audio_address(final), (early, final)
    run = await caller.wait(30)
    assert run.ok, run.output + kamailio_node.log()
    await center.wait_event(call_id, "call.ended")
    await page.close()
