"""Signup, login and ``me`` over GraphQL on real PostgreSQL and Valkey."""

from __future__ import annotations

from tests.conftest import GraphQL, TenantAccount, error_code, sign_up

ME = "{ me { id email role } tenant { id slug name } }"
LOG_IN = """
mutation($input: LogInInput!) {
  logIn(input: $input) { token tenant { id slug } user { id email role } }
}"""


async def test_sign_up_returns_token_that_identifies_the_owner(gql: GraphQL) -> None:
    account = await sign_up(gql, name="Acme Support")
    assert account.slug.startswith("acme-support")
    body = await gql(ME, token=account.token)
    assert body["data"]["me"] == {"id": account.owner_id, "email": account.email, "role": "owner"}
    assert body["data"]["tenant"]["id"] == account.tenant_id


async def test_same_tenant_name_gets_a_distinct_slug(gql: GraphQL) -> None:
    first = await sign_up(gql, name="Globex Helpdesk")
    second = await sign_up(gql, name="Globex Helpdesk")
    assert first.slug != second.slug


async def test_log_in_with_slug_email_and_password(gql: GraphQL, tenant_a: TenantAccount) -> None:
    body = await gql(
        LOG_IN,
        {
            "input": {
                "tenantSlug": tenant_a.slug,
                "email": tenant_a.email.upper(),
                "password": tenant_a.password,
            }
        },
    )
    assert body["data"]["logIn"]["user"]["id"] == tenant_a.owner_id
    me = await gql(ME, token=body["data"]["logIn"]["token"])
    assert me["data"]["me"]["email"] == tenant_a.email


async def test_wrong_password_or_other_tenant_is_unauthenticated(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    wrong_password = await gql(
        LOG_IN,
        {
            "input": {
                "tenantSlug": tenant_a.slug,
                "email": tenant_a.email,
                "password": "not the password at all",
            }
        },
    )
    assert error_code(wrong_password) == "UNAUTHENTICATED"
    other_tenant = await gql(
        LOG_IN,
        {
            "input": {
                "tenantSlug": tenant_b.slug,
                "email": tenant_a.email,
                "password": tenant_a.password,
            }
        },
    )
    assert error_code(other_tenant) == "UNAUTHENTICATED"
    assert other_tenant["data"] is None
