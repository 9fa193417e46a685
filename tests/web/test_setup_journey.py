"""A new center from nothing, in the browser only: sign up, then follow the setup checklist
to a skill, a queue, a phone number and an agent, each created on its own page, and watch
the checklist tick them off. No GraphQL is written by hand anywhere in this test."""

from __future__ import annotations

import uuid

from playwright.async_api import Locator, Page, expect

from tests.web.helpers import assert_accessible, unique_name
from tests.web.test_admin_routing_pages import a_free_number, e164

CHECKLIST = "Set up your center"
PASSWORD = "a long enough passphrase"


def heading(page: Page, name: str) -> Locator:
    return page.get_by_role("heading", name=name, level=1)


def step(page: Page, label: str) -> Locator:
    return page.locator(".checklist-item").filter(has=page.get_by_role("link", name=label))


async def back_to_checklist(page: Page) -> None:
    await (
        page.get_by_role("navigation", name="Admin pages").get_by_role("link", name="Setup").click()
    )
    await expect(heading(page, CHECKLIST)).to_be_visible()


async def test_a_new_admin_sets_up_a_center_from_the_checklist(page: Page) -> None:
    await page.goto("/signup")
    await page.get_by_label("Center name").fill(unique_name("Journey"))
    await page.get_by_label("Email").fill(f"owner-{uuid.uuid4().hex[:8]}@example.com")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign up").click()
    await expect(heading(page, CHECKLIST)).to_be_visible()
    await expect(page.get_by_text("0 of 6 steps done")).to_be_visible()
    for label in ("Add a skill", "Add a queue", "Add a phone number", "Add an agent"):
        await expect(step(page, label)).to_contain_text("To do")

    # 1. A skill.
    await page.get_by_role("link", name="Add a skill").click()
    await expect(heading(page, "Skills")).to_be_visible()
    await page.get_by_role("button", name="Create skill").click()
    dialog = page.get_by_role("dialog", name="Create skill")
    await dialog.get_by_label("Name").fill("Billing")
    await dialog.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status")).to_have_text("Skill Billing created.")
    await back_to_checklist(page)
    await expect(step(page, "Add a skill")).to_contain_text("Done")

    # 2. A queue that needs the skill.
    await page.get_by_role("link", name="Add a queue").click()
    await expect(heading(page, "Queues")).to_be_visible()
    await page.get_by_role("button", name="Create queue").click()
    dialog = page.get_by_role("dialog", name="Create queue")
    await dialog.get_by_label("Name").fill("Support")
    await dialog.get_by_role("button", name="Add required skill").click()
    await dialog.get_by_label("Skill", exact=True).select_option(label="Billing")
    await dialog.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status")).to_have_text("Queue Support created.")
    await back_to_checklist(page)
    await expect(step(page, "Add a queue")).to_contain_text("Done")

    # 3. A number routed to it.
    raw = a_free_number()
    await page.get_by_role("link", name="Add a phone number").click()
    await expect(heading(page, "Phone numbers")).to_be_visible()
    await page.get_by_role("button", name="Add phone number").click()
    dialog = page.get_by_role("dialog", name="Add phone number")
    await dialog.get_by_label("Number").fill(raw)
    await dialog.get_by_label("Queue").select_option(label="Support")
    await dialog.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status")).to_have_text(f"Phone number {e164(raw)} added.")
    await back_to_checklist(page)
    await expect(step(page, "Add a phone number")).to_contain_text("Done")

    # 4. An agent: a user first (Users page), then the profile (Agent profiles page).
    agent_email = f"agent-{uuid.uuid4().hex[:8]}@example.com"
    await (
        page.get_by_role("navigation", name="Admin pages").get_by_role("link", name="Users").click()
    )
    await expect(heading(page, "Users")).to_be_visible()
    await page.get_by_role("button", name="Create user").click()
    dialog = page.get_by_role("dialog", name="Create user")
    await dialog.get_by_label("Email").fill(agent_email)
    await dialog.get_by_label("Display name").fill("Ana Agent")
    await dialog.get_by_label("Role").select_option("AGENT")
    await dialog.get_by_label("Initial password").fill(PASSWORD)
    await dialog.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status")).to_contain_text(agent_email)

    await back_to_checklist(page)
    await page.get_by_role("link", name="Add an agent").click()
    await expect(heading(page, "Agent profiles")).to_be_visible()
    await page.get_by_role("button", name="Create agent profile").click()
    dialog = page.get_by_role("dialog", name="Create agent profile")
    await dialog.get_by_role("button", name="Add skill").click()
    await dialog.get_by_role("combobox", name="User").select_option(
        label=f"Ana Agent ({agent_email})"
    )
    await dialog.get_by_label("Support").check()
    await dialog.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status")).to_have_text("Agent profile for Ana Agent created.")

    await back_to_checklist(page)
    for label in ("Add a skill", "Add a queue", "Add a phone number", "Add an agent"):
        await expect(step(page, label)).to_contain_text("Done")
    await expect(page.get_by_text("4 of 6 steps done")).to_be_visible()
    await assert_accessible(page)
