"""End-to-end fixtures for the web console: the real API app serving ``web/dist``, one
Chromium per session, a fresh browser context per test, signed-up admins and axe-core.

One server and one browser for the whole session (both are slow to start); every test gets
its own browser context (cookies, localStorage) and its own tenant, so tests never share
state. Nothing here skips: a missing Node.js, build or Chromium fails the run.

Writing a page test::

    async def test_something(admin_page: Page, console: Console) -> None:
        await admin_page.goto("/admin/skills")
        await expect(admin_page.get_by_role("heading", name="Skills", level=1)).to_be_visible()
        await assert_accessible(admin_page)

Find things by role and name (``get_by_role``, ``get_by_label``), as a person would, and wait
on conditions (``expect``), never on the clock.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Page, Playwright, async_playwright, expect

from api.app import create_app
from infra.web.chromium import CHROMIUM, MEDIA_ARGS
from infra.web.chromium import CHROMIUM_ARGS as BASE_ARGS
from tenants.embedded.process import free_port
from tenants.settings import Settings
from tests.conftest import ServiceUrls, make_settings
from tests.serving import served
from tests.web.helpers import (
    AXE_JS,
    WEB,
    Account,
    Console,
    log_in_context,
    new_context,
    sign_up_tenant,
)

ROOT = WEB.parent
WEB_DIST = WEB / "dist"
CHROMIUM_ARGS = [*BASE_ARGS, *MEDIA_ARGS]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/web runs in a browser."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


# --- the build ---------------------------------------------------------------------------


def _node_major() -> int | None:
    node = shutil.which("node")
    if node is None:
        return None
    out = subprocess.run([node, "--version"], capture_output=True, text=True, check=False)
    match = re.match(r"v(\d+)", out.stdout.strip())
    return int(match.group(1)) if match else None


@pytest.fixture(scope="session")
def web_dist() -> Path:
    """``web/dist``, (re)built once per session when its sources changed (``make web``)."""
    major = _node_major()
    if major is None or major < 20:
        pytest.fail(
            f"the web console tests need Node.js 20+ to build web/ (found: {major or 'none'})",
            pytrace=False,
        )
    build = subprocess.run(
        ["bash", str(ROOT / "infra" / "web" / "build.sh"), "build"],
        capture_output=True,
        text=True,
        check=False,
    )
    if build.returncode != 0:
        pytest.fail(f"building web/ failed:\n{build.stdout}\n{build.stderr}", pytrace=False)
    if not (WEB_DIST / "index.html").is_file():
        pytest.fail(f"no web/dist/index.html after the build:\n{build.stderr}", pytrace=False)
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} is missing: run `cd web && npm ci`", pytrace=False)
    return WEB_DIST


# --- the server --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def console_settings(
    service_urls: ServiceUrls, web_dist: Path, tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    """The suite's settings, serving ``web/dist`` and linking to the port it is served on."""
    base = make_settings(service_urls, tmp_path_factory.mktemp("console-var"))
    port = free_port()
    api = base.api.model_copy(
        update={
            "web_dir": str(web_dist),
            "host": "127.0.0.1",
            "port": port,
            "public_url": f"http://127.0.0.1:{port}",
        }
    )
    return base.model_copy(update={"api": api})


@pytest.fixture(scope="session")
async def console(console_settings: Settings) -> AsyncIterator[Console]:
    """The real API app (``create_app``, as ``make run`` builds it) served by uvicorn."""
    app = create_app(console_settings)  # its lifespan builds and closes its own clients
    async with (
        served(app, port=console_settings.api.port, lifespan="on") as running,
        httpx.AsyncClient(base_url=running.url, timeout=30) as http,
    ):
        yield Console(served=running, settings=console_settings, http=http)


# --- the browser -------------------------------------------------------------------------


@pytest.fixture(scope="session")
async def playwright() -> AsyncIterator[Playwright]:
    """Playwright's driver, once per session."""
    async with async_playwright() as running:
        yield running


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium (``apt-get install chromium``); missing, the run fails."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"the web console tests need Debian's chromium at {CHROMIUM}", pytrace=False)
    return CHROMIUM


@pytest.fixture(scope="session")
async def browser(playwright: Playwright, chromium: str) -> AsyncIterator[Browser]:
    """Debian's headless Chromium, once per session."""
    instance = await playwright.chromium.launch(
        executable_path=chromium, headless=True, args=CHROMIUM_ARGS
    )
    yield instance
    await instance.close()


@pytest.fixture
async def context(browser: Browser, console: Console) -> AsyncIterator[BrowserContext]:
    """A fresh browser context (no cookies, no storage) whose relative URLs are the console's."""
    ctx = await new_context(browser, console.url)
    yield ctx
    await ctx.close()


@pytest.fixture
async def page(context: BrowserContext) -> AsyncIterator[Page]:
    """A page of ``context``; an uncaught script error in it fails the test."""
    new_page = await context.new_page()
    errors: list[str] = []
    new_page.on("pageerror", lambda error: errors.append(str(error)))
    yield new_page
    assert not errors, f"uncaught errors in the page: {errors}"


# --- accounts ----------------------------------------------------------------------------


@pytest.fixture
async def admin(console: Console) -> Account:
    """A new tenant's owner (signed up through GraphQL), not yet logged in anywhere."""
    return await sign_up_tenant(console)


@pytest.fixture
async def admin_page(page: Page, context: BrowserContext, console: Console, admin: Account) -> Page:
    """``admin`` logged in on ``page``, which shows the setup checklist at /admin."""
    await log_in_context(context, console, admin)
    await page.goto("/admin")
    await expect(page.get_by_role("heading", name="Set up your center", level=1)).to_be_visible()
    return page


# --- accessibility -----------------------------------------------------------------------
