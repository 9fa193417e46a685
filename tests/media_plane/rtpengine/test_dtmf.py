"""rtpengine's DTMF log datagrams (the JSON verified on 10.5.3.5) and the listener."""

from __future__ import annotations

import asyncio
import json
import socket

from media_plane.rtpengine.dtmf import DtmfEvent, DtmfListener
from tests.media_plane.sipp import free_udp_port
from tests.serving import until

SAMPLE = (
    b'{"callid":"exp-9487f5b9","source_tag":"caller","tags":["caller","hl-moh"],'
    b'"type":"DTMF","timestamp":1796419786,"source_ip":"127.0.0.1","event":11,'
    b'"duration":80,"volume":10}'
)


def test_parse_the_verified_datagram() -> None:
    event = DtmfEvent.parse(SAMPLE)
    assert event is not None
    assert (event.call_id, event.digit, event.source_tag) == ("exp-9487f5b9", "#", "caller")
    assert (event.duration_ms, event.volume, event.timestamp) == (80, 10, 1796419786)
    assert event.from_offerer


def test_who_pressed() -> None:
    doc = json.loads(SAMPLE)
    on_hold = DtmfEvent.parse(
        json.dumps(doc | {"tags": ["hl-dtmf-c1", "c1", "a1"], "source_tag": "c1"}).encode()
    )
    assert on_hold is not None and on_hold.from_offerer
    agent = DtmfEvent.parse(
        json.dumps(doc | {"tags": ["hl-dtmf-c1", "c1", "a1"], "source_tag": "a1"}).encode()
    )
    assert agent is not None and not agent.from_offerer
    plain = DtmfEvent.parse(json.dumps(doc | {"tags": ["c1", "a1"], "source_tag": "a1"}).encode())
    assert plain is not None and not plain.from_offerer


def test_events_12_to_15_are_a_to_d_and_junk_is_refused() -> None:
    doc = json.loads(SAMPLE)
    assert [
        DtmfEvent.parse(json.dumps(doc | {"event": n}).encode()).digit for n in (0, 10, 12, 15)
    ] == [  # type: ignore[union-attr]
        "0",
        "*",
        "A",
        "D",
    ]
    for bad in (
        b"not json",
        b"[]",
        json.dumps(doc | {"type": "other"}).encode(),
        json.dumps(doc | {"event": 16}).encode(),
        json.dumps(doc | {"event": "x"}).encode(),
        json.dumps({k: v for k, v in doc.items() if k != "callid"}).encode(),
    ):
        assert DtmfEvent.parse(bad) is None, bad


async def test_listener_delivers_in_order_and_only_from_allowed_sources() -> None:
    got: list[str] = []

    async def sink(event: DtmfEvent) -> None:
        if event.digit == "1":
            await asyncio.sleep(0.05)  # a slow first delivery must not let "2" overtake it
        got.append(event.digit)

    port = free_udp_port()
    doc = json.loads(SAMPLE)
    async with DtmfListener("127.0.0.1", port, sink, allowed_sources={"127.0.0.1"}):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            for n in (1, 2, 3):
                sock.sendto(json.dumps(doc | {"event": n}).encode(), ("127.0.0.1", port))
            sock.sendto(b"junk", ("127.0.0.1", port))
        await until(lambda: _at_least(got, 3), limit_s=5, what="three digits")
    assert got == ["1", "2", "3"]

    refused: list[str] = []

    async def record(event: DtmfEvent) -> None:
        refused.append(event.digit)

    port = free_udp_port()
    async with DtmfListener("127.0.0.1", port, record, allowed_sources={"10.9.9.9"}) as listener:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.sendto(SAMPLE, ("127.0.0.1", port))
        await asyncio.sleep(0.1)
        assert listener.port == port
    assert refused == []


async def _at_least(items: list[str], count: int) -> bool:
    return len(items) >= count
