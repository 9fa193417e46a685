"""Real services for the suite: embedded PostgreSQL and Valkey, started once per run.

Set HOTLINE_TEST_DATABASE_MIGRATION_URL + HOTLINE_TEST_DATABASE_URL or
HOTLINE_TEST_REDIS_URL to run against external servers instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from api.app import create_app
from api.clients import ApiServices
from tenants.database import migrate
from tenants.embedded.postgres import EmbeddedPostgres
from tenants.embedded.process import free_port
from tenants.embedded.valkey import EmbeddedValkey
from tenants.settings import (
    AuthSettings,
    DatabaseSettings,
    Environment,
    RedisSettings,
    Settings,
)


@dataclass(frozen=True)
class ServiceUrls:
    """Where the suite's PostgreSQL and Redis answer."""

    database_url: str
    migration_url: str
    redis_url: str


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run tests/faults last (a stable sort keeps every other test's order).

    They kill and restart Kamailio, routing and ``hotline up`` beside the session's shared
    media-plane services; the callback tests fail when they run after them. The leak between
    the two is not found yet (issue 16's stop note); destructive tests last keeps the rest of
    the session clean meanwhile.
    """
    items.sort(key=lambda item: "/tests/faults/" in str(item.path).replace("\\", "/"))


@pytest.fixture(scope="session")
def service_urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceUrls]:
    """Start embedded PostgreSQL and Valkey (unless given URLs) and migrate once."""
    base = tmp_path_factory.mktemp("services")
    started: list[Any] = []
    try:
        database_url = os.environ.get("HOTLINE_TEST_DATABASE_URL")
        migration_url = os.environ.get("HOTLINE_TEST_DATABASE_MIGRATION_URL", database_url)
        if not database_url or not migration_url:
            postgres = EmbeddedPostgres(base / "postgres", secrets_dir=base, port=free_port())
            started.append(postgres)
            urls = postgres.start()
            database_url, migration_url = urls.app_url, urls.migration_url
        redis_url = os.environ.get("HOTLINE_TEST_REDIS_URL")
        if not redis_url:
            valkey = EmbeddedValkey(base / "valkey", port=free_port(), persist=False)
            started.append(valkey)
            redis_url = valkey.start()
        migrate.upgrade(migration_url, database_url)
        yield ServiceUrls(
            database_url=database_url, migration_url=migration_url, redis_url=redis_url
        )
    finally:
        for service in reversed(started):
            service.stop()


def make_settings(urls: ServiceUrls, var_dir: Path, **auth: Any) -> Settings:
    """Test settings built explicitly from the suite's services."""
    return Settings(
        env=Environment.TEST,
        var_dir=var_dir,
        database=DatabaseSettings(
            url=urls.database_url, migration_url=urls.migration_url, pool_size=5
        ),
        redis=RedisSettings(url=urls.redis_url),
        auth=AuthSettings(
            secret_key=SecretStr("test-signing-key-" + "x" * 32),
            **{
                "signup_limit_per_ip": 10_000,
                "login_limit_per_ip": 10_000,
                "login_limit_per_account": 10_000,
                **auth,
            },
        ),
    )


@pytest.fixture(scope="session")
def settings(service_urls: ServiceUrls, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings shared by the suite's app (generous rate limits)."""
    return make_settings(service_urls, tmp_path_factory.mktemp("var"))


@pytest.fixture(scope="session")
async def services(settings: Settings) -> AsyncIterator[ApiServices]:
    """Database and Redis clients for the whole run."""
    built = ApiServices.build(settings)
    yield built
    await built.close()


@pytest.fixture(scope="session")
async def client(settings: Settings, services: ApiServices) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to the real app in-process."""
    app = create_app(settings, services)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hotline.test") as http:
        yield http


class GraphQL:
    """Posts GraphQL documents, optionally as a given bearer."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def __call__(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def gql(client: httpx.AsyncClient) -> GraphQL:
    """The GraphQL helper."""
    return GraphQL(client)


SIGN_UP = """
mutation($input: SignUpInput!) {
  signUp(input: $input) { token tenant { id slug name } user { id email role } }
}"""


@dataclass(frozen=True)
class TenantAccount:
    """A freshly signed-up tenant and its owner's token."""

    token: str
    tenant_id: str
    slug: str
    owner_id: str
    email: str
    password: str


async def sign_up(gql: GraphQL, name: str | None = None) -> TenantAccount:
    """Sign up a new tenant with a unique name; fails the test on any error."""
    name = name or f"Tenant {uuid.uuid4().hex[:10]}"
    email = f"owner-{uuid.uuid4().hex[:8]}@example.com"
    password = "correct horse battery staple"
    body = await gql(
        SIGN_UP, {"input": {"tenantName": name, "adminEmail": email, "adminPassword": password}}
    )
    assert "errors" not in body, body
    data = body["data"]["signUp"]
    return TenantAccount(
        token=data["token"],
        tenant_id=data["tenant"]["id"],
        slug=data["tenant"]["slug"],
        owner_id=data["user"]["id"],
        email=email,
        password=password,
    )


@pytest.fixture
async def tenant_a(gql: GraphQL) -> TenantAccount:
    """Tenant A, new for each test."""
    return await sign_up(gql)


@pytest.fixture
async def tenant_b(gql: GraphQL) -> TenantAccount:
    """Tenant B, new for each test."""
    return await sign_up(gql)


def error_code(body: dict[str, Any]) -> str | None:
    """The first error's ``extensions.code``, or None when there are no errors."""
    errors = body.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None
