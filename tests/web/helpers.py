"""Helpers for the web console's end-to-end tests (the fixtures are in conftest.py).

Import what a test needs: ``from tests.web.helpers import Account, assert_accessible, ...``.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from playwright.async_api import Browser, BrowserContext, Page, expect

from tenants.settings import Settings
from tests.serving import Served

WEB = Path(__file__).resolve().parents[2] / "web"
AXE_JS = WEB / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "correct horse battery staple"
TIMEOUT_MS = 10_000
"""Every wait's limit: generous for a shared 2-core machine, short enough to fail fast."""

expect.set_options(timeout=TIMEOUT_MS)


async def new_context(browser: Browser, base_url: str) -> BrowserContext:
    """A fresh browser context (no cookies, no storage) whose relative URLs are ``base_url``."""
    ctx = await browser.new_context(base_url=base_url, locale="en-US", timezone_id="UTC")
    ctx.set_default_timeout(TIMEOUT_MS)
    return ctx


@dataclass(frozen=True)
class Console:
    """The served console: the API app with ``web/dist``, on 127.0.0.1."""

    served: Served
    settings: Settings
    http: httpx.AsyncClient
    """An API client of the server (no Origin header: it gets tokens, not cookies)."""

    @property
    def url(self) -> str:
        """Its base URL."""
        return self.served.url

    async def gql(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> dict[str, Any]:
        """POST a GraphQL document as an API client (optionally with a bearer token)."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        return response.json()


SIGN_UP = """
mutation($input: SignUpInput!) {
  signUp(input: $input) { token tenant { id slug name } user { id email role } }
}"""

LOG_IN = """
mutation($input: LogInInput!) {
  logIn(input: $input) { token user { id email role } }
}"""

CREATE_USER = """
mutation($input: CreateUserInput!) { createUser(input: $input) { id email role } }
"""


@dataclass(frozen=True)
class Account:
    """A user of a tenant: how to log in as it, and its API token."""

    tenant_id: str
    slug: str
    tenant_name: str
    user_id: str
    email: str
    password: str
    role: str
    token: str


def unique_name(prefix: str = "Center") -> str:
    """A tenant name no other test uses."""
    return f"{prefix} {uuid.uuid4().hex[:8]}"


async def sign_up_tenant(console: Console, name: str | None = None) -> Account:
    """Sign up a tenant as an API client (no cookies); fails the test on any error."""
    name = name or unique_name()
    email = f"owner-{uuid.uuid4().hex[:8]}@example.com"
    body = await console.gql(
        SIGN_UP, {"input": {"tenantName": name, "adminEmail": email, "adminPassword": PASSWORD}}
    )
    assert "errors" not in body, body
    data = body["data"]["signUp"]
    return Account(
        tenant_id=data["tenant"]["id"],
        slug=data["tenant"]["slug"],
        tenant_name=data["tenant"]["name"],
        user_id=data["user"]["id"],
        email=email,
        password=PASSWORD,
        role=data["user"]["role"],
        token=data["token"],
    )


async def create_user(console: Console, admin: Account, role: str) -> Account:
    """A new active user of ``admin``'s tenant with ``role`` (AGENT, SUPERVISOR, ADMIN)."""
    email = f"{role.lower()}-{uuid.uuid4().hex[:8]}@example.com"
    body = await console.gql(
        CREATE_USER,
        {"input": {"email": email, "password": PASSWORD, "role": role.upper()}},
        token=admin.token,
    )
    assert "errors" not in body, body
    login = await console.gql(
        LOG_IN, {"input": {"tenantSlug": admin.slug, "email": email, "password": PASSWORD}}
    )
    assert "errors" not in login, login
    return Account(
        tenant_id=admin.tenant_id,
        slug=admin.slug,
        tenant_name=admin.tenant_name,
        user_id=body["data"]["createUser"]["id"],
        email=email,
        password=PASSWORD,
        role=body["data"]["createUser"]["role"],
        token=login["data"]["logIn"]["token"],
    )


async def log_in_context(context: BrowserContext, console: Console, account: Account) -> None:
    """Start ``account``'s browser session in ``context`` (a same-origin logIn sets the
    cookies, exactly as the log-in page's request does), without going through the form."""
    response = await context.request.post(
        f"{console.url}/graphql",
        data=json.dumps(
            {
                "query": LOG_IN,
                "variables": {
                    "input": {
                        "tenantSlug": account.slug,
                        "email": account.email,
                        "password": account.password,
                    }
                },
            }
        ),
        headers={"Content-Type": "application/json", "Origin": console.url},
    )
    assert response.ok, await response.text()
    body = await response.json()
    assert "errors" not in body, body
    cookies = {cookie["name"] for cookie in await context.cookies(console.url)}
    assert {"hotline_session", "hotline_csrf"} <= cookies, cookies


async def open_as(
    browser: Browser, console: Console, account: Account, path: str
) -> tuple[BrowserContext, Page]:
    """A second, separate browser (context) with ``account`` logged in at ``path``; the
    caller closes the context."""
    ctx = await new_context(browser, console.url)
    await log_in_context(ctx, console, account)
    new_page = await ctx.new_page()
    await new_page.goto(path)
    return ctx, new_page


_AXE: dict[str, str] = {}


def _axe_source() -> str:
    if "js" not in _AXE:
        if not AXE_JS.is_file():
            raise AssertionError(f"{AXE_JS} is missing: run `cd web && npm ci`")
        _AXE["js"] = AXE_JS.read_text()
    return _AXE["js"]


BLOCKING_IMPACTS = ("serious", "critical")


async def assert_accessible(page: Page, *, include: str | None = None) -> None:
    """Run axe-core on ``page`` (or the ``include`` CSS selector) and fail on any serious or
    critical violation, listing each rule with the elements it found.

    Call it once the page shows what you want checked (after an ``expect``); it waits for
    the page's own loading indicators to go first."""
    await page.wait_for_load_state("load")
    await expect(page.locator('[aria-busy="true"]')).to_have_count(0)
    if not await page.evaluate("typeof window.axe === 'object'"):
        # Not add_script_tag: the console's CSP (script-src 'self') rightly refuses an
        # inline <script>, and a test must not switch CSP off (bypass_csp) to get axe in.
        # A DevTools evaluation is not subject to the page's CSP.
        await page.evaluate(_axe_source() + "\n;typeof window.axe")
    results = await page.evaluate(
        """async (include) => {
            const result = await window.axe.run(include ?? document, {
              resultTypes: ['violations'],
            });
            return result.violations.map((v) => ({
              id: v.id,
              impact: v.impact,
              help: v.help,
              nodes: v.nodes.map((n) => ({
                target: n.target.join(' '),
                summary: n.failureSummary,
              })),
            }));
        }""",
        include,
    )
    blocking = [v for v in results if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        lines = [f"axe: {len(blocking)} serious/critical violation(s) on {page.url}"]
        for violation in blocking:
            lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']}")
            for node in violation["nodes"][:10]:
                lines.append(f"    {node['target']}: {node['summary']}")
        raise AssertionError("\n".join(lines))
