"""The admin area in a browser: every page of its navigation, Skills, Break reasons and
Tenant settings created, edited and deleted through the UI, and server errors in place."""

from __future__ import annotations

from playwright.async_api import Locator, Page, expect

from tests.web.helpers import Account, assert_accessible

# (navigation link, the page's h1) for every admin page, placeholders included.
ADMIN_PAGES = [
    ("Setup", "Set up your center"),
    ("Users", "Users"),
    ("API keys", "API keys"),
    ("Skills", "Skills"),
    ("Break reasons", "Break reasons"),
    ("Dispositions", "Disposition codes"),
    ("Queues", "Queues"),
    ("Phone numbers", "Phone numbers"),
    ("Call flows", "Call flows"),
    ("Agent profiles", "Agent profiles"),
    ("CRM", "CRM"),
    ("Teams", "Teams"),
    ("Ticket categories", "Ticket categories"),
    ("Customers", "Customers"),
    ("QA scorecards", "QA scorecards"),
    ("Recording access", "Recording access"),
    ("Tenant settings", "Tenant settings"),
]


def heading(page: Page, name: str) -> Locator:
    return page.get_by_role("heading", name=name, level=1)


def row(page: Page, name: str) -> Locator:
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=name, exact=True))


async def test_every_admin_page_opens_from_the_navigation_and_passes_axe(
    admin_page: Page,
) -> None:
    page = admin_page
    nav = page.get_by_role("navigation", name="Admin pages")
    links = nav.get_by_role("link")
    await expect(links).to_have_count(len(ADMIN_PAGES))
    for label, title in ADMIN_PAGES:
        await nav.get_by_role("link", name=label, exact=True).click()
        await expect(heading(page, title)).to_be_visible()
        await expect(nav.get_by_role("link", name=label, exact=True)).to_have_attribute(
            "aria-current", "page"
        )
        await assert_accessible(page)
    await page.goto("/admin/no-such-page")
    await expect(heading(page, "Page not found")).to_be_visible()
    await assert_accessible(page)


async def create(page: Page, button: str, name: str) -> None:
    await page.get_by_role("button", name=button).click()
    dialog = page.get_by_role("dialog", name=button)
    await expect(dialog).to_be_visible()
    await dialog.get_by_label("Name").fill(name)
    await dialog.get_by_role("button", name="Save").click()


async def test_skills_create_edit_delete_and_a_duplicate_name_in_place(admin_page: Page) -> None:
    page = admin_page
    await (
        page.get_by_role("navigation", name="Admin pages")
        .get_by_role("link", name="Skills")
        .click()
    )
    await expect(heading(page, "Skills")).to_be_visible()
    await expect(page.get_by_text("No skills yet. Create the first one.")).to_be_visible()

    await create(page, "Create skill", "Billing")
    await expect(page.get_by_role("status")).to_have_text("Skill Billing created.")
    await expect(row(page, "Billing")).to_be_visible()
    await create(page, "Create skill", "Sales")
    await expect(page.get_by_role("status")).to_have_text("Skill Sales created.")
    await expect(row(page, "Sales")).to_be_visible()

    # A duplicate: the server's CONFLICT lands on the field; the dialog and the draft stay.
    await page.get_by_role("button", name="Create skill").click()
    dialog = page.get_by_role("dialog", name="Create skill")
    await dialog.get_by_label("Name").fill("Sales")
    await dialog.get_by_role("button", name="Save").click()
    name_field = dialog.get_by_label("Name")
    await expect(dialog.get_by_text("Already in use.")).to_be_visible()
    await expect(name_field).to_have_attribute("aria-invalid", "true")
    await expect(name_field).to_have_value("Sales")
    await expect(dialog.get_by_role("alert")).to_contain_text("This conflicts with what exists")
    await assert_accessible(page)
    await name_field.fill("Sales EMEA")
    await dialog.get_by_role("button", name="Save").click()
    await expect(dialog).to_be_hidden()
    await expect(row(page, "Sales EMEA")).to_be_visible()

    # Edit.
    await row(page, "Billing").get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog", name="Edit skill")
    await expect(dialog.get_by_label("Name")).to_have_value("Billing")
    await dialog.get_by_label("Name").fill("Billing EN")
    await dialog.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status")).to_have_text("Skill Billing EN saved.")
    await expect(row(page, "Billing EN")).to_be_visible()
    await expect(row(page, "Billing")).to_have_count(0)

    # Delete, after a confirmation.
    await row(page, "Sales").get_by_role("button", name="Delete").click()
    confirm = page.get_by_role("alertdialog", name="Delete skill Sales?")
    await expect(confirm).to_be_visible()
    await assert_accessible(page)
    await confirm.get_by_role("button", name="Delete").click()
    await expect(page.get_by_role("status")).to_have_text("Skill Sales deleted.")
    await expect(row(page, "Sales")).to_have_count(0)

    # What the page shows is what the server kept.
    await page.reload()
    await expect(row(page, "Billing EN")).to_be_visible()
    await expect(row(page, "Sales EMEA")).to_be_visible()
    await expect(page.get_by_role("row")).to_have_count(3)  # the header and two skills
    await assert_accessible(page)


