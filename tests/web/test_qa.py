"""QA in Chromium against the real API: an admin defines a scorecard, a supervisor scores a
recorded call beside its audio with a comment pinned to a moment of it, and the agent sees
the evaluation and acknowledges it. Tenant B's supervisor sees none of it.

The recording is a real stereo WAV put in the API's own store and saved through the
recordings service, as the recordings agent does after an upload.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import struct
import uuid
import wave
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.async_api import Browser, Page, expect

from api.clients import ApiServices
from media_plane.recordings import service as recordings
from tenants.graphql.relay import from_global_id, to_global_id
from tests.web.helpers import (
    Account,
    Console,
    assert_accessible,
    create_user,
    open_as,
    sign_up_tenant,
)

SECONDS = 8


def _stereo_wav() -> bytes:
    """Caller left (440 Hz), agent right (660 Hz), 8 kHz 16-bit, ``SECONDS`` long."""
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        frames = bytearray()
        for n in range(8000 * SECONDS):
            left = int(8000 * math.sin(2 * math.pi * 440 * n / 8000))
            right = int(8000 * math.sin(2 * math.pi * 660 * n / 8000))
            frames += struct.pack("<hh", left, right)
        wav.writeframes(bytes(frames))
    return out.getvalue()


async def _recording(console: Console, owner: Account, agent: Account) -> str:
    """A stored recording of a call the agent took, in the console's recording store."""
    tenant = from_global_id(owner.tenant_id)[1]
    services = ApiServices.build(console.settings)
    try:
        content = _stereo_wav()
        call_id = f"{uuid.uuid4().hex}@pbx.example"
        source = Path(console.settings.var_dir) / f"{uuid.uuid4().hex}.wav"
        source.write_bytes(content)
        digest = hashlib.sha256(content).hexdigest()
        stored = services.recording_store.put_file(
            key=f"{tenant}/recordings/2026/12/04/{call_id}.wav",
            path=source,
            content_type="audio/wav",
            sha256=digest,
            metadata={},
        )
        async with services.database.transaction(tenant) as session:
            row = await recordings.save_recording(
                session=session,
                tenant_id=tenant,
                call_id=call_id,
                agent_id=from_global_id(agent.user_id)[1],
                storage=services.recording_store.name,
                key=stored.key,
                audio_format="wav",
                content_type="audio/wav",
                size_bytes=stored.size,
                sha256=digest,
                duration_ms=SECONDS * 1000,
                channels=2,
                started_at=None,
            )
        return to_global_id("Recording", row.id)
    finally:
        await services.close()


async def _define_scorecard(page: Page, name: str) -> None:
    await page.get_by_role("link", name="QA scorecards").click()
    await expect(page.get_by_role("heading", name="QA scorecards", level=1)).to_be_visible()
    await page.get_by_role("button", name="New scorecard").click()
    dialog = page.get_by_role("dialog", name="New scorecard")
    await dialog.get_by_label("Name").fill(name)
    first = dialog.get_by_role("group", name="Section 1", exact=True)
    await first.get_by_label("Section title").fill("Opening")
    greet = dialog.get_by_role("group", name="Question 1.1")
    await greet.get_by_label("Question").fill("Greeted the caller by name?")
    await dialog.get_by_role("button", name="Add question to section 1").click()
    empathy = dialog.get_by_role("group", name="Question 1.2")
    await empathy.get_by_label("Question").fill("Showed empathy")
    await empathy.get_by_label("Answer type").select_option("SCALE")
    await empathy.get_by_label("Weight").fill("2")
    await empathy.get_by_label("Allow N/A").check()
    await dialog.get_by_role("button", name="Add section").click()
    second = dialog.get_by_role("group", name="Section 2", exact=True)
    await second.get_by_label("Section title").fill("Compliance")
    verify = dialog.get_by_role("group", name="Question 2.1")
    await verify.get_by_label("Question").fill("Verified the caller's identity?")
    await verify.get_by_label("Auto-fail").check()
    await assert_accessible(page)
    await dialog.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status")).to_have_text(f"Scorecard {name} created.")
    await expect(page.get_by_role("row", name=name)).to_contain_text("Active")
    await assert_accessible(page)


