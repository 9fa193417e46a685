"""Listen-in through rtpengine 10.5 media forking (``subscribe request``/``answer``)."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest

from media_plane.kamailio.client import KamailioRpcClient
from media_plane.rtpengine.client import RtpengineClient
from tests.media_plane.conftest import KamailioNode
from tests.media_plane.live_routing import LiveCenter
from tests.media_plane.sipp import Sipp
from tests.media_plane.test_call_flow import sipp_agent, wait_acked, wait_for_call_id

pytestmark = pytest.mark.media


def answer_sdp(ports: list[int]) -> str:
    """A plain-RTP receive-only answer with one audio section per subscribed party."""
    head = "v=0\r\no=listener 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    media = "".join(
        f"m=audio {port} RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\na=recvonly\r\n" for port in ports
    )
    return head + media


async def count_rtp(sock: socket.socket, seconds: float) -> int:
    """RTP packets arriving on ``sock`` within ``seconds``."""
    loop = asyncio.get_running_loop()
    received = 0
    deadline = loop.time() + seconds
    while loop.time() < deadline:
        try:
            data = await asyncio.wait_for(loop.sock_recv(sock, 2048), 0.25)
        except TimeoutError:
            continue
        if data and data[0] >> 6 == 2:  # RTP version 2
            received += 1
    return received


async def test_listener_receives_both_parties_media(
    kamailio_node: KamailioNode,
    center: LiveCenter,
    ng: RtpengineClient,
    rpc: KamailioRpcClient,
    sipp_dir: Path,
) -> None:
    queue_id = await center.queue()
    number = await center.number(queue_id)
    agent, _, _ = await sipp_agent(center, kamailio_node, sipp_dir, [queue_id], pause_ms=100)
    caller = await Sipp(
        "uac.xml", workdir=sipp_dir, target=kamailio_node.sip_target, service=number, pause_ms=5000
    ).start()
    call_id = await wait_for_call_id(caller)
    await center.wait_event(call_id, "call.answered")
    await wait_acked(rpc, call_id)
    dialog = (await rpc.dialogs_by_call_id(call_id))[0]

    listeners = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(2)]
    for sock in listeners:
        sock.bind(("127.0.0.1", 0))
        sock.setblocking(False)
    try:
        sub = await ng.subscribe_request(
            call_id, from_tags=[dialog.from_tag, dialog.to_tag], ice="remove"
        )
        assert sub.sdp.count("m=audio") == 2, sub.sdp  # one section per party
        await ng.subscribe_answer(
            call_id,
            to_tag=sub.to_tag,
            sdp=answer_sdp([sock.getsockname()[1] for sock in listeners]),
        )
        counts = await asyncio.gather(*(count_rtp(sock, 2.0) for sock in listeners))
        assert all(count >= 30 for count in counts), f"listener got {counts} RTP packets"
        await ng.unsubscribe(call_id, to_tag=sub.to_tag)
    finally:
        for sock in listeners:
            sock.close()
    assert (await caller.wait(30)).ok
    assert (await agent.wait(30)).ok
