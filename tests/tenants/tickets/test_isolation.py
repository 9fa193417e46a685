"""Tenant B sees and changes nothing of tenant A's tickets, teams, workflows or trail."""

from __future__ import annotations

from sqlalchemy import select

from api.clients import ApiServices
from tenants.graphql.relay import from_global_id
from tenants.tickets.models import (
    Team,
    TeamMember,
    Ticket,
    TicketAttachment,
    TicketCategory,
    TicketComment,
    TicketCounter,
    TicketHistory,
    WorkflowStep,
)
from tests.conftest import GraphQL, TenantAccount, error_code
from tests.tenants.crm.conftest import create_customer, user_token
from tests.tenants.tickets.conftest import CREATE_TICKET, TRANSITION, create_ticket, make_workflow

NODE = "query($id: ID!) { node(id: $id) { id } }"
CATEGORY = {"name": "B", "steps": [{"name": "S", "role": "AGENT", "slaSeconds": 60}]}


async def _seed_tenant_a(gql: GraphQL, account: TenantAccount) -> dict[str, str]:
    tech_id, _ = await user_token(gql, account, "agent")
    customer = await create_customer(gql, account, name="A customer", phones=["+12025550143"])
    workflow = await make_workflow(gql, account, member_ids=[tech_id])
    ticket = await create_ticket(
        gql, account, workflow, customerId=customer["id"], assigneeId=tech_id
    )
    comment = await gql(
        'mutation($t: ID!) { addTicketComment(ticketId: $t, body: "secret") { id } }',
        {"t": ticket["id"]},
        token=account.token,
    )
    _, tenant_id = from_global_id(account.tenant_id)
    attachment = await gql(
        "mutation($t: ID!, $k: String!) { addTicketAttachment(input: {ticketId: $t, "
        'filename: "a.pdf", contentType: "application/pdf", sizeBytes: 1, storageKey: $k}) '
        "{ id } }",
        {"t": ticket["id"], "k": f"{tenant_id}/a.pdf"},
        token=account.token,
    )
    history = await gql(
        "query($id: ID!) { ticket(id: $id) { history { id } } }",
        {"id": ticket["id"]},
        token=account.token,
    )
    return {
        "Ticket": ticket["id"],
        "Team": workflow.team_id,
        "TicketCategory": workflow.category_id,
        "WorkflowStep": workflow.step_ids[0],
        "TicketComment": comment["data"]["addTicketComment"]["id"],
        "TicketAttachment": attachment["data"]["addTicketAttachment"]["id"],
        "TicketHistoryEntry": history["data"]["ticket"]["history"][0]["id"],
        "customer": customer["id"],
        "tech": tech_id,
    }


