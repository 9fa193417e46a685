"""The supervisor's live wallboard in Chromium, against the real API and routing.

Routing's call-control app (the one Kamailio and the simulator call) runs in-process on the
console's PostgreSQL and Valkey, with a stand-in for Kamailio's continue endpoint, so calls
enter the ACD through the same ``POST /v1/calls`` contract; the page learns of them only
through ``liveChanges``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Locator, Page, expect
from redis.asyncio import Redis

from routing.call_control.app import create_routing_app
from routing.clients import RoutingServices
from routing.live.stream import LIVE_CLIENT_NAME
from tests.routing.config.helpers import CREATE_NUMBER, CREATE_PROFILE, CREATE_QUEUE, fresh_number
from tests.routing.fake_node import FakeKamailioNode, running_node
from tests.serving import until
from tests.web.helpers import (
    PASSWORD,
    TIMEOUT_MS,
    Account,
    Console,
    assert_accessible,
    open_as,
    sign_up_tenant,
)

CALLER = "+33612345678"
CREATE_USER = """
mutation($input: CreateUserInput!) { createUser(input: $input) { id } }"""
LOG_IN = """
mutation($input: LogInInput!) { logIn(input: $input) { token } }"""
SET_STATE = """
mutation($input: SetAgentStateInput!) { setAgentState(input: $input) { state } }"""
SIGN_IN = """
mutation($input: QueueMembershipInput!) { signInToQueue(input: $input) { queueIds } }"""
AGENTS = "{ agents { nodes { agentId state queueIds } } }"


def ok(body: dict[str, Any]) -> dict[str, Any]:
    assert "errors" not in body, body
    return body["data"]


@dataclass(frozen=True)
class Center:
    """A tenant with a queue "Support", its number, and one agent "Ada Agent" in it."""

    admin: Account
    queue_id: str
    number: str
    agent: Account


async def center_of(console: Console, admin: Account) -> Center:
    gql = console.gql
    queue_input = {"name": "Support", "slThresholdS": 20}
    queue = ok(await gql(CREATE_QUEUE, {"input": queue_input}, token=admin.token))["createQueue"]
    queue = queue["id"]
    number = fresh_number()
    ok(await gql(CREATE_NUMBER, {"input": {"number": number, "queueId": queue}}, token=admin.token))
    email = f"ada-{uuid.uuid4().hex[:8]}@example.com"
    user = {"email": email, "password": PASSWORD, "role": "AGENT", "displayName": "Ada Agent"}
    agent_id = ok(await gql(CREATE_USER, {"input": user}, token=admin.token))["createUser"]["id"]
    ok(
        await gql(
            CREATE_PROFILE, {"input": {"userId": agent_id, "queueIds": [queue]}}, token=admin.token
        )
    )
    login = {"tenantSlug": admin.slug, "email": email, "password": PASSWORD}
    token = ok(await gql(LOG_IN, {"input": login}))["logIn"]["token"]
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
    ok(await gql(SIGN_IN, {"input": {"queueId": queue}}, token=token))
    return Center(admin=admin, queue_id=queue, number=number, agent=agent)


@dataclass
class Routing:
    http: httpx.AsyncClient
    node: FakeKamailioNode

    async def call(self, center: Center) -> str:
        """A call to the center's number, handed over as Kamailio would."""
        call_id = f"wb-{uuid.uuid4().hex[:10]}"
        response = await self.http.post(
            "/v1/calls",
            json={
                "call_id": call_id,
                "node": "k1",
                "continue_url": self.node.url(call_id),
                "tindex": 1,
                "tlabel": "2",
                "from": CALLER,
                "to": center.number,
            },
        )
        assert response.status_code == 202, response.text
        return call_id


@pytest.fixture
async def routing(console: Console) -> AsyncIterator[Routing]:
    """Routing's call-control API on the console's Valkey, with a fake Kamailio node."""
    services = RoutingServices.build(console.settings)
    app = create_routing_app(console.settings, services, run_timers=False)
    async with running_node() as node:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://routing.test",
            headers={"X-Hotline-Secret": services.secret},
        ) as http:
            yield Routing(http=http, node=node)
        await services.dispatcher.drain()
    await services.close()


@pytest.fixture
async def redis(console: Console) -> AsyncIterator[Redis]:
    client = Redis.from_url(console.settings.redis.url or "", decode_responses=True)
    yield client
    await client.aclose()


async def live_readers(redis: Redis) -> int:
    """Live subscriptions blocked on their tenant's stream (``liveChanges``, ``callOffers``)."""
    clients = await redis.client_list()
    return sum(1 for c in clients if c.get("name") == LIVE_CLIENT_NAME and c.get("cmd") == "xread")


async def open_wallboard(page: Page, redis: Redis) -> None:
    """Open /supervisor and wait until its ``liveChanges`` reads the stream, so that no
    event a test causes afterwards can fall before the subscription."""
    before = await live_readers(redis)
    await page.goto("/supervisor")
    await expect(page.get_by_role("heading", name="Supervisor", level=1)).to_be_visible()
    grid = page.get_by_role("table", name="Agents, their state and current call")
    await expect(grid).to_be_visible()

    async def reading() -> bool:
        return await live_readers(redis) > before

    await until(reading, limit_s=TIMEOUT_MS / 1000, what="the wallboard's liveChanges")


def tile(page: Page, name: str) -> Locator:
    return page.get_by_role("article", name=name)


