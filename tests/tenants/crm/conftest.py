"""Helpers for CRM tests: GraphQL documents and small builders."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQL, TenantAccount

CUSTOMER_FIELDS = """
  id name company emails tags notes customFields externalId
  phones { e164 raw }
  category { id name routing }
  owner { id email }
"""

CREATE_CUSTOMER = f"""
mutation($input: CreateCustomerInput!) {{ createCustomer(input: $input) {{ {CUSTOMER_FIELDS} }} }}
"""

UPDATE_CUSTOMER = f"""
mutation($input: UpdateCustomerInput!) {{ updateCustomer(input: $input) {{ {CUSTOMER_FIELDS} }} }}
"""

CREATE_FIELD = """
mutation($input: CustomFieldInput!) {
  createCustomField(input: $input) { id key type required unique default options }
}"""

CREATE_USER = """
mutation($input: CreateUserInput!) { createUser(input: $input) { id email role } }
"""

LOG_IN = "mutation($input: LogInInput!) { logIn(input: $input) { token } }"


async def create_customer(gql: GraphQL, account: TenantAccount, **fields: Any) -> dict[str, Any]:
    """Create a customer; fails the test on any error."""
    body = await gql(CREATE_CUSTOMER, {"input": {"name": "Ada", **fields}}, token=account.token)
    assert "errors" not in body, body
    return body["data"]["createCustomer"]


async def user_token(
    gql: GraphQL, account: TenantAccount, role: str, email: str | None = None
) -> tuple[str, str]:
    """``(user global id, token)`` of a new user of ``account``'s tenant with ``role``."""
    import uuid

    email = email or f"{role}-{uuid.uuid4().hex[:8]}@example.com"
    password = "another long password"
    body = await gql(
        CREATE_USER,
        {"input": {"email": email, "password": password, "role": role.upper()}},
        token=account.token,
    )
    assert "errors" not in body, body
    login = await gql(
        LOG_IN, {"input": {"tenantSlug": account.slug, "email": email, "password": password}}
    )
    assert "errors" not in login, login
    return body["data"]["createUser"]["id"], login["data"]["logIn"]["token"]
