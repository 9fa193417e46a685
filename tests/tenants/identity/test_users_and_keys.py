"""Users and API keys: role checks and behaviour."""

from __future__ import annotations

import pytest

from tests.conftest import GraphQL, TenantAccount, error_code

CREATE_USER = """
mutation($input: CreateUserInput!) {
  createUser(input: $input) { id email role displayName active }
}"""
UPDATE_USER = """
mutation($input: UpdateUserInput!) { updateUser(input: $input) { id email role displayName } }
"""
DEACTIVATE = "mutation($id: ID!) { deactivateUser(id: $id) { id active } }"
CREATE_KEY = """
mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { id name prefix role revokedAt } }
}"""
REVOKE_KEY = "mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }"
USERS = "{ users(first: 50) { edges { node { id email role active } } } }"
API_KEYS = "{ apiKeys { edges { node { id name prefix lastUsedAt revokedAt } } } }"
ME = "{ me { id email role } tenant { id } }"
LOG_IN = "mutation($input: LogInInput!) { logIn(input: $input) { token } }"
PASSWORD = "a long enough password"


async def create_user(gql: GraphQL, token: str, email: str, role: str) -> dict:
    body = await gql(
        CREATE_USER,
        {"input": {"email": email, "password": PASSWORD, "role": role, "displayName": email}},
        token=token,
    )
    assert "errors" not in body, body
    return body["data"]["createUser"]


async def log_in(gql: GraphQL, slug: str, email: str) -> str:
    body = await gql(LOG_IN, {"input": {"tenantSlug": slug, "email": email, "password": PASSWORD}})
    assert "errors" not in body, body
    return body["data"]["logIn"]["token"]


async def test_owner_creates_users_who_can_log_in(gql: GraphQL, tenant_a: TenantAccount) -> None:
    user = await create_user(gql, tenant_a.token, "agent1@example.com", "AGENT")
    assert user["role"] == "agent" and user["active"] is True
    token = await log_in(gql, tenant_a.slug, "agent1@example.com")
    me = await gql(ME, token=token)
    assert me["data"]["me"] == {"id": user["id"], "email": "agent1@example.com", "role": "agent"}
    listed = await gql(USERS, token=tenant_a.token)
    assert {edge["node"]["email"] for edge in listed["data"]["users"]["edges"]} == {
        tenant_a.email,
        "agent1@example.com",
    }


@pytest.mark.parametrize("role", ["AGENT", "SUPERVISOR"])
async def test_agents_and_supervisors_cannot_manage_users_or_keys(
    gql: GraphQL, tenant_a: TenantAccount, role: str
) -> None:
    await create_user(gql, tenant_a.token, f"{role.lower()}@example.com", role)
    token = await log_in(gql, tenant_a.slug, f"{role.lower()}@example.com")
    attempts = [
        (CREATE_USER, {"input": {"email": "x@example.com", "password": PASSWORD, "role": "AGENT"}}),
        (CREATE_KEY, {"input": {"name": "k", "role": "AGENT"}}),
        (USERS, None),
        (API_KEYS, None),
        (DEACTIVATE, {"id": tenant_a.owner_id}),
        (UPDATE_USER, {"input": {"id": tenant_a.owner_id, "displayName": "pwned"}}),
    ]
    for query, variables in attempts:
        body = await gql(query, variables, token=token)
        assert error_code(body) == "FORBIDDEN", (query, body)
    users = await gql(USERS, token=tenant_a.token)
    owner = next(
        e["node"] for e in users["data"]["users"]["edges"] if e["node"]["id"] == tenant_a.owner_id
    )
    assert owner["active"] is True
    assert "x@example.com" not in str(users)


async def test_admin_cannot_create_or_touch_owners(gql: GraphQL, tenant_a: TenantAccount) -> None:
    await create_user(gql, tenant_a.token, "admin@example.com", "ADMIN")
    admin = await log_in(gql, tenant_a.slug, "admin@example.com")
    body = await gql(
        CREATE_USER,
        {"input": {"email": "o2@example.com", "password": PASSWORD, "role": "OWNER"}},
        token=admin,
    )
    assert error_code(body) == "FORBIDDEN"
    body = await gql(DEACTIVATE, {"id": tenant_a.owner_id}, token=admin)
    assert error_code(body) == "FORBIDDEN"
    agent = await create_user(gql, admin, "agent2@example.com", "AGENT")
    assert agent["role"] == "agent"


