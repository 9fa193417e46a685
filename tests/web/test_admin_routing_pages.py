"""The routing admin pages in a browser: queues (every setting, read back from the API),
phone numbers (a bad DID shown in place) and agent profiles, each created, edited and
deleted through the UI, and a second tenant's console showing none of the first one's."""

from __future__ import annotations

import random
from typing import Any

import phonenumbers
from playwright.async_api import Browser, Locator, Page, expect

from tests.web.helpers import (
    Account,
    Console,
    assert_accessible,
    create_user,
    open_as,
    sign_up_tenant,
)

CREATE_SKILL = "mutation($input: CreateSkillInput!) { createSkill(input: $input) { id } }"
CREATE_QUEUE = "mutation($input: CreateQueueInput!) { createQueue(input: $input) { id } }"
CREATE_NUMBER = (
    "mutation($input: CreatePhoneNumberInput!) { createPhoneNumber(input: $input) { id number } }"
)
CREATE_PROFILE = (
    "mutation($input: CreateAgentProfileInput!) { createAgentProfile(input: $input) { id } }"
)
DELETE_NUMBER = "mutation($id: ID!) { deletePhoneNumber(id: $id) }"

QUEUES = """{
  queues(first: 100) {
    nodes {
      name priority slThresholdS shortAbandonS slFormula wrapupS ringTimeoutS maxWaitS record
      requiredSkills { skill { name } minLevel }
      hours { tz windows { day start end } }
      closedAction
    }
  }
}"""
NUMBERS = "{ phoneNumbers(first: 100) { nodes { number queueId description } } }"
PROFILES = """{
  agentProfiles(first: 100) {
    nodes { userId skills { skill { name } level } queues { name } }
  }
}"""


def heading(page: Page, name: str) -> Locator:
    return page.get_by_role("heading", name=name, level=1)


def row(page: Page, name: str) -> Locator:
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=name, exact=True))


async def gql(console: Console, account: Account, query: str, **variables: Any) -> dict[str, Any]:
    """Run ``query`` as ``account``'s API client; fails the test on any error."""
    body = await console.gql(query, variables, token=account.token)
    assert "errors" not in body, body
    return body["data"]


def a_free_number() -> str:
    """A valid French DID no other test claims (a number belongs to one tenant only)."""
    while True:
        raw = "+33 1 " + " ".join(str(random.randint(10, 99)) for _ in range(4))
        if phonenumbers.is_valid_number(phonenumbers.parse(raw, None)):
            return raw


def e164(raw: str) -> str:
    return phonenumbers.format_number(
        phonenumbers.parse(raw, None), phonenumbers.PhoneNumberFormat.E164
    )


async def replace(field: Locator, value: str) -> None:
    await field.fill(value)
    await expect(field).to_have_value(value)


