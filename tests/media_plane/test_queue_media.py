"""Music on hold in early media and DTMF from queued callers, end to end through real
Kamailio, rtpengine, sipp and the REAL routing process (docs/voice.md).

The proof that the caller heard the music: sipp runs with ``-rtp_echo``, so every packet
rtpengine plays to it comes straight back; rtpengine records the call (pcap) and the
packets from sipp's media port decode to the fixture's 440 Hz tone, not silence.
"""

from __future__ import annotations

import math
from pathlib import Path
from urllib.parse import quote

import pytest

from media_plane.kamailio.client import KamailioRpcClient
from media_plane.recordings import g711
from media_plane.recordings.pcap import read_udp
from media_plane.recordings.rtp import parse_rtp
from media_plane.rtpengine.client import RtpengineClient
from media_plane.rtpengine.errors import RtpengineError
from media_plane.sip.sdp import audio_address
from tests.media_plane.conftest import KamailioNode, RtpengineNode
from tests.media_plane.live_routing import LiveCenter, RoutingProcess
from tests.media_plane.media_waits import media_released
from tests.media_plane.sipp import Sipp
from tests.media_plane.test_call_flow import (
    call_id_of,
    render_rejected,
    sipp_agent,
    wait_acked,
    wait_for_call_id,
)
from tests.serving import until

pytestmark = pytest.mark.media

TONE_HZ = 440
RATE = 8000


def power_at(samples: list[int], hz: float) -> float:
    """Goertzel power of ``samples`` at ``hz`` (normalised by length)."""
    coeff = 2 * math.cos(2 * math.pi * hz / RATE)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + coeff * s1 - s2, s1
    return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / max(1, len(samples))


def echoed_audio(spool: Path, call_id: str, caller_media_port: int) -> list[int]:
    """The samples the caller sent back (sipp's echo of what it heard), from the pcap."""
    [pcap] = (spool / "pcaps").glob(f"{quote(call_id, safe='')}-*.pcap")
    samples: list[int] = []
    for datagram in read_udp(pcap):
        if datagram.src[1] != caller_media_port:
            continue
        packet = parse_rtp(datagram.payload)
        if packet is not None and packet.payload_type in (g711.PCMA, g711.PCMU):
            samples += g711.decode(packet.payload, packet.payload_type).tolist()
    return samples


def sdp_bodies(messages: str, status: str) -> list[str]:
    """The SDP bodies of every ``SIP/2.0 <status>`` reply in a sipp message log."""
    bodies = []
    for block in messages.split("SIP/2.0 " + status)[1:]:
        body = block.split("\n\n", 1)[1] if "\n\n" in block else ""
        bodies.append(body.split("-----", 1)[0])
    return [b for b in bodies if "m=audio" in b]


async def both_parties_sending(ng: RtpengineClient, call_id: str) -> None:
    """Until rtpengine received packets from the caller and from the agent (the DTMF
    subscriber ``hl-dtmf-…`` sends nothing and is left out)."""

    async def flowing() -> bool:
        legs = [leg for leg in (await ng.query(call_id)).legs if not leg.tag.startswith("hl-")]
        return len(legs) == 2 and all(leg.packets > 0 for leg in legs)

    await until(flowing, limit_s=10, what=f"media of {call_id} from both parties")


def caller_from_tag(messages: str) -> str:
    """The From tag of the caller's INVITE in a sipp message log."""
    for line in messages.splitlines():
        if line.lower().startswith("from:") and "tag=" in line:
            return line.split("tag=", 1)[1].split(";", 1)[0].strip()
    raise AssertionError("no From tag in sipp log")


async def caller_on_hold(
    ng: RtpengineClient, caller: Sipp, *, limit_s: float = 10
) -> tuple[str, int]:
    """The caller's Call-ID once rtpengine has received its echo of the music."""
    call_id = await wait_for_call_id(caller)

    async def echoing() -> int | None:
        try:
            info = await ng.query(call_id)
        except RtpengineError:
            return None
        packets = sum(leg.packets for leg in info.legs)
        return packets if packets >= 10 else None

    packets = await until(echoing, limit_s=limit_s, what=f"music echoed by {call_id}")
    return call_id, packets


