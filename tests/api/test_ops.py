"""Health, readiness and metrics endpoints."""

from __future__ import annotations

import httpx

from api.app import create_app
from api.clients import ApiServices
from tenants.settings import DatabaseSettings, RedisSettings


async def test_healthz(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


async def test_readyz_checks_database_and_redis(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "redis": "ok"}


async def test_readyz_is_503_when_dependencies_are_down(settings) -> None:  # type: ignore[no-untyped-def]
    broken = settings.model_copy(
        update={
            "database": DatabaseSettings(url="postgresql+asyncpg://x:y@127.0.0.1:1/none"),
            "redis": RedisSettings(url="redis://127.0.0.1:1/0"),
        }
    )
    services = ApiServices.build(broken)
    app = create_app(broken, services)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"
        ) as http:
            response = await http.get("/readyz")
    finally:
        await services.close()
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"].startswith("unavailable") and checks["redis"].startswith(
        "unavailable"
    )


async def test_metrics_expose_http_latency_by_route_template(client: httpx.AsyncClient) -> None:
    await client.get("/healthz")
    await client.post("/graphql", json={"query": "{ __typename }"})
    await client.get("/no/such/path/123")
    text = (await client.get("/metrics")).text
    assert "hotline_http_request_duration_seconds_bucket" in text
    assert 'route="/healthz"' in text and 'route="/graphql"' in text
    assert 'route="unmatched"' in text
    assert "/no/such/path/123" not in text


async def test_graphiql_is_served_in_dev(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200 and "graphiql" in response.text.lower()


async def test_startup_opens_the_database_pool(settings) -> None:  # type: ignore[no-untyped-def]
    """The first requests after a start must not pay for connecting."""
    sized = settings.model_copy(
        update={"database": settings.database.model_copy(update={"pool_size": 3})}
    )
    app = create_app(sized)
    async with app.router.lifespan_context(app):
        pool = app.state.services.database.engine.sync_engine.pool
        assert pool.checkedin() == 3
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"
        ) as http:
            assert (await http.get("/readyz")).status_code == 200


async def test_startup_survives_a_database_that_is_down(settings) -> None:  # type: ignore[no-untyped-def]
    broken = settings.model_copy(
        update={"database": DatabaseSettings(url="postgresql+asyncpg://x:y@127.0.0.1:1/none")}
    )
    app = create_app(broken)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
    ):
        response = await http.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"].startswith("unavailable")
