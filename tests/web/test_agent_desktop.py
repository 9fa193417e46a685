"""The agent desktop (/agent) in Chromium against the real stack: the console, the routing
process, Kamailio and rtpengine, with sipp as the caller's signalling and the test's own RTP
socket as the caller's media (it sees the agent's audio, silence while muted, and the
RFC 4733 events of the keypad)."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect
from pydantic import SecretStr
from redis.asyncio import Redis

from api.app import create_app
from media_plane.kamailio.client import KamailioRpcClient
from media_plane.rtpengine.client import RtpengineClient
from tenants.embedded.process import free_port
from tenants.graphql.relay import from_global_id
from tenants.settings import Settings
from tests.conftest import error_code
from tests.media_plane.conftest import (
    SIP_AUTH_SECRET,
    SIP_DOMAIN,
    KamailioNode,
    RoutingProcess,
    RtpengineNode,
    kamailio_node,
    media_ports,
    routing_process,
    rtpengine_node,
    sipp_dir,
)
from tests.media_plane.live_routing import LiveCenter
from tests.media_plane.media_waits import media_flowing
from tests.media_plane.sipp import Sipp
from tests.media_plane.test_call_flow import sipp_agent, wait_acked, wait_for_call_id
from tests.serving import served, until
from tests.web.desk import (
    RtpSink,
    Tenant,
    agent_states,
    call_events,
    desk_tenant,
    ok,
    rtp_sink,
)
from tests.web.helpers import (
    Console,
    assert_accessible,
    create_user,
    log_in_context,
    new_context,
    sign_up_tenant,
)

__all__ = ["kamailio_node", "media_ports", "routing_process", "rtpengine_node", "sipp_dir"]

SCENARIO = Path(__file__).parent / "sipp" / "uac_desk.xml"
QUALITY = "window.hotlineSoftphone.quality()"


@pytest.fixture(scope="module")
async def desk(
    console_settings: Settings,
    routing_process: RoutingProcess,
    kamailio_node: KamailioNode,
    rtpengine_node: RtpengineNode,
) -> AsyncIterator[Console]:
    """The console (web/dist and the API) on the routing process's Valkey, issuing SIP
    credentials for the test Kamailio and controlling its media (listen-in)."""
    port = free_port()
    k = kamailio_node.config
    settings = console_settings.model_copy(
        update={
            "api": console_settings.api.model_copy(
                update={"port": port, "public_url": f"http://127.0.0.1:{port}"}
            ),
            "redis": console_settings.redis.model_copy(update={"url": routing_process.redis_url}),
            "rtpengine": console_settings.rtpengine.model_copy(
                update={"ng_host": rtpengine_node.host, "ng_port": rtpengine_node.port}
            ),
            "kamailio": console_settings.kamailio.model_copy(
                update={
                    "ws_host": k.ws_host,
                    "ws_port": k.ws_port,
                    "sip_host": k.sip_host,
                    "sip_port": k.sip_port,
                    "rpc_host": k.rpc_host,
                    "rpc_port": k.rpc_port,
                    "sip_domain": SIP_DOMAIN,
                    "sip_auth_secret": SecretStr(SIP_AUTH_SECRET),
                }
            ),
        }
    )
    app = create_app(settings)
    async with (
        served(app, port=port, lifespan="on") as running,
        httpx.AsyncClient(base_url=running.url, timeout=30) as http,
    ):
        yield Console(served=running, settings=settings, http=http)


@pytest.fixture
async def redis(desk: Console) -> AsyncIterator[Redis]:
    client = Redis.from_url(desk.settings.redis.url or "", decode_responses=True)
    yield client
    await client.aclose()


@pytest.fixture
async def rpc(kamailio_node: KamailioNode) -> AsyncIterator[KamailioRpcClient]:
    client = KamailioRpcClient(kamailio_node.config.rpc_url)
    yield client
    await client.aclose()


@pytest.fixture
async def ng(rtpengine_node: RtpengineNode) -> AsyncIterator[RtpengineClient]:
    client = rtpengine_node.client()
    yield client
    await client.aclose()


@pytest.fixture
async def tenant(desk: Console) -> Tenant:
    return await desk_tenant(desk)


@pytest.fixture
async def agent_context(
    browser: Browser, desk: Console, tenant: Tenant
) -> AsyncIterator[BrowserContext]:
    ctx = await new_context(browser, desk.url)
    await log_in_context(ctx, desk, tenant.agent)
    yield ctx
    await ctx.close()


async def open_desktop(ctx: BrowserContext) -> Page:
    """A tab on /agent whose softphone registered."""
    page = await ctx.new_page()
    await page.goto("/agent")
    await expect(page.get_by_role("heading", name="Agent desktop", level=1)).to_be_visible()
    await expect(page.get_by_test_id("registration")).to_have_text("Ready for calls")
    return page


async def go_available(page: Page) -> None:
    """Sign in to Support and become available, each through routing's answer."""
    queue = page.get_by_role("checkbox", name="Support")
    if not await queue.is_checked():
        await queue.click()  # controlled: checked once routing answers
    await expect(queue).to_be_checked()
    await page.get_by_label("Set my state").select_option("available")
    await expect(page.get_by_test_id("agent-state")).to_have_text("Available")


