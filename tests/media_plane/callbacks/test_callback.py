"""Callbacks dialled through the media plane, end to end on real parts: a caller waits past
the queue's max wait and leaves their number (routing's callback path), routing reserves a
browser agent (Chromium, JsSIP over WebSocket) and its ``KamailioCallbackOriginator`` rings the
agent through Kamailio, then the customer through ``route[CALLBACK_OUT]`` to a FAKE carrier
(sipp UAS: a real trunk cannot run here), with the media anchored in rtpengine."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from media_plane.kamailio.client import KamailioRpcClient
from media_plane.kamailio.errors import KamailioRpcError
from media_plane.rtpengine.client import RtpengineClient
from tests.media_plane.callbacks.agent_page import browser, browser_agent, web_server
from tests.media_plane.conftest import (
    CALLBACK_GATEWAY_SET,
    KamailioNode,
    MediaPorts,
    RtpengineNode,
)
from tests.media_plane.live_routing import LiveCenter
from tests.media_plane.media_waits import browser_media, media_flowing
from tests.media_plane.sipp import SCENARIOS, Sipp, free_sip_port
from tests.media_plane.test_call_flow import wait_for_call_id
from tests.serving import until

pytestmark = [pytest.mark.media, pytest.mark.browser]
__all__ = ["browser", "web_server"]  # fixtures, imported to be found here

CUSTOMER = "+33612345678"


def render_callback_caller(workdir: Path) -> Path:
    """``uac_rejected.xml`` from ``CUSTOMER``, expecting the 480 that releases a caller
    whose callback keeps their place."""
    workdir.mkdir(parents=True, exist_ok=True)
    scenario = workdir / "uac_callback.xml"
    scenario.write_text(
        (SCENARIOS / "uac_rejected.xml")
        .read_text()
        .replace("__CODE__", "480")
        .replace("caller-[call_number]@", f"{CUSTOMER}@")
    )
    return scenario


async def request_callback(
    center: LiveCenter, kamailio_node: KamailioNode, sipp_dir: Path, number: str
) -> str:
    """A caller from ``CUSTOMER`` waits past max wait and is released with 480 while the
    callback keeps their place; returns routing's call id."""
    scenario = render_callback_caller(sipp_dir)
    caller = await Sipp(
        scenario, workdir=sipp_dir, target=kamailio_node.sip_target, service=number
    ).start()
    call_id = await wait_for_call_id(caller)
    run = await caller.wait(15)
    assert run.ok, run.output
    requested = await center.wait_event(call_id, "callback.requested")
    assert CUSTOMER in requested["number"]
    return call_id


@dataclass(frozen=True)
class WaitingCallback:
    """A browser agent signed in (not yet available) to a callback queue, and a caller from
    ``CUSTOMER`` released with their callback keeping its place."""

    page: Any
    agent_id: str
    console: list[str]
    call_id: str
    number: str
    """The tenant's number the caller dialled."""


async def callback_waiting(
    browser: Any,
    web_server: str,
    kamailio_node: KamailioNode,
    center: LiveCenter,
    sipp_dir: Path,
    **queue: int,
) -> WaitingCallback:
    """A queue whose max wait (1 s) offers a callback, with ``queue`` fields on top, its
    number, a browser agent signed in to it, and a callback waiting there."""
    queue_id = await center.queue(max_wait_s=1, max_wait_action="callback", **queue)
    number = await center.number(queue_id)
    page, agent_id, _, console = await browser_agent(
        browser, web_server, kamailio_node, center, [queue_id]
    )
    call_id = await request_callback(center, kamailio_node, sipp_dir, number)
    return WaitingCallback(page, agent_id, console, call_id, number)


async def callback_calls(ng: RtpengineClient) -> list[str]:
    """rtpengine calls the callback bridge opened (its ids start with ``cb-``)."""
    return [c for c in await ng.list_calls() if c.startswith("cb-")]


