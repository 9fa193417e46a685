"""The Customers page in a browser against the real API: create, edit and delete; search by
any spelling of a number (kept over a reload); bulk assignment; CSV import with a bad row
(dry run, then the background import); CSV export; and a second tenant seeing none of it."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from playwright.async_api import Browser, Download, Locator, Page, expect

from tests.web.helpers import (
    Account,
    Console,
    assert_accessible,
    create_user,
    open_as,
    sign_up_tenant,
)

CREATE_CUSTOMER = """
mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id name } }
"""


def heading(page: Page, name: str) -> Locator:
    return page.get_by_role("heading", name=name, level=1)


def row(page: Page, name: str) -> Locator:
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=name, exact=True))


async def add_customer(console: Console, account: Account, name: str, **fields: object) -> str:
    body = await console.gql(
        CREATE_CUSTOMER, {"input": {"name": name, **fields}}, token=account.token
    )
    assert "errors" not in body, body
    return str(body["data"]["createCustomer"]["id"])


async def downloaded(download: Download) -> str:
    """The text of a finished download."""
    path = await download.path()
    return await asyncio.to_thread(Path(path).read_text, encoding="utf-8")


async def open_customers(page: Page) -> None:
    await (
        page.get_by_role("navigation", name="Admin pages")
        .get_by_role("link", name="Customers")
        .click()
    )
    await expect(heading(page, "Customers")).to_be_visible()


async def test_customers_create_edit_delete_and_a_bad_phone_in_place(admin_page: Page) -> None:
    page = admin_page
    await open_customers(page)
    await expect(page.get_by_text("No customers yet.")).to_be_visible()
    await assert_accessible(page)

    await page.get_by_role("button", name="Create customer").click()
    dialog = page.get_by_role("dialog", name="Create customer")
    await dialog.get_by_label("Name").fill("Ada Lovelace")
    phones = dialog.get_by_label("Phone numbers")
    await phones.fill("12")
    await dialog.get_by_label("Tags").fill("gold, early")
    await dialog.get_by_label("Category").select_option("VIP")
    await dialog.get_by_role("button", name="Save").click()
    # The server's BAD_USER_INPUT lands on the numbers; the draft stays.
    await expect(phones).to_have_attribute("aria-invalid", "true")
    await expect(dialog.locator(".field-error")).to_contain_text("invalid phone number '12'")
    await expect(dialog.get_by_label("Name")).to_have_value("Ada Lovelace")
    await expect(dialog.get_by_label("Tags")).to_have_value("gold, early")
    await assert_accessible(page)
    await phones.fill("+1 415 555 0123")
    await dialog.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status")).to_have_text("Customer Ada Lovelace created.")
    ada = row(page, "Ada Lovelace")
    await expect(ada).to_contain_text("+14155550123")
    await expect(ada).to_contain_text("VIP")
    await expect(ada).to_contain_text("gold, early")

    # Edit: the dialog shows what the server kept.
    await ada.get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog", name="Edit customer")
    await expect(dialog.get_by_label("Phone numbers")).to_have_value("+1 415 555 0123")
    await expect(dialog.get_by_label("Category")).to_have_value("VIP")
    await dialog.get_by_label("Name").fill("Ada King")
    await dialog.get_by_label("Phone numbers").fill("+1 415 555 0123\n(212) 736-5000")
    await dialog.get_by_label("Category").select_option("No category")
    await dialog.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status")).to_have_text("Customer Ada King saved.")
    king = row(page, "Ada King")
    await expect(king).to_contain_text("+14155550123, +12127365000")
    await expect(king).not_to_contain_text("VIP")

    # Delete, after a confirmation.
    await king.get_by_role("button", name="Delete").click()
    confirm = page.get_by_role("alertdialog", name="Delete customer Ada King?")
    await expect(confirm).to_be_visible()
    await assert_accessible(page)
    await confirm.get_by_role("button", name="Delete").click()
    await expect(page.get_by_role("status")).to_have_text("Customer Ada King deleted.")
    await page.reload()
    await expect(page.get_by_text("No customers yet.")).to_be_visible()


async def test_search_by_a_differently_spelled_number_and_by_tag_survives_a_reload(
    admin_page: Page, console: Console, admin: Account
) -> None:
    await add_customer(console, admin, "Ada Lovelace", phones=["+1 415 555 0123"], tags=["gold"])
    await add_customer(console, admin, "Bob Byte", phones=["(212) 736-5000"], tags=["gold"])
    await add_customer(console, admin, "Carol Code", phones=["+1 646 555 0199"])
    page = admin_page
    await open_customers(page)
    await expect(page.get_by_role("rowheader")).to_have_count(3)

    await page.get_by_label("Search by name or phone number").fill("212.736.5000")
    await expect(page.get_by_role("rowheader")).to_have_text(["Bob Byte"])
    await expect(page).to_have_url(re.compile(r"[?&]q=212\.736\.5000"))
    await page.reload()
    await expect(page.get_by_label("Search by name or phone number")).to_have_value("212.736.5000")
    await expect(page.get_by_role("rowheader")).to_have_text(["Bob Byte"])

    # By name prefix, then by tag.
    await page.get_by_label("Search by name or phone number").fill("ada")
    await expect(page.get_by_role("rowheader")).to_have_text(["Ada Lovelace"])
    await page.get_by_label("Search by name or phone number").fill("")
    await page.get_by_label("Tag").fill("gold")
    await expect(page.get_by_role("rowheader")).to_have_text(["Ada Lovelace", "Bob Byte"])
    # Sorted by name, then the other way round.
    await page.get_by_role("button", name="Name", exact=True).click()
    await expect(page.get_by_role("rowheader")).to_have_text(["Bob Byte", "Ada Lovelace"])
    await assert_accessible(page)


async def test_bulk_assign_two_customers_to_an_owner(
    admin_page: Page, console: Console, admin: Account
) -> None:
    owner = await create_user(console, admin, "SUPERVISOR")
    for name in ("Ada Lovelace", "Bob Byte", "Carol Code"):
        await add_customer(console, admin, name)
    page = admin_page
    await open_customers(page)
    await expect(page.get_by_role("rowheader")).to_have_count(3)

    await page.get_by_role("checkbox", name="Select Ada Lovelace").check()
    await page.get_by_role("checkbox", name="Select Carol Code").check()
    bulk = page.get_by_role("group", name="Selected customers")
    await expect(bulk).to_contain_text("2 customers selected")
    await assert_accessible(page)
    await bulk.get_by_label("Assign to").select_option(label=owner.email)
    await bulk.get_by_role("button", name="Assign").click()
    await expect(page.get_by_role("status")).to_have_text("2 customers assigned.")
    await expect(row(page, "Ada Lovelace")).to_contain_text(owner.email)
    await expect(row(page, "Carol Code")).to_contain_text(owner.email)
    await expect(row(page, "Bob Byte")).not_to_contain_text(owner.email)

    # The owner filter lists exactly those two.
    await page.get_by_label("Owner", exact=True).select_option(label=owner.email)
    await expect(page.get_by_role("rowheader")).to_have_text(["Ada Lovelace", "Carol Code"])
    # "Select all on this page" selects both.
    await page.get_by_role("checkbox", name="Select all on this page").check()
    await expect(bulk).to_contain_text("2 customers selected")


CSV_WITH_A_BAD_ROW = (
    "Name,Mobile,Email,Tags\n"
    "Ada Lovelace,+1 415 555 0123,ada@example.com,gold\n"
    "Bad Number,12,bad@example.com,\n"
    "Grace Hopper,(212) 736-5000,grace@example.com,gold;navy\n"
)


async def test_csv_import_with_a_bad_row(
    admin_page: Page, console: Console, admin: Account
) -> None:
    # Grace's number is known: her row updates that customer.
    await add_customer(console, admin, "Grace (old)", phones=["+1 212 736 5000"])
    page = admin_page
    await open_customers(page)
    await page.get_by_role("button", name="Import CSV").click()
    dialog = page.get_by_role("dialog", name="Import customers")
    await dialog.get_by_label("CSV file").set_input_files(
        {"name": "customers.csv", "mimeType": "text/csv", "buffer": CSV_WITH_A_BAD_ROW.encode()}
    )

    # The mapping, guessed from the header.
    await expect(dialog.get_by_role("heading", name="Match the columns")).to_be_visible()
    await expect(dialog.get_by_label("Column “Name”")).to_have_value("name")
    await expect(dialog.get_by_label("Column “Mobile”")).to_have_value("phone")
    await expect(dialog.get_by_label("Column “Email”")).to_have_value("email")
    await expect(dialog.get_by_label("Column “Tags”")).to_have_value("tags")
    await assert_accessible(page)
    await dialog.get_by_role("button", name="Check the file").click()

    # The dry run, row by row: the bad row and why.
    report = dialog.get_by_role("table", name="Dry run, row by row")
    await expect(report.get_by_role("row", name="Row 2")).to_contain_text("Rejected")
    await expect(report.get_by_role("row", name="Row 2")).to_contain_text(
        "invalid phone number '12'"
    )
    await expect(report.get_by_role("row", name="Row 1")).to_contain_text("Would be created")
    await expect(report.get_by_role("row", name="Row 3")).to_contain_text("Would update a customer")
    totals = dialog.locator(".import-totals")
    await expect(totals).to_contain_text("Would create1")
    await expect(totals).to_contain_text("Would update1")
    await expect(totals).to_contain_text("Would reject1")
    await assert_accessible(page)
    # The dry run wrote nothing.
    listed = await console.gql("{ customers(first: 10) { nodes { name } } }", token=admin.token)
    assert listed["data"]["customers"]["nodes"] == [{"name": "Grace (old)"}]

    await dialog.get_by_role("button", name="Import", exact=True).click()
    await expect(dialog.get_by_role("heading", name="Import finished")).to_be_visible()
    await expect(totals).to_contain_text("Created1")
    await expect(totals).to_contain_text("Updated1")
    await expect(totals).to_contain_text("Rejected1")
    await expect(
        dialog.get_by_role("table", name="Rejected rows").get_by_role("row", name="Row 2")
    ).to_contain_text("invalid phone number '12'")
    await dialog.get_by_role("button", name="Close").click()
    await expect(dialog).to_be_hidden()
    await expect(page.get_by_role("rowheader")).to_have_text(["Ada Lovelace", "Grace Hopper"])
    await expect(row(page, "Grace Hopper")).to_contain_text("+12127365000")
    await expect(page.get_by_text("Bad Number")).to_have_count(0)
    await expect(page.get_by_text("Grace (old)")).to_have_count(0)


async def test_export_downloads_a_csv_with_a_created_customer(
    admin_page: Page, console: Console, admin: Account
) -> None:
    await add_customer(console, admin, "Exported Ada", phones=["+1 415 555 0123"])
    await add_customer(console, admin, "Other Bob", phones=["(212) 736-5000"])
    page = admin_page
    await open_customers(page)
    await expect(page.get_by_role("rowheader")).to_have_count(2)
    async with page.expect_download() as info:
        await page.get_by_role("link", name="Export CSV").click()
    text = await downloaded(await info.value)
    assert "Exported Ada" in text and "+1 415 555 0123" in text
    assert "Other Bob" in text

    # With a search, the export carries the same filter.
    await page.get_by_label("Search by name or phone number").fill("Exported")
    await expect(page.get_by_role("rowheader")).to_have_text(["Exported Ada"])
    async with page.expect_download() as info:
        await page.get_by_role("link", name="Export CSV").click()
    text = await downloaded(await info.value)
    assert "Exported Ada" in text and "Other Bob" not in text


async def test_a_second_tenant_lists_none_of_the_first_tenants_customers(
    browser: Browser, console: Console, admin: Account
) -> None:
    await add_customer(console, admin, "Alpha Private", phones=["+1 415 555 0123"])
    tenant_b = await sign_up_tenant(console)
    ctx, page_b = await open_as(browser, console, tenant_b, "/admin/customers")
    try:
        await expect(heading(page_b, "Customers")).to_be_visible()
        await expect(page_b.get_by_text("No customers yet.")).to_be_visible()
        await page_b.get_by_label("Search by name or phone number").fill("(415) 555-0123")
        await expect(page_b.get_by_text("No customer matches this search.")).to_be_visible()
        await expect(page_b.get_by_text("Alpha Private")).to_have_count(0)
        # B's export, with B's cookie, holds nothing of A's.
        response = await ctx.request.get(f"{console.url}/v1/crm/customers/export.csv")
        assert response.ok, await response.text()
        assert "Alpha Private" not in await response.text()
        await assert_accessible(page_b)
    finally:
        await ctx.close()
