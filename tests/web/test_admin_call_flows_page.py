"""The call flows page in a browser: create a flow, edit its nodes, a server error shown on
the node it names, publish, and a second tenant's console showing none of it."""

from __future__ import annotations

from playwright.async_api import Browser, Page, expect

from tests.web.helpers import Account, Console, assert_accessible, open_as, sign_up_tenant
from tests.web.test_admin_routing_pages import CREATE_QUEUE, gql, heading, row

FLOW = """query($id: ID!) {
  callFlow(id: $id) { draft publishedVersionId versions(first: 10) { nodes { number } } }
}"""
FLOWS = "{ callFlows(first: 10) { nodes { id name } } }"


async def test_call_flows_create_edit_error_in_place_and_publish(
    admin_page: Page, console: Console, admin: Account, browser: Browser
) -> None:
    page = admin_page
    queue = (await gql(console, admin, CREATE_QUEUE, input={"name": "Sales"}))["createQueue"]
    await page.goto("/admin/call-flows")
    await expect(heading(page, "Call flows")).to_be_visible()
    await expect(page.get_by_text("No call flows yet.")).to_be_visible()
    await assert_accessible(page)

    await page.get_by_role("button", name="Create call flow").click()
    dialog = page.get_by_role("dialog", name="Create call flow")
    await dialog.get_by_label("Name").fill("Front door")
    await dialog.get_by_role("button", name="Save").click()
    editor = page.get_by_role("region", name="Editing Front door")
    await expect(editor.get_by_role("group", name="Node hangup")).to_be_visible()
    await expect(editor.get_by_text("Never published: numbers cannot run it yet.")).to_be_visible()

    # A new first node leaves "hangup" unreachable: the server says so on that node.
    await editor.get_by_role("button", name="Add node").click()
    new_node = editor.get_by_role("group", name="Node (no id)")
    await new_node.get_by_label("Node id").fill("sales")
    sales = editor.get_by_role("group", name="Node sales")
    await sales.get_by_label("Type").select_option("enqueue")
    await sales.get_by_label("Fields (JSON)").fill(f'{{"queue": "{queue["id"]}"}}')
    await editor.get_by_label("Start node").select_option("sales")
    await editor.get_by_role("button", name="Save draft").click()
    hangup_fields = editor.get_by_role("group", name="Node hangup").get_by_label("Fields (JSON)")
    await expect(hangup_fields).to_have_attribute("aria-invalid", "true")
    await expect(
        editor.get_by_role("group", name="Node hangup").locator(".field-error")
    ).to_have_text("node hangup: is unreachable from the start node sales")
    await expect(sales.get_by_label("Fields (JSON)")).not_to_have_attribute("aria-invalid", "true")
    await assert_accessible(page)

    await editor.get_by_role("button", name="Remove node hangup").click()
    await editor.get_by_role("button", name="Publish").click()
    await expect(editor.get_by_text("Front door published as version 1.")).to_be_visible()
    await expect(editor.get_by_text("New calls run version 1.")).to_be_visible()
    flow_id = (await gql(console, admin, FLOWS))["callFlows"]["nodes"][0]["id"]
    stored = (await gql(console, admin, FLOW, id=flow_id))["callFlow"]
    assert stored["draft"] == {
        "start": "sales",
        "nodes": {"sales": {"type": "enqueue", "queue": queue["id"]}},
    }
    assert [v["number"] for v in stored["versions"]["nodes"]] == [1]
    await editor.get_by_role("button", name="Close").click()
    await expect(row(page, "Front door")).to_contain_text("Published")

    other = await sign_up_tenant(console)
    ctx, other_page = await open_as(browser, console, other, "/admin/call-flows")
    try:
        await expect(heading(other_page, "Call flows")).to_be_visible()
        await expect(other_page.get_by_text("No call flows yet.")).to_be_visible()
    finally:
        await ctx.close()
