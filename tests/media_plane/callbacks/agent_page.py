"""The plain JsSIP page (web/agent/index.html) as a browser agent for the callback tests:
Chromium registers it with ephemeral credentials of a routing-published agent and it
answers at once (``autoanswer=1``).

The agent desktop (/agent, tests/web/test_agent_desktop.py) replaced this page for people
and for the answer, hold, listen-in and screen-pop tests; the callback tests still drive it
because their agents exist only in the routing directory, not as users who can log in.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import AsyncIterator, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from media_plane.sip.credentials import issue_credentials, tenant_sip_domain
from tests.media_plane.conftest import (
    SIP_AUTH_SECRET,
    SIP_DOMAIN,
    KamailioNode,
    require_binaries,
)
from tests.media_plane.live_routing import LiveCenter

WEB = Path(__file__).resolve().parents[3] / "web"
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
