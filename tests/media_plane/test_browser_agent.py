"""A browser agent: headless Debian chromium runs web/agent, registers over WebSocket with
ephemeral credentials, answers a sipp call routed through Kamailio, and media flows both
ways through rtpengine (ICE/DTLS-SRTP toward the browser, plain RTP toward sipp)."""

from __future__ import annotations

import asyncio
import functools
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from api.app import create_app
from api.clients import ApiServices
from media_plane.calls import MediaControl
from media_plane.kamailio.client import KamailioRpcClient
from media_plane.rtpengine.client import RtpengineClient
from media_plane.sip.credentials import issue_credentials, tenant_sip_domain
from media_plane.sip.leg import SipLegClient
from media_plane.sip.sdp import audio_address
from tenants.graphql.relay import from_global_id
from tenants.settings import Settings
from tests.conftest import GraphQL, error_code, sign_up
from tests.media_plane.conftest import (
    SIP_AUTH_SECRET,
    SIP_DOMAIN,
    KamailioNode,
    RtpengineNode,
    require_binaries,
)
from tests.media_plane.live_routing import LiveCenter
from tests.media_plane.media_waits import browser_media, media_flowing
from tests.media_plane.sipp import Sipp
from tests.media_plane.test_call_flow import sipp_agent, wait_acked, wait_for_call_id
from tests.media_plane.test_graphql_call_control import user_token
from tests.media_plane.test_queue_media import caller_on_hold, sdp_bodies

pytestmark = [pytest.mark.media, pytest.mark.browser]

WEB = Path(__file__).resolve().parents[2] / "web"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--allow-loopback-in-peer-connection",  # or ICE picks the external interface
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture(scope="module")
def web_server() -> Iterator[str]:
    """``web/`` served from http://127.0.0.1 (a secure context for getUserMedia)."""
    handler = functools.partial(_QuietHandler, directory=str(WEB))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    require_binaries("chromium")
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        require_binaries("playwright-python")  # skips, or fails under CI
        raise
    async with async_playwright() as playwright:
        instance = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        await instance.close()


async def browser_agent(
    browser: Any,
    web_server: str,
    kamailio_node: KamailioNode,
    center: LiveCenter,
    queue_ids: list[str],
) -> tuple[Any, str, Any, list[str]]:
    """A new agent of ``queue_ids`` registered from a browser page that auto-answers.

    Returns ``(page, agent id, SIP credentials, console lines)``; the agent is not yet
    available."""
    agent_id, sip_user = await center.agent(queue_ids, available=False)
    creds = issue_credentials(
        secret=SIP_AUTH_SECRET,
        agent=sip_user,
        domain=tenant_sip_domain(slug=center.slug, base_domain=SIP_DOMAIN),
        ttl_seconds=600,
    )
    query = urlencode(
        {
            "ws": f"ws://{kamailio_node.config.ws_host}:{kamailio_node.config.ws_port}",
            "uri": creds.uri,
            "user": creds.username,
            "pass": creds.password,
            "autoanswer": "1",
        }
    )
    page = await browser.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    await page.goto(f"{web_server}/agent/index.html?{query}")
    await page.wait_for_function("window.agent.registered === true", timeout=10_000)
    return page, agent_id, creds, console


