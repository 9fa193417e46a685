"""DTMF events from rtpengine: ``--dtmf-log-dest=IP:PORT`` sends one UDP datagram of JSON
per finished RFC 4733 event (docs/voice.md, verified on 10.5.3.5)::

    {"callid": "...", "source_tag": "...", "tags": ["<offerer>", "<answerer>"],
     "type": "DTMF", "timestamp": 1796419786, "source_ip": "127.0.0.1",
     "event": 5, "duration": 80, "volume": 10}

``DtmfListener`` binds that address and hands each event to a sink the caller passes in
(routing applies it as a call event), so ``media_plane`` never imports ``routing``.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from media_plane.rtpengine.client import DTMF_DIGITS
from media_plane.rtpengine.early_media import DTMF_TAG_PREFIX
from tenants.cancellation import raise_if_cancel_requested

log = logging.getLogger(__name__)

DtmfSink = Callable[["DtmfEvent"], Awaitable[None]]


@dataclass(frozen=True)
class DtmfEvent:
    """One finished key press seen by rtpengine."""

    call_id: str
    source_tag: str
    tags: tuple[str, ...]
    digit: str
    duration_ms: int
    volume: int
    timestamp: int
    source_ip: str

    @property
    def from_offerer(self) -> bool:
        """True when the offerer (the caller, for inbound calls) pressed the key. A call on
        hold has a DTMF subscriber tagged ``hl-dtmf-<caller's tag>`` (``early_media``);
        otherwise rtpengine lists the offerer's tag first."""
        for tag in self.tags:
            if tag.startswith(DTMF_TAG_PREFIX):
                return self.source_tag == tag[len(DTMF_TAG_PREFIX) :]
        return bool(self.tags) and self.source_tag == self.tags[0]

    @classmethod
    def parse(cls, data: bytes) -> DtmfEvent | None:
        """The event in one datagram, or None when it is not a DTMF event we understand."""
        try:
            doc: Any = json.loads(data)
        except (UnicodeDecodeError, ValueError):
            return None
        if not isinstance(doc, dict) or doc.get("type") != "DTMF":
            return None
        try:
            code = int(doc["event"])
            call_id = str(doc["callid"])
        except (KeyError, TypeError, ValueError):
            return None
        if not 0 <= code < len(DTMF_DIGITS) or not call_id:
            return None
        tags = doc.get("tags") or []
        return cls(
            call_id=call_id,
            source_tag=str(doc.get("source_tag") or ""),
            tags=tuple(str(t) for t in tags) if isinstance(tags, list) else (),
            digit=DTMF_DIGITS[code],
            duration_ms=_int(doc.get("duration")),
            volume=_int(doc.get("volume")),
            timestamp=_int(doc.get("timestamp")),
            source_ip=str(doc.get("source_ip") or ""),
        )


def _int(value: object) -> int:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 0


class _DtmfProtocol(asyncio.DatagramProtocol):
    def __init__(self, listener: DtmfListener) -> None:
        self.listener = listener

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.listener.received(data, addr)


class DtmfListener:
    """Receives rtpengine's DTMF datagrams on ``host:port`` and calls ``sink`` for each,
    one at a time in order of arrival, so a caller's digits reach routing in the order
    pressed (a failing sink is logged, and the next digit still goes)."""

    def __init__(
        self, host: str, port: int, sink: DtmfSink, *, allowed_sources: set[str] | None = None
    ) -> None:
        self.host = host
        self.port = port
        self.sink = sink
        # rtpengine's DTMF log has no authentication: accept only the nodes' addresses.
        self.allowed_sources = allowed_sources
        self._transport: asyncio.DatagramTransport | None = None
        self._queue: asyncio.Queue[DtmfEvent] = asyncio.Queue(maxsize=10_000)
        self._worker: asyncio.Task[None] | None = None

    async def start(self) -> DtmfListener:
        """Bind the UDP socket."""
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(
            lambda: _DtmfProtocol(self), local_addr=(self.host, self.port)
        )
        self._transport = transport
        self._worker = loop.create_task(self._deliver_forever())
        return self

    def received(self, data: bytes, addr: Any) -> None:
        """One datagram: parse it and run the sink in a task."""
        source = str(addr[0]) if addr else ""
        if self.allowed_sources is not None and source not in self.allowed_sources:
            log.warning("DTMF datagram from %s ignored (not an rtpengine node)", source)
            return
        event = DtmfEvent.parse(data)
        if event is None:
            log.info("DTMF datagram from %s not understood: %r", source, data[:200])
            return
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            log.error("DTMF %s for call %s dropped: queue full", event.digit, event.call_id)

    async def _deliver_forever(self) -> None:
        while True:
            raise_if_cancel_requested()
            event = await self._queue.get()
            try:
                await self.sink(event)
            except Exception:
                log.exception("DTMF %s for call %s not delivered", event.digit, event.call_id)

    async def aclose(self) -> None:
        """Close the socket and wait (bounded) for events being delivered."""
        if self._transport is not None:
            self._transport.close()
            self._transport = None
        if self._worker is not None:
            self._worker.cancel()
            # Bounded: a sink stuck on a dead Redis must not hang shutdown.
            await asyncio.wait({self._worker}, timeout=2)
            self._worker = None

    async def __aenter__(self) -> DtmfListener:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
