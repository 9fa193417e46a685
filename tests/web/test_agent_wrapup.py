"""Wrap-up in Chromium: an agent finishes a routed call, wraps up with a required
disposition, and the disposition reaches the contact facts and the disposition report.

The call enters through routing's call-control HTTP API (``POST /v1/calls``, then its
``answered`` and ``ended`` events), as Kamailio would send them; the agent's page learns of
the wrap-up only through ``wrapUpChanges``.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

from playwright.async_api import Browser, Page, expect
from redis.asyncio import Redis
from sqlalchemy import select

from analytics.models import Contact
from analytics.worker import EventWorker, WorkerConfig
from tenants import redis_keys as keys
from tenants.database.scoping import scoped
from tenants.database.session import Database
from tenants.graphql.relay import from_global_id
from tests.routing.config.helpers import CREATE_NUMBER, CREATE_PROFILE, CREATE_QUEUE, fresh_number
from tests.serving import until
from tests.web.helpers import PASSWORD, TIMEOUT_MS, Account, Console, assert_accessible, open_as
from tests.web.test_supervisor_wallboard import (
    CREATE_USER,
    LOG_IN,
    SET_STATE,
    SIGN_IN,
    Routing,
    live_readers,
    ok,
    redis,
    routing,
)

__all__ = ["redis", "routing"]

CREATE_DISPOSITION = """
mutation($i: DispositionInput!) { createDisposition(input: $i) { id code } }"""
REPORT = """
query($range: ReportRangeInput!) { dispositionReport(range: $range) { code contacts } }"""


async def agent_of(console: Console, admin: Account) -> tuple[Account, str]:
    """An agent signed in to a queue "Sales" that requires a disposition; (agent, number)."""
    gql = console.gql
    queue = ok(
        await gql(
            CREATE_QUEUE,
            {"input": {"name": "Sales", "wrapupS": 120, "requireDisposition": True}},
            token=admin.token,
        )
    )["createQueue"]["id"]
    number = fresh_number()
    ok(await gql(CREATE_NUMBER, {"input": {"number": number, "queueId": queue}}, token=admin.token))
    email = f"ada-{uuid.uuid4().hex[:8]}@example.com"
    user = {"email": email, "password": PASSWORD, "role": "AGENT", "displayName": "Ada Agent"}
    agent_id = ok(await gql(CREATE_USER, {"input": user}, token=admin.token))["createUser"]["id"]
    profile = {"input": {"userId": agent_id, "queueIds": [queue]}}
    ok(await gql(CREATE_PROFILE, profile, token=admin.token))
    login = {"tenantSlug": admin.slug, "email": email, "password": PASSWORD}
    token = ok(await gql(LOG_IN, {"input": login}))["logIn"]["token"]
    ok(await gql(SIGN_IN, {"input": {"queueId": queue}}, token=token))
    ok(await gql(SET_STATE, {"input": {"state": "available"}}, token=token))
    agent = Account(
        tenant_id=admin.tenant_id,
        slug=admin.slug,
        tenant_name=admin.tenant_name,
        user_id=agent_id,
        email=email,
        password=PASSWORD,
        role="AGENT",
        token=token,
    )
    return agent, number


async def handled_call(routing: Routing, number: str) -> str:
    """A call to ``number``, answered by the agent it rang and hung up by the caller."""
    call_id = f"wu-{uuid.uuid4().hex[:10]}"
    response = await routing.http.post(
        "/v1/calls",
        json={
            "call_id": call_id,
            "node": "k1",
            "continue_url": routing.node.url(call_id),
            "tindex": 1,
            "tlabel": "2",
            "from": "+33612345678",
            "to": number,
        },
    )
    assert response.status_code == 202, response.text
    for event in ({"type": "answered"}, {"type": "ended", "by": "caller"}):
        answered = await routing.http.post(f"/v1/calls/{call_id}/events", json=event)
        assert answered.status_code == 200, answered.text
    return call_id


async def open_desktop(page: Page, redis: Redis, before: int) -> None:
    """Wait until the desktop's subscriptions read the stream, so no event falls before."""
    await expect(page.get_by_role("heading", name="Agent desktop", level=1)).to_be_visible()

    async def reading() -> bool:
        return await live_readers(redis) > before

    await until(reading, limit_s=TIMEOUT_MS / 1000, what="the desktop's wrapUpChanges")


