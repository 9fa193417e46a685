"""pcap → stereo WAV: channel assignment, jitter, loss, reordering and wrap-arounds."""

from __future__ import annotations

import random
import wave
from array import array
from pathlib import Path

import pytest

from media_plane.recordings import g711
from media_plane.recordings.audio_files import mp3_available
from media_plane.recordings.convert import convert_pcap
from media_plane.recordings.pcap import PcapError, read_udp
from media_plane.recordings.rtpengine_meta import parse_metadata_file
from media_plane.recordings.stereo import build_stereo
from tests.media_plane.recordings import synthetic
from tests.media_plane.recordings.synthetic import (
    AGENT,
    AGENT_SIDE_RTPENGINE,
    CALLER,
    CALLER_SIDE_RTPENGINE,
    Packet,
    goertzel_power,
    rms,
    tone_stream,
    write_pcap,
)


def read_wav(path: Path) -> tuple[array, array, int]:
    with wave.open(str(path), "rb") as wav:
        assert wav.getnchannels() == 2
        assert wav.getsampwidth() == 2
        rate = wav.getframerate()
        frames = array("h", wav.readframes(wav.getnframes()))
    return frames[0::2], frames[1::2], rate


def assert_caller_left_agent_right(left: array, right: array) -> None:
    assert rms(left) > 1000 and rms(right) > 1000
    assert goertzel_power(left, 440) > 50 * goertzel_power(left, 1000)
    assert goertzel_power(right, 1000) > 50 * goertzel_power(right, 440)


@pytest.mark.parametrize("payload_type", [g711.PCMA, g711.PCMU])
def test_two_party_call_becomes_stereo_wav(tmp_path: Path, payload_type: int) -> None:
    pcap, meta_path = synthetic.two_party_call(
        tmp_path, "call-1@example.com", seconds=1.0, payload_type=payload_type
    )
    output = tmp_path / "out.wav"
    audio = convert_pcap(pcap, output, metadata=parse_metadata_file(meta_path))
    left, right, rate = read_wav(output)
    assert rate == 8000
    assert abs(len(left) - 8000 - 40) <= 160  # one second, the agent starts 5 ms later
    assert audio.duration_seconds == pytest.approx(len(left) / 8000)
    assert_caller_left_agent_right(left, right)


def test_channels_follow_the_sdp_not_the_packet_order(tmp_path: Path) -> None:
    """The agent's stream arrives first; the offer still puts the caller left."""
    agent = tone_stream(
        frequency=1000, src=AGENT, dst=AGENT_SIDE_RTPENGINE, ssrc=2, seconds=0.5, start_time=100.0
    )
    caller = tone_stream(
        frequency=440, src=CALLER, dst=CALLER_SIDE_RTPENGINE, ssrc=1, seconds=0.5, start_time=100.2
    )
    pcap = write_pcap(tmp_path / "c.pcap", agent + caller)
    meta = parse_metadata_file(
        synthetic.write_metadata(
            tmp_path,
            "c",
            pcap_path=pcap,
            offer_sdp=synthetic.sdp(*CALLER),
            answer_sdp=synthetic.sdp(*AGENT),
        )
    )
    audio = build_stereo(read_udp(pcap), meta)
    assert_caller_left_agent_right(audio.left[1600:], audio.right[:4000])
    assert rms(audio.left[:1500]) == 0  # the caller was not heard for the first 200 ms