async def test_queues_every_setting_read_back_edit_errors_in_place_and_delete(
    admin_page: Page, console: Console, admin: Account
) -> None:
    page = admin_page
    await gql(console, admin, CREATE_SKILL, input={"name": "Billing"})
    await page.goto("/admin/queues")
    await expect(heading(page, "Queues")).to_be_visible()
    await expect(page.get_by_text("No queues yet.")).to_be_visible()
    await assert_accessible(page)

    # Create, with non-default T, S, wrap-up, a required skill and business hours.
    await page.get_by_role("button", name="Create queue").click()
    dialog = page.get_by_role("dialog", name="Create queue")
    await expect(dialog.get_by_label("Name")).to_be_focused()
    for section in ("General", "Service level", "Timers", "Overflow", "Hours"):
        await expect(dialog.get_by_role("group", name=section, exact=True)).to_be_visible()
    await dialog.get_by_label("Name").fill("Support")
    await dialog.get_by_role("button", name="Add required skill").click()
    await dialog.get_by_label("Skill", exact=True).select_option(label="Billing")
    await dialog.get_by_label("Minimum level").select_option("3")
    await replace(dialog.get_by_label("Answer threshold T (seconds)"), "30")
    await replace(dialog.get_by_label("Short abandon S (seconds)"), "8")
    await replace(dialog.get_by_label("Wrap-up (seconds)"), "45")
    await dialog.get_by_label("Service-level formula").select_option("ABANDONS_MISSED")
    await dialog.get_by_label("Record calls").check()
    await dialog.get_by_label("Open only during business hours").check()
    await dialog.get_by_label("Time zone").select_option("Europe/Paris")
    await expect(dialog.get_by_label("Monday Opens")).to_have_value("09:00")
    await replace(dialog.get_by_label("Friday Closes"), "16:00")
    await assert_accessible(page)
    await dialog.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status")).to_have_text("Queue Support created.")
    await expect(row(page, "Support")).to_contain_text("T 30 s, S 8 s")
    await expect(row(page, "Support")).to_contain_text("Billing ≥ 3")
    await expect(row(page, "Support")).to_contain_text("Business hours (Europe/Paris)")

    # The API holds what the form sent.
    [queue] = (await gql(console, admin, QUEUES))["queues"]["nodes"]
    assert queue["slThresholdS"] == 30
    assert queue["shortAbandonS"] == 8
    assert queue["wrapupS"] == 45
    assert queue["slFormula"] == "ABANDONS_MISSED"
    assert queue["record"] is True
    assert queue["ringTimeoutS"] == 20  # the default, untouched
    assert queue["requiredSkills"] == [{"skill": {"name": "Billing"}, "minLevel": 3}]
    assert queue["hours"]["tz"] == "Europe/Paris"
    assert queue["hours"]["windows"][0] == {"day": "mon", "start": "09:00", "end": "17:00"}
    assert queue["hours"]["windows"][4] == {"day": "fri", "start": "09:00", "end": "16:00"}
    assert len(queue["hours"]["windows"]) == 5

    # Edit: the form shows the stored values; a server error lands in the Hours section.
    await row(page, "Support").get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog", name="Edit queue")
    await expect(dialog.get_by_label("Answer threshold T (seconds)")).to_have_value("30")
    await expect(dialog.get_by_label("Minimum level")).to_have_value("3")
    await expect(dialog.get_by_label("Friday Closes")).to_have_value("16:00")
    await dialog.get_by_label("Name").fill("Support EN")
    await dialog.get_by_role("button", name="Add hours Monday").click()
    second = dialog.get_by_label("Monday Opens").nth(1)
    await replace(second, "12:00")  # overlaps 09:00-17:00: only the server checks that
    await dialog.get_by_role("button", name="Save").click()
    hours = dialog.get_by_role("group", name="Hours", exact=True)
    await expect(hours.get_by_role("alert")).to_contain_text("windows overlap on mon")
    await expect(dialog.get_by_label("Name")).to_have_value("Support EN")
    await expect(second).to_have_value("12:00")
    await assert_accessible(page)
    await dialog.get_by_role("button", name="Remove Monday 2").click()
    await replace(dialog.get_by_label("Priority"), "7")
    await dialog.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status")).to_have_text("Queue Support EN saved.")
    await expect(row(page, "Support EN")).to_be_visible()
    [queue] = (await gql(console, admin, QUEUES))["queues"]["nodes"]
    assert queue["priority"] == 7
    assert len(queue["hours"]["windows"]) == 5

    # A queue a number rings cannot be deleted: the server says which number.
    queue_id = (await gql(console, admin, "{ queues { nodes { id } } }"))["queues"]["nodes"][0][
        "id"
    ]
    raw = a_free_number()
    number = await gql(console, admin, CREATE_NUMBER, input={"number": raw, "queueId": queue_id})
    await row(page, "Support EN").get_by_role("button", name="Delete").click()
    confirm = page.get_by_role("alertdialog", name="Delete queue Support EN?")
    await confirm.get_by_role("button", name="Delete").click()
    await expect(confirm.get_by_role("alert")).to_contain_text(
        f"This conflicts with what exists: queue 'Support EN' is the route of numbers: {e164(raw)}"
    )
    await assert_accessible(page)
    await confirm.get_by_role("button", name="Cancel").click()
    await gql(console, admin, DELETE_NUMBER, id=number["createPhoneNumber"]["id"])

    await row(page, "Support EN").get_by_role("button", name="Delete").click()
    confirm = page.get_by_role("alertdialog", name="Delete queue Support EN?")
    await confirm.get_by_role("button", name="Delete").click()
    await expect(page.get_by_role("status")).to_have_text("Queue Support EN deleted.")
    await page.reload()
    await expect(page.get_by_text("No queues yet.")).to_be_visible()
    assert (await gql(console, admin, QUEUES))["queues"]["nodes"] == []