async def test_browser_agent_answers_and_media_flows_both_ways(
    browser: Any,
    web_server: str,
    kamailio_node: KamailioNode,
    center: LiveCenter,
    ng: RtpengineClient,
    rpc: KamailioRpcClient,
    sipp_dir: Path,
) -> None:
    """The real routing process picks the browser agent and continues the call to its AOR."""
    queue_id = await center.queue(wrapup_s=1)
    number = await center.number(queue_id)
    page, agent_id, creds, console = await browser_agent(
        browser, web_server, kamailio_node, center, [queue_id]
    )
    assert len(await rpc.websockets()) == 1
    await center.set_state(agent_id, "available")

    caller = await Sipp(
        "uac.xml", workdir=sipp_dir, target=kamailio_node.sip_target, service=number, pause_ms=4000
    ).start()
    call_id = await wait_for_call_id(caller)
    answered = await center.wait_event(call_id, "call.answered", limit=15)
    assert answered["agent_id"] == agent_id
    dialog = (await rpc.dialogs_by_call_id(call_id))[0]
    assert dialog.variables["agent_leg"] == "webrtc"
    assert dialog.variables["agent"] == creds.uri

    stats = await browser_media(page)
    assert stats["dtls"] == "connected", (stats, console)
    assert stats["inboundPackets"] > 0 and stats["outboundPackets"] > 0, stats
    assert "PCMA" in (stats["codec"] or ""), stats
    info = await media_flowing(ng, call_id)
    assert len(info.legs) == 2 and all(leg.packets > 0 for leg in info.legs), info.legs

    run = await caller.wait(30)
    assert run.ok, run.output
    assert (await center.wait_event(call_id, "call.ended"))["by"] == "caller"
    await page.wait_for_function("window.agent.state.startsWith('ended')", timeout=10_000)
    await center.wait_agent_state(agent_id, "available", limit=5)
    assert (await center.agent_states(agent_id))[-3:] == ["on_contact", "acw", "available"]
    await page.close()


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
    """The caller's early media was offered plain RTP; Kamailio's re-offer toward the
    browser (ICE, DTLS-SRTP) from the same From tag still bridges, and the caller keeps
    the 183's port in the 200 (docs/voice.md)."""
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


async def test_browser_agent_holds_and_resumes_through_rtpengine(
    browser: Any,
    web_server: str,
    kamailio_node: KamailioNode,
    center: LiveCenter,
    sipp_dir: Path,
) -> None:
    """Hold from the softphone: JsSIP's re-INVITE (DTLS/ICE) reaches the plain-SIP caller
    as plain RTP from rtpengine, media flows again after the resume, and routing times it."""
    queue_id = await center.queue(wrapup_s=1)
    number = await center.number(queue_id)
    page, agent_id, _, console = await browser_agent(
        browser, web_server, kamailio_node, center, [queue_id]
    )
    await center.set_state(agent_id, "available")
    caller = await Sipp(
        "uac_held.xml",
        workdir=sipp_dir,
        target=kamailio_node.sip_target,
        service=number,
        pause_ms=2500,
    ).start()
    call_id = await wait_for_call_id(caller)
    await center.wait_event(call_id, "call.answered", limit=15)
    await page.wait_for_function("window.agent.state === 'in call'", timeout=10_000)
    await page.wait_for_selector("#hold", state="visible", timeout=10_000)
    await browser_media(page)

    await page.click("#hold")
    await page.wait_for_function("window.agent.state === 'on hold'", timeout=10_000)
    held = await center.wait_event(call_id, "call.held", limit=10)
    assert (held["by"], held["agent_id"]) == ("agent", agent_id)
    # A real wait, not a poll: the hold must last long enough for routing's timing of it
    # (hold_ms below) to mean something.
    await asyncio.sleep(1.0)
    await page.click("#hold")
    await page.wait_for_function("window.agent.state === 'in call'", timeout=10_000)
    resumed = await center.wait_event(call_id, "call.resumed", limit=10)
    assert int(resumed["hold_ms"]) >= 900, resumed

    before = await page.evaluate("window.agent.mediaStats()")
    after = await browser_media(page, since=before)
    assert after["dtls"] == "connected", (after, console)
    assert after["inboundPackets"] > before["inboundPackets"], (before, after)

    run = await caller.wait(30)
    assert run.ok, run.output + kamailio_node.log()
    # The caller's answers went to rtpengine, and the offers it got were plain RTP/AVP
    # (the browser's DTLS/ICE offer was translated), never the browser's SAVPF.
    offers = [line for line in run.messages.splitlines() if line.startswith("m=audio")]
    assert offers and all("RTP/AVP" in line and "SAVPF" not in line for line in offers), offers
    ended = await center.wait_event(call_id, "call.ended", limit=10)
    assert int(ended["hold_ms"]) == int(resumed["hold_ms"])
    await page.close()


LISTEN = "mutation($id: ID!) { listenToCall(callId: $id) { listenId callId } }"
STOP = "mutation($id: ID!) { stopListening(listenId: $id) { listenId } }"


