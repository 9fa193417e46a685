"""The CRM page (settings, custom fields, customer categories) and the ticket categories page
with its field schema and workflow step editor, in a real browser against the real API."""

from __future__ import annotations

import re

import phonenumbers
from playwright.async_api import Browser, Locator, Page, expect

from tests.web.helpers import WEB, Account, Console, assert_accessible, open_as, sign_up_tenant

CATEGORIES = """
{ ticketCategories { id name fields { key label type required options }
  steps { name position role slaSeconds team { name } } } }"""
CRM = """
{ crmSettings { defaultRegion }
  customFields { id key label type required unique options }
  customerCategories { id name routing } }"""
CREATE_TEAM = "mutation($input: TeamInput!) { createTeam(input: $input) { id name } }"
SLA = re.compile(r"^SLA( \*)?$")


def heading(page: Page, name: str) -> Locator:
    return page.get_by_role("heading", name=name, level=1)


def row(scope: Page | Locator, name: str) -> Locator:
    """The row of ``scope``'s table whose row header is ``name``."""
    page = scope if isinstance(scope, Page) else scope.page
    return scope.get_by_role("row").filter(has=page.get_by_role("rowheader", name=name, exact=True))


def section(page: Page, name: str) -> Locator:
    return page.get_by_role("region", name=name, exact=True)


async def data(console: Console, account: Account, query: str) -> dict:
    body = await console.gql(query, token=account.token)
    assert "errors" not in body, body
    return body["data"]


def test_the_region_list_is_the_one_the_server_reads_numbers_in() -> None:
    source = (WEB / "src" / "data" / "phoneRegions.ts").read_text()
    listed = re.search(r"PHONE_REGIONS: readonly string\[\] = `([^`]*)`", source)
    assert listed, "PHONE_REGIONS not found in phoneRegions.ts"
    assert set(listed.group(1).split()) == set(phonenumbers.SUPPORTED_REGIONS)


async def test_crm_default_region_is_saved_and_read_back(
    admin_page: Page, console: Console, admin: Account
) -> None:
    page = admin_page
    await page.get_by_role("navigation", name="Admin pages").get_by_role("link", name="CRM").click()
    await expect(heading(page, "CRM")).to_be_visible()
    settings = section(page, "Settings")
    region = settings.get_by_label("Default phone region")
    await expect(region).to_have_value("US")
    await assert_accessible(page)

    await region.select_option(label="Germany (DE)")
    await settings.get_by_role("button", name="Save").click()
    await expect(settings.get_by_role("status")).to_have_text("CRM settings saved.")
    assert (await data(console, admin, CRM))["crmSettings"]["defaultRegion"] == "DE"

    await page.reload()
    await expect(section(page, "Settings").get_by_label("Default phone region")).to_have_value("DE")