async def test_callback_bridges_agent_and_customer_with_media_both_ways(
    browser: Any,
    web_server: str,
    kamailio_node: KamailioNode,
    rtpengine_node: RtpengineNode,
    media_ports: MediaPorts,
    center: LiveCenter,
    ng: RtpengineClient,
    sipp_dir: Path,
) -> None:
    waiting = await callback_waiting(
        browser, web_server, kamailio_node, center, sipp_dir, wrapup_s=1, record=1
    )
    page, agent_id, call_id = waiting.page, waiting.agent_id, waiting.call_id
    before = set(await callback_calls(ng))
    carrier = await Sipp(
        "uas.xml", workdir=sipp_dir, port=media_ports.carrier, pause_ms=300
    ).start()

    # The agent becomes available through the API's engine (which never dials): a routing
    # replica claims the decision and dials the agent, then the customer.
    await center.set_state(agent_id, "available")
    connected = await center.wait_event(call_id, "callback.connected", limit=20)
    assert connected["agent_id"] == agent_id
    await page.wait_for_function("window.agent.state === 'in call'", timeout=10_000)
    assert await page.evaluate("window.agent.callback") == {"callId": call_id, "number": CUSTOMER}
    assert await page.inner_text("#call-label") == f"Callback to {CUSTOMER}"

    stats = await browser_media(page)
    assert stats["dtls"] == "connected", (stats, waiting.console)
    assert stats["inboundPackets"] > 0 and stats["outboundPackets"] > 0, stats
    assert "PCMA" in (stats["codec"] or ""), stats
    [rtp_call] = [c for c in await callback_calls(ng) if c not in before]
    info = await media_flowing(ng, rtp_call)
    # Both parties' media reaches rtpengine: the customer's (the fake carrier's pcap, sent to
    # the port the customer leg's SDP named) and the browser's (over DTLS-SRTP).
    assert len(info.legs) == 2 and all(leg.packets > 0 for leg in info.legs), info.legs
    # rtpengine sends to the port the customer's 200 OK named (the re-offer), not to the
    # placeholder it was first given.
    [customer_rtp] = [
        stream
        for tag in info.raw["tags"].values()
        for media in tag.get("medias") or []
        if media.get("protocol") == "RTP/AVP"
        for stream in media.get("streams") or []
        if "RTP" in (stream.get("flags") or [])
    ]
    assert customer_rtp["advertised endpoint"]["port"] == carrier.media_port, customer_rtp

    # Hold from the softphone: the bridge anchors the re-offer in rtpengine (Kamailio opens
    # no rtpengine call of its own for Hotline's legs), routing times it, media resumes.
    await page.click("#hold")
    await page.wait_for_function("window.agent.state === 'on hold'", timeout=10_000)
    held = await center.wait_event(call_id, "call.held", limit=10)
    assert (held["by"], held["agent_id"]) == ("agent", agent_id)
    assert [c for c in await ng.list_calls() if c not in before] == [rtp_call]
    # A real wait, not a poll: the hold must last long enough for routing's timing of it
    # (hold_ms below) to mean something.
    await asyncio.sleep(0.5)
    await page.click("#hold")
    await page.wait_for_function("window.agent.state === 'in call'", timeout=10_000)
    resumed = await center.wait_event(call_id, "call.resumed", limit=10)
    assert int(resumed["hold_ms"]) >= 400, resumed
    before_resume = await page.evaluate("window.agent.mediaStats()")
    after_resume = await browser_media(page, since=before_resume)
    assert after_resume["dtls"] == "connected", (after_resume, waiting.console)
    assert after_resume["inboundPackets"] > before_resume["inboundPackets"]
    assert after_resume["outboundPackets"] > before_resume["outboundPackets"]

    await page.click("#hangup")
    ended = await center.wait_event(call_id, "call.ended", limit=10)
    assert (ended["by"], ended["agent_id"]) == ("agent", agent_id)
    run = await carrier.wait(15)  # the customer got the BYE
    assert run.ok, run.output + kamailio_node.log()
    # The customer sees the number they called (the tenant's DID) as the caller.
    assert f"From: <sip:{waiting.number}@" in run.messages, run.messages[:1500]
    await center.wait_agent_state(agent_id, "available", limit=5)
    assert (await center.agent_states(agent_id))[-4:] == [
        "reserved",
        "on_contact",
        "acw",
        "available",
    ]
    for _ in range(40):
        if rtp_call not in await ng.list_calls():
            break
        await asyncio.sleep(0.05)
    assert rtp_call not in await ng.list_calls()
    # The queue records: the pcap's metadata names the tenant, the routing call and the agent,
    # so the recordings agent files it like an inbound call's.
    meta = list((rtpengine_node.recording_dir / "metadata").glob(f"*{rtp_call}*"))
    assert meta, list(rtpengine_node.recording_dir.rglob(f"*{rtp_call}*"))
    assert f"tenant={center.tenant_id}|call={call_id}|agent={agent_id}" in meta[0].read_text()
    await page.close()


