"""No N+1: a page of 100 tickets with customer, assignee and current step is ≤ 5 queries,
and each ticket's comments, attachments and history take as many queries for 50 tickets as
for 5."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from api.clients import ApiServices
from tenants.graphql.relay import from_global_id
from tests.conftest import GraphQL, TenantAccount
from tests.tenants.crm.conftest import create_customer, user_token
from tests.tenants.tickets.conftest import TRANSITION, Workflow, create_ticket, make_workflow

LIST = """
{
  tickets(first: 100) {
    edges { node {
      number customer { id name } assignee { id email } currentStep { id name }
    } }
  }
}"""


@contextmanager
def counted_queries(services: ApiServices) -> Iterator[list[str]]:
    """Every SQL statement the app's engine sends while the block runs."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    engine = services.database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def test_listing_100_tickets_with_relations_takes_at_most_5_queries(
    gql: GraphQL, tenant_a: TenantAccount, services: ApiServices
) -> None:
    agents = [await user_token(gql, tenant_a, "agent") for _ in range(3)]
    customers = [await create_customer(gql, tenant_a, name=f"C{i}") for i in range(10)]
    workflow = await make_workflow(gql, tenant_a, member_ids=[])
    for i in range(100):
        ticket = await create_ticket(
            gql,
            tenant_a,
            workflow,
            customerId=customers[i % 10]["id"],
            assigneeId=agents[i % 3][0],
        )
        if i % 4 == 0:
            await gql(
                TRANSITION,
                {"input": {"id": ticket["id"], "action": "ADVANCE"}},
                token=tenant_a.token,
            )
    with counted_queries(services) as statements:
        body = await gql(LIST, token=tenant_a.token)
    assert "errors" not in body, body
    nodes = [edge["node"] for edge in body["data"]["tickets"]["edges"]]
    assert len(nodes) == 100
    assert all(n["customer"] and n["currentStep"] for n in nodes)
    assert {n["assignee"]["id"] for n in nodes if n["assignee"]} <= {a[0] for a in agents}
    assert {n["currentStep"]["name"] for n in nodes} == {"Service desk", "Technical"}
    assert len(statements) <= 5, "\n\n".join(statements)


NESTED = """
{
  tickets(first: 100) {
    edges { node {
      number
      comments { body author { id } }
      attachments { filename }
      history { action actor { id } }
    } }
  }
}"""
COMMENT = "mutation($t: ID!, $b: String!) { addTicketComment(ticketId: $t, body: $b) { id } }"
ATTACH = """
mutation($t: ID!, $k: String!) {
  addTicketAttachment(input: {ticketId: $t, filename: "a.pdf", contentType: "application/pdf",
    sizeBytes: 1, storageKey: $k}) { id }
}"""


async def _tickets_with_children(
    gql: GraphQL, account: TenantAccount, workflow: Workflow, count: int, label: str
) -> None:
    """``count`` tickets, each with one comment (``label`` and its index) and one attachment."""
    _, tenant_id = from_global_id(account.tenant_id)
    for i in range(count):
        ticket = await create_ticket(gql, account, workflow)
        comment = await gql(COMMENT, {"t": ticket["id"], "b": f"{label} {i}"}, token=account.token)
        assert "errors" not in comment, comment
        key = f"{tenant_id}/{label}-{i}.pdf"
        attachment = await gql(ATTACH, {"t": ticket["id"], "k": key}, token=account.token)
        assert "errors" not in attachment, attachment


async def test_comments_attachments_and_history_take_as_many_queries_for_50_tickets_as_for_5(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount, services: ApiServices
) -> None:
    counts = []
    for account, count in ((tenant_a, 5), (tenant_b, 50)):
        workflow = await make_workflow(gql, account, member_ids=[])
        await _tickets_with_children(gql, account, workflow, count, label="note")
        with counted_queries(services) as statements:
            body = await gql(NESTED, token=account.token)
        assert "errors" not in body, body
        nodes = [edge["node"] for edge in body["data"]["tickets"]["edges"]]
        assert len(nodes) == count
        assert all(len(n["comments"]) == 1 and n["comments"][0]["author"] for n in nodes)
        assert all([a["filename"] for a in n["attachments"]] == ["a.pdf"] for n in nodes)
        assert all(
            [h["action"] for h in n["history"]] == ["created", "commented", "attachment_added"]
            for n in nodes
        )
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


async def test_tenant_b_lists_none_of_tenant_as_comments_attachments_or_history(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    await _tickets_with_children(
        gql, tenant_a, await make_workflow(gql, tenant_a, member_ids=[]), 3, label="secret-a"
    )
    await _tickets_with_children(
        gql, tenant_b, await make_workflow(gql, tenant_b, member_ids=[]), 2, label="b"
    )
    body = await gql(NESTED, token=tenant_b.token)
    assert "errors" not in body, body
    nodes = [edge["node"] for edge in body["data"]["tickets"]["edges"]]
    assert len(nodes) == 2
    assert sorted(c["body"] for n in nodes for c in n["comments"]) == ["b 0", "b 1"]
    assert "secret-a" not in str(body)
    assert all(len(n["attachments"]) == 1 and len(n["history"]) == 3 for n in nodes)
