"""README screenshots of the web console: ``make screenshots``
(or ``.venv/bin/python -m infra.web.screenshots``).

Starts the platform's embedded PostgreSQL and Valkey in a throw-away directory (as
``make run`` does in ``var/``, which stays untouched), builds ``web/`` if stale, serves the
real API app with it, signs up a demo tenant through GraphQL, gives it skills, break
reasons, a queue, a phone number and an agent, and saves PNGs into ``docs/screenshots/``
from headless Debian Chromium.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import shutil
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from api.app import create_app
from infra.web.chromium import CHROMIUM, CHROMIUM_ARGS
from tenants.database import migrate
from tenants.embedded.postgres import EmbeddedPostgres
from tenants.embedded.process import free_port
from tenants.embedded.valkey import EmbeddedValkey
from tenants.settings import (
    ApiSettings,
    DatabaseSettings,
    Environment,
    RedisSettings,
    Settings,
)

ROOT = Path(__file__).resolve().parents[2]
WEB_DIST = ROOT / "web" / "dist"
OUT = ROOT / "docs" / "screenshots"
PASSWORD = "demo passphrase 2026"  # noqa: S105 (the demo tenant of a throw-away database)


def build_web() -> None:
    """``make web``: build web/dist when its sources changed; fail without Node."""
    build = [shutil.which("bash") or "/bin/bash", str(ROOT / "infra" / "web" / "build.sh"), "build"]
    subprocess.run(build, check=True)  # noqa: S603 (our own script)
    if not (WEB_DIST / "index.html").is_file():
        sys.exit("web/dist was not built: install Node.js 20+ and run `make web`")


@contextlib.contextmanager
def embedded_settings(public_url: str | None = None, **auth: Any) -> Iterator[Settings]:
    """Settings on embedded PostgreSQL and Valkey (the servers ``make run`` starts), in a
    temporary directory and on free ports so a running ``make run`` is left alone; migrated.
    """
    with tempfile.TemporaryDirectory(prefix="hotline-console-") as var:
        base = Path(var)
        postgres = EmbeddedPostgres(base / "postgres", secrets_dir=base, port=free_port())
        valkey = EmbeddedValkey(base / "valkey", port=free_port(), persist=False)
        try:
            urls = postgres.start()
            redis_url = valkey.start()
            migrate.upgrade(urls.migration_url, urls.app_url)
            port = free_port()
            settings = Settings(
                env=Environment.DEV,
                var_dir=base,
                log_level="WARNING",
                database=DatabaseSettings(url=urls.app_url, migration_url=urls.migration_url),
                redis=RedisSettings(url=redis_url),
                api=ApiSettings(
                    host="127.0.0.1",
                    port=port,
                    web_dir=str(WEB_DIST),
                    public_url=public_url or f"http://127.0.0.1:{port}",
                ),
            )
            if auth:
                settings.auth = settings.auth.model_copy(update=auth)
            yield settings
        finally:
            valkey.stop()
            postgres.stop()


@contextlib.asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[str]:
    """The real API app (``create_app``, as ``make run``) served on 127.0.0.1; its URL."""
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings),
            host="127.0.0.1",
            port=settings.api.port,
            log_level="warning",
            lifespan="on",
        )
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("the API server did not start")
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{settings.api.port}"
    finally:
        server.should_exit = True
        await asyncio.wait([task], timeout=20)


@dataclass
class Api:
    """GraphQL as an API client (bearer token)."""

    http: httpx.AsyncClient
    token: str | None = None

    async def __call__(self, query: str, **variables: Any) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        response.raise_for_status()
        body = response.json()
        if body.get("errors"):
            raise RuntimeError(f"GraphQL error: {body['errors']}")
        return body["data"]


@dataclass(frozen=True)
class DemoTenant:
    slug: str
    name: str
    email: str
    password: str
    token: str


async def sign_up_demo(api: Api, name: str = "Acme Support") -> DemoTenant:
    """A tenant and its owner, signed up as an API client."""
    email = "owner@acme.example"
    data = await api(
        "mutation($input: SignUpInput!) { signUp(input: $input) { token tenant { slug } } }",
        input={
            "tenantName": name,
            "adminEmail": email,
            "adminPassword": PASSWORD,
            "adminDisplayName": "Ada Owner",
        },
    )
    return DemoTenant(
        slug=data["signUp"]["tenant"]["slug"],
        name=name,
        email=email,
        password=PASSWORD,
        token=data["signUp"]["token"],
    )


async def seed_demo(api: Api) -> None:
    """Skills, break reasons, a queue with a number, an agent with a profile, customers."""
    skills = {}
    for name in ("Billing", "Technical support", "Mandarin", "Spanish", "Returns"):
        data = await api(
            "mutation($input: CreateSkillInput!) { createSkill(input: $input) { id } }",
            input={"name": name},
        )
        skills[name] = data["createSkill"]["id"]
    for reason in ("lunch", "training", "coaching", "paperwork"):
        await api(
            "mutation($input: BreakReasonInput!) { createBreakReason(input: $input) { id } }",
            input={"name": reason},
        )
    queue = await api(
        "mutation($input: CreateQueueInput!) { createQueue(input: $input) { id } }",
        input={
            "name": "Billing line",
            "requiredSkills": [{"skillId": skills["Billing"], "minLevel": 1}],
        },
    )
    queue_id = queue["createQueue"]["id"]
    await api(
        "mutation($input: CreatePhoneNumberInput!) { createPhoneNumber(input: $input) { id } }",
        input={"number": "+442079460958", "queueId": queue_id, "description": "Main line"},
    )
    agent = await api(
        "mutation($input: CreateUserInput!) { createUser(input: $input) { id } }",
        input={
            "email": "lin@acme.example",
            "password": PASSWORD,
            "role": "AGENT",
            "displayName": "Lin Agent",
        },
    )
    await api(
        "mutation($input: CreateAgentProfileInput!) { createAgentProfile(input: $input) { id } }",
        input={
            "userId": agent["createUser"]["id"],
            "skills": [{"skillId": skills["Billing"], "level": 3}],
            "queueIds": [queue_id],
        },
    )
    for name, phone, company in (
        ("Ada Lovelace", "+442079460001", "Analytical Engines"),
        ("Grace Hopper", "+442079460002", "Compilers Ltd"),
        ("李雷", "+8613800138000", "Hanmeimei Trading"),
        ("Linus Pauling", "+442079460004", None),
    ):
        await api(
            "mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }",
            input={"name": name, "phones": [phone], "company": company, "tags": ["demo"]},
        )


async def take_screenshots(url: str, demo: DemoTenant, out: Path) -> list[Path]:
    from playwright.async_api import async_playwright, expect

    saved: list[Path] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        context = await browser.new_context(
            base_url=url,
            viewport={"width": 1280, "height": 800},
            device_scale_factor=1,
            locale="en-US",
            timezone_id="UTC",
        )
        page = await context.new_page()

        async def shoot(name: str) -> None:
            await expect(page.locator('[aria-busy="true"]')).to_have_count(0)
            path = out / f"{name}.png"
            await page.screenshot(path=str(path))
            saved.append(path)

        await page.goto(f"/t/{demo.slug}")
        await expect(page.get_by_label("Tenant")).to_have_value(demo.slug)
        await page.get_by_label("Email").fill(demo.email)
        await shoot("login")
        await page.get_by_label("Password").fill(demo.password)
        await page.get_by_role("button", name="Log in").click()
        await expect(page.get_by_role("heading", name="Set up your center")).to_be_visible()
        await expect(page.get_by_text("4 of 6 steps done")).to_be_visible()
        await shoot("setup-checklist")
        await page.goto("/admin/skills")
        await expect(page.get_by_role("rowheader", name="Technical support")).to_be_visible()
        await shoot("skills")
        await page.get_by_role("button", name="Create skill").click()
        await page.get_by_role("dialog").get_by_label("Name").fill("Billing")
        await page.get_by_role("dialog").get_by_role("button", name="Save").click()
        await expect(page.get_by_role("dialog").get_by_text("Already in use.")).to_be_visible()
        await shoot("skills-conflict")
        await page.goto("/admin/break-reasons")
        await expect(page.get_by_role("rowheader", name="coaching")).to_be_visible()
        await shoot("break-reasons")
        await page.goto("/admin/queues")
        await (
            page.get_by_role("row")
            .filter(has=page.get_by_role("rowheader", name="Billing line"))
            .get_by_role("button", name="Edit")
            .click()
        )
        await expect(
            page.get_by_role("dialog", name="Edit queue").get_by_label("Name")
        ).to_have_value("Billing line")
        await shoot("queue-editor")
        await page.goto("/admin/customers")
        await expect(page.get_by_role("rowheader", name="Grace Hopper")).to_be_visible()
        await shoot("customers")
        await page.goto("/admin/settings")
        await expect(page.get_by_label("Center name")).to_have_value(demo.name)
        await shoot("settings")
        await page.get_by_role("group", name="Language").get_by_role("button", name="中文").click()
        await page.goto("/admin")
        await expect(page.get_by_role("heading", name="设置您的呼叫中心")).to_be_visible()
        await shoot("setup-checklist-zh")
        await browser.close()
    return saved


async def main_async(settings: Settings, out: Path) -> list[Path]:
    async with serving(settings) as url, httpx.AsyncClient(base_url=url) as http:
        api = Api(http)
        demo = await sign_up_demo(api)
        api.token = demo.token
        await seed_demo(api)
        return await take_screenshots(url, demo, out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where the PNGs go")
    args = parser.parse_args()
    build_web()
    args.out.mkdir(parents=True, exist_ok=True)
    if not subprocess.run(  # noqa: S603
        [shutil.which("fc-list") or "fc-list", ":lang=zh"], capture_output=True, text=True
    ).stdout.strip():
        print(
            "warning: no Chinese font (Debian: apt-get install fonts-wqy-microhei); "
            "中文 renders as boxes",
            file=sys.stderr,
        )
    # The links the console shows (the team's log-in URL) read as `make run`'s address.
    with embedded_settings(
        public_url="http://127.0.0.1:8000"
    ) as settings:  # started outside the event loop (they block)
        saved = asyncio.run(main_async(settings, args.out))
    for path in saved:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()