def test_sdp_of_rtpengine_own_ports_also_assigns_sides(tmp_path: Path) -> None:
    """rtpengine may log the SDPs it sent: packets then go *to* those endpoints."""
    caller = tone_stream(
        frequency=440, src=CALLER, dst=CALLER_SIDE_RTPENGINE, ssrc=1, seconds=0.5, start_time=1.0
    )
    agent = tone_stream(
        frequency=1000, src=AGENT, dst=AGENT_SIDE_RTPENGINE, ssrc=2, seconds=0.5, start_time=1.0
    )
    pcap = write_pcap(tmp_path / "c.pcap", sorted(agent + caller, key=lambda p: p.time))
    meta = parse_metadata_file(
        synthetic.write_metadata(
            tmp_path,
            "c",
            pcap_path=pcap,
            offer_sdp=synthetic.sdp(*AGENT_SIDE_RTPENGINE),  # sent to the agent
            answer_sdp=synthetic.sdp(*CALLER_SIDE_RTPENGINE),  # sent to the caller
        )
    )
    audio = build_stereo(read_udp(pcap), meta)
    assert_caller_left_agent_right(audio.left, audio.right)


def test_jitter_reordering_duplicates_and_loss(tmp_path: Path) -> None:
    rng = random.Random(7)
    caller = tone_stream(
        frequency=440, src=CALLER, dst=CALLER_SIDE_RTPENGINE, ssrc=1, seconds=2.0, start_time=10.0
    )
    agent = tone_stream(
        frequency=1000, src=AGENT, dst=AGENT_SIDE_RTPENGINE, ssrc=2, seconds=2.0, start_time=10.0
    )
    lost = caller.pop(50)  # 20 ms at 1.0 s of the caller's audio is lost
    # Jitter of up to 60 ms; sorting by arrival reorders packets.
    jittered = [Packet(p.time + rng.uniform(0, 0.06), p.src, p.dst, p.data) for p in caller + agent]
    jittered += [jittered[10], jittered[11]]  # duplicates
    jittered.sort(key=lambda p: p.time)
    pcap = write_pcap(tmp_path / "j.pcap", jittered)
    meta = parse_metadata_file(
        synthetic.write_metadata(
            tmp_path,
            "j",
            pcap_path=pcap,
            offer_sdp=synthetic.sdp(*CALLER),
            answer_sdp=synthetic.sdp(*AGENT),
        )
    )
    audio = build_stereo(read_udp(pcap), meta)
    assert 16000 <= audio.frames <= 16000 + 8 * 60
    # The stream is placed by RTP timestamp, so a sample's phase is where the tone put it.
    expected = synthetic.tone(440, 0, 16000)
    shift = next(
        s for s in range(0, 500) if all(audio.left[s + i] == _g711(expected[i]) for i in range(8))
    )
    assert lost.time == pytest.approx(11.0)
    gap = audio.left[shift + 8000 : shift + 8160]
    assert max(abs(x) for x in gap) == 0
    mismatches = sum(
        1
        for i in range(16000)
        if not 8000 <= i < 8160 and audio.left[shift + i] != _g711(expected[i])
    )
    assert mismatches == 0
    assert_caller_left_agent_right(audio.left, audio.right)


def _g711(sample: int) -> int:
    return g711.decode(g711.encode([sample], g711.PCMA), g711.PCMA)[0]


def test_sequence_and_timestamp_wrap_around(tmp_path: Path) -> None:
    caller = tone_stream(
        frequency=440,
        src=CALLER,
        dst=CALLER_SIDE_RTPENGINE,
        ssrc=1,
        seconds=1.0,
        start_time=5.0,
        first_seq=65_500,
        first_timestamp=0xFFFF_FFFF - 4000,
    )
    pcap = write_pcap(tmp_path / "w.pcap", caller)
    audio = build_stereo(read_udp(pcap), None)
    assert audio.frames == 8000
    assert rms(audio.left[3900:4100]) > 1000  # across the timestamp wrap
    assert rms(audio.right) == 0


def test_rtcp_and_other_udp_are_ignored(tmp_path: Path) -> None:
    caller = tone_stream(
        frequency=440, src=CALLER, dst=CALLER_SIDE_RTPENGINE, ssrc=1, seconds=0.2, start_time=5.0
    )
    rtcp = Packet(5.1, CALLER, ("127.0.0.1", 30001), bytes([0x80, 200, 0, 6]) + bytes(24))
    junk = Packet(5.1, CALLER, CALLER_SIDE_RTPENGINE, b"\x00\x01\x00\x00stun-ish")
    pcap = write_pcap(tmp_path / "r.pcap", [*caller, rtcp, junk], linktype=1)
    audio = build_stereo(read_udp(pcap), None)
    assert audio.frames == 1600
    assert audio.packets["caller"] == 10