async def test_phone_numbers_create_edit_release_and_a_bad_did_in_place(
    admin_page: Page, console: Console, admin: Account
) -> None:
    page = admin_page
    await gql(console, admin, CREATE_QUEUE, input={"name": "Support"})
    sales = (await gql(console, admin, CREATE_QUEUE, input={"name": "Sales"}))["createQueue"]
    await page.goto("/admin/phone-numbers")
    await expect(heading(page, "Phone numbers")).to_be_visible()
    await expect(page.get_by_text("No phone numbers yet.")).to_be_visible()

    # A number the server cannot read: its words, on the field, and the draft stays.
    await page.get_by_role("button", name="Add phone number").click()
    dialog = page.get_by_role("dialog", name="Add phone number")
    number = dialog.get_by_label("Number")
    await number.fill("12345")
    await dialog.get_by_label("Queue").select_option(label="Support")
    await dialog.get_by_label("Description").fill("Main line")
    await dialog.get_by_role("button", name="Save").click()
    await expect(number).to_have_attribute("aria-invalid", "true")
    await expect(dialog.locator(".field-error")).to_have_text(
        "number: '12345' is not a phone number"
        " (no default region is set: use the +<country code> form)"
    )
    await expect(number).to_be_focused()
    await expect(number).to_have_value("12345")
    await expect(dialog.get_by_label("Description")).to_have_value("Main line")
    await assert_accessible(page)

    raw = a_free_number()
    await number.fill(raw)
    await dialog.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status")).to_have_text(f"Phone number {e164(raw)} added.")
    await expect(row(page, e164(raw))).to_contain_text("Support")
    await expect(row(page, e164(raw))).to_contain_text("Main line")

    # Edit: route it to Sales.
    await row(page, e164(raw)).get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog", name="Edit phone number")
    await expect(dialog.get_by_label("Number")).to_have_value(raw)
    await dialog.get_by_label("Queue").select_option(label="Sales")
    await dialog.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status")).to_have_text(f"Phone number {e164(raw)} saved.")
    await expect(row(page, e164(raw))).to_contain_text("Sales")
    [stored] = (await gql(console, admin, NUMBERS))["phoneNumbers"]["nodes"]
    assert stored == {"number": e164(raw), "queueId": sales["id"], "description": "Main line"}
    await assert_accessible(page)

    # Release it.
    await row(page, e164(raw)).get_by_role("button", name="Release").click()
    confirm = page.get_by_role("alertdialog", name=f"Release phone number {e164(raw)}?")
    await confirm.get_by_role("button", name="Release").click()
    await expect(page.get_by_role("status")).to_have_text(f"Phone number {e164(raw)} released.")
    await page.reload()
    await expect(page.get_by_text("No phone numbers yet.")).to_be_visible()
    assert (await gql(console, admin, NUMBERS))["phoneNumbers"]["nodes"] == []


