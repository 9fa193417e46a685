"""The public pages, in a browser: sign-up, log-in (/login and /t/:slug), the session's life
(reload, log-out), and the password reset from the logged link."""

from __future__ import annotations

import logging
import re
import uuid

import pytest
from playwright.async_api import BrowserContext, Page, expect

from tests.web.helpers import Account, Console, assert_accessible, unique_name

CHECKLIST = "Set up your center"


def heading(page: Page, name: str) -> object:
    return page.get_by_role("heading", name=name, level=1)


async def fill_log_in(page: Page, account: Account) -> None:
    await page.get_by_label("Email").fill(account.email)
    await page.get_by_label("Password").fill(account.password)
    await page.get_by_role("button", name="Log in").click()


async def test_sign_up_in_the_browser_lands_on_the_checklist(page: Page) -> None:
    """The password rules are shown; a short password is refused in place; a good one
    creates the center and its owner lands on the setup checklist, logged in."""
    await page.goto("/signup")
    await expect(heading(page, "Sign up")).to_be_visible()
    await expect(page.get_by_text("At least 12 characters, at most 256.")).to_be_visible()
    await assert_accessible(page)

    name = unique_name("Acme")
    await page.get_by_label("Center name").fill(name)
    await page.get_by_label("Email").fill(f"owner-{uuid.uuid4().hex[:8]}@example.com")
    password = page.get_by_label("Password")
    await password.fill("too short")
    await page.get_by_role("button", name="Sign up").click()
    await expect(page.get_by_text("Use at least 12 characters.")).to_be_visible()
    await expect(password).to_have_attribute("aria-invalid", "true")
    await expect(page).to_have_url(re.compile(r"/signup$"))
    await expect(page.get_by_label("Center name")).to_have_value(name)  # the draft is kept
    await assert_accessible(page)

    await password.fill("a long enough passphrase")
    await page.get_by_role("button", name="Sign up").click()
    await expect(heading(page, CHECKLIST)).to_be_visible()
    await expect(page).to_have_url(re.compile(r"/admin$"))
    await expect(page.get_by_role("banner").get_by_text(name)).to_be_visible()


async def test_log_in_at_the_tenant_url_with_the_slug_filled_in(page: Page, admin: Account) -> None:
    await page.goto(f"/t/{admin.slug}")
    await expect(heading(page, "Log in")).to_be_visible()
    await expect(page.get_by_label("Tenant")).to_have_value(admin.slug)
    await assert_accessible(page)
    await fill_log_in(page, admin)
    await expect(heading(page, CHECKLIST)).to_be_visible()


async def test_wrong_password_is_refused_and_the_form_kept(page: Page, admin: Account) -> None:
    await page.goto("/login")
    await page.get_by_label("Tenant").fill(admin.slug)
    await page.get_by_label("Email").fill(admin.email)
    await page.get_by_label("Password").fill("not the password at all")
    await page.get_by_role("button", name="Log in").click()
    await expect(page.get_by_role("alert")).to_contain_text(
        "This tenant, email and password do not match an active account."
    )
    await expect(page.get_by_label("Email")).to_have_value(admin.email)
    await assert_accessible(page)


async def test_the_session_survives_a_reload_and_ends_at_log_out(
    page: Page, context: BrowserContext, admin: Account, console: Console
) -> None:
    await page.goto(f"/t/{admin.slug}")
    await fill_log_in(page, admin)
    await expect(heading(page, CHECKLIST)).to_be_visible()
    await page.reload()
    await expect(heading(page, CHECKLIST)).to_be_visible()
    ended = await context.cookies(console.url)

    await page.get_by_role("button", name="Log out").click()
    await expect(heading(page, "Log in")).to_be_visible()
    await expect(page).to_have_url(re.compile(r"/login$"))
    names = {cookie["name"] for cookie in await context.cookies(console.url)}
    assert "hotline_session" not in names, names
    await page.reload()
    await expect(heading(page, "Log in")).to_be_visible()
    await page.goto("/admin")
    await expect(heading(page, "Log in")).to_be_visible()
    await expect(page).to_have_url(re.compile(r"/login\?next=%2Fadmin$"))

    # The logged-out session's cookie, put back, is refused by the server too.
    await context.add_cookies(ended)
    await page.goto("/admin/skills")
    await expect(heading(page, "Log in")).to_be_visible()
    await expect(page).to_have_url(re.compile(r"/login\?next=%2Fadmin%2Fskills$"))


async def test_forgot_and_reset_password_then_log_in_with_the_new_one(
    page: Page, admin: Account, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="hotline.identity")
    await page.goto("/login")
    await page.get_by_role("link", name="Forgot your password?").click()
    await expect(heading(page, "Reset your password")).to_be_visible()
    await assert_accessible(page)
    await page.get_by_label("Tenant").fill(admin.slug)
    await page.get_by_label("Email").fill(admin.email)
    await page.get_by_role("button", name="Send the link").click()
    await expect(page.get_by_role("status")).to_contain_text("a reset link is on its way")

    links = [
        match.group(0)
        for record in caplog.records
        if record.name.startswith("hotline.identity") and admin.email in record.getMessage()
        for match in [re.search(r"http://\S+/reset-password\?token=\S+", record.getMessage())]
        if match
    ]
    assert len(links) == 1, [r.getMessage() for r in caplog.records]
    await page.goto(links[0])
    await expect(heading(page, "Choose a new password")).to_be_visible()
    await assert_accessible(page)
    new_password = "a brand new passphrase"
    await page.get_by_label("New password").fill(new_password)
    await page.get_by_label("Confirm password").fill(new_password + "!")
    await page.get_by_role("button", name="Set the password").click()
    await expect(page.get_by_text("The two passwords differ.")).to_be_visible()
    await page.get_by_label("Confirm password").fill(new_password)
    await page.get_by_role("button", name="Set the password").click()
    await expect(page.get_by_role("status")).to_contain_text("Your password is set.")

    await page.get_by_role("status").get_by_role("link", name="Log in").click()
    await page.get_by_label("Tenant").fill(admin.slug)
    await page.get_by_label("Email").fill(admin.email)
    await page.get_by_label("Password").fill(admin.password)  # the old one no longer works
    await page.get_by_role("button", name="Log in").click()
    await expect(page.get_by_role("alert")).to_contain_text("do not match an active account")
    await page.get_by_label("Password").fill(new_password)
    await page.get_by_role("button", name="Log in").click()
    await expect(heading(page, CHECKLIST)).to_be_visible()

    # The link works once.
    await page.get_by_role("button", name="Log out").click()
    await page.goto(links[0])
    await page.get_by_label("New password").fill("yet another passphrase")
    await page.get_by_label("Confirm password").fill("yet another passphrase")
    await page.get_by_role("button", name="Set the password").click()
    await expect(page.get_by_role("alert")).to_contain_text("this reset link was already used")


async def test_pages_that_need_no_session_are_accessible(page: Page) -> None:
    """Every public page, and the reset page without its token, pass axe."""
    for path, title in [
        ("/login", "Log in"),
        ("/signup", "Sign up"),
        ("/forgot-password", "Reset your password"),
        ("/reset-password", "Choose a new password"),
        ("/t/some-center", "Log in"),
    ]:
        await page.goto(path)
        await expect(heading(page, title)).to_be_visible()
        await assert_accessible(page)