async def test_a_busy_customer_ends_the_agent_leg_and_keeps_the_follow_up(
    browser: Any,
    web_server: str,
    kamailio_node: KamailioNode,
    media_ports: MediaPorts,
    center: LiveCenter,
    ng: RtpengineClient,
    sipp_dir: Path,
) -> None:
    waiting = await callback_waiting(
        browser, web_server, kamailio_node, center, sipp_dir, wrapup_s=1
    )
    page, agent_id, call_id = waiting.page, waiting.agent_id, waiting.call_id
    before = set(await callback_calls(ng))
    carrier = await Sipp(
        "fake_carrier_busy.xml", workdir=sipp_dir, port=media_ports.carrier, pause_ms=300
    ).start()
    await center.set_state(agent_id, "available")

    failed = await center.wait_event(call_id, "callback.failed", limit=20)
    assert (failed["reason"], failed["agent_id"]) == ("callback_busy", agent_id)
    await page.wait_for_function("window.agent.state.startsWith('ended')", timeout=10_000)
    assert (await carrier.wait(15)).ok
    types = [e["type"] for e in await center.call_events(call_id)]
    assert "callback.connected" not in types and "call.ended" not in types
    # Nobody reached the customer: a missed-call task for the number (the analytics worker
    # materialises it; only callback.connected would close it).
    missed = await center.wait_event(call_id, "missed_call.created")
    assert CUSTOMER in missed["number"]
    call = await center.engine.call(tenant_id=center.tenant_id, call_id=call_id)
    assert (call["state"], call["abandon_reason"]) == ("callback_failed", "callback_busy")
    # The agent is free again (not stuck reserved), and rtpengine let go of the call.
    await center.wait_agent_state(agent_id, "available", limit=5)
    assert (await center.agent_states(agent_id))[-2:] == ["reserved", "available"]
    assert not set(await callback_calls(ng)) - before
    await page.close()


async def test_an_unanswered_customer_is_cancelled_within_the_ring_time(
    browser: Any,
    web_server: str,
    kamailio_node: KamailioNode,
    media_ports: MediaPorts,
    center: LiveCenter,
    sipp_dir: Path,
) -> None:
    """The customer rings for the queue's ring time (less the node's margin), then the bridge
    CANCELs; routing's own ring timer, restarted by ``ringing``, never fires first."""
    waiting = await callback_waiting(
        browser, web_server, kamailio_node, center, sipp_dir, ring_timeout_s=4
    )
    page, agent_id, call_id = waiting.page, waiting.agent_id, waiting.call_id
    carrier = await Sipp(
        "fake_carrier_noanswer.xml", workdir=sipp_dir, port=media_ports.carrier
    ).start()
    await center.set_state(agent_id, "available")

    failed = await center.wait_event(call_id, "callback.failed", limit=20)
    assert failed["reason"] == "callback_no_answer"
    assert (await carrier.wait(15)).ok  # it got the CANCEL and its 487 was ACKed
    await page.wait_for_function("window.agent.state.startsWith('ended')", timeout=10_000)
    types = [e["type"] for e in await center.call_events(call_id)]
    assert "call.agent_failed" not in types and "callback.connected" not in types, types
    await center.wait_agent_state(agent_id, "available", limit=5)
    await page.close()


