"""A customer's timeline: ticket activity and notes in time order, per tenant."""

from __future__ import annotations

from tests.conftest import GraphQL, TenantAccount, error_code
from tests.tenants.crm.conftest import create_customer
from tests.tenants.tickets.conftest import create_ticket, make_workflow

ADD_NOTE = """
mutation($c: ID!, $b: String!) {
  addCustomerNote(customerId: $c, body: $b) { id body author { id } }
}
"""
TIMELINE = """
query($c: ID!) {
  customerTimeline(customerId: $c) { kind summary ticket { id } note { id body } }
}"""


async def test_timeline_merges_notes_and_ticket_activity(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    customer = await create_customer(gql, tenant_a, name="Timeline")
    first = await gql(
        ADD_NOTE, {"c": customer["id"], "b": "asked for a quote"}, token=tenant_a.token
    )
    note = first["data"]["addCustomerNote"]
    assert note["author"]["id"] == tenant_a.owner_id
    workflow = await make_workflow(gql, tenant_a, member_ids=[])
    ticket = await create_ticket(gql, tenant_a, workflow, customerId=customer["id"])
    await gql(ADD_NOTE, {"c": customer["id"], "b": "sent the quote"}, token=tenant_a.token)
    body = await gql(TIMELINE, {"c": customer["id"]}, token=tenant_a.token)
    entries = body["data"]["customerTimeline"]
    assert [e["kind"] for e in entries] == ["note", "ticket", "note"]
    assert entries[0]["note"]["body"] == "sent the quote"
    assert entries[1]["ticket"]["id"] == ticket["id"]
    assert entries[2]["note"]["id"] == note["id"]
    empty = await gql(ADD_NOTE, {"c": customer["id"], "b": "  "}, token=tenant_a.token)
    assert error_code(empty) == "BAD_USER_INPUT"
    # Tenant B: nothing to read, nothing to add to.
    assert (
        error_code(await gql(TIMELINE, {"c": customer["id"]}, token=tenant_b.token)) == "NOT_FOUND"
    )
    foreign = await gql(ADD_NOTE, {"c": customer["id"], "b": "x"}, token=tenant_b.token)
    assert error_code(foreign) == "NOT_FOUND"
    node = "query($id: ID!) { node(id: $id) { id } }"
    assert error_code(await gql(node, {"id": note["id"]}, token=tenant_b.token)) == "NOT_FOUND"
    assert (await gql(node, {"id": note["id"]}, token=tenant_a.token))["data"]["node"]["id"]
    after = await gql(TIMELINE, {"c": customer["id"]}, token=tenant_a.token)
    assert len(after["data"]["customerTimeline"]) == 3
