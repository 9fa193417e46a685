"""Test helpers that wait: an app served by uvicorn, and polling by the clock.

Both are bounded by the clock rather than by ``asyncio.timeout``: on Python 3.11 a
cancellation can be lost inside redis-py's sends (``tenants/cancellation.py``), and a lost
one once made a poll loop run until CI's budget was gone.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn

from tenants.embedded.process import free_port


@dataclass(frozen=True)
class Served:
    """An app being served on 127.0.0.1."""

    server: uvicorn.Server
    task: asyncio.Task[None]
    port: int

    @property
    def url(self) -> str:
        """Its base URL."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        """Its base URL for WebSockets."""
        return f"ws://127.0.0.1:{self.port}"


@asynccontextmanager
async def served(
    app: Any, *, port: int | None = None, grace_s: float = 20, **config: Any
) -> AsyncIterator[Served]:
    """Serve ``app`` with uvicorn for the block; it must stop within ``grace_s`` after."""
    port = port or free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **config)
    )
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:  # uvicorn exposes no started event
            assert not task.done(), "the server did not start"
            await asyncio.sleep(0.01)
        yield Served(server, task, port)
    finally:
        server.should_exit = True
        done, _ = await asyncio.wait([task], timeout=grace_s)
        if not done:
            server.force_exit = True  # a lingering connection must not hang the suite
            await asyncio.wait([task], timeout=grace_s)
            raise AssertionError("the server did not stop within its grace period")


async def until(check: Callable[[], Awaitable[Any]], *, limit_s: float, what: str) -> Any:
    """Poll ``check`` every 20 ms until it returns something truthy; fail after ``limit_s``."""
    deadline = asyncio.get_running_loop().time() + limit_s
    while not (found := await check()):
        assert asyncio.get_running_loop().time() < deadline, f"{what}: not within {limit_s} s"
        await asyncio.sleep(0.02)
    return found