async def place_call(
    tenant: Tenant, kamailio: KamailioNode, workdir: Path, sink: RtpSink
) -> tuple[Sipp, str]:
    caller = await Sipp(
        SCENARIO,
        workdir=workdir,
        target=kamailio.sip_target,
        service=tenant.number,
        extra=["-key", "caller", tenant.caller, "-key", "sink", str(sink.port)],
    ).start()
    return caller, await wait_for_call_id(caller)


async def wait_event(redis: Redis, tenant: Tenant, call_id: str, etype: str) -> dict[str, str]:
    async def found() -> dict[str, str] | None:
        return next(
            (
                e
                for e in await call_events(redis, tenant.tenant_uuid, call_id)
                if e["type"] == etype
            ),
            None,
        )

    return await until(found, limit_s=15, what=f"{etype} of {call_id}")


async def media_both_ways(
    page: Page, sink: RtpSink, since: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The browser's getStats once DTLS is up and packets flow both ways (more than
    ``since``), and the caller's socket receives the agent's audio."""
    floor = since or {"packetsReceived": 0, "packetsSent": 0}
    heard = len(sink.audio())

    async def flowing() -> dict[str, Any] | None:
        q = await page.evaluate(QUALITY)
        if (
            q
            and q["dtls"] == "connected"
            and q["packetsReceived"] > floor["packetsReceived"]
            and q["packetsSent"] > floor["packetsSent"]
            and len(sink.audio()) > heard
        ):
            return q
        return None

    return await until(flowing, limit_s=15, what="media both ways")


async def test_agent_answers_a_routed_call_with_screen_pop_hold_mute_dtmf_and_a_ticket(
    agent_context: BrowserContext,
    desk: Console,
    tenant: Tenant,
    kamailio_node: KamailioNode,
    redis: Redis,
    rpc: KamailioRpcClient,
    ng: RtpengineClient,
    sipp_dir: Path,
) -> None:
    page = await open_desktop(agent_context)
    await go_available(page)
    async with rtp_sink() as sink:
        caller, call_id = await place_call(tenant, kamailio_node, sipp_dir, sink)
        try:
            # The offer rings with the caller's name, and the screen pop shows the card.
            ringing = page.get_by_role("alert").filter(has_text="Incoming call from")
            await expect(ringing).to_contain_text("Grace Caller")
            await expect(page.get_by_text("Queue: Support").first).to_be_visible()
            await expect(page.get_by_test_id("customer-name")).to_have_text("Grace Caller")
            await expect(page.get_by_text("— Navy")).to_be_visible()
            await page.get_by_role("button", name="Answer").click()
            answered = await wait_event(redis, tenant, call_id, "call.answered")
            assert uuid.UUID(answered["agent_id"]) == uuid.UUID(
                str(from_global_id(tenant.agent.user_id)[1])
            )
            await expect(page.get_by_role("timer", name="Call time")).to_be_visible()
            dialog = (await rpc.dialogs_by_call_id(call_id))[0]
            assert dialog.variables["agent_leg"] == "webrtc"
            stats = await media_both_ways(page, sink)
            assert "PCMA" in (stats["codec"] or ""), stats
            info = await media_flowing(ng, call_id)
            assert len(info.legs) == 2 and all(leg.packets > 0 for leg in info.legs), info.legs
            await expect(page.get_by_test_id("call-quality")).to_have_text(
                re.compile("Good|Fair|Poor")
            )

            # Mute: the caller hears silence; unmute: the agent again.
            await page.get_by_role("button", name="Mute").click()
            await expect(page.get_by_role("button", name="Unmute")).to_have_attribute(
                "aria-pressed", "true"
            )
            await until(
                lambda: _async(sink.recent_audio_silent() is True),
                limit_s=10,
                what="silence while muted",
            )
            await page.get_by_role("button", name="Unmute").click()
            await until(
                lambda: _async(sink.recent_audio_silent() is False),
                limit_s=10,
                what="audio after unmute",
            )

            # The keypad's tones reach the caller as RFC 4733 events through rtpengine.
            await page.get_by_role("button", name="Keypad").click()
            await page.get_by_role("button", name="Send tone 5").click()
            await page.get_by_role("button", name="Send tone #").click()
            await until(
                lambda: _async({"5", "#"} <= sink.events()), limit_s=10, what="DTMF at the caller"
            )
            await expect(page.get_by_label("Tones sent")).to_have_text("5#")

            # Hold and resume: routing times the hold; media flows again after.
            await page.get_by_role("button", name="Hold").click()
            await expect(page.get_by_role("button", name="Resume")).to_be_visible()
            await wait_event(redis, tenant, call_id, "call.held")
            await page.get_by_role("button", name="Resume").click()
            await expect(page.get_by_role("button", name="Hold")).to_be_visible()
            await wait_event(redis, tenant, call_id, "call.resumed")
            await media_both_ways(page, sink, since=await page.evaluate(QUALITY))

            # A ticket from the call: the category's fields and workflow, the call linked.
            ticket = page.get_by_role("region", name="New ticket")
            await expect(ticket.get_by_text("Triage")).to_be_visible()
            await ticket.get_by_label("Subject").fill("Phone does not ring")
            await ticket.get_by_role("button", name="Create ticket").click()
            await expect(ticket.get_by_text("Fill this in.")).to_be_visible()  # Device is required
            await ticket.get_by_label("Device").fill("Desk phone")
            await ticket.get_by_role("button", name="Create ticket").click()
            await expect(ticket.get_by_role("status")).to_have_text(
                re.compile(r"Ticket T-\d+ created\.")
            )
            found = ok(
                await desk.gql(
                    "{ tickets(first: 10) { nodes { subject callId fields customer { name } } } }",
                    token=tenant.admin.token,
                )
            )["tickets"]["nodes"]
            assert found == [
                {
                    "subject": "Phone does not ring",
                    "callId": call_id,
                    "fields": {"device": "Desk phone"},
                    "customer": {"name": "Grace Caller"},
                }
            ], found

            await assert_accessible(page)
            await page.get_by_role("button", name="Hang up").click()
            await expect(page.get_by_text(re.compile("Call with .* ended"))).to_be_visible()
            run = await caller.wait(30)
            assert run.ok, run.output
            ended = await wait_event(redis, tenant, call_id, "call.ended")
            assert ended["by"] == "agent", ended
            resumed = await wait_event(redis, tenant, call_id, "call.resumed")
            assert int(ended["hold_ms"]) == int(resumed["hold_ms"]) > 0, (ended, resumed)
            # The caller's offers were plain RTP/AVP (rtpengine translated the browser's SAVPF).
            offers = [line for line in run.messages.splitlines() if line.startswith("m=audio")]
            assert offers and all("RTP/AVP" in o and "SAVPF" not in o for o in offers), offers
            agent_id = answered["agent_id"]

            async def back_available() -> bool:
                states = await agent_states(redis, tenant.tenant_uuid, agent_id)
                return states[-3:] == ["on_contact", "acw", "available"]

            await until(back_available, limit_s=10, what="on_contact, acw, available")
            await expect(page.get_by_test_id("agent-state")).to_have_text("Available")
        finally:
            caller.kill()


async def _async(value: Any) -> Any:
    return value


async def test_keyboard_shortcuts_run_the_call_and_the_state(
    agent_context: BrowserContext,
    tenant: Tenant,
    kamailio_node: KamailioNode,
    redis: Redis,
    sipp_dir: Path,
) -> None:
    page = await open_desktop(agent_context)
    await page.get_by_role("checkbox", name="Support").click()
    await expect(page.get_by_role("checkbox", name="Support")).to_be_checked()
    state = page.get_by_test_id("agent-state")
    await page.keyboard.press("r")
    await expect(state).to_have_text("Available")
    async with rtp_sink() as sink:
        caller, call_id = await place_call(tenant, kamailio_node, sipp_dir, sink)
        try:
            await expect(page.get_by_role("button", name="Answer")).to_be_visible()
            await page.keyboard.press("a")
            await expect(page.get_by_role("timer", name="Call time")).to_be_visible()
            await media_both_ways(page, sink)
            await page.keyboard.press("m")
            await expect(page.get_by_role("button", name="Unmute")).to_be_visible()
            await page.keyboard.press("m")
            await expect(page.get_by_role("button", name="Mute")).to_be_visible()
            await page.keyboard.press("h")
            await expect(page.get_by_role("button", name="Resume")).to_be_visible()
            await wait_event(redis, tenant, call_id, "call.held")
            await page.keyboard.press("h")
            await expect(page.get_by_role("button", name="Hold")).to_be_visible()
            await wait_event(redis, tenant, call_id, "call.resumed")
            await page.keyboard.press("x")
            assert (await caller.wait(30)).ok
            assert (await wait_event(redis, tenant, call_id, "call.ended"))["by"] == "agent"
        finally:
            caller.kill()
    await expect(state).not_to_have_text(re.compile("On a call|Ringing"))
    await page.keyboard.press("n")  # no break reasons in this tenant: not ready is offline
    await expect(state).to_have_text("Offline")
    await page.keyboard.press("?")
    help_dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    await expect(help_dialog).to_contain_text("Answer the ringing call")
    await assert_accessible(page)
    await page.keyboard.press("Escape")
    await expect(help_dialog).to_be_hidden()


async def test_a_second_tab_takes_the_desktop_over_and_the_first_lets_go(
    agent_context: BrowserContext, rpc: KamailioRpcClient
) -> None:
    first = await open_desktop(agent_context)
    sockets = len(await rpc.websockets())
    second = await open_desktop(agent_context)
    moved = first.get_by_role("alert").filter(has_text="This desktop moved to another tab")
    await expect(moved).to_be_visible()
    await expect(first.get_by_test_id("registration")).to_have_text("Off")
    # The first tab's WebSocket (and so its registration) is gone: one desktop rings.
    await until(
        lambda: _count_is(rpc, sockets), limit_s=10, what="one softphone WebSocket for the agent"
    )
    await assert_accessible(first)
    await first.get_by_role("button", name="Use the desktop here").click()
    await expect(first.get_by_test_id("registration")).to_have_text("Ready for calls")
    await expect(
        second.get_by_role("alert").filter(has_text="This desktop moved to another tab")
    ).to_be_visible()
    await expect(second.get_by_test_id("registration")).to_have_text("Off")


async def _count_is(rpc: KamailioRpcClient, count: int) -> bool:
    return len(await rpc.websockets()) == count


LISTEN = "mutation($id: ID!) { listenToCall(callId: $id) { listenId callId } }"
STOP = "mutation($id: ID!) { stopListening(listenId: $id) { listenId } }"


async def test_a_supervisor_listens_in_from_the_desktop(
    browser: Browser,
    desk: Console,
    tenant: Tenant,
    kamailio_node: KamailioNode,
    redis: Redis,
    rpc: KamailioRpcClient,
    sipp_dir: Path,
) -> None:
    """listenToCall rings the supervisor's desktop softphone with both parties' audio."""
    supervisor = await create_user(desk, tenant.admin, "SUPERVISOR")
    other = await sign_up_tenant(desk)
    ctx = await new_context(browser, desk.url)
    try:
        await log_in_context(ctx, desk, supervisor)
        page = await open_desktop(ctx)
        routing = LiveCenter(redis, tenant_id=uuid.UUID(tenant.tenant_uuid), slug=tenant.admin.slug)
        queue_id = await routing.queue()
        number = await routing.number(queue_id)
        agent, _, _ = await sipp_agent(routing, kamailio_node, sipp_dir, [queue_id], pause_ms=100)
        caller = await Sipp(
            "uac.xml",
            workdir=sipp_dir,
            target=kamailio_node.sip_target,
            service=number,
            pause_ms=12_000,
        ).start()
        call_id = await wait_for_call_id(caller)
        await routing.wait_event(call_id, "call.answered")
        await wait_acked(rpc, call_id)

        assert error_code(await desk.gql(LISTEN, {"id": call_id}, token=other.token)) == (
            "NOT_FOUND"
        )
        # listenToCall returns once the supervisor's softphone answered the listen leg.
        listening = asyncio.create_task(desk.gql(LISTEN, {"id": call_id}, token=supervisor.token))
        await page.get_by_role("button", name="Answer").click()
        listen_id = ok(await listening)["listenToCall"]["listenId"]

        async def hearing() -> bool:
            q = await page.evaluate(QUALITY)
            return bool(q and q["dtls"] == "connected" and q["packetsReceived"] > 50)

        await until(hearing, limit_s=15, what="the call's audio at the supervisor")
        assert error_code(await desk.gql(STOP, {"id": listen_id}, token=other.token)) == "NOT_FOUND"
        ok(await desk.gql(STOP, {"id": listen_id}, token=supervisor.token))
        await expect(page.get_by_text(re.compile("Call with .* ended"))).to_be_visible()
        assert (await caller.wait(30)).ok  # the listened call itself was untouched
        assert (await agent.wait(30)).ok
    finally:
        await ctx.close()


async def test_a_tab_on_a_call_keeps_the_desktop_and_a_new_tab_is_refused(
    agent_context: BrowserContext,
    tenant: Tenant,
    kamailio_node: KamailioNode,
    redis: Redis,
    sipp_dir: Path,
) -> None:
    first = await open_desktop(agent_context)
    await go_available(first)
    async with rtp_sink() as sink:
        caller, call_id = await place_call(tenant, kamailio_node, sipp_dir, sink)
        try:
            await first.get_by_role("button", name="Answer").click()
            await expect(first.get_by_role("timer", name="Call time")).to_be_visible()
            second = await agent_context.new_page()
            await second.goto("/agent")
            refused = second.get_by_role("alert").filter(has_text="on a call in another tab")
            await expect(refused).to_be_visible()
            await expect(second.get_by_test_id("registration")).to_have_text("Off")
            await expect(first.get_by_test_id("registration")).to_have_text("Ready for calls")
            await expect(first.get_by_role("timer", name="Call time")).to_be_visible()
            # The caller's scenario expects a hold and a resume before the agent's BYE.
            await first.get_by_role("button", name="Hold").click()
            await wait_event(redis, tenant, call_id, "call.held")
            await first.get_by_role("button", name="Resume").click()
            await wait_event(redis, tenant, call_id, "call.resumed")
            await first.get_by_role("button", name="Hang up").click()
            assert (await caller.wait(30)).ok
        finally:
            caller.kill()
    await second.get_by_role("button", name="Try again").click()
    await expect(second.get_by_test_id("registration")).to_have_text("Ready for calls")
    await expect(
        first.get_by_role("alert").filter(has_text="This desktop moved to another tab")
    ).to_be_visible()
