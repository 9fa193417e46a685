"""Tickets over GraphQL: categories, numbering, fields, comments and the history trail."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from api.clients import ApiServices
from tenants.graphql.relay import from_global_id
from tests.conftest import GraphQL, TenantAccount, error_code
from tests.tenants.crm.conftest import create_customer, user_token
from tests.tenants.tickets.conftest import CREATE_TICKET, create_ticket, make_workflow

TICKET = """
query($id: ID!) {
  ticket(id: $id) {
    number comments { id body author { id } }
    attachments { id filename sizeBytes }
    history { id action actor { id } fromStepId toStepId detail }
    category { id name steps { name } }
  }
}"""


async def test_create_from_a_call_prefills_customer_and_numbers_per_tenant(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    customer = await create_customer(gql, tenant_a, name="Caller", phones=["+8613800138000"])
    workflow = await make_workflow(gql, tenant_a, member_ids=[])
    ticket = await create_ticket(
        gql,
        tenant_a,
        workflow,
        callerNumber="008613800138000",
        callId="call-123",
        fields={"serial": "SN-9", "model": "X2"},
        priority="HIGH",
    )
    assert ticket["number"] == "T-000001"
    assert ticket["customer"] == {"id": customer["id"], "name": "Caller"}
    assert ticket["callId"] == "call-123"
    assert ticket["fields"] == {"serial": "SN-9", "model": "X2"}
    assert ticket["priority"] == "HIGH" and ticket["status"] == "OPEN"
    assert ticket["currentStep"]["name"] == "Service desk"
    assert ticket["stepDueAt"] is not None and ticket["dueAt"] > ticket["stepDueAt"]
    second = await create_ticket(gql, tenant_a, workflow)
    assert second["number"] == "T-000002"
    other = await make_workflow(gql, tenant_b, member_ids=[])
    assert (await create_ticket(gql, tenant_b, other))["number"] == "T-000001"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"fields": {}}, "fields.serial"),
        ({"fields": {"serial": "S", "model": "X9"}}, "fields.model"),
        ({"fields": {"serial": 5}}, "fields.serial"),
        ({"fields": {"serial": "S", "colour": "red"}}, "fields.colour"),
        ({"categoryId": "bm90LWFuLWlk"}, "categoryId"),
        ({"subject": ""}, "subject"),
    ],
)
async def test_bad_ticket_input_names_the_field_and_uses_no_number(
    gql: GraphQL, tenant_a: TenantAccount, change: dict[str, object], field: str
) -> None:
    workflow = await make_workflow(gql, tenant_a, member_ids=[])
    data = {"categoryId": workflow.category_id, "subject": "S", "fields": {"serial": "S"}}
    body = await gql(CREATE_TICKET, {"input": {**data, **change}}, token=tenant_a.token)
    assert error_code(body) == "BAD_USER_INPUT", body
    assert body["errors"][0]["extensions"].get("field") == field
    assert (await create_ticket(gql, tenant_a, workflow))["number"] == "T-000001"


async def test_concurrent_creation_is_gap_free(gql: GraphQL, tenant_a: TenantAccount) -> None:
    workflow = await make_workflow(gql, tenant_a, member_ids=[])
    data = {"categoryId": workflow.category_id, "subject": "S", "fields": {"serial": "S"}}
    good = [gql(CREATE_TICKET, {"input": data}, token=tenant_a.token) for _ in range(12)]
    bad = [
        gql(CREATE_TICKET, {"input": {**data, "fields": {}}}, token=tenant_a.token)
        for _ in range(4)
    ]
    bodies = await asyncio.gather(*good, *bad)
    numbers = sorted(b["data"]["createTicket"]["number"] for b in bodies[:12])
    assert numbers == [f"T-{n:06d}" for n in range(1, 13)]
    assert all(error_code(b) == "BAD_USER_INPUT" for b in bodies[12:])


async def test_comments_attachments_and_append_only_history(
    gql: GraphQL, tenant_a: TenantAccount, services: ApiServices
) -> None:
    workflow = await make_workflow(gql, tenant_a, member_ids=[])
    ticket = await create_ticket(gql, tenant_a, workflow)
    comment = await gql(
        'mutation($t: ID!) { addTicketComment(ticketId: $t, body: "Called back") { id } }',
        {"t": ticket["id"]},
        token=tenant_a.token,
    )
    assert "errors" not in comment, comment
    _, tenant_id = from_global_id(tenant_a.tenant_id)
    attach = """
    mutation($input: AttachmentInput!) { addTicketAttachment(input: $input) { id filename } }
    """
    attachment = {
        "ticketId": ticket["id"],
        "filename": "photo.jpg",
        "contentType": "image/jpeg",
        "sizeBytes": 1234,
        "storageKey": f"{tenant_id}/tickets/photo.jpg",
    }
    assert "errors" not in await gql(attach, {"input": attachment}, token=tenant_a.token)
    foreign = await gql(
        attach, {"input": {**attachment, "storageKey": "other/x.jpg"}}, token=tenant_a.token
    )
    assert error_code(foreign) == "BAD_USER_INPUT"
    await gql(
        'mutation($t: ID!) { updateTicket(input: {id: $t, priority: URGENT, subject: "New"}) '
        "{ id } }",
        {"t": ticket["id"]},
        token=tenant_a.token,
    )
    body = await gql(TICKET, {"id": ticket["id"]}, token=tenant_a.token)
    data = body["data"]["ticket"]
    assert [c["body"] for c in data["comments"]] == ["Called back"]
    assert data["comments"][0]["author"]["id"] == tenant_a.owner_id
    assert [a["filename"] for a in data["attachments"]] == ["photo.jpg"]
    assert [h["action"] for h in data["history"]] == [
        "created",
        "commented",
        "attachment_added",
        "updated",
    ]
    assert data["history"][0]["toStepId"] == workflow.step_ids[0]
    assert data["history"][0]["actor"]["id"] == tenant_a.owner_id
    async with services.database.transaction(tenant_id) as session:
        with pytest.raises(DBAPIError, match="append-only"):
            await session.execute(text("UPDATE tickets_history SET action = 'forged'"))
    async with services.database.transaction(tenant_id) as session:
        with pytest.raises(DBAPIError, match="append-only"):
            await session.execute(text("DELETE FROM tickets_history"))
    # Deleting the ticket itself still takes its trail with it (the cascade is allowed).
    _, ticket_id = from_global_id(ticket["id"])
    async with services.database.transaction(tenant_id) as session:
        await session.execute(text("DELETE FROM tickets WHERE id = :id"), {"id": ticket_id})
        left = await session.scalar(
            text("SELECT count(*) FROM tickets_history WHERE ticket_id = :id"), {"id": ticket_id}
        )
        assert left == 0


async def test_category_management_needs_an_admin_and_keeps_steps_in_use(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    _, agent = await user_token(gql, tenant_a, "agent")
    team = await gql('mutation { createTeam(input: {name: "Desk"}) { id } }', token=agent)
    assert error_code(team) == "FORBIDDEN"
    workflow = await make_workflow(gql, tenant_a, member_ids=[])
    ticket = await create_ticket(gql, tenant_a, workflow)
    for _ in range(2):
        await gql(
            "mutation($t: ID!) { transitionTicket(input: {id: $t, action: ADVANCE}) { id } }",
            {"t": ticket["id"]},
            token=tenant_a.token,
        )
    update = """
    mutation($id: ID!, $input: TicketCategoryInput!) {
      updateTicketCategory(id: $id, input: $input) { steps { id name } }
    }"""
    shorter = {"name": "Repair", "steps": [{"name": "Only", "role": "AGENT", "slaSeconds": 60}]}
    body = await gql(update, {"id": workflow.category_id, "input": shorter}, token=tenant_a.token)
    assert error_code(body) == "CONFLICT"
    renamed = {
        "name": "Repair",
        "fields": [{"key": "serial", "label": "Serial", "type": "TEXT"}],
        "steps": [
            {"name": "Desk", "role": "AGENT", "slaSeconds": 60},
            {"name": "Tech", "teamId": workflow.team_id, "slaSeconds": 60},
            {"name": "Call back", "role": "SUPERVISOR", "slaSeconds": 60},
            {"name": "Survey", "role": "AGENT", "slaSeconds": 60},
        ],
    }
    body = await gql(update, {"id": workflow.category_id, "input": renamed}, token=tenant_a.token)
    steps = body["data"]["updateTicketCategory"]["steps"]
    assert [s["id"] for s in steps[:3]] == workflow.step_ids
    assert [s["name"] for s in steps] == ["Desk", "Tech", "Call back", "Survey"]
    no_owner = {"name": "X", "steps": [{"name": "Nobody", "slaSeconds": 60}]}
    body = await gql(
        "mutation($input: TicketCategoryInput!) { createTicketCategory(input: $input) { id } }",
        {"input": no_owner},
        token=tenant_a.token,
    )
    assert error_code(body) == "BAD_USER_INPUT"
    in_use = await gql(
        "mutation($id: ID!) { deleteTicketCategory(id: $id) { deletedId } }",
        {"id": workflow.category_id},
        token=tenant_a.token,
    )
    assert error_code(in_use) == "CONFLICT"