async def test_custom_fields_create_edit_delete_with_errors_in_place(
    admin_page: Page, console: Console, admin: Account
) -> None:
    page = admin_page
    await page.goto("/admin/crm")
    fields = section(page, "Custom fields")
    await expect(fields.get_by_text("No custom fields yet.")).to_be_visible()

    await fields.get_by_role("button", name="Create custom field").click()
    dialog = page.get_by_role("dialog", name="Create custom field")
    await dialog.get_by_label("Key").fill("tier")
    await dialog.get_by_label("Label").fill("Tier")
    await dialog.get_by_label("Type").select_option("SELECT")
    # A choice field without choices: refused in place before sending.
    await dialog.get_by_role("button", name="Save").click()
    choices = dialog.get_by_label("Choices")
    await expect(choices).to_have_attribute("aria-invalid", "true")
    await expect(dialog.get_by_text("A choice field needs at least one choice.")).to_be_visible()
    await choices.fill("gold\nsilver")
    # A default that is not one of the choices: the server refuses it, on its field.
    default = dialog.get_by_label("Default value")
    await default.fill("bronze")
    await dialog.get_by_role("button", name="Save").click()
    await expect(default).to_have_attribute("aria-invalid", "true")
    await expect(default).to_be_focused()
    await expect(default).to_have_value("bronze")
    await expect(dialog.get_by_label("Key")).to_have_value("tier")
    await expect(choices).to_have_value("gold\nsilver")
    await assert_accessible(page)
    await default.fill("gold")
    await dialog.get_by_label("Required").check()
    await dialog.get_by_role("button", name="Save").click()
    await expect(dialog).to_be_hidden()
    await expect(fields.get_by_role("status")).to_have_text("Custom field Tier created.")
    await expect(row(fields, "Tier")).to_contain_text("One choice")
    await expect(row(fields, "Tier")).to_contain_text("Required")

    # A second field with the same key: the server's CONFLICT, in place.
    await fields.get_by_role("button", name="Create custom field").click()
    dialog = page.get_by_role("dialog", name="Create custom field")
    await dialog.get_by_label("Key").fill("tier")
    await dialog.get_by_label("Label").fill("Level")
    await dialog.get_by_role("button", name="Save").click()
    await expect(dialog.get_by_role("alert")).to_contain_text("This conflicts with what exists")
    await expect(dialog.get_by_label("Label")).to_have_value("Level")
    await dialog.get_by_label("Key").fill("contract_id")
    await dialog.get_by_label("Unique").check()
    await dialog.get_by_role("button", name="Save").click()
    await expect(dialog).to_be_hidden()
    await expect(row(fields, "Level")).to_contain_text("Unique")

    # Edit.
    await row(fields, "Tier").get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog", name="Edit custom field")
    await expect(dialog.get_by_label("Choices")).to_have_value("gold\nsilver")
    await dialog.get_by_label("Label").fill("Service tier")
    await dialog.get_by_label("Choices").fill("gold\nsilver\nbronze")
    await dialog.get_by_role("button", name="Save").click()
    await expect(fields.get_by_role("status")).to_have_text("Custom field Service tier saved.")

    # Delete.
    await row(fields, "Level").get_by_role("button", name="Delete").click()
    confirm = page.get_by_role("alertdialog", name="Delete custom field Level?")
    await confirm.get_by_role("button", name="Delete").click()
    await expect(fields.get_by_role("status")).to_have_text("Custom field Level deleted.")
    await expect(row(fields, "Level")).to_have_count(0)

    stored = (await data(console, admin, CRM))["customFields"]
    assert [(f["key"], f["label"], f["type"], f["required"], f["options"]) for f in stored] == [
        ("tier", "Service tier", "SELECT", True, ["gold", "silver", "bronze"])
    ]
    await page.reload()
    await expect(row(section(page, "Custom fields"), "Service tier")).to_be_visible()
    await assert_accessible(page)


async def test_customer_categories_create_edit_delete(
    admin_page: Page, console: Console, admin: Account
) -> None:
    page = admin_page
    await page.goto("/admin/crm")
    categories = section(page, "Customer categories")
    await categories.get_by_role("button", name="Create customer category").click()
    dialog = page.get_by_role("dialog", name="Create customer category")
    await dialog.get_by_label("Name").fill("Gold members")
    await dialog.get_by_label("Call routing").select_option("PRIORITY")
    await dialog.get_by_label("Position").fill("lots")
    await dialog.get_by_role("button", name="Save").click()
    await expect(dialog.get_by_text("Enter a whole number, 0 or more.")).to_be_visible()
    await expect(dialog.get_by_label("Name")).to_have_value("Gold members")
    await dialog.get_by_label("Position").fill("5")
    await dialog.get_by_role("button", name="Save").click()
    await expect(categories.get_by_role("status")).to_have_text(
        "Customer category Gold members created."
    )
    await expect(row(categories, "Gold members")).to_contain_text("Priority (VIP)")

    await row(categories, "Gold members").get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog", name="Edit customer category")
    await expect(dialog.get_by_label("Position")).to_have_value("5")
    await dialog.get_by_label("Name").fill("Blocked callers")
    await dialog.get_by_label("Call routing").select_option("REJECT")
    await dialog.get_by_role("button", name="Save").click()
    await expect(categories.get_by_role("status")).to_have_text(
        "Customer category Blocked callers saved."
    )
    await expect(row(categories, "Blocked callers")).to_contain_text("Rejected (blacklist)")
    stored = {
        c["name"]: c["routing"] for c in (await data(console, admin, CRM))["customerCategories"]
    }
    assert stored.get("Blocked callers") == "REJECT"
    assert "Gold members" not in stored

    await row(categories, "Blocked callers").get_by_role("button", name="Delete").click()
    confirm = page.get_by_role("alertdialog", name="Delete customer category Blocked callers?")
    await assert_accessible(page)
    await confirm.get_by_role("button", name="Delete").click()
    await expect(categories.get_by_role("status")).to_have_text(
        "Customer category Blocked callers deleted."
    )
    await page.reload()
    await expect(row(section(page, "Customer categories"), "Blocked callers")).to_have_count(0)
    stored = {c["name"] for c in (await data(console, admin, CRM))["customerCategories"]}
    assert "Blocked callers" not in stored


