"""Recordings in Chromium: a recording made by the real pipeline (synthetic RTP → the
recordings agent → stereo WAV in the console's store → row), searched and played by a
supervisor with both parties' channels live, downloaded; refused to an agent once the
tenant turns agents' playback off; and the playback in the admin's access log."""

from __future__ import annotations

import io
import uuid
import wave
from array import array
from pathlib import Path

from playwright.async_api import Browser, Page, expect

from analytics.models import Contact
from api.clients import ApiServices, build_store
from media_plane.recordings.agent import RecordingsAgent
from routing.config.models import Queue
from tenants.graphql.relay import from_global_id
from tenants.settings import RecordingsSettings
from tests.media_plane.recordings import synthetic
from tests.web.helpers import (
    TIMEOUT_MS,
    Account,
    Console,
    assert_accessible,
    create_user,
    open_as,
    sign_up_tenant,
)

CALL_ID = "rec-web-1@example.com"
CHANNEL_LIVE = """(side) => {
  const meter = document.querySelector(`[data-side="${side}"] meter`);
  const audio = document.querySelector('audio');
  return !!meter && !!audio && !audio.paused && audio.currentTime > 0 && meter.value > 0.02;
}"""


async def record_call(
    console: Console, services: ApiServices, spool: Path, admin: Account, agent: Account
) -> None:
    """One finished call through the pipeline into the console's own store, with its facts."""
    tenant = from_global_id(admin.tenant_id)[1]
    agent_id = from_global_id(agent.user_id)[1]
    synthetic.two_party_call(
        spool, CALL_ID, seconds=8.0, metadata=f"tenant={tenant}|agent={agent_id}"
    )
    settings = console.settings.model_copy(
        update={"recordings": RecordingsSettings(spool_dir=spool, formats=["wav"])}
    )
    pipeline = RecordingsAgent(
        settings=settings,
        database=services.database,
        redis=services.redis,
        store=build_store(console.settings),
    )
    stored = await pipeline.scan_once()
    assert [(row.call_id, row.channels) for row in stored] == [(CALL_ID, 2)]
    queue_id = uuid.uuid4()
    async with services.database.transaction(tenant) as session:
        session.add(Queue(id=queue_id, tenant_id=tenant, name="Billing"))
        await session.flush()
        session.add(
            Contact(
                tenant_id=tenant,
                call_id=CALL_ID,
                first_queue_id=queue_id,
                from_number="+33612345678",
                arrived_at=stored[0].started_at,
            )
        )


async def listen(page: Page) -> None:
    table = page.get_by_role("table", name="Recordings, newest first")
    row = table.get_by_role("row").filter(has_text="+33612345678")
    await expect(row).to_contain_text("Billing", timeout=TIMEOUT_MS)
    await expect(row).to_contain_text("Inbound")
    await expect(row).to_contain_text("0:08")
    await row.get_by_role("button", name="Listen to Call of").click()
    await page.get_by_role("button", name="Play recording").click()


