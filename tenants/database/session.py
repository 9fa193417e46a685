"""Engine and transactions. The edge (a request, a job) opens one and commits it."""

from __future__ import annotations

import asyncio
import functools
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


class _TaskReentrantLock:
    """An asyncio lock the holding task may take again (``scalars`` calls ``execute``)."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None

    @asynccontextmanager
    async def hold(self) -> AsyncIterator[None]:
        task = asyncio.current_task()
        if task is not None and self._owner is task:
            yield
            return
        async with self._lock:
            self._owner = task
            try:
                yield
            finally:
                self._owner = None


def _serialized(method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(method)
    async def wrapper(self: SerializedAsyncSession, *args: Any, **kwargs: Any) -> Any:
        async with self._io_lock.hold():
            return await method(self, *args, **kwargs)

    return wrapper


class SerializedAsyncSession(AsyncSession):
    """An AsyncSession that concurrent resolvers of one request may share safely.

    GraphQL resolves sibling fields concurrently; a SQLAlchemy session allows one
    operation at a time. Each I/O method therefore waits its turn. DataLoaders still
    batch, because batching happens before their one query takes the lock.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._io_lock = _TaskReentrantLock()

    execute = _serialized(AsyncSession.execute)  # type: ignore[assignment]
    scalar = _serialized(AsyncSession.scalar)  # type: ignore[assignment]
    scalars = _serialized(AsyncSession.scalars)  # type: ignore[assignment]
    get = _serialized(AsyncSession.get)  # type: ignore[assignment]
    get_one = _serialized(AsyncSession.get_one)  # type: ignore[assignment]
    flush = _serialized(AsyncSession.flush)  # type: ignore[assignment]
    refresh = _serialized(AsyncSession.refresh)  # type: ignore[assignment]
    merge = _serialized(AsyncSession.merge)  # type: ignore[assignment]
    delete = _serialized(AsyncSession.delete)  # type: ignore[assignment]
    commit = _serialized(AsyncSession.commit)  # type: ignore[assignment]
    rollback = _serialized(AsyncSession.rollback)  # type: ignore[assignment]
    run_sync = _serialized(AsyncSession.run_sync)  # type: ignore[assignment]


async def bind_tenant(session: AsyncSession, tenant_id: uuid.UUID) -> None:
    """Key row-level security to ``tenant_id`` for the rest of this transaction."""
    await session.execute(
        text("SELECT set_config('app.tenant_id', :tenant, true)"), {"tenant": str(tenant_id)}
    )


IDLE_PING_S = 5.0
"""A pooled connection idle longer than this is pinged before use."""

RECYCLE_S = 1800
"""Pooled connections are replaced after this long, whatever their state."""


def _ping_when_idle(engine: AsyncEngine) -> None:
    """Liveness without a round trip per checkout (what ``pool_pre_ping`` costs).

    A connection back in use within ``IDLE_PING_S`` was just working, so it is handed out
    as is; one idle longer is pinged first, and a dead one is replaced (the pool retries the
    checkout). A connection that dies mid-request fails that request: SQLAlchemy then
    invalidates every connection pooled before the failure, so the next requests reconnect.
    ``/readyz`` runs its own ``SELECT 1``, so readiness stays honest.
    """
    pool = engine.sync_engine.pool
    dialect = engine.sync_engine.dialect

    @event.listens_for(pool, "checkin")
    def _checked_in(dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < IDLE_PING_S:
            return
        try:
            alive = dialect.do_ping(dbapi_connection)
        except Exception as err:  # any failure to ping means: do not use this connection
            raise DisconnectionError("pooled connection failed its ping") from err
        if alive is False:
            raise DisconnectionError("pooled connection failed its ping")


class Database:
    """An async engine and its session factory, owned by a composition root."""

    def __init__(self, url: str, *, pool_size: int = 10, echo: bool = False) -> None:
        self.engine: AsyncEngine = create_async_engine(
            url,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_recycle=RECYCLE_S,
            echo=echo,
        )
        _ping_when_idle(self.engine)
        self.sessions = async_sessionmaker(
            self.engine, class_=SerializedAsyncSession, expire_on_commit=False, autoflush=False
        )

    @asynccontextmanager
    async def transaction(self, tenant_id: uuid.UUID | None = None) -> AsyncIterator[AsyncSession]:
        """One transaction: committed if the block succeeds, rolled back if it raises."""
        async with self.sessions() as session, session.begin():
            if tenant_id is not None:
                await bind_tenant(session, tenant_id)
            yield session

    async def warm(self, connections: int) -> None:
        """Open ``connections`` pooled connections now, so the first burst of requests
        after startup does not pay for connecting (tens of ms each) in its latency."""
        async with AsyncExitStack() as stack:
            opened = [stack.enter_async_context(self.engine.connect()) for _ in range(connections)]
            for conn in await asyncio.gather(*opened):
                await conn.execute(text("SELECT 1"))

    async def ping(self) -> None:
        """Raise unless the database answers ``SELECT 1``."""
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()