async def test_queued_caller_hears_music_on_hold_in_early_media_and_hanging_up_frees_it(
    kamailio_node: KamailioNode,
    center: LiveCenter,
    ng: RtpengineClient,
    rpc: KamailioRpcClient,
    rtpengine_node: RtpengineNode,
    sipp_dir: Path,
    moh_file: Path,
) -> None:
    queue_id = await center.queue(moh=str(moh_file))
    number = await center.number(queue_id)
    caller = Sipp(
        "uac_queued_cancel.xml",
        workdir=sipp_dir,
        target=kamailio_node.sip_target,
        service=number,
        pause_ms=2500,
        extra=["-rtp_echo"],
    )
    await caller.start()
    call_id, _ = await caller_on_hold(ng, caller)
    await ng.start_recording(call_id)
    await center.wait_event(call_id, "call.enqueued")
    # No 200 while queued: the 183 carries rtpengine's SDP (early media).
    messages = caller.messages_so_far()
    [early] = sdp_bodies(messages, "183")
    assert "SIP/2.0 200" not in messages.split("CANCEL")[0]
    address = audio_address(early)
    assert address is not None and address.host == "127.0.0.1"
    # ... the caller's own rtpengine port (its From tag's stream), which the 200 keeps.
    tags = (await ng.query(call_id)).raw["tags"]
    from_tag = caller_from_tag(messages)
    assert tags[from_tag]["medias"][0]["streams"][0]["local port"] == address.port

    run = await caller.wait()
    assert run.ok, run.output + kamailio_node.log()
    abandoned = await center.wait_event(call_id, "call.abandoned")
    assert abandoned["queue_id"] == queue_id
    # No rtpengine session and no dialog left behind.
    await media_released(ng, call_id)
    await until(lambda: _no_live_dialog(rpc, call_id), limit_s=5, what=f"dialog {call_id} gone")
    call = await center.engine.call(tenant_id=center.tenant_id, call_id=call_id)
    assert call["state"] == "abandoned"

    samples = echoed_audio(rtpengine_node.recording_dir, call_id, caller.media_port)
    assert len(samples) >= RATE // 2, len(samples)  # at least half a second heard
    rms = math.sqrt(sum(s * s for s in samples) / len(samples))
    assert rms > 1000, rms  # not silence
    assert power_at(samples, TONE_HZ) > 20 * power_at(samples, 1000), "not the MOH tone"


async def _no_live_dialog(rpc: KamailioRpcClient, call_id: str) -> bool:
    return all(d.state == 5 for d in await rpc.dialogs_by_call_id(call_id))


async def test_music_stops_when_the_agent_answers_and_the_call_bridges_both_ways(
    kamailio_node: KamailioNode,
    center: LiveCenter,
    ng: RtpengineClient,
    rpc: KamailioRpcClient,
    rtpengine_node: RtpengineNode,
    sipp_dir: Path,
    moh_file: Path,
) -> None:
    queue_id = await center.queue(moh=str(moh_file), wrapup_s=1)
    number = await center.number(queue_id)
    caller = Sipp(
        "uac_queued_answer.xml",
        workdir=sipp_dir,
        target=kamailio_node.sip_target,
        service=number,
        pause_ms=2500,
        extra=["-rtp_echo"],
    )
    await caller.start()
    call_id, _ = await caller_on_hold(ng, caller)
    await ng.start_recording(call_id)

    # An agent becomes free while the caller listens to the music.
    agent, agent_id, _ = await sipp_agent(center, kamailio_node, sipp_dir, [queue_id])
    answered = await center.wait_event(call_id, "call.answered")
    assert answered["agent_id"] == agent_id
    await wait_acked(rpc, call_id)
    await both_parties_sending(ng, call_id)
    messages = caller.messages_so_far()
    [early] = sdp_bodies(messages, "183")
    [final] = sdp_bodies(messages, "200")
    # The caller keeps the 183's port in the 200 (carriers that keep the 183's SDP work).
    assert audio_address(early) == audio_address(final), (early, final)

    caller_run = await caller.wait()
    assert caller_run.ok, caller_run.output + kamailio_node.log()
    assert (await agent.wait()).ok
    await center.wait_event(call_id, "call.ended")
    await media_released(ng, call_id)
    # What the caller heard, by RTP source (sipp echoes packets as they came): the
    # player's stream before the answer, the agent's after it, never the music again.
    answered_at = int(answered["at"]) / 1000
    before, after = echoed_ssrcs(
        rtpengine_node.recording_dir, call_id, caller.media_port, answered_at
    )
    assert before, "no music heard before the answer"
    assert after, "no agent audio heard after the answer"
    assert not before & after, (before, after)