async def test_admin_defines_supervisor_scores_and_agent_acknowledges(
    browser: Browser, console: Console, admin_page: Page, admin: Account
) -> None:
    name = f"Inbound {uuid.uuid4().hex[:6]}"
    await _define_scorecard(admin_page, name)

    supervisor = await create_user(console, admin, "SUPERVISOR")
    agent = await create_user(console, admin, "AGENT")
    recording = await _recording(console, admin, agent)

    ctx, page = await open_as(browser, console, supervisor, "/supervisor")
    try:
        await (
            page.get_by_role("navigation", name="Supervisor pages")
            .get_by_role("link", name="Quality")
            .click()
        )
        await expect(page.get_by_role("heading", name="Quality", level=1)).to_be_visible()
        await page.get_by_label("Scorecard").select_option(label=f"{name} (v1)")
        await page.get_by_label("Recorded call").select_option(recording)
        await assert_accessible(page)
        await page.get_by_role("button", name="Start evaluation").click()

        audio = page.locator("audio")
        await expect(audio).to_have_attribute("src", re.compile(r"/v1/recordings/playback\?"))
        await page.wait_for_function(
            "() => { const a = document.querySelector('audio'); return a && a.readyState >= 1 }"
        )
        assert await audio.evaluate("a => Math.round(a.duration)") == SECONDS
        await audio.evaluate("a => { a.currentTime = 3.2 }")
        await page.wait_for_function("() => document.querySelector('audio').currentTime > 3")

        sheet = page.get_by_role("region", name="Evaluation")
        await (
            sheet.get_by_role("group", name="Greeted the caller by name?")
            .get_by_label("Yes")
            .check()
        )
        await sheet.get_by_role("group", name="Showed empathy").get_by_label("4").check()
        await (
            sheet.get_by_role("group", name="Verified the caller's identity?")
            .get_by_label("Yes")
            .check()
        )
        await sheet.get_by_label("Comment", exact=True).fill("Warm, personal greeting")
        await sheet.get_by_role("button", name="Comment at current time").click()
        await expect(sheet.get_by_role("button", name="Play from 0:03")).to_be_visible()
        await sheet.get_by_label("Overall comment").fill("A good call.")
        await sheet.get_by_role("button", name="Save draft").click()
        await expect(page.get_by_text("Draft saved.")).to_be_visible()
        await expect(sheet.get_by_text("Score 87.5 / 100")).to_be_visible()
        await assert_accessible(page)
        await sheet.get_by_role("button", name="Submit evaluation").click()
        await expect(page.get_by_text("Evaluation submitted: score 87.5.")).to_be_visible()
        await expect(sheet.get_by_text("Warm, personal greeting")).to_be_visible()
        await assert_accessible(page)
        evaluation_url = page.url

        # The report builder's Quality data: the evaluation per agent and day, as CSV rows.
        today = datetime.now(UTC).date()
        await page.goto(f"{console.url}/supervisor/report-builder")
        await page.get_by_label("Data").select_option(label="Quality (QA evaluations)")
        qa_form = page.get_by_role("form", name="QA report definition")
        await qa_form.get_by_label(re.compile("^From")).fill(str(today - timedelta(days=1)))
        await qa_form.get_by_label("To (inclusive)").fill(str(today + timedelta(days=1)))
        await qa_form.get_by_role("button", name="Preview").click()
        preview = page.get_by_role("table", name="Preview")
        await expect(preview.get_by_role("row")).to_have_count(2)
        await expect(preview.get_by_role("row").nth(1)).to_contain_text("day")
        await expect(preview.get_by_role("row").nth(1)).to_contain_text("87.5")
        await assert_accessible(page)
    finally:
        await ctx.close()

    ctx, page = await open_as(browser, console, agent, "/agent")
    try:
        await page.get_by_role("link", name="My evaluations").click()
        await expect(page.get_by_role("heading", name="My evaluations", level=1)).to_be_visible()
        row = page.get_by_role("row").filter(has_text=name)
        await expect(row).to_contain_text("87.5")
        await expect(row).to_contain_text("Submitted")
        await assert_accessible(page)
        await row.get_by_role("link", name="Open").click()
        await expect(page.get_by_text("Score 87.5 / 100")).to_be_visible()
        await expect(page.get_by_text("Warm, personal greeting")).to_be_visible()
        await expect(page.get_by_role("button", name="Play from 0:03")).to_be_visible()
        await assert_accessible(page)
        await page.get_by_role("button", name="Acknowledge").click()
        await expect(page.get_by_text("Evaluation acknowledged.")).to_be_visible()
        await expect(page.get_by_role("button", name="Acknowledge")).to_have_count(0)
        await expect(page.get_by_text(f"{name}, version 1 · Acknowledged")).to_be_visible()
    finally:
        await ctx.close()

    other = await sign_up_tenant(console)
    outsider = await create_user(console, other, "SUPERVISOR")
    ctx, page = await open_as(browser, console, outsider, "/supervisor/qa")
    try:
        await expect(page.get_by_role("heading", name="Quality", level=1)).to_be_visible()
        await expect(page.get_by_role("table", name="Submitted evaluations")).to_contain_text(
            "None."
        )
        await expect(page.get_by_label("Scorecard")).not_to_contain_text(name)
        await page.goto(evaluation_url.replace(console.url, ""))
        await expect(page.get_by_role("alert")).to_be_visible()
        await expect(page.get_by_text("Warm, personal greeting")).to_have_count(0)
    finally:
        await ctx.close()