async def test_agent_profiles_create_edit_delete(
    admin_page: Page, console: Console, admin: Account
) -> None:
    page = admin_page
    agent = await create_user(console, admin, "AGENT")
    await gql(console, admin, CREATE_SKILL, input={"name": "French"})
    await gql(console, admin, CREATE_QUEUE, input={"name": "Support"})
    await gql(console, admin, CREATE_QUEUE, input={"name": "Sales"})
    await page.goto("/admin/agents")
    await expect(heading(page, "Agent profiles")).to_be_visible()
    await expect(page.get_by_text("No agent profiles yet.")).to_be_visible()

    await page.get_by_role("button", name="Create agent profile").click()
    dialog = page.get_by_role("dialog", name="Create agent profile")
    # A skill first: the first click in the dialog must land (nothing moves under it).
    await dialog.get_by_role("button", name="Add skill").click()
    user = dialog.get_by_role("combobox", name="User")
    # Only agents and supervisors: the owner is not offered.
    await expect(user.get_by_role("option")).to_have_count(2)
    await user.select_option(label=agent.email)
    await dialog.get_by_label("Level").select_option("5")
    await dialog.get_by_label("Support").check()
    await assert_accessible(page)
    await dialog.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status")).to_have_text(
        f"Agent profile for {agent.email} created."
    )
    await expect(row(page, agent.email)).to_contain_text("French 5")
    [profile] = (await gql(console, admin, PROFILES))["agentProfiles"]["nodes"]
    assert profile == {
        "userId": agent.user_id,
        "skills": [{"skill": {"name": "French"}, "level": 5}],
        "queues": [{"name": "Support"}],
    }

    # Edit: a bad SIP user is refused in place, then the change is saved.
    await row(page, agent.email).get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog", name="Edit agent profile")
    await expect(dialog.get_by_label("Support")).to_be_checked()
    await dialog.get_by_label("Level").select_option("8")
    await dialog.get_by_label("Support").uncheck()
    await dialog.get_by_label("Sales").check()
    await dialog.get_by_label("SIP user").fill("-bad name")
    await dialog.get_by_role("button", name="Save").click()
    await expect(dialog.get_by_label("SIP user")).to_have_attribute("aria-invalid", "true")
    await expect(dialog.get_by_label("Sales")).to_be_checked()
    await dialog.get_by_label("SIP user").fill("ada.agent")
    await dialog.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status")).to_have_text(f"Agent profile for {agent.email} saved.")
    await expect(row(page, agent.email)).to_contain_text("French 8")
    await expect(row(page, agent.email)).to_contain_text("ada.agent")
    [profile] = (await gql(console, admin, PROFILES))["agentProfiles"]["nodes"]
    assert profile["skills"] == [{"skill": {"name": "French"}, "level": 8}]
    assert profile["queues"] == [{"name": "Sales"}]
    await assert_accessible(page)

    await row(page, agent.email).get_by_role("button", name="Delete").click()
    confirm = page.get_by_role("alertdialog", name=f"Delete the agent profile of {agent.email}?")
    await confirm.get_by_role("button", name="Delete").click()
    await expect(page.get_by_role("status")).to_have_text(
        f"Agent profile for {agent.email} deleted."
    )
    await page.reload()
    await expect(page.get_by_text("No agent profiles yet.")).to_be_visible()


async def test_a_second_tenant_sees_none_of_the_first_ones_queues_numbers_or_profiles(
    browser: Browser, console: Console, admin: Account
) -> None:
    skill = await gql(console, admin, CREATE_SKILL, input={"name": "Tenant A skill"})
    queue = await gql(console, admin, CREATE_QUEUE, input={"name": "Tenant A queue"})
    raw = a_free_number()
    await gql(
        console,
        admin,
        CREATE_NUMBER,
        input={"number": raw, "queueId": queue["createQueue"]["id"]},
    )
    agent = await create_user(console, admin, "AGENT")
    await gql(
        console,
        admin,
        CREATE_PROFILE,
        input={
            "userId": agent.user_id,
            "skills": [{"skillId": skill["createSkill"]["id"], "level": 4}],
            "queueIds": [queue["createQueue"]["id"]],
        },
    )
    # The first tenant's console shows them...
    ctx_a, page_a = await open_as(browser, console, admin, "/admin/agents")
    try:
        await expect(row(page_a, agent.email)).to_contain_text("Tenant A queue")
    finally:
        await ctx_a.close()

    # ...the second's shows none of them, in the lists or in the pickers.
    other = await sign_up_tenant(console)
    ctx, page = await open_as(browser, console, other, "/admin/queues")
    try:
        await expect(page.get_by_text("No queues yet.")).to_be_visible()
        await expect(page.get_by_text("Tenant A queue")).to_have_count(0)
        await page.get_by_role("button", name="Create queue").click()
        dialog = page.get_by_role("dialog", name="Create queue")
        await expect(dialog.get_by_text("This center has no skills yet")).to_be_visible()
        await expect(dialog.get_by_label("Overflow queue").get_by_role("option")).to_have_text(
            ["None"]
        )
        await dialog.get_by_role("button", name="Cancel").click()

        await page.goto("/admin/phone-numbers")
        await expect(page.get_by_text("No phone numbers yet.")).to_be_visible()
        await expect(page.get_by_text(e164(raw))).to_have_count(0)

        await page.goto("/admin/agents")
        await expect(page.get_by_text("No agent profiles yet.")).to_be_visible()
        await page.get_by_role("button", name="Create agent profile").click()
        dialog = page.get_by_role("dialog", name="Create agent profile")
        await expect(
            dialog.get_by_role("combobox", name="User").get_by_role("option")
        ).to_have_text(["Choose a user"])
        await expect(dialog.get_by_text("No queues yet.")).to_be_visible()
        await assert_accessible(page)
    finally:
        await ctx.close()
