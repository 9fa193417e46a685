"""Who sees what: a role's areas (and the server's refusal behind them), and two tenants'
consoles, which never show each other's data."""

from __future__ import annotations

import json
import re

from playwright.async_api import Browser, Locator, Page, expect

from tests.web.helpers import (
    Account,
    Console,
    assert_accessible,
    create_user,
    open_as,
    sign_up_tenant,
)

CREATE_SKILL = "mutation($input: CreateSkillInput!) { createSkill(input: $input) { id name } }"


def heading(page: Page, name: str) -> Locator:
    return page.get_by_role("heading", name=name, level=1)


async def post_from_page(page: Page, query: str, variables: dict[str, object]) -> dict:
    """POST GraphQL from the page itself: its session cookie and CSRF token, like the app."""
    return await page.evaluate(
        """async ([query, variables]) => {
            const csrf = document.cookie.split('; ').find((c) => c.startsWith('hotline_csrf='));
            const response = await fetch('/graphql', {
              method: 'POST',
              headers: {
                'Content-Type': 'application/json',
                'X-CSRF-Token': csrf ? csrf.slice('hotline_csrf='.length) : '',
              },
              body: JSON.stringify({ query, variables }),
            });
            return await response.json();
        }""",
        [query, variables],
    )


async def test_an_agent_sees_not_allowed_on_admin_pages_and_the_server_refuses_anyway(
    browser: Browser, console: Console, admin: Account
) -> None:
    agent = await create_user(console, admin, "AGENT")
    ctx, page = await open_as(browser, console, agent, "/")
    try:
        await expect(heading(page, "Agent desktop")).to_be_visible()
        await expect(page).to_have_url(re.compile(r"/agent$"))
        areas = page.get_by_role("navigation", name="Areas")
        await expect(areas.get_by_role("link")).to_have_text(["Agent"])
        await assert_accessible(page)

        await page.goto("/admin/skills")
        await expect(heading(page, "Not allowed")).to_be_visible()
        await expect(page.get_by_role("navigation", name="Admin pages")).to_have_count(0)
        await expect(areas.get_by_role("link", name="Admin")).to_have_count(0)
        await expect(page.get_by_role("button", name="Create skill")).to_have_count(0)
        await assert_accessible(page)
        await page.goto("/supervisor")
        await expect(heading(page, "Not allowed")).to_be_visible()

        # The page's own session (cookie + CSRF token) may not create a skill ...
        body = await post_from_page(page, CREATE_SKILL, {"input": {"name": "Sneaky"}})
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
        # ... nor may the agent's token.
        body = await console.gql(CREATE_SKILL, {"input": {"name": "Sneaky"}}, token=agent.token)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
        listed = await console.gql("{ skills(first: 10) { nodes { name } } }", token=admin.token)
        assert listed["data"]["skills"]["nodes"] == [], listed
    finally:
        await ctx.close()


async def test_a_supervisor_sees_the_supervisor_and_agent_areas_only(
    browser: Browser, console: Console, admin: Account
) -> None:
    supervisor = await create_user(console, admin, "SUPERVISOR")
    ctx, page = await open_as(browser, console, supervisor, "/")
    try:
        await expect(heading(page, "Supervisor")).to_be_visible()
        await expect(page).to_have_url(re.compile(r"/supervisor$"))
        areas = page.get_by_role("navigation", name="Areas")
        await expect(areas.get_by_role("link")).to_have_text(["Supervisor", "Agent"])
        await assert_accessible(page)
        await areas.get_by_role("link", name="Agent").click()
        await expect(heading(page, "Agent desktop")).to_be_visible()
        await assert_accessible(page)
        await page.goto("/admin")
        await expect(heading(page, "Not allowed")).to_be_visible()
        await page.get_by_role("link", name="Go to your home page").click()
        await expect(heading(page, "Supervisor")).to_be_visible()
    finally:
        await ctx.close()


async def test_an_owner_sees_every_area(admin_page: Page) -> None:
    areas = admin_page.get_by_role("navigation", name="Areas")
    await expect(areas.get_by_role("link")).to_have_text(["Admin", "Supervisor", "Agent"])
    await areas.get_by_role("link", name="Supervisor").click()
    await expect(heading(admin_page, "Supervisor")).to_be_visible()
    await assert_accessible(admin_page)
    await areas.get_by_role("link", name="Agent").click()
    await expect(heading(admin_page, "Agent desktop")).to_be_visible()
    await assert_accessible(admin_page)


async def test_two_tenants_consoles_never_show_each_others_data(
    browser: Browser, console: Console, admin_page: Page, admin: Account
) -> None:
    """Tenant A creates a skill and a break reason in its console; tenant B's console,
    open at the same time in another browser, lists neither, even after a reload."""
    page_a = admin_page
    await page_a.goto("/admin/skills")
    await page_a.get_by_role("button", name="Create skill").click()
    dialog = page_a.get_by_role("dialog", name="Create skill")
    await dialog.get_by_label("Name").fill("Alpha private skill")
    await dialog.get_by_role("button", name="Save").click()
    await expect(page_a.get_by_role("rowheader", name="Alpha private skill")).to_be_visible()
    await page_a.goto("/admin/break-reasons")
    await page_a.get_by_role("button", name="Create break reason").click()
    dialog = page_a.get_by_role("dialog", name="Create break reason")
    await dialog.get_by_label("Name").fill("alpha-only")
    await dialog.get_by_role("button", name="Save").click()
    await expect(page_a.get_by_role("rowheader", name="alpha-only")).to_be_visible()

    tenant_b = await sign_up_tenant(console)
    ctx, page_b = await open_as(browser, console, tenant_b, "/admin/skills")
    try:
        await expect(page_b.get_by_role("banner")).to_contain_text(tenant_b.tenant_name)
        await expect(page_b.get_by_role("banner")).not_to_contain_text(admin.tenant_name)
        await expect(page_b.get_by_text("No skills yet. Create the first one.")).to_be_visible()
        await expect(page_b.get_by_text("Alpha private skill")).to_have_count(0)
        await page_b.goto("/admin/break-reasons")
        await expect(page_b.get_by_text("No break reasons yet")).to_be_visible()
        await expect(page_b.get_by_text("alpha-only")).to_have_count(0)
        # B's own skill shows in B's console only.
        await page_b.goto("/admin/skills")
        await page_b.get_by_role("button", name="Create skill").click()
        dialog = page_b.get_by_role("dialog", name="Create skill")
        await dialog.get_by_label("Name").fill("Bravo private skill")
        await dialog.get_by_role("button", name="Save").click()
        await expect(page_b.get_by_role("rowheader", name="Bravo private skill")).to_be_visible()
        await expect(page_b.get_by_role("row")).to_have_count(2)
        # B's browser asking by A's skill id gets nothing of A's.
        listed = await console.gql("{ skills(first: 10) { nodes { id } } }", token=admin.token)
        a_skill = listed["data"]["skills"]["nodes"][0]["id"]
        body = await post_from_page(
            page_b,
            "mutation($input: UpdateSkillInput!) { updateSkill(input: $input) { id name } }",
            {"input": {"id": a_skill, "name": "Taken over"}},
        )
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND", json.dumps(body)
    finally:
        await ctx.close()

    await page_a.goto("/admin/skills")
    await expect(page_a.get_by_role("rowheader", name="Alpha private skill")).to_be_visible()
    await expect(page_a.get_by_text("Bravo private skill")).to_have_count(0)
