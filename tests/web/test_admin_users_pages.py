"""Users, API keys and Teams in a browser: created, edited and deactivated, revoked or
deleted through the UI against the real API, the server's rules shown in place, and a
second tenant's console showing none of the first one's rows."""

from __future__ import annotations

import re
import uuid

from playwright.async_api import Browser, BrowserContext, Locator, Page, expect

from tests.web.helpers import (
    PASSWORD,
    Account,
    Console,
    assert_accessible,
    create_user,
    new_context,
    open_as,
    sign_up_tenant,
)


def heading(page: Page, name: str) -> Locator:
    return page.get_by_role("heading", name=name, level=1)


def row(page: Page, name: str) -> Locator:
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=name, exact=True))


def email(label: str) -> str:
    return f"{label}-{uuid.uuid4().hex[:8]}@example.com"


async def test_users_create_edit_deactivate_and_the_server_rules_in_place(
    admin_page: Page, browser: Browser, console: Console, admin: Account
) -> None:
    page = admin_page
    await (
        page.get_by_role("navigation", name="Admin pages").get_by_role("link", name="Users").click()
    )
    await expect(heading(page, "Users")).to_be_visible()
    await expect(row(page, admin.email)).to_contain_text("Owner")
    await assert_accessible(page)

    # Create: a weak password is refused in place, with the draft kept.
    agent_email = email("agent")
    await page.get_by_role("button", name="Create user").click()
    dialog = page.get_by_role("dialog", name="Create user")
    await dialog.get_by_label("Email").fill(agent_email)
    await dialog.get_by_label("Display name").fill("Ana Agent")
    await dialog.get_by_label("Role").select_option("AGENT")
    password = dialog.get_by_label("Initial password")
    await password.fill("short")
    await dialog.get_by_role("button", name="Save").click()
    await expect(password).to_have_attribute("aria-invalid", "true")
    await expect(dialog.locator(".field-error")).to_have_text("Use at least 12 characters.")
    await expect(dialog.get_by_label("Email")).to_have_value(agent_email)
    await assert_accessible(page)
    await password.fill(PASSWORD)
    await dialog.get_by_role("button", name="Save").click()
    await expect(dialog).to_be_hidden()
    await expect(page.get_by_role("status")).to_have_text(f"User {agent_email} created.")
    await expect(row(page, agent_email)).to_contain_text("Ana Agent")
    await expect(row(page, agent_email)).to_contain_text("Agent")

    # A duplicate email: the server's CONFLICT lands on the email field.
    await page.get_by_role("button", name="Create user").click()
    dialog = page.get_by_role("dialog", name="Create user")
    await dialog.get_by_label("Email").fill(agent_email)
    await dialog.get_by_label("Initial password").fill(PASSWORD)
    await dialog.get_by_role("button", name="Save").click()
    await expect(dialog.get_by_role("alert")).to_contain_text(
        f"email {agent_email} is already in use in this tenant"
    )
    await expect(dialog.get_by_label("Email")).to_have_attribute("aria-invalid", "true")
    await expect(dialog.get_by_text("Already in use.")).to_be_visible()
    await expect(dialog.get_by_label("Email")).to_have_value(agent_email)
    await dialog.get_by_role("button", name="Cancel").click()
    await expect(dialog).to_be_hidden()

    # The new user logs in through the log-in page, and lands on the agent desktop.
    ctx = await new_context(browser, console.url)
    try:
        other = await ctx.new_page()
        await other.goto(f"/t/{admin.slug}")
        await other.get_by_label("Email").fill(agent_email)
        await other.get_by_label("Password").fill(PASSWORD)
        await other.get_by_role("button", name="Log in").click()
        await expect(heading(other, "Agent desktop")).to_be_visible()
    finally:
        await ctx.close()

    # Edit: the name and the role.
    await row(page, agent_email).get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog", name="Edit user")
    await expect(dialog.get_by_label("Display name")).to_have_value("Ana Agent")
    await dialog.get_by_label("Display name").fill("Ana Supervisor")
    await dialog.get_by_label("Role").select_option("SUPERVISOR")
    await dialog.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status")).to_have_text(f"User {agent_email} saved.")
    await expect(row(page, agent_email)).to_contain_text("Ana Supervisor")
    await expect(row(page, agent_email)).to_contain_text("Supervisor")

    # The owner may not lock themself out: the server's refusals are shown where they apply.
    await row(page, admin.email).get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog", name="Edit user")
    await dialog.get_by_label("Role").select_option("AGENT")
    await dialog.get_by_role("button", name="Save").click()
    await expect(dialog.locator(".field-error")).to_have_text("you cannot change your own role")
    await expect(dialog.get_by_label("Role")).to_have_value("AGENT")
    await assert_accessible(page)
    await dialog.get_by_role("button", name="Cancel").click()
    await row(page, admin.email).get_by_role("button", name="Deactivate").click()
    confirm = page.get_by_role("alertdialog", name=f"Deactivate {admin.email}?")
    await confirm.get_by_role("button", name="Deactivate").click()
    await expect(confirm.get_by_role("alert")).to_contain_text("you cannot deactivate yourself")
    await confirm.get_by_role("button", name="Cancel").click()
    await expect(row(page, admin.email)).to_contain_text("Active")

    # Deactivate, after a confirmation: shown as such, and the user can no longer log in.
    await row(page, agent_email).get_by_role("button", name="Deactivate").click()
    confirm = page.get_by_role("alertdialog", name=f"Deactivate {agent_email}?")
    await assert_accessible(page)
    await confirm.get_by_role("button", name="Deactivate").click()
    await expect(page.get_by_role("status")).to_have_text(f"User {agent_email} deactivated.")
    await expect(row(page, agent_email)).to_contain_text("Deactivated")
    await expect(row(page, agent_email).get_by_role("button", name="Deactivate")).to_have_count(0)
    login = await console.gql(
        "mutation($input: LogInInput!) { logIn(input: $input) { token } }",
        {"input": {"tenantSlug": admin.slug, "email": agent_email, "password": PASSWORD}},
    )
    assert login["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", login

    # Search, and what the page shows is what the server kept.
    await page.get_by_label("Search").fill("ana sup")
    await expect(page.get_by_role("row")).to_have_count(2)
    await page.get_by_label("Search").fill("")
    await page.reload()
    await expect(row(page, agent_email)).to_contain_text("Deactivated")
    await expect(page.get_by_role("row")).to_have_count(3)
    await assert_accessible(page)


async def test_an_admin_is_not_offered_what_only_an_owner_may_do(
    browser: Browser, console: Console, admin: Account
) -> None:
    manager = await create_user(console, admin, "ADMIN")
    ctx, page = await open_as(browser, console, manager, "/admin/users")
    try:
        await expect(heading(page, "Users")).to_be_visible()
        # The owner's row has no actions: the server refuses an admin's change to an owner.
        await expect(row(page, admin.email)).to_contain_text("Owner")
        await expect(row(page, admin.email).get_by_role("button")).to_have_count(0)
        await expect(row(page, manager.email).get_by_role("button", name="Edit")).to_be_visible()
        await page.get_by_role("button", name="Create user").click()
        dialog = page.get_by_role("dialog", name="Create user")
        await expect(dialog.get_by_label("Role").locator("option")).to_have_text(
            ["Admin", "Supervisor", "Agent"]
        )
        await assert_accessible(page)
        await dialog.get_by_role("button", name="Cancel").click()

        await page.goto("/admin/api-keys")
        await page.get_by_role("button", name="Create API key").click()
        dialog = page.get_by_role("dialog", name="Create API key")
        await expect(dialog.get_by_label("Role").locator("option")).to_have_text(
            ["Admin", "Supervisor", "Agent"]
        )
    finally:
        await ctx.close()


async def key_works(console: Console, secret: str) -> dict:
    """Call /graphql as an integrator does: the key as a bearer credential, no cookies."""
    response = await console.http.post(
        "/graphql",
        json={"query": "{ tenant { slug } }"},
        headers={"Authorization": f"Bearer {secret}"},
    )
    return response.json()


async def test_api_keys_the_secret_shown_once_works_until_revoked(
    admin_page: Page, context: BrowserContext, console: Console, admin: Account
) -> None:
    page = admin_page
    await context.grant_permissions(["clipboard-read", "clipboard-write"], origin=console.url)
    await (
        page.get_by_role("navigation", name="Admin pages")
        .get_by_role("link", name="API keys")
        .click()
    )
    await expect(heading(page, "API keys")).to_be_visible()
    await expect(page.get_by_text("No API keys yet.")).to_be_visible()
    await assert_accessible(page)

    # A name the rules refuse, in place; then the key.
    await page.get_by_role("button", name="Create API key").click()
    dialog = page.get_by_role("dialog", name="Create API key")
    await dialog.get_by_label("Role").select_option("SUPERVISOR")
    await dialog.get_by_role("button", name="Create key").click()
    await expect(dialog.get_by_label("Name")).to_have_attribute("aria-invalid", "true")
    await expect(dialog.locator(".field-error")).to_have_text("Fill this in.")
    await dialog.get_by_label("Name").fill("CRM sync")
    await dialog.get_by_role("button", name="Create key").click()

    shown = page.get_by_role("alertdialog", name="Your new key CRM sync")
    await expect(shown).to_be_visible()
    await expect(shown).to_contain_text("you will not see it again")
    field = shown.get_by_label("Secret key")
    secret = await field.input_value()
    assert re.fullmatch(r"hlk_[0-9a-f]{12}_[A-Za-z0-9_-]+", secret), secret
    await shown.get_by_role("button", name="Copy").click()
    await expect(shown.get_by_text("Copied to the clipboard.")).to_be_visible()
    assert await page.evaluate("navigator.clipboard.readText()") == secret
    await assert_accessible(page)
    await shown.get_by_role("button", name="Done").click()
    await expect(shown).to_be_hidden()
    await expect(page.get_by_role("status")).to_have_text("API key CRM sync created.")

    # The list shows the key's prefix, never its secret.
    key_row = row(page, "CRM sync")
    await expect(key_row).to_contain_text("Supervisor")
    await expect(key_row).to_contain_text(secret.split("_")[1])
    await expect(page.get_by_role("main")).not_to_contain_text(secret)
    await expect(key_row).to_contain_text("Never")

    # The secret is an API key: it works, as the supervisor role, in this tenant only.
    body = await key_works(console, secret)
    assert body.get("data") == {"tenant": {"slug": admin.slug}}, body
    await page.reload()
    await expect(row(page, "CRM sync")).not_to_contain_text("Never")

    # Revoke, after a confirmation: shown as revoked, and the key is refused from then on.
    await row(page, "CRM sync").get_by_role("button", name="Revoke").click()
    confirm = page.get_by_role("alertdialog", name="Revoke API key CRM sync?")
    await assert_accessible(page)
    await confirm.get_by_role("button", name="Revoke").click()
    await expect(page.get_by_role("status")).to_have_text("API key CRM sync revoked.")
    await expect(row(page, "CRM sync")).to_contain_text("Revoked")
    await expect(row(page, "CRM sync").get_by_role("button", name="Revoke")).to_have_count(0)
    body = await key_works(console, secret)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", body
    await page.reload()
    await expect(row(page, "CRM sync")).to_contain_text("Revoked")
    await assert_accessible(page)


async def test_teams_create_edit_delete_and_the_server_rules_in_place(
    admin_page: Page, console: Console, admin: Account
) -> None:
    page = admin_page
    ana = await create_user(console, admin, "AGENT")
    leaver = await create_user(console, admin, "AGENT")
    await (
        page.get_by_role("navigation", name="Admin pages").get_by_role("link", name="Teams").click()
    )
    await expect(heading(page, "Teams")).to_be_visible()
    await expect(page.get_by_text("No teams yet.")).to_be_visible()
    await assert_accessible(page)

    # Create, with a member.
    await page.get_by_role("button", name="Create team").click()
    dialog = page.get_by_role("dialog", name="Create team")
    await dialog.get_by_label("Name").fill("Billing")
    members = dialog.get_by_role("group", name="Members")
    await members.get_by_role("checkbox", name=ana.email).check()
    await assert_accessible(page)
    await dialog.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status")).to_have_text("Team Billing created.")
    await expect(row(page, "Billing")).to_contain_text(ana.email)

    # A member deactivated while the form was open: the server's BAD_USER_INPUT lands on
    # the members, with the draft kept.
    await page.get_by_role("button", name="Create team").click()
    dialog = page.get_by_role("dialog", name="Create team")
    await dialog.get_by_label("Name").fill("Field service")
    members = dialog.get_by_role("group", name="Members")
    await members.get_by_role("checkbox", name=leaver.email).check()
    gone = await console.gql(
        "mutation($id: ID!) { deactivateUser(id: $id) { id } }",
        {"id": leaver.user_id},
        token=admin.token,
    )
    assert "errors" not in gone, gone
    await dialog.get_by_role("button", name="Save").click()
    await expect(members).to_have_attribute("aria-invalid", "true")
    await expect(dialog.locator(".field-error")).to_have_text("memberIds: no such active user")
    await expect(members.get_by_role("checkbox", name=leaver.email)).to_be_checked()
    await expect(dialog.get_by_label("Name")).to_have_value("Field service")
    await assert_accessible(page)
    await members.get_by_role("checkbox", name=leaver.email).uncheck()
    await dialog.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status")).to_have_text("Team Field service created.")
    await expect(row(page, "Field service")).to_contain_text("No members")

    # A duplicate name: the server says what conflicts.
    await page.get_by_role("button", name="Create team").click()
    dialog = page.get_by_role("dialog", name="Create team")
    await dialog.get_by_label("Name").fill("Billing")
    await dialog.get_by_role("button", name="Save").click()
    await expect(dialog.get_by_role("alert")).to_contain_text(
        "This conflicts with what exists: team 'Billing' already exists"
    )
    await expect(dialog.get_by_label("Name")).to_have_value("Billing")
    await dialog.get_by_role("button", name="Cancel").click()

    # Edit: rename and move the member.
    await row(page, "Billing").get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog", name="Edit team")
    await expect(dialog.get_by_label("Name")).to_have_value("Billing")
    members = dialog.get_by_role("group", name="Members")
    await expect(members.get_by_role("checkbox", name=ana.email)).to_be_checked()
    await dialog.get_by_label("Name").fill("Billing EU")
    await members.get_by_role("checkbox", name=ana.email).uncheck()
    await members.get_by_role("checkbox", name=admin.email).check()
    await dialog.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status")).to_have_text("Team Billing EU saved.")
    await expect(row(page, "Billing EU")).to_contain_text(admin.email)
    await expect(row(page, "Billing EU")).not_to_contain_text(ana.email)

    # Delete, after a confirmation.
    await row(page, "Field service").get_by_role("button", name="Delete").click()
    confirm = page.get_by_role("alertdialog", name="Delete team Field service?")
    await assert_accessible(page)
    await confirm.get_by_role("button", name="Delete").click()
    await expect(page.get_by_role("status")).to_have_text("Team Field service deleted.")

    await page.reload()
    await expect(row(page, "Billing EU")).to_contain_text(admin.email)
    await expect(page.get_by_role("row")).to_have_count(2)
    await assert_accessible(page)


async def test_a_second_tenant_sees_none_of_the_first_ones_users_keys_or_teams(
    browser: Browser, console: Console, admin: Account
) -> None:
    made = await console.gql(
        """mutation($user: CreateUserInput!, $key: CreateApiKeyInput!, $team: TeamInput!) {
          createUser(input: $user) { id }
          createApiKey(input: $key) { apiKey { id } }
          createTeam(input: $team) { id }
        }""",
        {
            "user": {"email": email("a-only"), "password": PASSWORD, "role": "AGENT"},
            "key": {"name": "A's sync key", "role": "ADMIN"},
            "team": {"name": "A's billing team"},
        },
        token=admin.token,
    )
    assert "errors" not in made, made
    other = await sign_up_tenant(console)
    ctx, page = await open_as(browser, console, other, "/admin/users")
    try:
        await expect(heading(page, "Users")).to_be_visible()
        await expect(row(page, other.email)).to_be_visible()
        await expect(page.get_by_role("row")).to_have_count(2)  # the header and B's owner
        await expect(page.get_by_role("main")).not_to_contain_text(admin.email)
        await expect(page.get_by_role("main")).not_to_contain_text("a-only-")

        await page.goto("/admin/api-keys")
        await expect(heading(page, "API keys")).to_be_visible()
        await expect(page.get_by_text("No API keys yet.")).to_be_visible()
        await expect(page.get_by_role("main")).not_to_contain_text("A's sync key")

        await page.goto("/admin/teams")
        await expect(heading(page, "Teams")).to_be_visible()
        await expect(page.get_by_text("No teams yet.")).to_be_visible()
        await expect(page.get_by_role("main")).not_to_contain_text("A's billing team")
        await assert_accessible(page)
    finally:
        await ctx.close()
