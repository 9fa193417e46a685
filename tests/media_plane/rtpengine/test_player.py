"""rtpengine's media player and DTMF injection through the typed ng client, against the
real daemon (docs/voice.md §1): plain UDP sockets stand in for the caller and the agent."""

from __future__ import annotations

import asyncio
import math
import socket
import struct
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest

from media_plane.kamailio.config import RTP_ANSWER_PLAIN, RTP_OFFER_PLAIN
from media_plane.recordings import g711
from media_plane.recordings.rtp import parse_rtp
from media_plane.rtpengine.client import RtpengineClient
from media_plane.rtpengine.early_media import DTMF_TAG_PREFIX, start_hold_media
from media_plane.rtpengine.errors import RtpengineError
from media_plane.sip.sdp import audio_address
from tests.serving import until

pytestmark = pytest.mark.media


def offer_sdp(port: int) -> str:
    return (
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        f"m=audio {port} RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\n"
        "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=sendrecv\r\n"
    )


@pytest.fixture
def tone(tmp_path: Path) -> Path:
    path = tmp_path / "tone.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(
            b"".join(
                struct.pack("<h", int(10000 * math.sin(2 * math.pi * 440 * i / 8000)))
                for i in range(8000)
            )
        )
    return path


@pytest.fixture
def endpoint() -> Iterator[socket.socket]:
    """A non-blocking UDP socket on loopback (a caller's or an agent's media port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.setblocking(False)
    yield sock
    sock.close()


def port_of(sock: socket.socket) -> int:
    return int(sock.getsockname()[1])


def drain(sock: socket.socket) -> list[bytes]:
    out = []
    while True:
        try:
            out.append(sock.recv(4096))
        except BlockingIOError:
            return out


async def received(sock: socket.socket, count: int) -> list[bytes]:
    got: list[bytes] = []

    async def enough() -> list[bytes] | None:
        got.extend(drain(sock))
        return got if len(got) >= count else None

    return await until(enough, limit_s=5, what=f"{count} packets")


async def test_play_media_reaches_the_offerer_before_any_answer_and_stops(
    ng: RtpengineClient, tone: Path, endpoint: socket.socket
) -> None:
    call_id = "play-" + str(port_of(endpoint))
    await ng.offer(
        call_id, from_tag="caller", sdp=offer_sdp(port_of(endpoint)), flags=RTP_OFFER_PLAIN
    )
    duration = await ng.play_media(call_id, from_tag="caller", file=str(tone), repeat_times=3)
    assert duration == 1000
    packets = [parse_rtp(p) for p in await received(endpoint, 20)]
    assert {p.payload_type for p in packets if p} == {g711.PCMA}
    samples = [s for p in packets if p for s in g711.decode(p.payload, p.payload_type)]
    assert max(abs(s) for s in samples) > 5000  # the tone, not silence
    await ng.stop_media(call_id, from_tag="caller")
    await asyncio.sleep(0.1)
    drain(endpoint)
    await asyncio.sleep(0.1)
    assert drain(endpoint) == []
    with pytest.raises(RtpengineError, match="Failed to start media playback"):
        await ng.play_media(call_id, from_tag="caller", file="/nonexistent/moh.wav")
    with pytest.raises(RtpengineError, match="no such tag"):
        await ng.play_media(call_id, from_tag="nobody", file=str(tone))
    with pytest.raises(ValueError):
        await ng.play_media(call_id, from_tag="caller")
    # A small file fits in the message itself.
    blob = await asyncio.to_thread(tone.read_bytes)
    assert await ng.play_media(call_id, from_tag="caller", blob=blob) == 1000
    await ng.delete(call_id)
    with pytest.raises(RtpengineError, match="Unknown call-ID"):
        await ng.stop_media(call_id, from_tag="caller")


async def test_play_dtmf_sends_rfc4733_only_with_inject_dtmf(
    ng: RtpengineClient, endpoint: socket.socket
) -> None:
    agent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    agent.bind(("127.0.0.1", 0))
    agent.setblocking(False)
    try:
        for inject in (False, True):
            call_id = f"dtmf-{inject}-{port_of(endpoint)}"
            extra = " inject-DTMF" if inject else ""
            to_agent = audio_address(
                await ng.offer(
                    call_id,
                    from_tag="caller",
                    sdp=offer_sdp(port_of(endpoint)),
                    flags=RTP_OFFER_PLAIN + extra,
                )
            )
            to_caller = audio_address(
                await ng.answer(
                    call_id,
                    from_tag="caller",
                    to_tag="agent",
                    sdp=offer_sdp(port_of(agent)),
                    flags=RTP_ANSWER_PLAIN + extra,
                )
            )
            assert to_agent and to_caller
            # No media from the generating side yet: nothing to inject into.
            with pytest.raises(RtpengineError, match="No SSRC context"):
                await ng.play_dtmf(call_id, from_tag="agent", digit="7")
            for seq in range(10):  # both sides talk, so rtpengine knows their streams
                header = struct.pack("!BBHII", 0x80, 8, seq, seq * 160, 0x1234)
                endpoint.sendto(header + b"\xd5" * 160, (to_caller.host, to_caller.port))
                agent.sendto(header + b"\xd5" * 160, (to_agent.host, to_agent.port))
                await asyncio.sleep(0.02)
            drain(endpoint)
            await ng.play_dtmf(call_id, from_tag="agent", digit="7", duration_ms=200)
            for seq in range(10, 30):
                header = struct.pack("!BBHII", 0x80, 8, seq, seq * 160, 0x1234)
                agent.sendto(header + b"\xd5" * 160, (to_agent.host, to_agent.port))
                await asyncio.sleep(0.02)
            events = [p for p in map(parse_rtp, drain(endpoint)) if p and p.payload_type == 101]
            if inject:
                assert len(events) > 5 and events[0].payload[0] == 7, events
            else:  # rtpengine answers ok but injects nothing without the flag
                assert events == []
            await ng.delete(call_id)
        with pytest.raises(ValueError):
            await ng.play_dtmf("x", from_tag="agent", digit="x")
    finally:
        agent.close()


async def test_hold_media_answers_with_the_port_the_agent_answer_keeps(
    ng: RtpengineClient, tone: Path, endpoint: socket.socket
) -> None:
    call_id = "hold-" + str(port_of(endpoint))
    hold = await start_hold_media(
        ng,
        call_id=call_id,
        from_tag="caller",
        offer_sdp=offer_sdp(port_of(endpoint)),
        file=str(tone),
    )
    early = audio_address(hold.sdp)
    assert early is not None and hold.duration_ms == 1000
    assert "a=rtpmap:8 PCMA/8000" in hold.sdp and "telephone-event/8000" in hold.sdp
    packets = await received(endpoint, 10)
    assert packets
    tags = (await ng.query(call_id)).raw["tags"]
    assert DTMF_TAG_PREFIX + "caller" in tags
    # The agent's answer (Kamailio's re-offer, then the 200) keeps the caller's port.
    await ng.offer(
        call_id, from_tag="caller", sdp=offer_sdp(port_of(endpoint)), flags=RTP_OFFER_PLAIN
    )
    await ng.stop_media(call_id, from_tag="caller")
    final = audio_address(
        await ng.answer(
            call_id, from_tag="caller", to_tag="agent", sdp=offer_sdp(9), flags=RTP_ANSWER_PLAIN
        )
    )
    assert final == early
    await ng.delete(call_id)


async def test_hold_media_that_cannot_play_leaves_nothing_behind(
    ng: RtpengineClient, endpoint: socket.socket
) -> None:
    call_id = "nohold-" + str(port_of(endpoint))
    with pytest.raises(RtpengineError):
        await start_hold_media(
            ng,
            call_id=call_id,
            from_tag="caller",
            offer_sdp=offer_sdp(port_of(endpoint)),
            file="/nope.wav",
        )
    assert call_id not in await ng.list_calls()