def step(dialog: Locator, n: int) -> Locator:
    return dialog.get_by_role("group", name=f"Step {n}", exact=True)


async def fill_step(
    dialog: Locator, n: int, name: str, sla: str, unit: str, team: str = "", role: str = ""
) -> None:
    group = step(dialog, n)
    await group.get_by_label("Step name").fill(name)
    if team:
        await group.get_by_label("Owner team").select_option(label=team)
    if role:
        await group.get_by_label("Owner role").select_option(label=role)
    await group.get_by_label(SLA).fill(sla)
    await group.get_by_label("SLA unit").select_option(label=unit)


async def test_ticket_category_workflow_reordered_in_the_ui_reads_back_in_order(
    admin_page: Page, console: Console, admin: Account
) -> None:
    page = admin_page
    for team in ("Front desk", "Repairs"):
        body = await console.gql(CREATE_TEAM, {"input": {"name": team}}, token=admin.token)
        assert "errors" not in body, body
    await (
        page.get_by_role("navigation", name="Admin pages")
        .get_by_role("link", name="Ticket categories")
        .click()
    )
    await expect(heading(page, "Ticket categories")).to_be_visible()
    await expect(page.get_by_text("No ticket categories yet.")).to_be_visible()

    await page.get_by_role("button", name="Create ticket category").click()
    dialog = page.get_by_role("dialog", name="Create ticket category")
    await dialog.get_by_role("textbox", name="Name", exact=True).fill("Repair")
    await dialog.get_by_role("button", name="Add field").click()
    field = dialog.get_by_role("group", name="Field 1", exact=True)
    await field.get_by_label("Key").fill("serial")
    await field.get_by_label("Label").fill("Serial number")
    await field.get_by_label("Required").check()
    await fill_step(dialog, 1, "Triage", "30", "Minutes", team="Front desk")
    await dialog.get_by_role("button", name="Add step").click()
    await fill_step(dialog, 2, "Fix", "48", "Hours", team="Repairs", role="Agent")
    await dialog.get_by_role("button", name="Add step").click()
    # 9,000 hours is past the server's 365 days: its error lands on step 3's SLA.
    await fill_step(dialog, 3, "Verify", "9000", "Hours", role="Supervisor")
    await assert_accessible(page)
    await dialog.get_by_role("button", name="Save").click()
    sla = step(dialog, 3).get_by_label(SLA)
    await expect(sla).to_have_attribute("aria-invalid", "true")
    await expect(step(dialog, 3).locator(".field-error")).to_contain_text(
        "less than or equal to 31536000"
    )
    await expect(sla).to_be_focused()
    await expect(sla).to_have_value("9000")
    await expect(step(dialog, 2).get_by_label("Step name")).to_have_value("Fix")
    await expect(field.get_by_label("Key")).to_have_value("serial")
    await assert_accessible(page)
    await sla.fill("2")

    # Verify goes first, by keyboard: Move up twice; the focus follows the step.
    await step(dialog, 3).get_by_role("button", name="Move up").focus()
    await page.keyboard.press("Enter")
    await expect(step(dialog, 2).get_by_role("button", name="Move up")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(step(dialog, 1).get_by_label("Step name")).to_have_value("Verify")
    await expect(step(dialog, 1).get_by_role("button", name="Move down")).to_be_focused()
    await dialog.get_by_role("button", name="Save").click()
    await expect(dialog).to_be_hidden()
    await expect(page.get_by_role("status")).to_have_text("Ticket category Repair created.")
    await expect(row(page, "Repair")).to_contain_text("Verify → Triage → Fix")

    [category] = (await data(console, admin, CATEGORIES))["ticketCategories"]
    assert category["name"] == "Repair"
    assert category["fields"] == [
        {"key": "serial", "label": "Serial number", "type": "TEXT", "required": True, "options": []}
    ]
    assert [
        (s["position"], s["name"], s["role"], s["slaSeconds"], (s["team"] or {}).get("name"))
        for s in category["steps"]
    ] == [
        (0, "Verify", "supervisor", 7200, None),
        (1, "Triage", None, 1800, "Front desk"),
        (2, "Fix", "agent", 172800, "Repairs"),
    ]

    # Edit: the stored workflow opens as saved; move Fix up, rename, drop the field.
    await row(page, "Repair").get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog", name="Edit ticket category")
    await expect(step(dialog, 1).get_by_label("Step name")).to_have_value("Verify")
    await expect(step(dialog, 2).get_by_label("Owner team").locator("option:checked")).to_have_text(
        "Front desk"
    )
    await expect(step(dialog, 2).get_by_label("SLA unit")).to_have_value("minutes")
    await dialog.get_by_role("textbox", name="Name", exact=True).fill("Repairs and returns")
    await step(dialog, 3).get_by_role("button", name="Move up").click()
    await (
        dialog.get_by_role("group", name="Field 1", exact=True)
        .get_by_role("button", name="Remove field")
        .click()
    )
    await dialog.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status")).to_have_text(
        "Ticket category Repairs and returns saved."
    )
    [category] = (await data(console, admin, CATEGORIES))["ticketCategories"]
    assert [s["name"] for s in category["steps"]] == ["Verify", "Fix", "Triage"]
    assert category["fields"] == []

    # Delete.
    await row(page, "Repairs and returns").get_by_role("button", name="Delete").click()
    confirm = page.get_by_role("alertdialog", name="Delete ticket category Repairs and returns?")
    await confirm.get_by_role("button", name="Delete").click()
    await expect(page.get_by_role("status")).to_have_text(
        "Ticket category Repairs and returns deleted."
    )
    await expect(page.get_by_text("No ticket categories yet.")).to_be_visible()
    assert (await data(console, admin, CATEGORIES))["ticketCategories"] == []
    await assert_accessible(page)