async def test_an_unregistered_agent_fails_the_leg_and_the_callback_keeps_its_place(
    kamailio_node: KamailioNode, center: LiveCenter, sipp_dir: Path
) -> None:
    """No softphone registered: Kamailio answers the agent leg 404, routing records
    ``agent_failed`` (unreachable) and the callback waits at the front of its queue again."""
    queue_id = await center.queue(max_wait_s=1, max_wait_action="callback")
    number = await center.number(queue_id)
    agent_id, _ = await center.agent([queue_id], available=False)
    call_id = await request_callback(center, kamailio_node, sipp_dir, number)
    await center.set_state(agent_id, "available")

    failed = await center.wait_event(call_id, "call.agent_failed", limit=10)
    assert (failed["agent_id"], failed["reason"]) == (agent_id, "unreachable")
    await center.wait_agent_state(agent_id, "not_ready:missed", limit=5)
    call = await center.engine.call(tenant_id=center.tenant_id, call_id=call_id)
    assert (call["state"], call["callback"]) == ("queued", "1")


def render_forged_caller(workdir: Path) -> Path:
    """``uac.xml`` whose INVITE claims to be a callback leg (``X-Hotline-Callback``)."""
    workdir.mkdir(parents=True, exist_ok=True)
    text = (SCENARIOS / "uac.xml").read_text()
    first = text.index("Max-Forwards: 70")
    forged = "X-Hotline-Callback: call=forged;number=+10000000000\n      Max-Forwards: 70"
    scenario = workdir / "uac_forged_callback.xml"
    scenario.write_text(text[:first] + forged + text[first + len("Max-Forwards: 70") :])
    return scenario


async def test_a_caller_cannot_pass_an_inbound_call_off_as_a_callback(
    browser: Any,
    web_server: str,
    kamailio_node: KamailioNode,
    center: LiveCenter,
    sipp_dir: Path,
) -> None:
    """Kamailio strips ``X-Hotline-Callback`` from untrusted sources (127.0.0.2 is not in
    ``rpc_allowed_sources``): the agent page shows the call as an ordinary inbound one."""
    queue_id = await center.queue()
    number = await center.number(queue_id)
    page, agent_id, _, _ = await browser_agent(
        browser, web_server, kamailio_node, center, [queue_id]
    )
    await center.set_state(agent_id, "available")
    caller = await Sipp(
        render_forged_caller(sipp_dir),
        workdir=sipp_dir,
        target=kamailio_node.sip_target,
        service=number,
        pause_ms=1000,
        extra=["-i", "127.0.0.2"],
    ).start()
    await page.wait_for_function("window.agent.state === 'in call'", timeout=10_000)
    assert await page.evaluate("window.agent.callback") is None
    assert await page.inner_text("#call-label") == "On a call"
    assert (await caller.wait(30)).ok
    await page.close()


