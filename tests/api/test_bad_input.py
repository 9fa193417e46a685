"""Bad input gets a clear 4xx or a coded GraphQL error, and leaves no trace."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import httpx
import jwt
import pytest

from api.app import create_app
from api.clients import ApiServices
from tests.conftest import (
    SIGN_UP,
    GraphQL,
    ServiceUrls,
    TenantAccount,
    error_code,
    make_settings,
)
from tests.tenants.identity.test_users_and_keys import CREATE_USER, PASSWORD, USERS


async def test_malformed_json_is_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert "JSON" in response.text


async def test_graphql_syntax_error_is_bad_user_input(gql: GraphQL) -> None:
    body = await gql("{ me { id ")
    assert error_code(body) == "BAD_USER_INPUT"
    assert "Syntax Error" in body["errors"][0]["message"]


async def test_unknown_field_is_bad_user_input(gql: GraphQL, tenant_a: TenantAccount) -> None:
    body = await gql("{ me { id secretThing } }", token=tenant_a.token)
    assert error_code(body) == "BAD_USER_INPUT"


async def test_missing_query_is_4xx(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"variables": {}})
    assert 400 <= response.status_code < 500


async def test_body_over_one_mebibyte_is_413(client: httpx.AsyncClient) -> None:
    big = b'{"query": "' + b"a" * (1024 * 1024 + 10) + b'"}'
    response = await client.post(
        "/graphql", content=big, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert "exceeds" in response.json()["detail"]


async def test_chunked_body_over_limit_is_413(client: httpx.AsyncClient) -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(20):
            yield b"a" * 65536

    response = await client.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


async def test_deep_query_is_refused(
    service_urls: ServiceUrls, tmp_path: Path, tenant_a: TenantAccount
) -> None:
    settings = make_settings(service_urls, tmp_path)
    settings.api = settings.api.model_copy(update={"max_query_depth": 2})
    services = ApiServices.build(settings)
    transport = httpx.ASGITransport(app=create_app(settings, services))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            shallow = await GraphQL(http)("{ me { id } }", token=tenant_a.token)
            deep = await GraphQL(http)("{ users { edges { node { id } } } }", token=tenant_a.token)
    finally:
        await services.close()
    assert error_code(shallow) is None
    assert error_code(deep) == "BAD_USER_INPUT"
    assert "depth" in deep["errors"][0]["message"]


async def test_too_many_aliases_refused(gql: GraphQL, tenant_a: TenantAccount) -> None:
    query = "{ " + " ".join(f"a{n}: me {{ id }}" for n in range(40)) + " }"
    assert error_code(await gql(query, token=tenant_a.token)) == "BAD_USER_INPUT"


async def test_page_size_over_cap_is_bad_user_input(gql: GraphQL, tenant_a: TenantAccount) -> None:
    body = await gql("{ users(first: 1000) { edges { node { id } } } }", token=tenant_a.token)
    assert error_code(body) == "BAD_USER_INPUT"
    body = await gql(
        '{ users(first: 1, after: "garbage!") { edges { node { id } } } }', token=tenant_a.token
    )
    assert error_code(body) == "BAD_USER_INPUT"


@pytest.mark.parametrize(
    ("email", "password", "field"),
    [
        ("not-an-email", "long enough password", "admin_email"),
        ("", "long enough password", "admin_email"),
        ("someone@example.com", "short", "admin_password"),
        ("someone@example.com", "elevenchars", "admin_password"),
    ],
)
async def test_signup_validation_leaves_no_tenant(
    gql: GraphQL, email: str, password: str, field: str
) -> None:
    name = f"Invalid {uuid.uuid4().hex[:8]}"
    body = await gql(
        SIGN_UP, {"input": {"tenantName": name, "adminEmail": email, "adminPassword": password}}
    )
    assert error_code(body) == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["field"] == field
    # Nothing was written: the same name signs up with the plain slug.
    ok = await gql(
        SIGN_UP,
        {"input": {"tenantName": name, "adminEmail": "ok@example.com", "adminPassword": PASSWORD}},
    )
    assert ok["data"]["signUp"]["tenant"]["slug"] == name.lower().replace(" ", "-")


async def test_password_of_exactly_twelve_characters_is_accepted(gql: GraphQL) -> None:
    body = await gql(
        SIGN_UP,
        {
            "input": {
                "tenantName": f"T {uuid.uuid4().hex[:6]}",
                "adminEmail": "twelve@example.com",
                "adminPassword": "x" * 12,
            }
        },
    )
    assert error_code(body) is None


async def test_duplicate_email_in_tenant_is_conflict_and_writes_nothing(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    variables = {"input": {"email": "dup@example.com", "password": PASSWORD, "role": "AGENT"}}
    assert error_code(await gql(CREATE_USER, variables, token=tenant_a.token)) is None
    again = {"input": {"email": "DUP@example.com", "password": PASSWORD, "role": "ADMIN"}}
    assert error_code(await gql(CREATE_USER, again, token=tenant_a.token)) == "CONFLICT"
    owner_dup = {"input": {"email": tenant_a.email, "password": PASSWORD, "role": "AGENT"}}
    assert error_code(await gql(CREATE_USER, owner_dup, token=tenant_a.token)) == "CONFLICT"
    users = await gql(USERS, token=tenant_a.token)
    emails = [e["node"]["email"].lower() for e in users["data"]["users"]["edges"]]
    assert emails.count("dup@example.com") == 1


async def test_failed_mutation_in_a_batch_rolls_back_the_whole_request(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    document = """mutation {
      first: createUser(input: {email: "batch1@example.com", password: "a long enough password",
                                role: AGENT}) { id }
      second: createUser(input: {email: "bad", password: "a long enough password",
                                 role: AGENT}) { id }
    }"""
    body = await gql(document, token=tenant_a.token)
    assert error_code(body) == "BAD_USER_INPUT"
    users = await gql(USERS, token=tenant_a.token)
    assert "batch1@example.com" not in str(users)


@pytest.mark.parametrize("token", ["garbage", "Bearer", "a.b.c"])
async def test_bad_token_is_unauthenticated(gql: GraphQL, token: str) -> None:
    assert error_code(await gql("{ me { id } }", token=token)) == "UNAUTHENTICATED"


async def test_missing_token_is_unauthenticated(gql: GraphQL) -> None:
    assert error_code(await gql("{ me { id } }")) == "UNAUTHENTICATED"


async def test_expired_and_foreign_signed_tokens_are_unauthenticated(
    gql: GraphQL, tenant_a: TenantAccount, settings
) -> None:  # type: ignore[no-untyped-def]
    claims = jwt.decode(tenant_a.token, options={"verify_signature": False})
    key = settings.auth.secret_key.get_secret_value()
    expired = jwt.encode({**claims, "exp": int(time.time()) - 10}, key, algorithm="HS256")
    body = await gql("{ me { id } }", token=expired)
    assert error_code(body) == "UNAUTHENTICATED"
    assert "expired" in body["errors"][0]["message"]
    forged = jwt.encode({**claims, "role": "owner"}, "another-key-" + "y" * 30, algorithm="HS256")
    assert error_code(await gql("{ me { id } }", token=forged)) == "UNAUTHENTICATED"
    unsigned = jwt.encode(claims, None, algorithm="none")
    assert error_code(await gql("{ me { id } }", token=unsigned)) == "UNAUTHENTICATED"