@pytest.fixture
async def listen_gql(
    settings: Settings, kamailio_node: KamailioNode, rtpengine_node: RtpengineNode
) -> AsyncIterator[GraphQL]:
    """The real app with media clients pointing at the test Kamailio and rtpengine."""
    services = ApiServices.build(settings)
    await services.media.aclose()
    services.media = MediaControl(
        kamailio=[KamailioRpcClient(kamailio_node.config.rpc_url)],
        rtpengine=rtpengine_node.client(),
        legs=SipLegClient(kamailio_node.config.sip_host, kamailio_node.config.sip_port),
        sip_domain=SIP_DOMAIN,
    )
    app = create_app(settings, services)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://hotline.test"
    ) as http:
        yield GraphQL(http)
    await services.close()


async def test_supervisor_listens_in_from_the_browser(
    browser: Any,
    web_server: str,
    listen_gql: GraphQL,
    kamailio_node: KamailioNode,
    center: LiveCenter,
    rpc: KamailioRpcClient,
    sipp_dir: Path,
) -> None:
    owner = await sign_up(listen_gql)
    other = await sign_up(listen_gql)
    supervisor = await user_token(listen_gql, owner, "SUPERVISOR")
    me = await listen_gql("{ me { id } }", token=supervisor)
    supervisor_id = from_global_id(me["data"]["me"]["id"])[1]
    creds = issue_credentials(
        secret=SIP_AUTH_SECRET,
        agent=uuid.UUID(str(supervisor_id)).hex,
        domain=tenant_sip_domain(slug=owner.slug, base_domain=SIP_DOMAIN),
        ttl_seconds=600,
    )
    query = urlencode(
        {
            "ws": f"ws://{kamailio_node.config.ws_host}:{kamailio_node.config.ws_port}",
            "uri": creds.uri,
            "user": creds.username,
            "pass": creds.password,
            "autoanswer": "1",
        }
    )
    page = await browser.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    await page.goto(f"{web_server}/agent/index.html?{query}")
    await page.wait_for_function("window.agent.registered === true", timeout=10_000)

    routing = LiveCenter(
        center.redis, tenant_id=uuid.UUID(str(from_global_id(owner.tenant_id)[1])), slug=owner.slug
    )
    queue_id = await routing.queue()
    number = await routing.number(queue_id)
    agent, _, _ = await sipp_agent(routing, kamailio_node, sipp_dir, [queue_id], pause_ms=100)
    caller = await Sipp(
        "uac.xml", workdir=sipp_dir, target=kamailio_node.sip_target, service=number, pause_ms=7000
    ).start()
    call_id = await wait_for_call_id(caller)
    await routing.wait_event(call_id, "call.answered")
    await wait_acked(rpc, call_id)
    routing_id = call_id

    assert error_code(await listen_gql(LISTEN, {"id": routing_id}, token=other.token)) == (
        "NOT_FOUND"
    )
    body = await listen_gql(LISTEN, {"id": routing_id}, token=supervisor)
    assert "errors" not in body, (body, console)
    listen_id = body["data"]["listenToCall"]["listenId"]

    stats: dict[str, Any] = {}
    for _ in range(40):  # two DTLS handshakes (one per party) may take a moment
        await asyncio.sleep(0.25)
        stats = await page.evaluate("window.agent.mediaStats()")
        if stats["dtls"] == "connected" and stats["inboundPackets"] > 50:
            break
    assert stats["dtls"] == "connected", stats
    assert len(stats["transports"]) >= 1, stats
    assert stats["inboundPackets"] > 50, stats  # the call's audio reaches the supervisor

    assert error_code(await listen_gql(STOP, {"id": listen_id}, token=other.token)) == ("NOT_FOUND")
    body = await listen_gql(STOP, {"id": listen_id}, token=supervisor)
    assert "errors" not in body, body
    await page.wait_for_function("window.agent.state.startsWith('ended')", timeout=10_000)
    assert (await caller.wait(30)).ok  # the listened call itself was untouched
    assert (await agent.wait(30)).ok
    await page.close()
