"""The media plane's ``CallbackOriginator``: one ``CallbackBridge`` per callback, in the
background of the routing process that reserved the agent."""

from __future__ import annotations

import asyncio
import logging

from media_plane.callbacks.bridge import (
    CallbackBridge,
    CallbackRequest,
    CallEventSink,
    dialled_user,
)
from media_plane.rtpengine.client import RtpengineClient
from media_plane.rtpengine.errors import RtpengineError
from media_plane.sip.endpoint import Address

log = logging.getLogger(__name__)


class KamailioCallbackOriginator:
    """``CallbackOriginator`` of the media plane: each callback becomes a ``CallbackBridge``
    running in the background of the routing process that reserved the agent."""

    def __init__(
        self,
        *,
        rtpengine: RtpengineClient,
        proxy: Address,
        report: CallEventSink,
        local_host: str = "127.0.0.1",
        customer_domain: str | None = None,
    ) -> None:
        self.rtpengine = rtpengine
        self.proxy = proxy
        self.report = report
        self.local_host = local_host
        self.customer_domain = customer_domain
        self.bridges: dict[str, CallbackBridge] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def originate(self, request: CallbackRequest) -> bool:
        """True once rtpengine holds the call and the agent's INVITE is about to leave;
        False (nothing was started) when rtpengine or the socket failed, or there is no
        number to dial."""
        call_id = request.call_id
        if not dialled_user(request.number):
            log.warning(
                "callback call=%s not placed: no number to dial in %r", call_id, request.number
            )
            return False
        bridge = CallbackBridge(
            request,
            rtpengine=self.rtpengine,
            proxy=self.proxy,
            report=self.report,
            local_host=self.local_host,
            customer_domain=self.customer_domain,
        )
        try:
            await bridge.open()
        except (RtpengineError, OSError) as exc:
            log.warning("callback call=%s not placed: %s", call_id, exc)
            return False
        self.bridges[call_id] = bridge
        task = asyncio.create_task(bridge.run(), name=f"callback-{call_id}")
        self._tasks.add(task)

        def forget(done: asyncio.Task[None]) -> None:
            self._tasks.discard(done)
            if self.bridges.get(call_id) is bridge:
                del self.bridges[call_id]

        task.add_done_callback(forget)
        return True

    async def aclose(self, grace_s: float = 5.0) -> None:
        """Hang up every bridge still running (bounded), then close the ng client."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=grace_s)
        await self.rtpengine.aclose()
