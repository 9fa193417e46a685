"""A minimal SIP UAC that places one extra call leg through Kamailio: the supervisor's
listen-in leg. It sends INVITE with an SDP made by rtpengine, ACKs the 2xx along the
Record-Route set, and later sends BYE. Kamailio relays it to the supervisor's registered
WebSocket contact (``route[INTERNAL_LEG]``); no call control and no rtpengine offer apply,
because the SDP already is rtpengine's.

The dialog state (route set, tags, CSeq) is a plain dataclass, so any API replica can end
the leg if it is stored (e.g. in Redis) rather than kept in memory.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass, field

from media_plane.sip.message import parse, uri_of

LEG_HEADER = "X-Hotline-Leg"


class SipLegError(Exception):
    """The leg could not be placed (final status >= 300, or no answer)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"{status} {reason}")
        self.status = status
        self.reason = reason


@dataclass
class SipDialog:
    """What it takes to send in-dialog requests later."""

    call_id: str
    local_tag: str
    remote_tag: str
    local_uri: str
    remote_uri: str
    remote_target: str
    route_set: list[str] = field(default_factory=list)
    cseq: int = 1


class _Protocol(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.queue: asyncio.Queue[str] = asyncio.Queue()

    def datagram_received(self, data: bytes, addr: object) -> None:
        self.queue.put_nowait(data.decode(errors="replace"))


class SipLegClient:
    """Places and ends listen-in legs through one Kamailio node (UDP)."""

    def __init__(self, proxy_host: str, proxy_port: int, *, local_host: str = "127.0.0.1"):
        self.proxy = (proxy_host, proxy_port)
        self.local_host = local_host

    async def _endpoint(self) -> tuple[asyncio.DatagramTransport, _Protocol, int]:
        loop = asyncio.get_running_loop()
        transport, protocol = await loop.create_datagram_endpoint(
            _Protocol, local_addr=(self.local_host, 0), remote_addr=self.proxy
        )
        port = transport.get_extra_info("sockname")[1]
        return transport, protocol, port

    def _via(self, port: int) -> str:
        return f"SIP/2.0/UDP {self.local_host}:{port};rport;branch=z9hG4bK{secrets.token_hex(8)}"

    async def invite(
        self, *, target: str, sdp: str, kind: str = "listen", answer_timeout: float = 20.0
    ) -> tuple[SipDialog, str]:
        """INVITE ``target`` (an AOR Kamailio can look up) with ``sdp``; returns the dialog
        and the answer SDP once the 2xx is ACKed."""
        transport, protocol, port = await self._endpoint()
        call_id = f"{kind}-{secrets.token_hex(12)}"
        tag = secrets.token_hex(6)
        local_uri = f"sip:hotline-{kind}@{self.local_host}"
        body = sdp if sdp.endswith("\r\n") else sdp + "\r\n"
        request = (
            f"INVITE {target} SIP/2.0\r\n"
            f"Via: {self._via(port)}\r\n"
            f"From: <{local_uri}>;tag={tag}\r\n"
            f"To: <{target}>\r\n"
            f"Call-ID: {call_id}\r\n"
            "CSeq: 1 INVITE\r\n"
            f"Contact: <sip:hotline-{kind}@{self.local_host}:{port}>\r\n"
            "Max-Forwards: 70\r\n"
            f"{LEG_HEADER}: {kind}\r\n"
            "Content-Type: application/sdp\r\n"
            f"Content-Length: {len(body.encode())}\r\n\r\n{body}"
        )
        try:
            transport.sendto(request.encode())
            loop = asyncio.get_running_loop()
            deadline = loop.time() + answer_timeout
            while True:
                left = deadline - loop.time()
                if left <= 0:
                    raise SipLegError(408, "no answer")
                try:
                    reply = await asyncio.wait_for(protocol.queue.get(), min(left, 0.5))
                except TimeoutError:
                    continue
                answer = parse(reply)
                if answer.status < 200:
                    continue
                if answer.status >= 300:
                    transport.sendto(self._ack_error(request, reply, port).encode())
                    raise SipLegError(answer.status, answer.reason)
                dialog = SipDialog(
                    call_id=call_id,
                    local_tag=tag,
                    remote_tag=answer.to_tag,
                    local_uri=local_uri,
                    remote_uri=target,
                    remote_target=uri_of(answer.header("contact") or target),
                    route_set=answer.route_set(),
                )
                transport.sendto(self._in_dialog(dialog, "ACK", port, cseq=1).encode())
                return dialog, answer.body
        finally:
            transport.close()

    def _ack_error(self, request: str, reply: str, port: int) -> str:
        answer, sent = parse(reply), parse(request)
        first = sent.start_line.split(" ")[1]
        via, frm, to = sent.header("via"), sent.header("from"), answer.header("to") or ""
        return (
            f"ACK {first} SIP/2.0\r\nVia: {via}\r\nFrom: {frm}\r\nTo: {to}\r\n"
            f"Call-ID: {answer.call_id}\r\nCSeq: 1 ACK\r\nMax-Forwards: 70\r\n"
            "Content-Length: 0\r\n\r\n"
        )

    def _in_dialog(
        self, dialog: SipDialog, method: str, port: int, *, cseq: int, extra: str = ""
    ) -> str:
        routes = "".join(f"Route: {r}\r\n" for r in dialog.route_set)
        return (
            f"{method} {dialog.remote_target} SIP/2.0\r\n"
            f"Via: {self._via(port)}\r\n"
            f"From: <{dialog.local_uri}>;tag={dialog.local_tag}\r\n"
            f"To: <{dialog.remote_uri}>;tag={dialog.remote_tag}\r\n"
            f"Call-ID: {dialog.call_id}\r\n"
            f"CSeq: {cseq} {method}\r\n"
            f"{routes}"
            f"{extra}"
            "Max-Forwards: 70\r\n"
            "Content-Length: 0\r\n\r\n"
        )

    async def bye(self, dialog: SipDialog, *, wait_seconds: float = 5.0, headers: str = "") -> int:
        """End the leg; returns the BYE's final status (408 when nothing answered)."""
        transport, protocol, port = await self._endpoint()
        dialog.cseq += 1
        try:
            message = self._in_dialog(dialog, "BYE", port, cseq=dialog.cseq, extra=headers)
            transport.sendto(message.encode())
            loop = asyncio.get_running_loop()
            deadline = loop.time() + wait_seconds
            while loop.time() < deadline:
                try:
                    reply = await asyncio.wait_for(protocol.queue.get(), 0.5)
                except TimeoutError:
                    continue
                status = parse(reply).status
                if status >= 200:
                    return status
            return 408
        finally:
            transport.close()
