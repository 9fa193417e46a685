"""Committed changes of a tenant's work-list rows, from PostgreSQL ``LISTEN``.

Migration ``0013_wrapup`` puts a trigger on ``missed_calls`` and ``notifications`` that
notifies the row's tenant channel, ``worklist_<tenant hex>``; PostgreSQL delivers a notice
only once its transaction commits, whoever wrote the row (the API, the analytics worker,
the SLA timer). A listener names only its own tenant's channel.

Each listener owns one connection outside the pool (``LISTEN`` holds it for the whole
subscription; sharing the pool would starve requests), closed when the generator closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import asyncpg

from tenants.cancellation import raise_if_cancel_requested
from tenants.database.session import Database

log = logging.getLogger("hotline.worklists")

IDLE_CHECK_S = 15.0
"""How often an idle listener checks that its connection is still alive."""
RETRY_MAX_S = 5.0
BACKLOG = 1000
"""Notices a slow subscriber may fall behind by; beyond it the oldest are dropped."""


@dataclass(frozen=True)
class Notice:
    """A work-list row changed: ``kind`` is ``missed_call`` or ``notification``."""

    kind: str
    row_id: uuid.UUID


def channel(tenant_id: uuid.UUID) -> str:
    """The tenant's notification channel (the trigger's naming)."""
    return f"worklist_{tenant_id.hex}"


def _notice(payload: str) -> Notice | None:
    try:
        data = json.loads(payload)
        return Notice(kind=str(data["kind"]), row_id=uuid.UUID(str(data["id"])))
    except (ValueError, KeyError, TypeError):
        log.warning("worklist notice with a bad payload: %r", payload)
        return None


async def _connect(database: Database, name: str, queue: asyncio.Queue[str | None]) -> Any:
    url = database.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(url)

    def on_notice(_conn: object, _pid: int, _channel: str, payload: str) -> None:
        if queue.full():
            queue.get_nowait()
        queue.put_nowait(payload)

    connection.add_termination_listener(lambda _conn: queue.put_nowait(None))
    await connection.add_listener(name, on_notice)
    return connection


async def worklist_notices(database: Database, tenant_id: uuid.UUID) -> AsyncIterator[Notice]:
    """The tenant's committed work-list changes from now on, until closed."""
    name = channel(tenant_id)
    queue: asyncio.Queue[str | None] = asyncio.Queue(maxsize=BACKLOG)
    connection: Any = None
    delay = 0.2
    try:
        while True:
            raise_if_cancel_requested()
            if connection is None or connection.is_closed():
                try:
                    connection = await _connect(database, name, queue)
                    delay = 0.2
                except (OSError, asyncpg.PostgresError) as err:
                    log.warning("worklist listener tenant=%s: %s; retrying", tenant_id, err)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, RETRY_MAX_S)
                    continue
            try:
                async with asyncio.timeout(IDLE_CHECK_S):
                    payload = await queue.get()
            except TimeoutError:
                continue
            if payload is None:
                continue  # the connection ended: reconnect at the top
            notice = _notice(payload)
            if notice is not None:
                yield notice
    finally:
        if connection is not None and not connection.is_closed():
            with contextlib.suppress(Exception):
                await asyncio.shield(connection.close(timeout=5))
