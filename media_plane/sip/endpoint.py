"""One UDP socket that sends SIP requests through a proxy and stays open for the dialogs it
creates, so in-dialog requests from the far ends (BYE) reach it.

``media_plane/sip/leg.py`` opens a socket per transaction, which is enough for a listen leg
that only Hotline ends; a callback's legs can be ended by either party, so their BYEs must
find a socket that is still there (the Contact of both legs).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from media_plane.sip.message import SipMessage, SipParseError, parse

log = logging.getLogger(__name__)

T1 = 0.5
"""RFC 3261 round-trip estimate: the first retransmission interval."""
T2 = 4.0
"""RFC 3261 cap on non-INVITE retransmission intervals."""
MAX_WAIT = 32.0
"""Timer B/F: a request nobody answered is given up after this long."""

Address = tuple[str, int]
RequestHandler = Callable[[SipMessage, Address], None]


@dataclass
class ClientTransaction:
    """A request in flight: its responses arrive on ``responses``."""

    branch: str
    method: str
    text: str
    responses: asyncio.Queue[SipMessage] = field(default_factory=asyncio.Queue)
    provisional: bool = False
    final: SipMessage | None = None
    _retransmit: asyncio.Task[None] | None = None

    @property
    def invite(self) -> bool:
        """True for an INVITE (retransmitted only until a provisional response)."""
        return self.method == "INVITE"


class _Protocol(asyncio.DatagramProtocol):
    def __init__(self, endpoint: SipEndpoint) -> None:
        self.endpoint = endpoint

    def datagram_received(self, data: bytes, addr: Address) -> None:
        self.endpoint.received(data, addr)

    def error_received(self, exc: Exception) -> None:
        log.debug("sip endpoint socket error: %s", exc)


class SipEndpoint:
    """A UDP SIP socket on ``local_host``: client transactions toward ``proxy`` and a
    handler for the requests that arrive (``on_request``)."""

    def __init__(
        self,
        proxy: Address,
        *,
        local_host: str = "127.0.0.1",
        on_request: RequestHandler | None = None,
    ) -> None:
        self.proxy = proxy
        self.local_host = local_host
        self.on_request = on_request
        self.port = 0
        self._transport: asyncio.DatagramTransport | None = None
        # By (branch, method): a CANCEL shares its INVITE's branch.
        self._transactions: dict[tuple[str, str], ClientTransaction] = {}
        # ACKs sent for 2xx answers, by (Call-ID, CSeq number): a retransmitted 200 OK (the
        # ACK was lost) is acknowledged again.
        self._acks: dict[tuple[str, int], str] = {}
        # Requests that arrived, by (Call-ID, CSeq number, method), with the response sent
        # (None while the handler works on it): a retransmission gets the same answer.
        self._served: dict[tuple[str, int, str], str | None] = {}
        # 2xx answers to INVITEs, retransmitted until their ACK (RFC 3261 13.3.1.4).
        self._unacked: dict[tuple[str, int], asyncio.Task[None]] = {}

    async def open(self) -> SipEndpoint:
        """Bind the socket; returns self."""
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(
            lambda: _Protocol(self), local_addr=(self.local_host, 0)
        )
        self._transport = transport
        self.port = int(transport.get_extra_info("sockname")[1])
        return self

    def close(self) -> None:
        """Stop every retransmission and close the socket."""
        for transaction in list(self._transactions.values()):
            self.finish(transaction)
        for task in self._unacked.values():
            task.cancel()
        self._unacked.clear()
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    @property
    def contact(self) -> str:
        """``host:port`` of this socket, for Via and Contact."""
        return f"{self.local_host}:{self.port}"

    def via(self, branch: str) -> str:
        """A Via value for a request sent from this socket."""
        return f"SIP/2.0/UDP {self.contact};rport;branch={branch}"

    def send(self, text: str, addr: Address | None = None) -> None:
        """Send one message (to the proxy unless ``addr`` is given)."""
        if self._transport is None:
            raise RuntimeError("SIP endpoint is closed")
        self._transport.sendto(text.encode(), addr or self.proxy)

    def request(self, text: str, branch: str) -> ClientTransaction:
        """Send a request and retransmit it as RFC 3261 says for UDP (an INVITE until any
        response, others until a final one); read its responses from the transaction."""
        method = text.split(" ", 1)[0].upper()
        transaction = ClientTransaction(branch=branch, method=method, text=text)
        self._transactions[(branch, method)] = transaction
        self.send(text)
        transaction._retransmit = asyncio.create_task(self._retransmit(transaction))
        return transaction

    def finish(self, transaction: ClientTransaction) -> None:
        """Forget a transaction (its later responses are dropped, except 2xx to INVITE)."""
        if transaction._retransmit is not None:
            transaction._retransmit.cancel()
        self._transactions.pop((transaction.branch, transaction.method), None)

    def reply(self, request: SipMessage, text: str, addr: Address) -> None:
        """Answer a request that arrived; a 2xx to an INVITE is retransmitted until its ACK,
        and a retransmitted request gets this answer again."""
        number, method = request.cseq
        self._served[(request.call_id, number, method)] = text
        self.send(text, addr)
        if method == "INVITE" and text.startswith("SIP/2.0 2"):
            key = (request.call_id, number)
            previous = self._unacked.pop(key, None)
            if previous is not None:
                previous.cancel()
            self._unacked[key] = asyncio.create_task(self._until_acked(key, text, addr))

    async def _until_acked(self, key: tuple[str, int], text: str, addr: Address) -> None:
        interval = T1
        waited = 0.0
        while waited < MAX_WAIT:
            await asyncio.sleep(interval)
            waited += interval
            self.send(text, addr)
            interval = min(interval * 2, T2)
        self._unacked.pop(key, None)
        log.warning("2xx for %s CSeq %s never ACKed", *key)

    def remember_ack(self, call_id: str, cseq: int, ack: str) -> None:
        """The ACK sent for a 2xx, re-sent if that 2xx is retransmitted."""
        self._acks[(call_id, cseq)] = ack

    async def _retransmit(self, transaction: ClientTransaction) -> None:
        interval = T1
        waited = 0.0
        while waited < MAX_WAIT:
            await asyncio.sleep(interval)
            waited += interval
            if transaction.final is not None or (transaction.invite and transaction.provisional):
                return
            self.send(transaction.text)
            interval = interval * 2 if transaction.invite else min(interval * 2, T2)

    def received(self, data: bytes, addr: Address) -> None:
        """A datagram arrived: a response goes to its transaction, a request to the handler."""
        if not data.strip():
            return  # keepalive
        try:
            message = parse(data)
        except SipParseError as exc:
            log.debug("dropped a non-SIP datagram from %s: %s", addr, exc)
            return
        if message.is_request:
            number, method = message.cseq
            if message.method == "ACK":
                acked = self._unacked.pop((message.call_id, number), None)
                if acked is not None:
                    acked.cancel()
                return
            key = (message.call_id, number, method)
            if key in self._served:
                answer = self._served[key]
                if answer is not None:
                    self.send(answer, addr)  # a retransmission: same answer again
                return
            self._served[key] = None
            if self.on_request is not None:
                self.on_request(message, addr)
            else:
                log.debug("no handler for %s from %s", message.method, addr)
            return
        transaction = self._transactions.get((message.branch, message.cseq[1]))
        if transaction is None or transaction.final is not None:
            # A retransmitted final response: a 2xx to INVITE means our ACK was lost.
            number, method = message.cseq
            ack = self._acks.get((message.call_id, number))
            if method == "INVITE" and 200 <= message.status < 300 and ack is not None:
                self.send(ack)
            return
        if message.status < 200:
            transaction.provisional = True
        else:
            transaction.final = message
        transaction.responses.put_nowait(message)
