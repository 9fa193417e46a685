"""The browser session: httpOnly cookie, CSRF on mutations, log-out, and password reset."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator

import httpx
import pytest

from api.app import create_app
from api.clients import ApiServices
from tenants.settings import Settings
from tests.conftest import GraphQL, TenantAccount, error_code

ORIGIN = "http://hotline.test"
LOG_IN = """
mutation($input: LogInInput!) { logIn(input: $input) { tenant { slug } user { email } } }"""
ME = "{ me { email } tenant { slug name } }"
RENAME = "mutation($name: String!) { updateTenant(input: {name: $name}) { name } }"


@pytest.fixture
async def browser(settings: Settings, services: ApiServices) -> AsyncIterator[httpx.AsyncClient]:
    """A client that behaves like a page of the app: same-origin Origin, its own cookie jar."""
    transport = httpx.ASGITransport(app=create_app(settings, services))
    async with httpx.AsyncClient(
        transport=transport, base_url=ORIGIN, headers={"Origin": ORIGIN}
    ) as http:
        yield http


async def post(http: httpx.AsyncClient, query: str, variables: dict | None = None, **headers: str):  # type: ignore[no-untyped-def]
    response = await http.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    assert response.status_code == 200, response.text
    return response


async def log_in(http: httpx.AsyncClient, account: TenantAccount) -> httpx.Response:
    return await post(
        http,
        LOG_IN,
        {
            "input": {
                "tenantSlug": account.slug,
                "email": account.email,
                "password": account.password,
            }
        },
    )


def csrf(http: httpx.AsyncClient) -> dict[str, str]:
    return {"X-CSRF-Token": http.cookies["hotline_csrf"]}


async def test_log_in_sets_an_httponly_samesite_cookie(
    browser: httpx.AsyncClient, tenant_a: TenantAccount
) -> None:
    response = await log_in(browser, tenant_a)
    cookies = response.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith("hotline_session="))
    assert "HttpOnly" in session and "SameSite=lax" in session and "Path=/" in session
    readable = next(c for c in cookies if c.startswith("hotline_csrf="))
    assert "HttpOnly" not in readable and "SameSite=strict" in readable
    assert "token" not in response.json()["data"]["logIn"]
    body = (await post(browser, ME)).json()
    assert body["data"]["me"]["email"] == tenant_a.email
    assert body["data"]["tenant"]["slug"] == tenant_a.slug


async def test_api_clients_get_no_cookie(
    client: httpx.AsyncClient, tenant_a: TenantAccount
) -> None:
    response = await client.post(
        "/graphql",
        json={
            "query": LOG_IN,
            "variables": {
                "input": {
                    "tenantSlug": tenant_a.slug,
                    "email": tenant_a.email,
                    "password": tenant_a.password,
                }
            },
        },
    )
    assert not response.headers.get_list("set-cookie")


async def test_foreign_origin_gets_no_cookie(
    browser: httpx.AsyncClient, tenant_a: TenantAccount
) -> None:
    response = await browser.post(
        "/graphql",
        json={
            "query": LOG_IN,
            "variables": {
                "input": {
                    "tenantSlug": tenant_a.slug,
                    "email": tenant_a.email,
                    "password": tenant_a.password,
                }
            },
        },
        headers={"Origin": "https://evil.example"},
    )
    assert not response.headers.get_list("set-cookie")


async def test_cookie_mutation_needs_the_csrf_token(
    browser: httpx.AsyncClient, tenant_a: TenantAccount, gql: GraphQL
) -> None:
    await log_in(browser, tenant_a)
    refused = (await post(browser, RENAME, {"name": "Renamed by a forged form"})).json()
    assert error_code(refused) == "FORBIDDEN"
    assert "CSRF" in refused["errors"][0]["message"]
    wrong = (await post(browser, RENAME, {"name": "Wrong"}, **{"X-CSRF-Token": "0" * 40})).json()
    assert error_code(wrong) == "FORBIDDEN"
    body = (await gql(ME, token=tenant_a.token))["data"]["tenant"]
    assert body["name"] not in {"Renamed by a forged form", "Wrong"}
    done = (await post(browser, RENAME, {"name": "Renamed"}, **csrf(browser))).json()
    assert done["data"]["updateTenant"]["name"] == "Renamed"


async def test_bearer_tokens_need_no_csrf(gql: GraphQL, tenant_a: TenantAccount) -> None:
    body = await gql(RENAME, {"name": "By integrator"}, token=tenant_a.token)
    assert body["data"]["updateTenant"]["name"] == "By integrator"


async def test_log_out_ends_the_session(
    browser: httpx.AsyncClient, tenant_a: TenantAccount
) -> None:
    await log_in(browser, tenant_a)
    stolen = browser.cookies["hotline_session"]
    headers = csrf(browser)
    response = await post(browser, "mutation { logOut }", **headers)
    assert response.json()["data"]["logOut"] is True
    assert "hotline_session" not in browser.cookies
    assert error_code((await post(browser, ME)).json()) == "UNAUTHENTICATED"
    # A copy of the cookie taken before log-out no longer works either.
    browser.cookies.set("hotline_session", stolen)
    assert error_code((await post(browser, ME)).json()) == "UNAUTHENTICATED"


async def test_update_tenant_is_for_managers_and_own_tenant(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    await gql(RENAME, {"name": "Alpha Center"}, token=tenant_a.token)
    other = (await gql(ME, token=tenant_b.token))["data"]["tenant"]
    assert other["name"] != "Alpha Center"
    agent = await gql(
        """mutation($i: CreateUserInput!) { createUser(input: $i) { id } }""",
        {"i": {"email": "agent@example.com", "password": "a long password!", "role": "AGENT"}},
        token=tenant_a.token,
    )
    assert "errors" not in agent
    login = await gql(
        "mutation($i: LogInInput!) { logIn(input: $i) { token } }",
        {
            "i": {
                "tenantSlug": tenant_a.slug,
                "email": "agent@example.com",
                "password": "a long password!",
            }
        },
    )
    refused = await gql(RENAME, {"name": "Agent was here"}, token=login["data"]["logIn"]["token"])
    assert error_code(refused) == "FORBIDDEN"
    bad = await gql(RENAME, {"name": "x"}, token=tenant_a.token)
    assert error_code(bad) == "BAD_USER_INPUT"
    assert bad["errors"][0]["extensions"]["field"] == "name"


RESET_REQUEST = """
mutation($i: RequestPasswordResetInput!) { requestPasswordReset(input: $i) }"""
RESET = "mutation($i: ResetPasswordInput!) { resetPassword(input: $i) }"


async def test_password_reset_link_is_logged_and_works_once(
    gql: GraphQL, tenant_a: TenantAccount, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="hotline.identity"):
        body = await gql(
            RESET_REQUEST, {"i": {"tenantSlug": tenant_a.slug, "email": tenant_a.email}}
        )
    assert body["data"]["requestPasswordReset"] is True
    match = re.search(r"/reset-password\?token=([\w.-]+)", caplog.text)
    assert match, caplog.text
    token = match.group(1)
    weak = await gql(RESET, {"i": {"token": token, "newPassword": "short"}})
    assert error_code(weak) == "BAD_USER_INPUT"
    assert weak["errors"][0]["extensions"]["field"] == "newPassword"
    new_password = "a brand new long password"
    done = await gql(RESET, {"i": {"token": token, "newPassword": new_password}})
    assert done["data"]["resetPassword"] is True
    again = await gql(RESET, {"i": {"token": token, "newPassword": "yet another long password"}})
    assert error_code(again) == "BAD_USER_INPUT"
    assert again["errors"][0]["extensions"]["field"] == "token"
    login = "mutation($i: LogInInput!) { logIn(input: $i) { user { email } } }"
    old = await gql(
        login,
        {
            "i": {
                "tenantSlug": tenant_a.slug,
                "email": tenant_a.email,
                "password": tenant_a.password,
            }
        },
    )
    assert error_code(old) == "UNAUTHENTICATED"
    new = await gql(
        login,
        {"i": {"tenantSlug": tenant_a.slug, "email": tenant_a.email, "password": new_password}},
    )
    assert new["data"]["logIn"]["user"]["email"] == tenant_a.email


async def test_password_reset_reveals_no_account(
    gql: GraphQL, tenant_a: TenantAccount, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="hotline.identity"):
        unknown = await gql(
            RESET_REQUEST, {"i": {"tenantSlug": tenant_a.slug, "email": "nobody@example.com"}}
        )
        no_tenant = await gql(
            RESET_REQUEST, {"i": {"tenantSlug": "no-such-tenant-x", "email": tenant_a.email}}
        )
    assert unknown["data"]["requestPasswordReset"] is True
    assert no_tenant["data"]["requestPasswordReset"] is True
    assert "reset-password" not in caplog.text


async def test_a_reset_token_is_not_an_access_token(
    gql: GraphQL, tenant_a: TenantAccount, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="hotline.identity"):
        await gql(RESET_REQUEST, {"i": {"tenantSlug": tenant_a.slug, "email": tenant_a.email}})
    match = re.search(r"/reset-password\?token=([\w.-]+)", caplog.text)
    assert match
    assert error_code(await gql(ME, token=match.group(1))) == "UNAUTHENTICATED"


async def test_crm_rest_accepts_the_cookie_and_checks_csrf(
    browser: httpx.AsyncClient, tenant_a: TenantAccount
) -> None:
    await log_in(browser, tenant_a)
    export = await browser.get("/v1/crm/customers/export.csv")
    assert export.status_code == 200
    url = '/v1/crm/customers/import?mapping={"Name":"name"}&dry_run=true'
    csv = "Name\nAda\n"
    headers = {"content-type": "text/csv"}
    refused = await browser.post(url, content=csv, headers=headers)
    assert refused.status_code == 403
    assert "CSRF" in refused.text
    done = await browser.post(url, content=csv, headers={**headers, **csrf(browser)})
    assert done.status_code == 200, done.text
