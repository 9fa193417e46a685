"""The bridge's SIP socket on real loopback UDP, with a bare socket as the far end."""

from __future__ import annotations

import asyncio

import pytest

from media_plane.sip.endpoint import SipEndpoint
from media_plane.sip.message import SipMessage, new_branch, parse, response


class Peer(asyncio.DatagramProtocol):
    """A bare UDP socket that records what it receives."""

    def __init__(self) -> None:
        self.received: asyncio.Queue[SipMessage] = asyncio.Queue()
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's is no subclass

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.received.put_nowait(parse(data))

    async def next(self, within: float = 2.0) -> SipMessage:
        return await asyncio.wait_for(self.received.get(), within)


@pytest.fixture
async def peer() -> Peer:
    loop = asyncio.get_running_loop()
    _, protocol = await loop.create_datagram_endpoint(Peer, local_addr=("127.0.0.1", 0))
    yield protocol
    assert protocol.transport is not None
    protocol.transport.close()


def _address(peer: Peer) -> tuple[str, int]:
    assert peer.transport is not None
    return peer.transport.get_extra_info("sockname")


def _request(method: str, *, cseq: int, branch: str, call_id: str = "c1") -> str:
    return (
        f"{method} sip:x@127.0.0.1 SIP/2.0\r\n"
        f"Via: SIP/2.0/UDP 127.0.0.1:1;branch={branch}\r\n"
        "From: <sip:a@b>;tag=t1\r\nTo: <sip:x@y>;tag=t2\r\n"
        f"Call-ID: {call_id}\r\nCSeq: {cseq} {method}\r\nContent-Length: 0\r\n\r\n"
    )


async def test_invite_responses_reach_their_transaction_and_retransmissions_stop(
    peer: Peer,
) -> None:
    endpoint = await SipEndpoint(_address(peer)).open()
    try:
        branch = new_branch()
        transaction = endpoint.request(_request("INVITE", cseq=1, branch=branch), branch)
        invite = await peer.next()
        assert invite.method == "INVITE" and invite.branch == branch
        retransmitted = await peer.next(within=1.0)  # T1 = 0.5 s without any answer
        assert retransmitted.branch == branch
        assert peer.transport is not None
        trying = response(invite, 100, "Trying")
        peer.transport.sendto(trying.encode(), ("127.0.0.1", endpoint.port))
        assert (await asyncio.wait_for(transaction.responses.get(), 1)).status == 100
        # A CANCEL's 200 shares the INVITE's branch but not its method: not the INVITE's.
        cancel_ok = response(parse(_request("CANCEL", cseq=1, branch=branch)), 200, "OK")
        peer.transport.sendto(cancel_ok.encode(), ("127.0.0.1", endpoint.port))
        terminated = response(invite, 487, "Request Terminated", to_tag="z")
        peer.transport.sendto(terminated.encode(), ("127.0.0.1", endpoint.port))
        final = await asyncio.wait_for(transaction.responses.get(), 1)
        assert (final.status, final.method) == (487, "INVITE")
        with pytest.raises(TimeoutError):
            await peer.next(within=1.2)  # a provisional answer stopped the INVITE's resends
    finally:
        endpoint.close()


async def test_a_2xx_to_an_invite_is_resent_until_acked_and_repeats_are_answered_again(
    peer: Peer,
) -> None:
    seen: list[SipMessage] = []
    endpoint = SipEndpoint(_address(peer))

    def handle(request: SipMessage, addr: tuple[str, int]) -> None:
        seen.append(request)
        endpoint.reply(request, response(request, 200, "OK", sdp="v=0\r\n"), addr)

    endpoint.on_request = handle
    await endpoint.open()
    try:
        assert peer.transport is not None
        target = ("127.0.0.1", endpoint.port)
        reinvite = _request("INVITE", cseq=5, branch="z9hG4bKre")
        peer.transport.sendto(reinvite.encode(), target)
        first = await peer.next()
        assert first.status == 200 and first.body == "v=0\r\n"
        again = await peer.next(within=1.0)  # not ACKed yet: resent after T1
        assert again.status == 200
        peer.transport.sendto(reinvite.encode(), target)  # the peer retransmits its request
        assert (await peer.next()).status == 200
        assert len(seen) == 1  # the handler saw it once
        peer.transport.sendto(_request("ACK", cseq=5, branch="z9hG4bKack").encode(), target)
        await asyncio.sleep(0.1)
        while not peer.received.empty():
            peer.received.get_nowait()
        with pytest.raises(TimeoutError):
            await peer.next(within=2.5)  # acknowledged: no more resends
    finally:
        endpoint.close()