def test_not_a_pcap(tmp_path: Path) -> None:
    path = tmp_path / "bad.pcap"
    path.write_bytes(b"hello world, not a capture at all")
    with pytest.raises(PcapError):
        list(read_udp(path))


def test_truncated_pcap_keeps_whole_packets(tmp_path: Path) -> None:
    caller = tone_stream(
        frequency=440, src=CALLER, dst=CALLER_SIDE_RTPENGINE, ssrc=1, seconds=0.2, start_time=5.0
    )
    pcap = write_pcap(tmp_path / "t.pcap", caller)
    pcap.write_bytes(pcap.read_bytes()[:-50])
    assert len(list(read_udp(pcap))) == 9


def test_metadata_file_is_parsed(tmp_path: Path) -> None:
    _, meta_path = synthetic.two_party_call(
        tmp_path,
        "abc%40host",
        metadata="tenant=6b1d3c4e-0000-4000-8000-000000000001|agent=a1",
    )
    meta = parse_metadata_file(meta_path)
    assert meta.call_id == "abc@host"
    assert meta.ended
    assert meta.fields == {"tenant": "6b1d3c4e-0000-4000-8000-000000000001", "agent": "a1"}
    assert meta.endpoints("offer") == {CALLER}
    assert meta.endpoints("answer") == {AGENT}
    assert meta.pcap_path is not None and meta.pcap_path.exists()
    assert meta.payload_codecs[8] == "PCMA"


@pytest.mark.skipif(not mp3_available(), reason="lameenc not installed")
def test_mp3_output(tmp_path: Path) -> None:
    pcap, meta_path = synthetic.two_party_call(tmp_path, "m", seconds=1.0)
    output = tmp_path / "out.mp3"
    convert_pcap(pcap, output, metadata=parse_metadata_file(meta_path), audio_format="mp3")
    data = output.read_bytes()
    assert 1000 < len(data) < 20_000
    assert data[:3] == b"ID3" or (data[0] == 0xFF and data[1] & 0xE0 == 0xE0)


def test_empty_capture_gives_empty_stereo(tmp_path: Path) -> None:
    pcap = write_pcap(tmp_path / "empty.pcap", [])
    audio = build_stereo(read_udp(pcap), None)
    assert audio.frames == 0 and audio.duration_seconds == 0
    output = tmp_path / "empty.wav"
    convert_pcap(pcap, output, metadata=None)
    left, right, rate = read_wav(output)
    assert (len(left), len(right), rate) == (0, 0, 8000)


def test_dynamic_payload_type_mapped_by_sdp(tmp_path: Path) -> None:
    stream = tone_stream(
        frequency=440, src=CALLER, dst=CALLER_SIDE_RTPENGINE, ssrc=1, seconds=0.2, start_time=1.0
    )
    # Rewrite PT 8 → 96; the SDP says 96 is PCMA.
    for packet in stream:
        packet.data = packet.data[:1] + bytes([(packet.data[1] & 0x80) | 96]) + packet.data[2:]
    pcap = write_pcap(tmp_path / "d.pcap", stream)
    sdp = synthetic.sdp(*CALLER).replace("RTP/AVP 8 101", "RTP/AVP 96 101")
    sdp = sdp.replace("a=rtpmap:8 PCMA", "a=rtpmap:96 PCMA")
    meta = parse_metadata_file(
        synthetic.write_metadata(tmp_path, "d", pcap_path=pcap, offer_sdp=sdp, answer_sdp=None)
    )
    assert build_stereo(read_udp(pcap), None).frames == 0  # unknown without the SDP
    audio = build_stereo(read_udp(pcap), meta)
    assert audio.frames == 1600 and rms(audio.left) > 1000