def echoed_ssrcs(
    spool: Path, call_id: str, caller_media_port: int, answered_at: float
) -> tuple[set[int], set[int]]:
    """SSRCs the caller echoed before the answer, and from 0.3 s after it on."""
    [pcap] = (spool / "pcaps").glob(f"{quote(call_id, safe='')}-*.pcap")
    before: set[int] = set()
    after: set[int] = set()
    for datagram in read_udp(pcap):
        packet = parse_rtp(datagram.payload)
        if datagram.src[1] != caller_media_port or packet is None:
            continue
        if datagram.time < answered_at:
            before.add(packet.ssrc)
        elif datagram.time > answered_at + 0.3:
            after.add(packet.ssrc)
    return before, after


async def test_caller_dtmf_while_queued_reaches_routing_as_call_events(
    kamailio_node: KamailioNode,
    center: LiveCenter,
    ng: RtpengineClient,
    sipp_dir: Path,
    moh_file: Path,
) -> None:
    queue_id = await center.queue(moh=str(moh_file))
    number = await center.number(queue_id)
    caller = Sipp(
        "uac_queued_dtmf.xml",
        workdir=sipp_dir,
        target=kamailio_node.sip_target,
        service=number,
        pause_ms=800,
    )
    await caller.start()
    call_id = await wait_for_call_id(caller)

    async def three_digits() -> list[dict[str, str]] | None:
        events = [e for e in await center.call_events(call_id) if e["type"] == "call.dtmf"]
        return events if len(events) >= 3 else None

    events = await until(three_digits, limit_s=15, what=f"three call.dtmf for {call_id}")
    assert [e["digits"] for e in events] == ["4", "2", "#"], events
    for event in events:
        assert event["by"] == "caller" and event["state"] == "queued"
        assert event["queue_id"] == queue_id and event["event_id"]
    assert len({e["event_id"] for e in events}) == 3
    run = await caller.wait()
    assert run.ok, run.output + kamailio_node.log()
    await center.wait_event(call_id, "call.abandoned")
    await media_released(ng, call_id)


async def test_pressing_1_on_hold_takes_the_callback_and_releases_the_caller(
    kamailio_node: KamailioNode,
    center: LiveCenter,
    ng: RtpengineClient,
    sipp_dir: Path,
    moh_file: Path,
) -> None:
    queue_id = await center.queue(moh=str(moh_file), max_wait_s=600, max_wait_action="callback")
    number = await center.number(queue_id)
    caller = Sipp(
        "uac_queued_callback.xml", workdir=sipp_dir, target=kamailio_node.sip_target, service=number
    )
    run = await caller.run(limit=20)
    assert run.ok, run.output + kamailio_node.log()
    call_id = await wait_for_call_id(caller)
    requested = await center.wait_event(call_id, "callback.requested")
    assert requested["queue_id"] == queue_id and requested["number"]
    dtmf = await center.wait_event(call_id, "call.dtmf")
    assert dtmf["digits"] == "1" and dtmf["by"] == "caller"
    call = await center.engine.call(tenant_id=center.tenant_id, call_id=call_id)
    assert call["callback"] == "1"
    # The released caller leaves no media session behind.
    await media_released(ng, call_id)


