"""Assigning customers to owners one by one or by filter, and "my customers"."""

from __future__ import annotations

from tests.conftest import GraphQL, TenantAccount, error_code
from tests.tenants.crm.conftest import create_customer, user_token

ASSIGN = """
mutation($input: AssignCustomersInput!) { assignCustomers(input: $input) { updated } }
"""
MINE = "{ customers(filter: {mine: true}) { edges { node { name owner { id } } } } }"


async def _mine(gql: GraphQL, token: str) -> list[str]:
    body = await gql(MINE, token=token)
    assert "errors" not in body, body
    return sorted(e["node"]["name"] for e in body["data"]["customers"]["edges"])


async def test_assign_by_ids_and_by_filter_then_my_customers(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    sales_id, sales_token = await user_token(gql, tenant_a, "agent")
    one = await create_customer(gql, tenant_a, name="One")
    await create_customer(gql, tenant_a, name="Two", tags=["north"])
    await create_customer(gql, tenant_a, name="Three", tags=["north"])
    await create_customer(gql, tenant_a, name="Four", tags=["south"])
    body = await gql(
        ASSIGN, {"input": {"ownerId": sales_id, "ids": [one["id"]]}}, token=tenant_a.token
    )
    assert body["data"]["assignCustomers"]["updated"] == 1
    body = await gql(
        ASSIGN, {"input": {"ownerId": sales_id, "filter": {"tag": "north"}}}, token=tenant_a.token
    )
    assert body["data"]["assignCustomers"]["updated"] == 2
    assert await _mine(gql, sales_token) == ["One", "Three", "Two"]
    assert await _mine(gql, tenant_a.token) == []
    forbidden = await gql(ASSIGN, {"input": {"ownerId": sales_id, "filter": {}}}, token=sales_token)
    assert error_code(forbidden) == "FORBIDDEN"
    nothing = await gql(ASSIGN, {"input": {"ownerId": sales_id}}, token=tenant_a.token)
    assert error_code(nothing) == "BAD_USER_INPUT"
    # Tenant B can neither move A's customers nor give them to A's users.
    body = await gql(ASSIGN, {"input": {"ownerId": None, "ids": [one["id"]]}}, token=tenant_b.token)
    assert body["data"]["assignCustomers"]["updated"] == 0
    body = await gql(ASSIGN, {"input": {"ownerId": None, "filter": {}}}, token=tenant_b.token)
    assert body["data"]["assignCustomers"]["updated"] == 0
    foreign = await gql(
        ASSIGN, {"input": {"ownerId": sales_id, "filter": {}}}, token=tenant_b.token
    )
    assert error_code(foreign) == "BAD_USER_INPUT"
    assert await _mine(gql, sales_token) == ["One", "Three", "Two"]
    body = await gql(
        ASSIGN, {"input": {"ownerId": None, "filter": {"tag": "north"}}}, token=tenant_a.token
    )
    assert body["data"]["assignCustomers"]["updated"] == 2
    assert await _mine(gql, sales_token) == ["One"]
