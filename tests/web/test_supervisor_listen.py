"""Listen-in from the wallboard (/supervisor) in Chromium against the real stack: a sipp
caller answered by the agent's browser desktop, and the supervisor's own listen-only
softphone on the wallboard page, rung by ``listenToCall`` through Kamailio and rtpengine."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect
from redis.asyncio import Redis

from tests.media_plane.conftest import (
    KamailioNode,
    kamailio_node,
    media_ports,
    routing_process,
    rtpengine_node,
    sipp_dir,
)
from tests.serving import until
from tests.web.desk import Tenant, rtp_sink
from tests.web.helpers import Console, assert_accessible, create_user, log_in_context, new_context
from tests.web.test_agent_desktop import (
    agent_context,
    desk,
    go_available,
    open_desktop,
    place_call,
    redis,
    tenant,
    wait_event,
)
from tests.web.test_supervisor_wallboard import open_wallboard

__all__ = [
    "agent_context",
    "desk",
    "kamailio_node",
    "media_ports",
    "redis",
    "routing_process",
    "rtpengine_node",
    "sipp_dir",
    "tenant",
]

LISTEN_QUALITY = "window.hotlineListenPhone?.quality() ?? null"
LISTEN_PHONE = """() => { const s = window.hotlineListenPhone.getState();
  return { registration: s.registration, phase: s.call?.phase ?? null,
           endedBy: s.call?.endedBy ?? null }; }"""


async def listen_stats(page: Page) -> dict[str, Any] | None:
    return await page.evaluate(LISTEN_QUALITY)


@pytest.mark.xfail(
    reason="KNOWN FLAKY (issue 13): failed twice in full runs on 2026-12-04 "
    "(Stop busy; call.held late), passes alone; cause open",
    strict=False,
)
async def test_a_supervisor_listens_from_the_wallboard_and_stops(
    browser: Browser,
    desk: Console,
    tenant: Tenant,
    agent_context: BrowserContext,
    kamailio_node: KamailioNode,
    redis: Redis,
    sipp_dir: Path,
) -> None:
    supervisor = await create_user(desk, tenant.admin, "SUPERVISOR")
    agent_page = await open_desktop(agent_context)
    await go_available(agent_page)
    ctx = await new_context(browser, desk.url)
    try:
        await log_in_context(ctx, desk, supervisor)
        board = await ctx.new_page()
        await open_wallboard(board, redis)
        async with rtp_sink() as sink:
            caller, call_id = await place_call(tenant, kamailio_node, sipp_dir, sink)
            try:
                await agent_page.get_by_role("button", name="Answer").click()
                await wait_event(redis, tenant, call_id, "call.answered")
                await expect(agent_page.get_by_role("timer", name="Call time")).to_be_visible()

                row = board.get_by_role("row").filter(has_text=tenant.caller)
                await expect(row).to_contain_text(re.compile(r"Talk \d+:\d\d"))
                # Whisper and barge say why they are not offered here.
                whisper = row.get_by_role("button", name="Whisper")
                await expect(whisper).to_be_disabled()
                await expect(whisper).to_have_accessible_description(
                    re.compile("Whisper is not available")
                )
                await expect(row.get_by_role("button", name="Barge")).to_be_disabled()
                assert await listen_stats(board) is None  # no listen leg yet

                await row.get_by_role("button", name="Listen").click()
                panel = board.get_by_role("region", name="Listen-in")
                await expect(panel).to_contain_text(
                    re.compile(rf"Listening to .+ · {re.escape(tenant.caller)}"), timeout=20_000
                )

                async def hearing() -> bool:
                    q = await listen_stats(board)
                    return bool(q and q["dtls"] == "connected" and q["packetsReceived"] > 50)

                await until(hearing, limit_s=15, what="the call's audio on the wallboard page")
                await assert_accessible(board)

                await panel.get_by_role("button", name="Stop listening").click()
                await expect(board.get_by_text(re.compile("Stopped listening to"))).to_be_visible()
                phone = await board.evaluate(LISTEN_PHONE)
                assert phone == {"registration": "stopped", "phase": "ended", "endedBy": "remote"}
                assert await listen_stats(board) is None
                # The listened call itself goes on: the agent holds, resumes and hangs up.
                await expect(agent_page.get_by_role("timer", name="Call time")).to_be_visible()
                await agent_page.get_by_role("button", name="Hold").click()
                await wait_event(redis, tenant, call_id, "call.held")
                await agent_page.get_by_role("button", name="Resume").click()
                await wait_event(redis, tenant, call_id, "call.resumed")
                await agent_page.get_by_role("button", name="Hang up").click()
                assert (await caller.wait(30)).ok
            finally:
                caller.kill()
        await expect(board.get_by_role("button", name="Listen")).to_have_count(0)
    finally:
        await ctx.close()
