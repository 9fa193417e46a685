"""No N+1: a page of 100 tickets with customer, assignee and current step is ≤ 5 queries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from api.clients import ApiServices
from tests.conftest import GraphQL, TenantAccount
from tests.tenants.crm.conftest import create_customer, user_token
from tests.tenants.tickets.conftest import TRANSITION, create_ticket, make_workflow

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