async def test_break_reasons_create_edit_delete_and_bad_values_in_place(
    admin_page: Page,
) -> None:
    page = admin_page
    await page.goto("/admin/break-reasons")
    await expect(heading(page, "Break reasons")).to_be_visible()
    await expect(page.get_by_text("No break reasons yet")).to_be_visible()

    await create(page, "Create break reason", "lunch")
    await expect(page.get_by_role("status")).to_have_text("Break reason lunch created.")
    await expect(row(page, "lunch")).to_be_visible()

    # A value the rules refuse is shown on its field, with the draft kept.
    await page.get_by_role("button", name="Create break reason").click()
    dialog = page.get_by_role("dialog", name="Create break reason")
    await dialog.get_by_label("Name").fill("coffee break!")
    await dialog.get_by_role("button", name="Save").click()
    await expect(dialog.get_by_label("Name")).to_have_attribute("aria-invalid", "true")
    await expect(dialog.locator(".field-error")).to_have_text(
        "Up to 40 characters: a-z, 0-9, _ or - (for example lunch, training)."
    )
    await expect(dialog.get_by_label("Name")).to_have_value("coffee break!")
    # A duplicate: the server refuses it (CONFLICT), in place.
    await dialog.get_by_label("Name").fill("lunch")
    await dialog.get_by_role("button", name="Save").click()
    await expect(dialog.get_by_role("alert")).to_contain_text("This conflicts with what exists")
    await expect(dialog.get_by_label("Name")).to_have_value("lunch")
    await assert_accessible(page)
    await dialog.get_by_role("button", name="Cancel").click()
    await expect(dialog).to_be_hidden()

    await create(page, "Create break reason", "training")
    await expect(row(page, "training")).to_be_visible()
    await row(page, "lunch").get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog", name="Edit break reason")
    await dialog.get_by_label("Name").fill("lunch-long")
    await dialog.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status")).to_have_text("Break reason lunch-long saved.")

    await row(page, "training").get_by_role("button", name="Delete").click()
    confirm = page.get_by_role("alertdialog", name="Delete break reason training?")
    await confirm.get_by_role("button", name="Delete").click()
    await expect(page.get_by_role("status")).to_have_text("Break reason training deleted.")

    await page.reload()
    await expect(row(page, "lunch-long")).to_be_visible()
    await expect(page.get_by_role("row")).to_have_count(2)
    await assert_accessible(page)


async def test_tenant_settings_are_saved_and_shown_after_a_reload(
    admin_page: Page, admin: Account
) -> None:
    page = admin_page
    await page.goto("/admin/settings")
    await expect(heading(page, "Tenant settings")).to_be_visible()
    name = page.get_by_label("Center name")
    await expect(name).to_have_value(admin.tenant_name)
    await assert_accessible(page)

    # Values the form refuses, in place.
    await name.fill("X")
    limit = page.get_by_label("Concurrent-call limit")
    await limit.fill("many")
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_text("Use at least 2 characters.")).to_be_visible()
    await expect(page.get_by_text("Enter a whole number, 0 or more.")).to_be_visible()
    await expect(limit).to_have_value("many")

    renamed = f"{admin.tenant_name} Renamed"
    await name.fill(renamed)
    await page.get_by_label("Time zone").select_option("Asia/Shanghai")
    await limit.fill("25")
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status")).to_have_text("Settings saved.")

    await page.reload()
    await expect(page.get_by_label("Center name")).to_have_value(renamed)
    await expect(page.get_by_label("Time zone")).to_have_value("Asia/Shanghai")
    await expect(page.get_by_label("Concurrent-call limit")).to_have_value("25")
    await expect(page.get_by_role("banner")).to_contain_text(renamed)

    # Back to no limit (0), and the checklist greets the center by its new name.
    await page.get_by_label("Concurrent-call limit").fill("0")
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status")).to_have_text("Settings saved.")
    await (
        page.get_by_role("navigation", name="Admin pages").get_by_role("link", name="Setup").click()
    )
    await expect(heading(page, "Set up your center")).to_be_visible()
    await expect(page.get_by_role("main")).to_contain_text(renamed)


async def test_dispositions_create_archive_delete_and_a_duplicate_in_place(
    admin_page: Page,
) -> None:
    page = admin_page
    await page.goto("/admin/dispositions")
    await expect(heading(page, "Disposition codes")).to_be_visible()
    await expect(page.get_by_text("No disposition codes yet")).to_be_visible()

    async def create_code(code: str, label: str) -> None:
        await page.get_by_role("button", name="Create disposition").click()
        dialog = page.get_by_role("dialog", name="Create disposition")
        await dialog.get_by_label("Code").fill(code)
        await dialog.get_by_label("Label").fill(label)
        await dialog.get_by_role("button", name="Save").click()

    await create_code("sale", "Sale")
    await expect(page.get_by_role("status")).to_have_text("Disposition sale created.")
    await expect(row(page, "sale")).to_contain_text("Active")
    await create_code("sale", "Again")
    dialog = page.get_by_role("dialog", name="Create disposition")
    await expect(dialog.get_by_role("alert")).to_contain_text("This conflicts with what exists")
    await expect(dialog.get_by_label("Label")).to_have_value("Again")
    await assert_accessible(page)
    await dialog.get_by_role("button", name="Cancel").click()

    await row(page, "sale").get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog", name="Edit disposition")
    await dialog.get_by_label("Active").uncheck()
    await dialog.get_by_role("button", name="Save").click()
    await expect(row(page, "sale")).to_contain_text("Archived")

    await row(page, "sale").get_by_role("button", name="Delete").click()
    confirm = page.get_by_role("alertdialog", name="Delete disposition sale?")
    await confirm.get_by_role("button", name="Delete").click()
    await expect(page.get_by_role("status")).to_have_text("Disposition sale deleted.")
    await expect(page.get_by_text("No disposition codes yet")).to_be_visible()