async def test_tenant_b_sees_and_changes_no_ticket_object_of_tenant_a(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    ids = await _seed_tenant_a(gql, tenant_a)
    for type_name in (
        "Ticket",
        "Team",
        "TicketCategory",
        "WorkflowStep",
        "TicketComment",
        "TicketAttachment",
        "TicketHistoryEntry",
    ):
        body = await gql(NODE, {"id": ids[type_name]}, token=tenant_b.token)
        assert error_code(body) == "NOT_FOUND", type_name
        own = await gql(NODE, {"id": ids[type_name]}, token=tenant_a.token)
        assert own["data"]["node"]["id"] == ids[type_name], type_name
    not_found = [
        ("query($id: ID!) { ticket(id: $id) { id } }", {"id": ids["Ticket"]}),
        (
            'mutation($id: ID!) { updateTicket(input: {id: $id, subject: "B"}) { id } }',
            {"id": ids["Ticket"]},
        ),
        (TRANSITION, {"input": {"id": ids["Ticket"], "action": "CLOSE"}}),
        (
            'mutation($t: ID!) { addTicketComment(ticketId: $t, body: "B") { id } }',
            {"t": ids["Ticket"]},
        ),
        (
            'mutation($t: ID!) { addTicketAttachment(input: {ticketId: $t, filename: "b", '
            'contentType: "text/plain", sizeBytes: 1, storageKey: "x/b"}) { id } }',
            {"t": ids["Ticket"]},
        ),
        (
            'mutation($id: ID!) { updateTeam(id: $id, input: {name: "B"}) { id } }',
            {"id": ids["Team"]},
        ),
        ("mutation($id: ID!) { deleteTeam(id: $id) { deletedId } }", {"id": ids["Team"]}),
        (
            "mutation($id: ID!, $input: TicketCategoryInput!) "
            "{ updateTicketCategory(id: $id, input: $input) { id } }",
            {"id": ids["TicketCategory"], "input": CATEGORY},
        ),
        (
            "mutation($id: ID!) { deleteTicketCategory(id: $id) { deletedId } }",
            {"id": ids["TicketCategory"]},
        ),
    ]
    for document, variables in not_found:
        body = await gql(document, variables, token=tenant_b.token)
        assert error_code(body) == "NOT_FOUND", (document, body)
    # References to A's objects inside B's inputs are unknown to B.
    own = await make_workflow(gql, tenant_b, member_ids=[])
    bad_refs = [
        {"categoryId": ids["TicketCategory"], "subject": "x"},
        {
            "categoryId": own.category_id,
            "subject": "x",
            "customerId": ids["customer"],
            "fields": {"serial": "1"},
        },
        {
            "categoryId": own.category_id,
            "subject": "x",
            "assigneeId": ids["tech"],
            "fields": {"serial": "1"},
        },
    ]
    for data in bad_refs:
        body = await gql(CREATE_TICKET, {"input": data}, token=tenant_b.token)
        assert error_code(body) == "BAD_USER_INPUT", body
    foreign_team = {
        "name": "B2",
        "steps": [{"name": "S", "teamId": ids["Team"], "slaSeconds": 60}],
    }
    body = await gql(
        "mutation($input: TicketCategoryInput!) { createTicketCategory(input: $input) { id } }",
        {"input": foreign_team},
        token=tenant_b.token,
    )
    assert error_code(body) == "BAD_USER_INPUT"
    lists = await gql(
        "query($c: ID!) { tickets { edges { node { id } } } teams { id } ticketCategories { id } "
        "byCustomer: tickets(filter: {customerId: $c}) { edges { node { id } } } }",
        {"c": ids["customer"]},
        token=tenant_b.token,
    )
    assert lists["data"]["tickets"]["edges"] == []
    assert lists["data"]["byCustomer"]["edges"] == []
    assert [t["id"] for t in lists["data"]["teams"]] == [own.team_id]
    assert [c["id"] for c in lists["data"]["ticketCategories"]] == [own.category_id]
    # B's own numbering starts at 1, untouched by A's.
    assert (await create_ticket(gql, tenant_b, own))["number"] == "T-000001"
    after = await gql(
        "query($id: ID!) { ticket(id: $id) { subject status number comments { body } "
        "attachments { filename } history { action } assignee { id } } teams { name } "
        "ticketCategories { name steps { name } } }",
        {"id": ids["Ticket"]},
        token=tenant_a.token,
    )
    assert after["data"]["ticket"] == {
        "subject": "Broken",
        "status": "OPEN",
        "number": "T-000001",
        "comments": [{"body": "secret"}],
        "attachments": [{"filename": "a.pdf"}],
        "history": [{"action": "created"}, {"action": "commented"}, {"action": "attachment_added"}],
        "assignee": {"id": ids["tech"]},
    }
    assert after["data"]["teams"] == [{"name": "Technical"}]
    assert after["data"]["ticketCategories"][0]["name"] == "Repair"
    assert len(after["data"]["ticketCategories"][0]["steps"]) == 3


async def test_row_level_security_walls_every_ticket_table(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount, services: ApiServices
) -> None:
    await _seed_tenant_a(gql, tenant_a)
    _, tenant_a_id = from_global_id(tenant_a.tenant_id)
    _, tenant_b_id = from_global_id(tenant_b.tenant_id)
    models = (
        Team,
        TeamMember,
        TicketCategory,
        WorkflowStep,
        TicketCounter,
        Ticket,
        TicketComment,
        TicketAttachment,
        TicketHistory,
    )
    async with services.database.transaction(tenant_b_id) as session:
        for model in models:
            assert tenant_a_id not in set(await session.scalars(select(model.tenant_id))), model
    async with services.database.transaction(tenant_a_id) as session:
        for model in models:
            assert tenant_a_id in set(await session.scalars(select(model.tenant_id))), model
