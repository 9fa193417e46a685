"""The agent page (web/agent) subscribes to callOffers and shows the screen pop.

Headless Debian chromium loads the page from a static server on one origin and talks to
the API (uvicorn) on another, as a desktop served apart from the API would.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from redis.asyncio import Redis

from routing.engine.engine import AcdEngine
from tests.conftest import GraphQL, TenantAccount
from tests.media_plane.test_browser_agent import browser, web_server
from tests.routing.conftest import new_call
from tests.routing.live.test_subscriptions import (
    CALLER,
    available,
    center_of,
    live_readers,
    wait_readers,
    ws_url,
)
from tests.tenants.crm.conftest import create_customer

pytestmark = [pytest.mark.browser]

__all__ = ["browser", "web_server", "ws_url"]  # fixtures, imported to be found here


async def test_agent_page_shows_the_screen_pop(
    browser: Any,
    web_server: str,
    ws_url: str,
    gql: GraphQL,
    redis: Redis,
    tenant_a: TenantAccount,
) -> None:
    center = await center_of(gql, redis, tenant_a)
    await create_customer(gql, tenant_a, name="Grace Caller", company="Navy", phones=[CALLER])
    baseline = await live_readers(redis)
    api = ws_url.replace("ws://", "http://")
    page = await browser.new_page()
    await page.goto(
        f"{web_server}/agent/index.html?{urlencode({'token': center.agent.token, 'api': api})}"
    )
    await wait_readers(redis, baseline + 1)
    engine = AcdEngine(redis)
    await available(engine, center)
    await engine.enqueue(tenant_id=center.tid, call=new_call(center.queue, "page-1"))
    assert new_call(center.queue).from_number == CALLER
    await page.wait_for_function("window.agent.offers.length === 1", timeout=30_000)
    assert await page.text_content("#pop-customer") == "Grace Caller"
    assert "Navy" in (await page.text_content("#pop-company") or "")
    assert await page.text_content("#pop-number") == CALLER
    assert await page.text_content("#pop-queue") == "(Support)"
    assert await page.is_visible("#screenpop")
    await page.close()
    await wait_readers(redis, baseline, blocked=False)