def agent_row(page: Page, name: str) -> Locator:
    return page.get_by_role("row", name=re.compile(name))


async def test_a_tile_follows_a_new_call(
    admin_page: Page, console: Console, admin: Account, routing: Routing, redis: Redis
) -> None:
    center = await center_of(console, admin)
    page = admin_page
    await open_wallboard(page, redis)
    support = tile(page, "Support")
    await expect(support).to_contain_text(re.compile(r"Waiting\s*0"))
    await assert_accessible(page)

    await routing.call(center)
    await expect(support).to_contain_text(re.compile(r"Waiting\s*1"))
    # No agent is available: the tile says so in words, and the wait ticks in the browser.
    await expect(support).to_contain_text("No agent can take these calls")
    await expect(support).to_contain_text("Off target")
    await expect(support).to_contain_text(re.compile(r"Longest wait\s*0:0[1-9]"))


async def test_the_agent_grid_follows_state_changes_and_calls(
    admin_page: Page, console: Console, admin: Account, routing: Routing, redis: Redis
) -> None:
    center = await center_of(console, admin)
    page = admin_page
    await open_wallboard(page, redis)
    ada = agent_row(page, "Ada Agent")
    await expect(ada).to_contain_text("Offline")
    await expect(ada).to_contain_text("Support")

    ok(await console.gql(SET_STATE, {"input": {"state": "available"}}, token=center.agent.token))
    await expect(ada).to_contain_text("Available")
    await expect(tile(page, "Support")).to_contain_text(re.compile(r"Available\s*1"))

    await routing.call(center)
    await expect(ada).to_contain_text("Ringing")
    await expect(ada).to_contain_text(CALLER)
    await expect(ada.get_by_role("button", name="Hang up")).to_be_visible()
    listen = ada.get_by_role("button", name="Listen")
    await expect(listen).to_be_disabled()
    await expect(listen).to_have_accessible_description(
        "Listen opens once the agent has answered the call."
    )
    await expect(ada.get_by_role("button", name="Barge")).to_have_accessible_description(
        re.compile("Barge is not available: joining the call needs a conference mixer")
    )
    await assert_accessible(page)


async def test_signing_an_agent_out_of_a_queue_from_the_wallboard(
    admin_page: Page, console: Console, admin: Account, redis: Redis
) -> None:
    center = await center_of(console, admin)
    page = admin_page
    await open_wallboard(page, redis)
    ada = agent_row(page, "Ada Agent")
    await ada.get_by_role("button", name="Manage").click()
    dialog = page.get_by_role("dialog", name="Manage Ada Agent")
    await expect(dialog).to_contain_text("Support: Signed in")
    await assert_accessible(page)
    await dialog.get_by_role("button", name="Sign out of Support").click()
    await expect(dialog.get_by_role("status")).to_have_text("Ada Agent signed out of Support.")
    await expect(dialog.get_by_role("button", name="Sign in to Support")).to_be_visible()
    await dialog.get_by_role("button", name="Close").click()
    await expect(ada).to_contain_text("None")

    agents = ok(await console.gql(AGENTS, token=center.admin.token))["agents"]["nodes"]
    assert [(a["agentId"], a["queueIds"]) for a in agents] == [(center.agent.user_id, [])]


async def test_an_agent_cannot_open_the_wallboard(
    browser: Browser, console: Console, admin: Account
) -> None:
    center = await center_of(console, admin)
    for path in ("/supervisor", "/supervisor/tv"):
        ctx, page = await open_as(browser, console, center.agent, path)
        try:
            await expect(page.get_by_role("heading", name="Not allowed", level=1)).to_be_visible()
            await expect(page.get_by_role("table")).to_have_count(0)
        finally:
            await ctx.close()


async def test_a_second_tenant_sees_none_of_the_first_ones_floor(
    browser: Browser, console: Console, admin: Account, routing: Routing, redis: Redis
) -> None:
    center = await center_of(console, admin)
    await routing.call(center)
    other = await sign_up_tenant(console)
    ctx, page = await open_as(browser, console, other, "/")
    try:
        await open_wallboard(page, redis)
        await expect(page.get_by_text("No queues yet.")).to_be_visible()
        await expect(page.get_by_role("article")).to_have_count(0)
        await expect(page.get_by_text("No agent has signed in yet.")).to_be_visible()
        await expect(page.get_by_text("Ada Agent")).to_have_count(0)
        await assert_accessible(page)
        # The TV shows nothing of the first tenant either.
        await page.goto("/supervisor/tv")
        await expect(page.get_by_role("heading", name="Wallboard", level=1)).to_be_visible()
        await expect(page.get_by_text("No queues yet.")).to_be_visible()
        await assert_accessible(page)
    finally:
        await ctx.close()


async def test_tv_mode_shows_the_queues_large_without_controls(
    admin_page: Page, console: Console, admin: Account, routing: Routing, redis: Redis
) -> None:
    center = await center_of(console, admin)
    await routing.call(center)
    page = admin_page
    await page.goto("/supervisor/tv")
    await expect(page.get_by_role("heading", name="Wallboard", level=1)).to_be_visible()
    support = tile(page, "Support")
    await expect(support).to_contain_text(re.compile(r"Waiting\s*1"))
    await expect(page.get_by_role("button")).to_have_count(0)
    await expect(page.get_by_role("navigation")).to_have_count(0)
    await assert_accessible(page)
