"""The worker's probes and exposition (what the Helm chart's probes and scrapes hit)."""

from __future__ import annotations

import httpx
from redis.asyncio import Redis

from analytics.worker_http import create_worker_app
from api.clients import ApiServices


async def test_probes_and_metrics(services: ApiServices) -> None:
    app = create_worker_app(database=services.database, redis=services.redis)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://w"
    ) as http:
        assert (await http.get("/healthz")).json() == {"status": "ok"}
        ready = await http.get("/readyz")
        assert ready.status_code == 200
        assert ready.json()["checks"] == {"database": "ok", "redis": "ok"}
        text = (await http.get("/metrics")).text
    assert 'hotline_dependency_up{dependency="database"} 1.0' in text
    assert "hotline_worker_stream_lag_events" in text


async def test_readyz_is_503_and_the_gauge_0_when_redis_is_down(services: ApiServices) -> None:
    broken = Redis.from_url("redis://127.0.0.1:1/0")
    app = create_worker_app(database=services.database, redis=broken)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://w"
        ) as http:
            ready = await http.get("/readyz")
            text = (await http.get("/metrics")).text
    finally:
        await broken.aclose()
    assert ready.status_code == 503
    assert ready.json()["checks"]["redis"].startswith("unavailable")
    assert 'hotline_dependency_up{dependency="redis"} 0.0' in text
