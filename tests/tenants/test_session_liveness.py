"""Pooled connections: pinged only after idling, and a dead idle one is replaced."""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from tenants.database import session as session_module
from tenants.database.session import Database


async def _pid(database: Database) -> int:
    async with database.transaction() as session:
        return int(await session.scalar(text("SELECT pg_backend_pid()")))


async def _terminate(url: str, pid: int) -> None:
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(dsn)
    try:
        assert await conn.fetchval("SELECT pg_terminate_backend($1)", pid)
    finally:
        await conn.close()


async def test_a_dead_idle_connection_is_replaced(
    service_urls, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(session_module, "IDLE_PING_S", 0.0)
    database = Database(service_urls.database_url, pool_size=1)
    try:
        first = await _pid(database)
        await _terminate(service_urls.database_url, first)
        assert await _pid(database) != first
    finally:
        await database.dispose()


async def test_a_busy_connection_is_not_pinged(
    service_urls, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reused within IDLE_PING_S: no ping, so a connection killed meanwhile fails once."""
    monkeypatch.setattr(session_module, "IDLE_PING_S", 3600.0)
    database = Database(service_urls.database_url, pool_size=1)
    try:
        first = await _pid(database)
        await _terminate(service_urls.database_url, first)
        with pytest.raises(DBAPIError):
            await _pid(database)
        assert await _pid(database) != first
    finally:
        await database.dispose()