async def test_the_agent_hanging_up_while_the_customer_rings_cancels_the_customer(
    browser: Any,
    web_server: str,
    kamailio_node: KamailioNode,
    media_ports: MediaPorts,
    center: LiveCenter,
    sipp_dir: Path,
) -> None:
    """The agent leaves before the customer picks up: the customer's INVITE is CANCELled and
    the callback goes back to the front of its queue (``agent_failed``: ``agent_left``)."""
    waiting = await callback_waiting(
        browser, web_server, kamailio_node, center, sipp_dir, ring_timeout_s=20
    )
    page, agent_id, call_id = waiting.page, waiting.agent_id, waiting.call_id
    carrier = await Sipp(
        "fake_carrier_noanswer.xml", workdir=sipp_dir, port=media_ports.carrier
    ).start()
    await center.set_state(agent_id, "available")
    await page.wait_for_function("window.agent.state === 'in call'", timeout=10_000)

    async def phone_rings() -> bool:
        return "SIP/2.0 180 Ringing" in carrier.messages_so_far()

    await until(phone_rings, limit_s=10, what="the customer's phone ringing")
    await page.click("#hangup")

    failed = await center.wait_event(call_id, "call.agent_failed", limit=10)
    assert (failed["agent_id"], failed["reason"]) == (agent_id, "agent_left")
    assert (await carrier.wait(10)).ok  # CANCEL, 487, ACK
    await center.wait_agent_state(agent_id, "not_ready:missed", limit=5)
    call = await center.engine.call(tenant_id=center.tenant_id, call_id=call_id)
    assert (call["state"], call["callback"]) == ("queued", "1")
    await page.close()


def render_failing_gateway(workdir: Path) -> Path:
    """``fake_carrier_busy.xml`` answering 503: a FAKE gateway that fails itself."""
    workdir.mkdir(parents=True, exist_ok=True)
    scenario = workdir / "fake_gateway_503.xml"
    text = (SCENARIOS / "fake_carrier_busy.xml").read_text()
    scenario.write_text(text.replace("486 Busy Here", "503 Service Unavailable"))
    return scenario


def write_gateways(path: Path, lines: list[str]) -> str:
    """Replace Kamailio's dispatcher list; returns what was there."""
    original = path.read_text()
    path.write_text("\n".join(lines) + "\n")
    return original


async def reload_gateways(rpc: KamailioRpcClient, limit: float = 10.0) -> None:
    """``dispatcher.reload``, waiting out its rate limit (one reload per 5 s)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while True:
        try:
            await rpc.call("dispatcher.reload")
            return
        except KamailioRpcError as exc:
            if "Ongoing reload" not in exc.message or loop.time() > deadline:
                raise
        await asyncio.sleep(0.5)  # a bounded retry: Kamailio refuses a reload while one runs


async def test_a_failing_gateway_hands_the_customer_leg_to_the_next_one(
    browser: Any,
    web_server: str,
    kamailio_node: KamailioNode,
    media_ports: MediaPorts,
    center: LiveCenter,
    rpc: KamailioRpcClient,
    sipp_dir: Path,
) -> None:
    """Two gateways in the callback set: the first by priority answers 503, so Kamailio's
    failure route gives the customer leg to the second, which connects it."""
    failing_port = free_sip_port()
    dispatcher_list = Path(kamailio_node.config.dispatcher_file)
    original = write_gateways(
        dispatcher_list,
        [
            f"{CALLBACK_GATEWAY_SET} sip:127.0.0.1:{failing_port} 0 10",
            f"{CALLBACK_GATEWAY_SET} sip:127.0.0.1:{media_ports.carrier} 0 5",
        ],
    )
    await reload_gateways(rpc)
    try:
        waiting = await callback_waiting(browser, web_server, kamailio_node, center, sipp_dir)
        page, agent_id, call_id = waiting.page, waiting.agent_id, waiting.call_id
        failing = await Sipp(
            render_failing_gateway(sipp_dir), workdir=sipp_dir, port=failing_port, pause_ms=100
        ).start()
        carrier = await Sipp(
            "uas.xml", workdir=sipp_dir, port=media_ports.carrier, pause_ms=300
        ).start()
        await center.set_state(agent_id, "available")

        await center.wait_event(call_id, "callback.connected", limit=20)
        assert (await failing.wait(10)).ok  # it was tried first, and failed
        await page.click("#hangup")
        assert (await center.wait_event(call_id, "call.ended"))["by"] == "agent"
        assert (await carrier.wait(15)).ok
        await page.close()
    finally:
        write_gateways(dispatcher_list, original.splitlines())
        await reload_gateways(rpc)