async def test_supervisor_plays_downloads_agent_refused_admin_sees_log(
    browser: Browser, console: Console, services: ApiServices, tmp_path: Path
) -> None:
    admin = await sign_up_tenant(console)
    supervisor = await create_user(console, admin, "SUPERVISOR")
    agent = await create_user(console, admin, "AGENT")
    await record_call(console, services, tmp_path / "spool", admin, agent)

    ctx, page = await open_as(browser, console, supervisor, "/supervisor/recordings")
    try:
        nav = page.get_by_role("navigation", name="Supervisor pages")
        await expect(nav.get_by_role("link", name="Recordings")).to_have_attribute(
            "aria-current", "page"
        )
        await listen(page)
        player = page.get_by_role("region", name="Recording player")
        await expect(player.get_by_text("Playing")).to_be_visible(timeout=TIMEOUT_MS)
        await expect(player.get_by_role("group", name="Caller")).to_be_visible()
        await expect(player.get_by_role("group", name="Agent")).to_be_visible()
        # Both parties are heard on their own channel: each meter moves while it plays.
        for side in ("caller", "agent"):
            await page.wait_for_function(CHANNEL_LIVE, arg=side, timeout=TIMEOUT_MS)
        await player.get_by_role("button", name="Mute Agent").click()
        await expect(player.get_by_role("button", name="Unmute Agent")).to_have_attribute(
            "aria-pressed", "true"
        )
        await assert_accessible(page)

        panel = page.get_by_role("region", name="Call of")
        async with page.expect_download() as download_info:
            await panel.get_by_role("button", name="Download", exact=True).click()
        download = await download_info.value
        assert download.suggested_filename.endswith(".wav")
        saved = tmp_path / "download.wav"
        await download.save_as(saved)
        assert saved.read_bytes()[:4] == b"RIFF"
        synthetic_left, synthetic_right = _channels(saved.read_bytes())
        assert synthetic.rms(synthetic_left) > 1000 and synthetic.rms(synthetic_right) > 1000

        # "Evaluate" opens QA with this recorded call chosen.
        row = page.get_by_role("table", name="Recordings, newest first").get_by_role("row")
        await row.filter(has_text="+33612345678").get_by_role("link", name="Evaluate").click()
        await expect(page.get_by_role("heading", name="Quality", level=1)).to_be_visible()
        recorded = page.get_by_label("Recorded call")
        await expect(recorded).not_to_have_value("", timeout=TIMEOUT_MS)
        await expect(recorded.locator("option:checked")).to_contain_text(CALL_ID)
    finally:
        await ctx.close()

    ctx, page = await open_as(browser, console, admin, "/admin/recording-access-log")
    try:
        box = page.get_by_role("checkbox", name="Agents may play the recordings of their own calls")
        await expect(box).to_be_checked(timeout=TIMEOUT_MS)
        await box.click()
        await expect(page.get_by_text("Agents may no longer play recordings.")).to_be_visible()
        log = page.get_by_role("table", name="Recording access log, newest first")
        rows = log.get_by_role("row")
        await expect(rows.filter(has_text="Downloaded")).to_contain_text(supervisor.email)
        await expect(rows.filter(has_text="Played")).to_contain_text(supervisor.email)
        await expect(rows.filter(has_text="Played")).to_contain_text("127.0.0.1")
        await assert_accessible(page)
    finally:
        await ctx.close()

    ctx, page = await open_as(browser, console, agent, "/agent/recordings")
    try:
        await expect(
            page.get_by_text("Your center does not let agents play their recordings.")
        ).to_be_visible(timeout=TIMEOUT_MS)
        await listen(page)
        await expect(page.get_by_role("alert")).to_have_text(
            "Your role may not play this recording."
        )
        await expect(page.locator("audio")).to_have_count(0)
        await expect(page.get_by_role("button", name="Download")).to_have_count(0)
        await assert_accessible(page)
    finally:
        await ctx.close()


async def test_other_tenant_sees_no_recording(
    browser: Browser, console: Console, services: ApiServices, tmp_path: Path
) -> None:
    admin = await sign_up_tenant(console)
    agent = await create_user(console, admin, "AGENT")
    await record_call(console, services, tmp_path / "spool", admin, agent)
    other = await sign_up_tenant(console)
    ctx, page = await open_as(browser, console, other, "/supervisor/recordings")
    try:
        table = page.get_by_role("table", name="Recordings, newest first")
        await expect(table).to_contain_text("No recording matches.", timeout=TIMEOUT_MS)
        await page.goto("/admin/recording-access-log")
        await expect(
            page.get_by_text("Nobody has played or downloaded a recording yet.")
        ).to_be_visible(timeout=TIMEOUT_MS)
    finally:
        await ctx.close()


def _channels(data: bytes) -> tuple[list[int], list[int]]:
    with wave.open(io.BytesIO(data), "rb") as wav:
        assert wav.getnchannels() == 2
        frames = array("h", wav.readframes(wav.getnframes()))
    return list(frames[0::2]), list(frames[1::2])
