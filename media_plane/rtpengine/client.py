"""A typed async client for rtpengine's ng control protocol: bencode over UDP.

Each request is ``<cookie> <bencoded dict>``; the reply echoes the cookie. rtpengine caches
replies by cookie, so a retransmission after a lost datagram is answered, not re-executed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from dataclasses import dataclass, field
from typing import Any

from media_plane.metrics import observe_rpc
from media_plane.rtpengine import bencode
from media_plane.rtpengine.errors import RtpengineError, RtpengineUnavailable
from media_plane.rtpengine.flags import ng_flags

log = logging.getLogger(__name__)

DTMF_DIGITS = "0123456789*#ABCD"
"""RFC 4733 events 0-15 in order (10 = *, 11 = #)."""


@dataclass(frozen=True)
class LegCounters:
    """Media counters of one call leg (one tag): packets and bytes rtpengine received."""

    tag: str
    packets: int
    bytes: int


@dataclass(frozen=True)
class CallInfo:
    """The parts of an ng ``query`` reply Hotline uses; ``raw`` keeps the rest."""

    call_id: str
    created: int
    legs: list[LegCounters]
    raw: dict[str, Any] = field(repr=False)

    @classmethod
    def from_reply(cls, call_id: str, reply: dict[str, Any]) -> CallInfo:
        """Sum each tag's stream counters (RTP and RTCP alike) into one leg row."""
        legs: list[LegCounters] = []
        for tag, info in (reply.get("tags") or {}).items():
            packets = octets = 0
            for media in info.get("medias") or []:
                for stream in media.get("streams") or []:
                    stats = stream.get("stats") or {}
                    packets += int(stats.get("packets", 0))
                    octets += int(stats.get("bytes", 0))
            legs.append(LegCounters(tag=str(tag), packets=packets, bytes=octets))
        return cls(call_id=call_id, created=int(reply.get("created", 0)), legs=legs, raw=reply)


def unique_mids(sdp: str) -> str:
    """Number ``a=mid`` per media section. rtpengine 10.5's ``subscribe request`` with
    ``generate-mid`` gives every section ``a=mid:1``, and Chrome rejects duplicate mids
    (JsSIP then answers 488)."""
    lines = sdp.split("\r\n")
    section = -1
    for index, line in enumerate(lines):
        if line.startswith("m="):
            section += 1
        elif line.startswith("a=mid:") and section >= 0:
            lines[index] = f"a=mid:{section}"
    return "\r\n".join(lines)


@dataclass(frozen=True)
class Subscription:
    """A listen-in leg rtpengine offered (``subscribe request``)."""

    call_id: str
    to_tag: str
    sdp: str


class _NgProtocol(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.pending: dict[str, asyncio.Future[dict[str, Any]]] = {}

    def datagram_received(self, data: bytes, addr: Any) -> None:
        cookie, _, body = data.partition(b" ")
        future = self.pending.get(cookie.decode(errors="replace"))
        if future is None or future.done():
            return  # a late reply to a retransmission we already matched
        try:
            decoded = bencode.decode(body)
        except bencode.BencodeError as exc:
            future.set_exception(RtpengineError(f"malformed reply: {exc}"))
            return
        if not isinstance(decoded, dict):
            future.set_exception(RtpengineError("reply is not a dictionary"))
            return
        future.set_result(decoded)

    def error_received(self, exc: Exception) -> None:
        # ICMP port unreachable: nothing listens. Wake every waiter so it can retry or fail.
        for future in self.pending.values():
            if not future.done():
                future.set_exception(ConnectionRefusedError(str(exc)))


class RtpengineClient:
    """ng commands to one rtpengine node at ``host:port``."""

    def __init__(self, host: str, port: int, *, timeout: float = 1.0, retries: int = 2) -> None:
        self.host = host
        self.port = port
        self.timeout = timeout
        self.retries = retries
        self._transport: asyncio.DatagramTransport | None = None
        self._protocol: _NgProtocol | None = None
        self._lock = asyncio.Lock()

    @property
    def address(self) -> str:
        """``host:port`` of the ng socket."""
        return f"{self.host}:{self.port}"

    @property
    def kamailio_url(self) -> str:
        """The node as Kamailio's rtpengine module names it."""
        return f"udp:{self.host}:{self.port}"

    async def _endpoint(self) -> tuple[asyncio.DatagramTransport, _NgProtocol]:
        async with self._lock:
            if self._transport is None or self._transport.is_closing():
                loop = asyncio.get_running_loop()
                transport, protocol = await loop.create_datagram_endpoint(
                    _NgProtocol, remote_addr=(self.host, self.port)
                )
                self._transport, self._protocol = transport, protocol
            assert self._protocol is not None
            return self._transport, self._protocol

    async def aclose(self) -> None:
        """Close the UDP socket."""
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    async def __aenter__(self) -> RtpengineClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def command(self, command: str, **params: Any) -> dict[str, Any]:
        """Send one ng command; returns the reply dict or raises ``RtpengineError``."""
        message = {"command": command}
        for key, value in params.items():
            if value is not None:
                message[key.replace("_", "-")] = value
        cookie = secrets.token_hex(8)
        datagram = cookie.encode() + b" " + bencode.encode(message)
        with observe_rpc("rtpengine", command):
            reply = await self._exchange(command, cookie, datagram)
        result = str(reply.get("result", ""))
        if result not in {"ok", "pong"}:
            reason = str(reply.get("error-reason") or reply.get("warning") or result)
            raise RtpengineError(reason, command=command)
        return reply

    async def _exchange(self, command: str, cookie: str, datagram: bytes) -> dict[str, Any]:
        transport, protocol = await self._endpoint()
        last: str = "no reply"
        for attempt in range(self.retries + 1):
            future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
            protocol.pending[cookie] = future
            try:
                transport.sendto(datagram)
                return await asyncio.wait_for(future, self.timeout)
            except TimeoutError:
                last = f"no reply within {self.timeout}s"
            except ConnectionRefusedError as exc:
                last = f"refused ({exc})"
                await asyncio.sleep(min(self.timeout, 0.05 * 2**attempt))
            finally:
                protocol.pending.pop(cookie, None)
        raise RtpengineUnavailable(self.address, last, command=command)

    # commands

    async def ping(self) -> None:
        """``ping`` → ``pong``; raises when the node does not answer."""
        await self.command("ping")

    async def query(self, call_id: str, *, from_tag: str | None = None) -> CallInfo:
        """``query``: a call's legs with their packet counters."""
        reply = await self.command("query", call_id=call_id, from_tag=from_tag)
        return CallInfo.from_reply(call_id, reply)

    async def list_calls(self, limit: int = 1000) -> list[str]:
        """``list``: call ids the node currently relays."""
        reply = await self.command("list", limit=str(limit))
        return [str(c) for c in reply.get("calls") or []]

    async def statistics(self) -> dict[str, Any]:
        """``statistics``: totals and current load (``currentstatistics.sessionsown`` ...)."""
        reply = await self.command("statistics")
        return dict(reply.get("statistics") or {})

    async def start_recording(self, call_id: str, *, from_tag: str | None = None) -> None:
        """``start recording`` of a running call (pcap method writes into the spool)."""
        await self.command("start recording", call_id=call_id, from_tag=from_tag)

    async def stop_recording(self, call_id: str, *, from_tag: str | None = None) -> None:
        """``stop recording``."""
        await self.command("stop recording", call_id=call_id, from_tag=from_tag)

    async def delete(self, call_id: str, *, from_tag: str | None = None) -> None:
        """``delete``: free the call's ports now."""
        await self.command("delete", call_id=call_id, from_tag=from_tag)

    async def offer(
        self,
        call_id: str,
        *,
        from_tag: str,
        sdp: str,
        flags: str,
        metadata: str | None = None,
    ) -> str:
        """``offer``: rtpengine's SDP for the other side of ``sdp``'s sender (``from_tag``).
        ``flags`` are Kamailio-style (``media_plane.kamailio.config.RTP_OFFER_*``);
        ``metadata`` lands in the recording's metadata file (recordings tenancy)."""
        reply = await self.command(
            "offer",
            call_id=call_id,
            from_tag=from_tag,
            sdp=sdp,
            metadata=metadata,
            **{k.replace("-", "_"): v for k, v in ng_flags(flags).items()},
        )
        return str(reply["sdp"])

    async def answer(
        self, call_id: str, *, from_tag: str, to_tag: str, sdp: str, flags: str
    ) -> str:
        """``answer``: ``to_tag``'s answer ``sdp``; returns rtpengine's SDP for the offerer."""
        reply = await self.command(
            "answer",
            call_id=call_id,
            from_tag=from_tag,
            to_tag=to_tag,
            sdp=sdp,
            **{k.replace("-", "_"): v for k, v in ng_flags(flags).items()},
        )
        return str(reply["sdp"])

    async def subscribe_request(
        self,
        call_id: str,
        *,
        from_tags: list[str],
        flags: list[str] | None = None,
        transport_protocol: str | None = None,
        ice: str | None = None,
        webrtc: bool = False,
    ) -> Subscription:
        """``subscribe request``: an SDP offer for a new receive-only leg fed with the media
        ``from_tags`` send (listen-in), one audio section per tag. Feed the subscriber's
        answer to ``subscribe_answer``. ``webrtc`` offers ICE + DTLS-SRTP with rtcp-mux,
        as a browser needs."""
        extra: dict[str, Any] = {}
        if webrtc:
            transport_protocol = "UDP/TLS/RTP/SAVPF"
            ice = "force"
            # ICE-lite toward the browser: with full ICE, the second (unbundled) section of
            # a two-party listen leg failed to connect in about 1 of 3 runs; with rtpengine
            # lite and the browser controlling, 8 of 8 connected.
            extra = {
                "DTLS": "passive",
                "SDES": ["off"],
                "rtcp-mux": ["offer"],
                "ICE-lite": "forward",
            }
            flags = [*(flags or []), "generate-mid"]
        reply = await self.command(
            "subscribe request",
            call_id=call_id,
            from_tags=list(from_tags),
            flags=flags,
            transport_protocol=transport_protocol,
            ICE=ice,
            **extra,
        )
        sdp = str(reply["sdp"])
        if webrtc:
            sdp = unique_mids(sdp)
        return Subscription(call_id=call_id, to_tag=str(reply["to-tag"]), sdp=sdp)

    async def subscribe_answer(self, call_id: str, *, to_tag: str, sdp: str) -> None:
        """``subscribe answer``: the subscriber's SDP answer; media starts flowing to it."""
        await self.command("subscribe answer", call_id=call_id, to_tag=to_tag, sdp=sdp)

    async def unsubscribe(self, call_id: str, *, to_tag: str) -> None:
        """``unsubscribe``: stop feeding a subscriber."""
        await self.command("unsubscribe", call_id=call_id, to_tag=to_tag)

    async def play_media(
        self,
        call_id: str,
        *,
        from_tag: str,
        file: str | None = None,
        blob: bytes | None = None,
        repeat_times: int | None = None,
    ) -> int | None:
        """``play media`` to the participant ``from_tag`` (it hears the file): a ``file`` on
        rtpengine's machine or a small ``blob`` (any format ffmpeg reads), transcoded to that
        participant's first offered codec. Works after an ``offer`` alone (early media).
        Returns the duration in ms when rtpengine could tell it."""
        if (file is None) == (blob is None):
            raise ValueError("give exactly one of file or blob")
        reply = await self.command(
            "play media",
            call_id=call_id,
            from_tag=from_tag,
            file=file,
            blob=blob,
            repeat_times=repeat_times,
        )
        duration = reply.get("duration")
        return int(duration) if duration is not None else None

    async def stop_media(self, call_id: str, *, from_tag: str) -> int | None:
        """``stop media`` for ``from_tag``; returns the last frame played. Raises
        ``RtpengineError("Not currently playing media")`` when nothing plays."""
        reply = await self.command("stop media", call_id=call_id, from_tag=from_tag)
        position = reply.get("last-frame-pos")
        return int(position) if position is not None else None

    async def play_dtmf(
        self,
        call_id: str,
        *,
        from_tag: str,
        digit: str,
        duration_ms: int | None = None,
        volume_db: int | None = None,
        pause_ms: int | None = None,
    ) -> None:
        """``play DTMF``: inject ``digit`` (0-9, *, #, A-D) as if ``from_tag`` pressed it,
        toward its peer (RFC 4733 when negotiated, else an in-band tone). The call needs the
        ``inject-DTMF`` flag in its offer and answer, or rtpengine answers "No SSRC context
        present for DTMF injection"."""
        if len(digit) != 1 or digit.upper() not in DTMF_DIGITS:
            raise ValueError(f"not a DTMF digit: {digit!r}")
        await self.command(
            "play DTMF",
            call_id=call_id,
            from_tag=from_tag,
            code=digit.upper(),
            duration=duration_ms,
            volume=volume_db,
            pause=pause_ms,
        )

    async def is_alive(self) -> bool:
        """True when the node answers a ping."""
        with contextlib.suppress(RtpengineError):
            await self.ping()
            return True
        return False
