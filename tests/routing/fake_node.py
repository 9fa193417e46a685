"""A stand-in for Kamailio's continue endpoint: records requests, answers as told."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from tenants.embedded.process import free_port
from tests.serving import served


@dataclass
class FakeKamailioNode:
    """Continue requests it received, and per-call status codes to answer."""

    continues: list[dict[str, str]] = field(default_factory=list)
    status_for_call: dict[str, int] = field(default_factory=dict)
    port: int = 0
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def url(self, call_id: str) -> str:
        """The continue URL to hand over for ``call_id``."""
        return f"http://127.0.0.1:{self.port}/continue/{call_id}"

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/continue/{call_id}")
        async def resume(call_id: str, request: Request) -> JSONResponse:
            self.continues.append({"call_id": call_id, **request.query_params})
            self.arrived.set()
            status = self.status_for_call.get(call_id, 200)
            return JSONResponse({"ok": status == 200}, status_code=status)

        return app

    async def wait_for(self, call_id: str) -> dict[str, str]:
        """The first continue request for ``call_id`` (within 5 s)."""
        async with asyncio.timeout(5):
            while True:
                for item in self.continues:
                    if item["call_id"] == call_id:
                        return item
                self.arrived.clear()
                await self.arrived.wait()


@contextlib.asynccontextmanager
async def running_node() -> AsyncIterator[FakeKamailioNode]:
    """Serve a fake node on a free port for the duration of the block."""
    node = FakeKamailioNode(port=free_port())
    async with served(node.app(), port=node.port):
        yield node
