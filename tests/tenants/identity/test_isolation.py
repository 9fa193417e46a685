"""Tenant B sees and changes nothing of tenant A's, through every identity path."""

from __future__ import annotations

import base64
import uuid

from tests.conftest import GraphQL, TenantAccount, error_code
from tests.tenants.identity.test_users_and_keys import (
    API_KEYS,
    CREATE_KEY,
    CREATE_USER,
    DEACTIVATE,
    PASSWORD,
    REVOKE_KEY,
    UPDATE_USER,
    USERS,
)

NODE = "query($id: ID!) { node(id: $id) { id ... on User { email } ... on ApiKey { name } } }"


async def _tenant_a_objects(gql: GraphQL, a: TenantAccount) -> dict[str, str]:
    user = await gql(
        CREATE_USER,
        {"input": {"email": "a-agent@example.com", "password": PASSWORD, "role": "AGENT"}},
        token=a.token,
    )
    key = await gql(CREATE_KEY, {"input": {"name": "a-key", "role": "AGENT"}}, token=a.token)
    return {
        "user": user["data"]["createUser"]["id"],
        "owner": a.owner_id,
        "key": key["data"]["createApiKey"]["apiKey"]["id"],
        "tenant": a.tenant_id,
    }


async def test_node_of_another_tenant_is_not_found(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    ids = await _tenant_a_objects(gql, tenant_a)
    for global_id in ids.values():
        body = await gql(NODE, {"id": global_id}, token=tenant_b.token)
        assert error_code(body) == "NOT_FOUND", body
        assert body["data"] is None
    # The same ids resolve for tenant A.
    for name in ("user", "key", "tenant"):
        body = await gql(NODE, {"id": ids[name]}, token=tenant_a.token)
        assert body["data"]["node"]["id"] == ids[name]


async def test_malformed_and_unknown_ids_are_not_found(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    unknown = base64.urlsafe_b64encode(f"User:{uuid.uuid4()}".encode()).decode()
    wrong_type = base64.urlsafe_b64encode(f"Nope:{uuid.uuid4()}".encode()).decode()
    for bad in ("not-an-id", unknown, wrong_type, ""):
        assert error_code(await gql(NODE, {"id": bad}, token=tenant_a.token)) == "NOT_FOUND"


async def test_lists_show_only_own_tenant(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    await _tenant_a_objects(gql, tenant_a)
    users = await gql(USERS, token=tenant_b.token)
    assert [e["node"]["email"] for e in users["data"]["users"]["edges"]] == [tenant_b.email]
    keys = await gql(API_KEYS, token=tenant_b.token)
    assert keys["data"]["apiKeys"]["edges"] == []


async def test_mutations_on_another_tenants_objects_change_nothing(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    ids = await _tenant_a_objects(gql, tenant_a)
    attempts = [
        (UPDATE_USER, {"input": {"id": ids["user"], "displayName": "hijacked", "role": "ADMIN"}}),
        (UPDATE_USER, {"input": {"id": ids["owner"], "password": "x" * 20}}),
        (DEACTIVATE, {"id": ids["user"]}),
        (DEACTIVATE, {"id": ids["owner"]}),
        (REVOKE_KEY, {"id": ids["key"]}),
    ]
    for query, variables in attempts:
        body = await gql(query, variables, token=tenant_b.token)
        assert error_code(body) == "NOT_FOUND", (query, body)
    users = await gql(USERS, token=tenant_a.token)
    nodes = {e["node"]["id"]: e["node"] for e in users["data"]["users"]["edges"]}
    assert nodes[ids["user"]]["role"] == "agent" and nodes[ids["user"]]["active"] is True
    assert nodes[ids["owner"]]["active"] is True
    keys = await gql(API_KEYS, token=tenant_a.token)
    assert keys["data"]["apiKeys"]["edges"][0]["node"]["revokedAt"] is None
    # A's owner password still works: B's update did not land.
    login = await gql(
        "mutation($i: LogInInput!) { logIn(input: $i) { token } }",
        {
            "i": {
                "tenantSlug": tenant_a.slug,
                "email": tenant_a.email,
                "password": tenant_a.password,
            }
        },
    )
    assert error_code(login) is None


async def test_same_email_may_exist_in_two_tenants(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    for account in (tenant_a, tenant_b):
        body = await gql(
            CREATE_USER,
            {"input": {"email": "shared@example.com", "password": PASSWORD, "role": "AGENT"}},
            token=account.token,
        )
        assert error_code(body) is None, body


async def test_token_from_tenant_b_cannot_read_tenant_a_via_api_key_prefix(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    created = await gql(CREATE_KEY, {"input": {"name": "k", "role": "ADMIN"}}, token=tenant_a.token)
    secret = created["data"]["createApiKey"]["secret"]
    # A's key authenticates as A, never as B.
    body = await gql("{ tenant { id } }", token=secret)
    assert body["data"]["tenant"]["id"] == tenant_a.tenant_id != tenant_b.tenant_id