def echoed_windows(
    spool: Path, call_id: str, caller_media_port: int, width_s: float = 0.5
) -> list[str]:
    """What the caller heard, half a second at a time: ``tone`` (the MOH), ``voice`` (loud
    but not the tone: the announcement) or ``quiet``."""
    [pcap] = (spool / "pcaps").glob(f"{quote(call_id, safe='')}-*.pcap")
    timed: list[tuple[float, list[int]]] = []
    for datagram in read_udp(pcap):
        packet = parse_rtp(datagram.payload)
        if datagram.src[1] == caller_media_port and packet and packet.payload_type == g711.PCMA:
            timed.append((datagram.time, g711.decode(packet.payload, packet.payload_type).tolist()))
    if not timed:
        return []
    start = timed[0][0]
    buckets: dict[int, list[int]] = {}
    for at, samples in timed:
        buckets.setdefault(int((at - start) / width_s), []).extend(samples)
    out = []
    for index in sorted(buckets):
        samples = buckets[index]
        rms = math.sqrt(sum(s * s for s in samples) / len(samples))
        if rms < 300:
            out.append("quiet")
        elif power_at(samples, TONE_HZ) > 0.5 * rms * rms * len(samples) / 4:
            out.append("tone")
        else:
            out.append("voice")
    return out


async def test_queued_caller_hears_position_and_wait_then_the_music_again(
    kamailio_node: KamailioNode,
    center: LiveCenter,
    ng: RtpengineClient,
    rtpengine_node: RtpengineNode,
    sipp_dir: Path,
    moh_file: Path,
) -> None:
    queue_id = await center.queue(moh=str(moh_file), announce_s=3, aht_s=120)
    number = await center.number(queue_id)
    caller = Sipp(
        "uac_queued_cancel.xml",
        workdir=sipp_dir,
        target=kamailio_node.sip_target,
        service=number,
        pause_ms=9000,
        extra=["-rtp_echo"],
    )
    await caller.start()
    call_id, _ = await caller_on_hold(ng, caller)
    await ng.start_recording(call_id)
    announced = await center.wait_event(call_id, "call.announced", limit=10)
    # First in line, nobody signed in: one average handle time (120 s) to wait.
    assert (announced["position"], announced["ewt_s"]) == ("1", "120"), announced
    assert announced["queue_id"] == queue_id and announced["event_id"]
    run = await caller.wait(30)
    assert run.ok, run.output + kamailio_node.log()
    await media_released(ng, call_id)
    heard = echoed_windows(rtpengine_node.recording_dir, call_id, caller.media_port)
    # Music, then the spoken announcement (over a second of it), then the music again.
    first_voice = heard.index("voice")
    assert "tone" in heard[:first_voice], heard
    assert heard[first_voice : first_voice + 3] == ["voice"] * 3, heard
    assert "tone" in heard[first_voice + 3 :], heard


async def test_callers_refused_after_the_music_started_leave_no_media_session(
    kamailio_node: KamailioNode,
    center: LiveCenter,
    ng: RtpengineClient,
    routing_process: RoutingProcess,
    sipp_dir: Path,
    moh_file: Path,
) -> None:
    """Refused by the engine at enqueue (tenant over its limit: routing frees the media it
    opened) and released at max wait (Kamailio's reject frees it)."""
    queue_id = await center.queue(moh=str(moh_file))
    await center.publish_tenant(max_concurrent_calls=1)
    number = await center.number(queue_id)
    waiting = await Sipp(
        "uac_queued_cancel.xml",
        workdir=sipp_dir,
        target=kamailio_node.sip_target,
        service=number,
        pause_ms=3000,
    ).start()
    first = await wait_for_call_id(waiting)
    await center.wait_event(first, "call.enqueued")
    refused = Sipp(
        render_rejected(sipp_dir, 503),
        workdir=sipp_dir,
        target=kamailio_node.sip_target,
        service=number,
    )
    run = await refused.run()
    assert run.ok, run.output + kamailio_node.log()
    second = call_id_of(run.messages)
    assert f"call={second}: music on hold" in routing_process.log()
    assert second not in await ng.list_calls()
    assert (await waiting.wait()).ok

    timed = await center.queue(moh=str(moh_file), max_wait_s=1, max_wait_action="reject")
    timed_number = await center.number(timed)
    released = Sipp(
        render_rejected(sipp_dir, 480),
        workdir=sipp_dir,
        target=kamailio_node.sip_target,
        service=timed_number,
    )
    run = await released.run()
    assert run.ok, run.output + kamailio_node.log()
    third = call_id_of(run.messages)
    assert "SIP/2.0 183" in run.messages  # it was on hold before max wait released it
    await media_released(ng, third)