async def test_update_and_deactivate_user(gql: GraphQL, tenant_a: TenantAccount) -> None:
    user = await create_user(gql, tenant_a.token, "sup@example.com", "SUPERVISOR")
    token = await log_in(gql, tenant_a.slug, "sup@example.com")
    updated = await gql(
        UPDATE_USER,
        {"input": {"id": user["id"], "role": "AGENT", "displayName": "Sam"}},
        token=tenant_a.token,
    )
    assert updated["data"]["updateUser"]["role"] == "agent"
    assert updated["data"]["updateUser"]["displayName"] == "Sam"
    gone = await gql(DEACTIVATE, {"id": user["id"]}, token=tenant_a.token)
    assert gone["data"]["deactivateUser"]["active"] is False
    # The deactivated user's existing token stops working, and they cannot log in again.
    assert error_code(await gql(ME, token=token)) == "UNAUTHENTICATED"
    body = await gql(
        LOG_IN,
        {"input": {"tenantSlug": tenant_a.slug, "email": "sup@example.com", "password": PASSWORD}},
    )
    assert error_code(body) == "UNAUTHENTICATED"


async def test_owner_cannot_deactivate_themselves(gql: GraphQL, tenant_a: TenantAccount) -> None:
    body = await gql(DEACTIVATE, {"id": tenant_a.owner_id}, token=tenant_a.token)
    assert error_code(body) == "BAD_USER_INPUT"
    assert error_code(await gql(ME, token=tenant_a.token)) is None


async def test_api_key_authenticates_with_its_role_until_revoked(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    created = await gql(
        CREATE_KEY, {"input": {"name": "crm sync", "role": "ADMIN"}}, token=tenant_a.token
    )
    payload = created["data"]["createApiKey"]
    secret = payload["secret"]
    assert secret.startswith("hlk_" + payload["apiKey"]["prefix"] + "_")
    tenant = await gql("{ tenant { id } me { id } }", token=secret)
    assert tenant["data"] == {"tenant": {"id": tenant_a.tenant_id}, "me": None}
    listed = await gql(API_KEYS, token=secret)
    key = listed["data"]["apiKeys"]["edges"][0]["node"]
    assert key["lastUsedAt"] is not None
    assert "secret" not in key
    # An admin key may not mint owner keys.
    body = await gql(CREATE_KEY, {"input": {"name": "escalate", "role": "OWNER"}}, token=secret)
    assert error_code(body) == "FORBIDDEN"
    revoked = await gql(REVOKE_KEY, {"id": payload["apiKey"]["id"]}, token=tenant_a.token)
    assert revoked["data"]["revokeApiKey"]["revokedAt"] is not None
    assert error_code(await gql("{ tenant { id } }", token=secret)) == "UNAUTHENTICATED"


async def test_tampered_api_key_is_unauthenticated(gql: GraphQL, tenant_a: TenantAccount) -> None:
    created = await gql(CREATE_KEY, {"input": {"name": "k", "role": "AGENT"}}, token=tenant_a.token)
    secret = created["data"]["createApiKey"]["secret"]
    for bad in (secret[:-1] + ("A" if secret[-1] != "A" else "B"), "hlk_nope_nope", "hlk_"):
        assert error_code(await gql("{ tenant { id } }", token=bad)) == "UNAUTHENTICATED"


async def test_users_pagination_with_cursor(gql: GraphQL, tenant_a: TenantAccount) -> None:
    for n in range(3):
        await create_user(gql, tenant_a.token, f"page{n}@example.com", "AGENT")
    query = """query($after: String) { users(first: 2, after: $after) {
        edges { cursor node { email } } pageInfo { hasNextPage endCursor } } }"""
    first = (await gql(query, token=tenant_a.token))["data"]["users"]
    assert len(first["edges"]) == 2 and first["pageInfo"]["hasNextPage"] is True
    second = (await gql(query, {"after": first["pageInfo"]["endCursor"]}, token=tenant_a.token))[
        "data"
    ]["users"]
    assert len(second["edges"]) == 2 and second["pageInfo"]["hasNextPage"] is False
    emails = [e["node"]["email"] for e in first["edges"] + second["edges"]]
    assert len(set(emails)) == 4
