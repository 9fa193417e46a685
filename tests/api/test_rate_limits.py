"""Signup and login rate limits, kept in Redis and shared by every replica."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from api.clients import ApiServices
from tests.conftest import SIGN_UP, GraphQL, ServiceUrls, TenantAccount, error_code, make_settings

LOG_IN = "mutation($i: LogInInput!) { logIn(input: $i) { token } }"


@pytest.fixture
async def strict_gql(service_urls: ServiceUrls, tmp_path: Path) -> AsyncIterator[GraphQL]:
    settings = make_settings(
        service_urls,
        tmp_path,
        signup_limit_per_ip=2,
        login_limit_per_ip=5,
        login_limit_per_account=3,
        api_key_limit_per_minute=3,
    )
    services = ApiServices.build(settings)
    await services.redis.flushdb()
    transport = httpx.ASGITransport(
        app=create_app(settings, services), client=(f"10.9.{uuid.uuid4().int % 250}.1", 5000)
    )
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        yield GraphQL(http)
    await services.redis.flushdb()
    await services.close()


async def test_signup_is_rate_limited_per_ip(strict_gql: GraphQL) -> None:
    codes = []
    for _ in range(3):
        body = await strict_gql(
            SIGN_UP,
            {
                "input": {
                    "tenantName": f"RL {uuid.uuid4().hex[:8]}",
                    "adminEmail": "rl@example.com",
                    "adminPassword": "x" * 16,
                }
            },
        )
        codes.append(error_code(body))
    assert codes == [None, None, "RATE_LIMITED"]
    assert body["errors"][0]["extensions"]["retryAfter"] > 0


async def test_login_is_rate_limited_per_account(
    strict_gql: GraphQL, tenant_a: TenantAccount
) -> None:
    wrong = {"i": {"tenantSlug": tenant_a.slug, "email": tenant_a.email, "password": "wrong" * 3}}
    codes = [error_code(await strict_gql(LOG_IN, wrong)) for _ in range(4)]
    assert codes == ["UNAUTHENTICATED"] * 3 + ["RATE_LIMITED"]
    right = {
        "i": {"tenantSlug": tenant_a.slug, "email": tenant_a.email, "password": tenant_a.password}
    }
    # Even the right password waits out the window once the account is limited.
    assert error_code(await strict_gql(LOG_IN, right)) == "RATE_LIMITED"


async def test_login_is_rate_limited_per_ip(strict_gql: GraphQL) -> None:
    codes = []
    for n in range(6):
        body = await strict_gql(
            LOG_IN,
            {"i": {"tenantSlug": "nope", "email": f"{n}@example.com", "password": "whatever"}},
        )
        codes.append(error_code(body))
    assert codes == ["UNAUTHENTICATED"] * 5 + ["RATE_LIMITED"]


CREATE_KEY = """
mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }"""


async def _api_key(gql: GraphQL, account: TenantAccount) -> str:
    body = await gql(CREATE_KEY, {"input": {"name": "sync", "role": "ADMIN"}}, token=account.token)
    assert "errors" not in body, body
    return body["data"]["createApiKey"]["secret"]


async def test_api_keys_are_rate_limited_per_key(
    strict_gql: GraphQL, gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    busy, quiet, other_tenant = (
        await _api_key(gql, tenant_a),
        await _api_key(gql, tenant_a),
        await _api_key(gql, tenant_b),
    )
    codes = [error_code(await strict_gql("{ tenant { id } }", token=busy)) for _ in range(4)]
    assert codes == [None, None, None, "RATE_LIMITED"]
    limited = await strict_gql("{ tenant { id } }", token=busy)
    assert limited["errors"][0]["extensions"]["retryAfter"] > 0
    # The limit is the key's own: another key of the tenant and another tenant's key still work.
    assert error_code(await strict_gql("{ tenant { id } }", token=quiet)) is None
    assert error_code(await strict_gql("{ tenant { id } }", token=other_tenant)) is None
    # Guessing secrets behind a known prefix is throttled by the same count.
    prefix = busy.rsplit("_", 1)[0]
    guessed = await strict_gql("{ tenant { id } }", token=prefix + "_" + "A" * 32)
    assert error_code(guessed) == "RATE_LIMITED"
    # Signed-in users (tokens) are not counted against API-key limits.
    for _ in range(5):
        assert error_code(await strict_gql("{ tenant { id } }", token=tenant_a.token)) is None