async def facts_of(console: Console, tenant: uuid.UUID, call_id: str) -> Contact | None:
    """Run an analytics worker over the tenant's stream, then read the call's contact."""
    streams = f"test:event-streams:{uuid.uuid4().hex}"
    database = Database(console.settings.database.url or "")
    client = Redis.from_url(console.settings.redis.url or "", decode_responses=True)
    try:
        await client.sadd(streams, keys.events(tenant))
        worker = EventWorker(
            database=database,
            redis=client,
            config=WorkerConfig(group=f"wu-{uuid.uuid4().hex[:8]}", streams_set=streams),
        )
        while await worker.run_once(block_ms=10):
            pass
        async with database.transaction(tenant) as session:
            return await session.scalar(
                scoped(select(Contact), tenant).where(Contact.call_id == call_id)
            )
    finally:
        await client.aclose()
        await database.dispose()


async def test_agent_wraps_up_with_a_required_disposition(
    browser: Browser, console: Console, admin: Account, routing: Routing, redis: Redis
) -> None:
    agent, number = await agent_of(console, admin)
    ok(
        await console.gql(
            CREATE_DISPOSITION,
            {"i": {"code": "sale", "label": "Sale", "requiresNote": True}},
            token=admin.token,
        )
    )
    before = await live_readers(redis)
    ctx, page = await open_as(browser, console, agent, "/agent")
    try:
        await open_desktop(page, redis, before)
        call_id = await handled_call(routing, number)

        panel = page.get_by_role("region", name="Wrap-up")
        await expect(panel).to_be_visible()
        await expect(panel.get_by_role("status", name="Routing state")).to_have_text(
            "Routing state: after-call work."
        )
        await expect(panel).to_contain_text("Call with +33612345678")
        await expect(panel).to_contain_text("requires a disposition")
        await expect(panel.get_by_label("seconds left")).to_have_text(re.compile(r"^[12]:\d\d$"))
        await assert_accessible(page)

        # Routing refuses to let the agent go without the disposition; the panel says so.
        await panel.get_by_role("button", name="Finish wrap-up").click()
        await expect(panel.get_by_role("alert")).to_contain_text("record a disposition for call")
        await expect(panel.get_by_role("status", name="Routing state")).to_have_text(
            "Routing state: after-call work."
        )

        await panel.get_by_label("Disposition").select_option(label="Sale")
        await panel.get_by_role("button", name="Finish wrap-up").click()
        await expect(panel.get_by_label("Note")).to_have_accessible_description(
            "Sale needs a note."
        )
        await panel.get_by_label("Note").fill("Two seats, annual plan")
        await panel.get_by_role("button", name="Finish wrap-up").click()
        await expect(panel).to_have_count(0)
        await assert_accessible(page)
    finally:
        await ctx.close()

    state = ok(await console.gql("{ wrapUp { state } }", token=agent.token))["wrapUp"]["state"]
    assert state == "available"
    tenant = from_global_id(admin.tenant_id)[1]
    contact = await facts_of(console, tenant, call_id)
    assert contact is not None
    assert (contact.disposition_code, contact.wrap_up_note) == ("sale", "Two seats, annual plan")
    now = datetime.now(UTC)
    window = {
        "start": (now - timedelta(hours=1)).isoformat(),
        "end": (now + timedelta(hours=1)).isoformat(),
        "interval": "RANGE",
    }
    rows = ok(await console.gql(REPORT, {"range": window}, token=admin.token))
    assert rows["dispositionReport"] == [{"code": "sale", "contacts": 1}]
