"""The supervisor's reports, report builder and staffing calculator in Chromium, on the real API.

Facts come the way production makes them: contract events on the tenant's Valkey stream
(as routing publishes them), consumed by the analytics worker into PostgreSQL. The pages then
read the same GraphQL reports a test asks for itself, and what they show must agree.
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
import uuid
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from analytics.worker import EventWorker, WorkerConfig
from api.clients import ApiServices
from tenants.graphql.relay import from_global_id
from tests.analytics.conftest import Publisher
from tests.analytics.reports.test_reports import call
from tests.routing.config.helpers import CREATE_PROFILE
from tests.web.helpers import (
    Account,
    Console,
    assert_accessible,
    create_user,
    log_in_context,
    new_context,
    sign_up_tenant,
)

ZONE = "Asia/Shanghai"
CREATE_QUEUE = """
mutation($input: CreateQueueInput!) { createQueue(input: $input) { id } }"""
SIGN_IN = """
mutation($input: QueueMembershipInput!) { signInToQueue(input: $input) { queueIds } }"""
SET_ZONE = "mutation($zone: String!) { setReportTimeZone(timeZone: $zone) }"
QUEUE_REPORT = """
query($queue: ID!, $range: ReportRangeInput!) {
  queueReport(queueId: $queue, range: $range) {
    intervalStart offered answered abandoned serviceLevel asa
    definition { answerSeconds shortAbandonSeconds formula }
  }
}"""


def ok(body: dict) -> dict:
    assert "errors" not in body, body
    return body["data"]


def row_uuid(global_id: str) -> uuid.UUID:
    return from_global_id(global_id)[1]


def report_day() -> date:
    """A whole local day in the past (two days ago in the zone), so no interval is open."""
    return datetime.now(ZoneInfo(ZONE)).date() - timedelta(days=2)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(ZONE))


def percent(share: float | None) -> str:
    """A share as the page prints it (0.1 % steps, no trailing .0)."""
    if share is None:
        return "—"
    return f"{round(share * 100, 1):g}%"


@pytest.fixture
async def facts(services: ApiServices) -> AsyncIterator[tuple[Publisher, EventWorker]]:
    """A publisher of contract events and the analytics worker reading only its streams."""
    streams_set = f"test:event-streams:{uuid.uuid4().hex}"
    worker = EventWorker(
        database=services.database,
        redis=services.redis,
        config=WorkerConfig(
            group=f"reports-{uuid.uuid4().hex[:8]}",
            streams_set=streams_set,
            consumer="w1",
            block_ms=10,
        ),
    )
    yield Publisher(services.redis, streams_set), worker


async def drain(worker: EventWorker) -> None:
    for _ in range(50):
        if await worker.run_once(block_ms=10) == 0:
            return
    raise AssertionError("the worker never drained the streams")


async def supervisor_of(console: Console, owner: Account) -> Account:
    ok(await console.gql(SET_ZONE, {"zone": ZONE}, token=owner.token))
    return await create_user(console, owner, "SUPERVISOR")


async def a_queue(console: Console, owner: Account, name: str = "Support") -> str:
    queue = {"name": name, "slThresholdS": 20}
    return ok(await console.gql(CREATE_QUEUE, {"input": queue}, token=owner.token))["createQueue"][
        "id"
    ]


async def pick_day(page: Page, day: date) -> None:
    await page.get_by_label("From").fill(day.isoformat())
    await page.get_by_label("To (inclusive)").fill(day.isoformat())


async def read_download(page: Page, button_name: str) -> str:
    async with page.expect_download() as info:
        await page.get_by_role("button", name=button_name).click()
    download = await info.value
    path = Path(await download.path())
    return await asyncio.to_thread(path.read_text, encoding="utf-8")


async def test_a_queue_reports_sl_chart_table_and_csv_match_the_api(
    page: Page,
    context: BrowserContext,
    console: Console,
    admin: Account,
    facts: tuple[Publisher, EventWorker],
) -> None:
    publish, worker = facts
    supervisor = await supervisor_of(console, admin)
    queue_id = await a_queue(console, admin)
    agent = await create_user(console, admin, "AGENT")
    profile = {"userId": agent.user_id, "queueIds": [queue_id]}
    ok(await console.gql(CREATE_PROFILE, {"input": profile}, token=admin.token))
    ok(await console.gql(SIGN_IN, {"input": {"queueId": queue_id}}, token=agent.token))
    tenant, queue, agent_id = (
        row_uuid(admin.tenant_id),
        row_uuid(queue_id),
        row_uuid(agent.user_id),
    )
    day = report_day()
    # 09:00-10:00: three answered (two within T = 20 s), one abandoned after S; 11:00: one late.
    for minute, wait, outcome in ((1, 5, "answered"), (10, 15, "answered"), (20, 45, "answered")):
        await call(publish, tenant, queue, at(day, 9, minute), wait=wait, agent=agent_id)
        assert outcome == "answered"
    await call(publish, tenant, queue, at(day, 9, 40), wait=30, outcome="abandoned")
    await call(publish, tenant, queue, at(day, 11, 5), wait=50, agent=agent_id)
    await drain(worker)

    start, end = at(day, 0), at(day + timedelta(days=1), 0)
    window = {"start": start.isoformat(), "end": end.isoformat(), "interval": "MINUTES_60"}
    rows = ok(
        await console.gql(
            QUEUE_REPORT,
            {"queue": queue_id, "range": {**window, "timeZone": ZONE}},
            token=supervisor.token,
        )
    )["queueReport"]
    assert len(rows) == 24
    busy = [r for r in rows if r["offered"]]
    assert [r["offered"] for r in busy] == [4, 1]

    await log_in_context(context, console, supervisor)
    await page.goto("/supervisor")
    await (
        page.get_by_role("navigation", name="Supervisor pages")
        .get_by_role("link", name="Reports")
        .click()
    )
    await expect(page.get_by_role("heading", name="Reports", level=1)).to_be_visible()
    await expect(page.get_by_text(f"Period (times in {ZONE})")).to_be_visible()
    await page.get_by_label("Report on").select_option(label="Support")
    await pick_day(page, day)
    definition = rows[0]["definition"]
    sl = page.get_by_role("region", name="Service level", exact=True)
    await expect(sl).to_contain_text(
        f"T = {definition['answerSeconds']} s, S = {definition['shortAbandonSeconds']} s"
    )
    await sl.get_by_text("Data table: Service level").click()
    table = sl.get_by_role("table", name="Service level by interval")
    await expect(table.get_by_role("row")).to_have_count(25)
    for row in rows:
        label = datetime.fromisoformat(row["intervalStart"]).astimezone(ZoneInfo(ZONE))
        header = page.get_by_role("rowheader", name=label.strftime("%H:%M"), exact=True)
        cells = table.get_by_role("row").filter(has=header)
        await expect(cells.get_by_role("cell")).to_have_text([percent(row["serviceLevel"])])
    # Genesys: 2 within T ÷ (3 answered + 1 abandoned - 0 short) at 09:00.
    assert busy[0]["serviceLevel"] == pytest.approx(0.5)

    exported = await read_download(page, "Download CSV: Service level")
    lines = list(csv.DictReader(io.StringIO(exported)))
    assert len(lines) == 24
    for line, row in zip(lines, rows, strict=True):
        assert datetime.fromisoformat(line["interval_start"]) == datetime.fromisoformat(
            row["intervalStart"]
        )
        assert int(line["offered"]) == row["offered"]
        expected = row["serviceLevel"]
        assert (
            (line["serviceLevel"] == "")
            if expected is None
            else (float(line["serviceLevel"]) == pytest.approx(expected, abs=1e-6))
        )
        assert line["sl_formula"] == row["definition"]["formula"]
    await expect(page.get_by_role("region", name="Occupancy", exact=True)).to_have_count(0)
    await assert_accessible(page)

    # The whole center: occupancy charted, the workload table lists the agent.
    await page.get_by_label("Report on").select_option(label="The whole center")
    await expect(page.get_by_role("region", name="Occupancy", exact=True)).to_be_visible()
    workload = page.get_by_role("table", name="Agent workload")
    ada = workload.get_by_role("row").filter(has=page.get_by_role("rowheader", name=agent.email))
    await expect(ada.get_by_role("cell").first).to_have_text("4")
    heat = page.get_by_role("table", name="Traffic by hour of day")
    await expect(heat.get_by_role("row", name="Offered", exact=False).first).to_contain_text("4")
    await assert_accessible(page)


async def test_a_second_tenant_never_sees_the_first_tenants_queues(
    page: Page, context: BrowserContext, console: Console, admin: Account
) -> None:
    await a_queue(console, admin, "Tenant A only")
    other = await sign_up_tenant(console)
    await log_in_context(context, console, other)
    await page.goto("/supervisor/reports")
    subject = page.get_by_label("Report on")
    await expect(subject.locator("option")).to_have_count(1 + 0 + 0, timeout=5000)
    await expect(subject).not_to_contain_text("Tenant A only")


EXPORT = """
query($id: ID!, $start: DateTime!, $end: DateTime!) {
  exportSavedReport(id: $id, start: $start, end: $end)
}"""
SAVED = "{ savedReports(first: 20) { nodes { id name } } }"


async def test_a_built_report_is_previewed_saved_shared_and_exported_as_csv(
    page: Page,
    context: BrowserContext,
    browser: Browser,
    console: Console,
    admin: Account,
    facts: tuple[Publisher, EventWorker],
) -> None:
    publish, worker = facts
    supervisor = await supervisor_of(console, admin)
    queue_id = await a_queue(console, admin)
    tenant, queue = row_uuid(admin.tenant_id), row_uuid(queue_id)
    day = report_day()
    await call(publish, tenant, queue, at(day, 9, 1), wait=5, outcome="abandoned")
    await call(publish, tenant, queue, at(day, 9, 2), wait=40, outcome="abandoned")
    await call(publish, tenant, queue, at(day, 14, 30), wait=2, outcome="abandoned")
    await drain(worker)

    await log_in_context(context, console, admin)
    await page.goto("/supervisor/report-builder")
    await expect(page.get_by_role("heading", name="Report builder", level=1)).to_be_visible()
    await page.get_by_label("Report name").fill("Support by hour")
    await page.get_by_label("Rows per").select_option(label="Queue")
    await page.get_by_role("checkbox", name="Support").check()
    await page.get_by_role("checkbox", name="Short abandons").check()
    await page.get_by_label("From (times in").fill(day.isoformat())
    await page.get_by_label("To (inclusive)").fill(day.isoformat())
    await page.get_by_role("button", name="Preview").click()
    preview = page.get_by_role("table", name="Preview")
    nine = preview.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=at(day, 9).isoformat())
    )
    await expect(nine).to_contain_text("Support")
    await assert_accessible(page)
    await page.get_by_role("button", name="Save for the center").click()
    await expect(page.get_by_text("Report Support by hour saved")).to_be_visible()
    saved_row = (
        page.get_by_role("table", name="Saved reports")
        .get_by_role("row")
        .filter(has=page.get_by_role("rowheader", name="Support by hour"))
    )
    await expect(saved_row).to_be_visible()
    saved = ok(await console.gql(SAVED, token=admin.token))["savedReports"]["nodes"]
    assert [r["name"] for r in saved] == ["Support by hour"]
    window = {"start": at(day, 0).isoformat(), "end": at(day + timedelta(days=1), 0).isoformat()}
    expected = ok(await console.gql(EXPORT, {"id": saved[0]["id"], **window}, token=admin.token))

    # Shared: the tenant's supervisor finds it and exports it; the file is the API's CSV.
    other_ctx = await new_context(browser, console.url)
    try:
        await log_in_context(other_ctx, console, supervisor)
        mine = await other_ctx.new_page()
        await mine.goto("/supervisor/report-builder")
        await mine.get_by_label("From (times in").fill(day.isoformat())
        await mine.get_by_label("To (inclusive)").fill(day.isoformat())
        await mine.get_by_role("button", name="Preview").click()
        await expect(mine.get_by_role("table", name="Preview")).to_be_visible()
        exported = await read_download(mine, "Export CSV: Support by hour")
        await expect(mine.get_by_role("button", name="Delete Support by hour")).to_have_count(0)
        await assert_accessible(mine)
    finally:
        await other_ctx.close()
    assert exported == expected["exportSavedReport"]
    lines = list(csv.DictReader(io.StringIO(exported)))
    assert len(lines) == 24
    assert lines[0]["queue"] == str(queue)
    nine_line = next(r for r in lines if datetime.fromisoformat(r["interval_start"]) == at(day, 9))
    # Two abandons at 09:00, one after 5 s (= S: short), one after 40 s.
    assert (nine_line["offered"], nine_line["abandonmentRate"], nine_line["shortAbandoned"]) == (
        "2",
        "1",
        "1",
    )
    assert (nine_line["answer_seconds"], nine_line["sl_formula"]) == ("20", "genesys")

    # Delete from the list.
    await saved_row.get_by_role("button", name="Delete Support by hour").click()
    await page.get_by_role("alertdialog").get_by_role("button", name="Delete report").click()
    await expect(page.get_by_text("Report Support by hour deleted")).to_be_visible()
    await expect(saved_row).to_have_count(0)


async def test_a_second_tenant_sees_none_of_the_first_tenants_saved_reports(
    page: Page, context: BrowserContext, console: Console, admin: Account
) -> None:
    create = """
    mutation($input: SavedReportInput!) { createSavedReport(input: $input) { id } }"""
    report = {"name": "A's secret report", "dimension": "TENANT", "metrics": ["offered"]}
    ok(await console.gql(create, {"input": report}, token=admin.token))
    other = await sign_up_tenant(console)
    await log_in_context(context, console, other)
    await page.goto("/supervisor/report-builder")
    table = page.get_by_role("table", name="Saved reports")
    await expect(table).to_contain_text("No saved reports yet.")
    await expect(page.get_by_text("A's secret report")).to_have_count(0)
    await assert_accessible(page)


HOURLY = """
query($range: ReportRangeInput!) {
  hourlyTraffic(range: $range) { hour averageOfferedPerDay }
  tenantReport(range: $range) { aht }
}"""
PLAN = """
query($input: StaffingPlanInput!) {
  staffingPlan(input: $input) { trafficErlangs agents scheduledAgents serviceLevel }
}"""


async def test_the_staffing_chart_for_known_traffic_matches_staffing_plan(
    page: Page,
    context: BrowserContext,
    console: Console,
    admin: Account,
    facts: tuple[Publisher, EventWorker],
) -> None:
    publish, worker = facts
    supervisor = await supervisor_of(console, admin)
    queue_id = await a_queue(console, admin)
    agent = await create_user(console, admin, "AGENT")
    tenant, queue, agent_id = (
        row_uuid(admin.tenant_id),
        row_uuid(queue_id),
        row_uuid(agent.user_id),
    )
    day = report_day()
    # Last week: 14 calls between 10:00 and 11:00 on one day (2 a day on average), AHT 240 s.
    for i in range(14):
        await call(
            publish, tenant, queue, at(day, 10, 4 * i), wait=3, agent=agent_id, talk=200, acw=40
        )
    await drain(worker)
    today = datetime.now(ZoneInfo(ZONE)).date()
    history = {
        "start": at(today - timedelta(days=7), 0).isoformat(),
        "end": at(today, 0).isoformat(),
        "interval": "RANGE",
        "timeZone": ZONE,
    }
    known = ok(await console.gql(HOURLY, {"range": history}, token=supervisor.token))
    per_day = {r["hour"]: r["averageOfferedPerDay"] for r in known["hourlyTraffic"]}
    assert per_day[10] == pytest.approx(2)
    aht = known["tenantReport"][0]["aht"]
    assert aht == pytest.approx(240)
    plan_in = {
        "callsPerInterval": per_day[10],
        "intervalSeconds": 3600,
        "ahtSeconds": round(aht),
        "targetServiceLevel": 0.9,
        "targetSeconds": 10,
        "shrinkage": 0.35,
        "maxOccupancy": None,
    }
    plan = ok(await console.gql(PLAN, {"input": plan_in}, token=supervisor.token))["staffingPlan"]

    await log_in_context(context, console, supervisor)
    await page.goto("/supervisor")
    nav = page.get_by_role("navigation", name="Supervisor pages")
    await nav.get_by_role("link", name="Staffing").click()
    await expect(page.get_by_role("heading", name="Staffing", level=1)).to_be_visible()
    await page.get_by_label("Forecast from").select_option(label="the last week")
    await expect(page.get_by_label("Average handle time (seconds)")).to_have_value("240")
    await page.get_by_label("Target service level (%)").fill("90")
    await page.get_by_label("Answered within T (seconds)").fill("10")
    await page.get_by_label("Shrinkage (%)").fill("35")
    await page.get_by_role("button", name="Calculate the plan").click()
    table = page.get_by_role("table", name="Staffing plan by hour")
    ten = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="10:00"))
    await expect(ten.get_by_role("cell")).to_have_text(
        [
            "2",
            f"{round(plan['trafficErlangs'], 1):g}",
            str(plan["agents"]),
            str(plan["scheduledAgents"]),
            f"{round(plan['serviceLevel'] * 100, 1):g}%",
            re.compile(r"s$"),
            re.compile(r"%$"),
        ]
    )
    nine = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="09:00"))
    await expect(nine.get_by_role("cell").nth(2)).to_have_text("0")
    assert plan["agents"] >= 1 and plan["scheduledAgents"] > plan["agents"]
    await expect(page.get_by_role("img", name=re.compile("Agents needed per hour"))).to_be_visible()
    exported = await read_download(page, "Download CSV: Agents needed per hour")
    line = next(r for r in csv.DictReader(io.StringIO(exported)) if r["hour"] == "10")
    assert (int(line["agents"]), int(line["scheduled_agents"])) == (
        plan["agents"],
        plan["scheduledAgents"],
    )
    await assert_accessible(page)