async def test_a_second_tenant_sees_none_of_the_first_ones_crm_or_ticket_categories(
    browser: Browser, console: Console, admin: Account
) -> None:
    created = await console.gql(
        """mutation {
          createCustomField(input: {key: "acme_only", label: "Acme only field", type: TEXT}) { id }
          createCustomerCategory(input: {name: "Acme VIP", routing: PRIORITY}) { id }
          createTicketCategory(input: {name: "Acme repairs",
            steps: [{name: "Acme triage", slaSeconds: 600, role: ADMIN}]}) { id }
          updateCrmSettings(defaultRegion: "CN") { defaultRegion }
        }""",
        token=admin.token,
    )
    assert "errors" not in created, created
    other = await sign_up_tenant(console)

    ctx, page = await open_as(browser, console, admin, "/admin/crm")
    try:
        await expect(row(section(page, "Custom fields"), "Acme only field")).to_be_visible()
    finally:
        await ctx.close()

    ctx, page = await open_as(browser, console, other, "/admin/crm")
    try:
        await expect(heading(page, "CRM")).to_be_visible()
        await expect(
            section(page, "Custom fields").get_by_text("No custom fields yet.")
        ).to_be_visible()
        await expect(section(page, "Settings").get_by_label("Default phone region")).to_have_value(
            "US"
        )
        categories = section(page, "Customer categories")
        await expect(row(categories, "VIP")).to_be_visible()  # the defaults every tenant gets
        await expect(row(categories, "Acme VIP")).to_have_count(0)
        await expect(page.get_by_text("Acme", exact=False)).to_have_count(0)
        await page.goto("/admin/ticket-categories")
        await expect(page.get_by_text("No ticket categories yet.")).to_be_visible()
        await expect(page.get_by_text("Acme", exact=False)).to_have_count(0)
        await assert_accessible(page)
    finally:
        await ctx.close()
    theirs = await data(console, other, CRM)
    assert theirs["customFields"] == []
    assert "Acme VIP" not in {c["name"] for c in theirs["customerCategories"]}
    assert (await data(console, other, CATEGORIES))["ticketCategories"] == []
