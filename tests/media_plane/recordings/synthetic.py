"""Builds rtpengine-like recordings: pcap files of RTP tones and their metadata files."""

from __future__ import annotations

import functools
import math
import struct
from dataclasses import dataclass
from pathlib import Path

from media_plane.recordings import g711

CALLER = ("127.0.0.1", 40000)
CALLER_SIDE_RTPENGINE = ("127.0.0.1", 30000)
AGENT = ("127.0.0.1", 40002)
AGENT_SIDE_RTPENGINE = ("127.0.0.1", 30002)


@dataclass
class Packet:
    """One RTP packet as captured: arrival time, endpoints and the RTP bytes."""

    time: float
    src: tuple[str, int]
    dst: tuple[str, int]
    data: bytes


def tone(frequency: float, start_sample: int, count: int, amplitude: int = 8000) -> list[int]:
    """``count`` samples of a sine tone, phase-continuous from ``start_sample``."""
    return [
        round(amplitude * math.sin(2 * math.pi * frequency * (start_sample + i) / 8000))
        for i in range(count)
    ]


def rtp(
    *, seq: int, timestamp: int, ssrc: int, payload: bytes, payload_type: int, marker=False
) -> bytes:
    """An RTP packet (no CSRC, no extension)."""
    return (
        struct.pack(
            "!BBHII",
            0x80,
            (0x80 if marker else 0) | payload_type,
            seq & 0xFFFF,
            timestamp & 0xFFFFFFFF,
            ssrc,
        )
        + payload
    )


@functools.lru_cache(maxsize=4096)
def _encoded(samples: tuple[int, ...], payload_type: int) -> bytes:
    return g711.encode(list(samples), payload_type)


def tone_stream(
    *,
    frequency: float,
    src: tuple[str, int],
    dst: tuple[str, int],
    ssrc: int,
    seconds: float,
    start_time: float,
    payload_type: int = g711.PCMA,
    first_seq: int = 1000,
    first_timestamp: int = 160_000,
    ptime_ms: int = 20,
) -> list[Packet]:
    """RTP packets of a G.711 tone, one every ``ptime_ms``."""
    per_packet = 8 * ptime_ms
    packets = []
    for index in range(int(seconds * 1000 / ptime_ms)):
        samples = tone(frequency, index * per_packet, per_packet)
        packets.append(
            Packet(
                time=start_time + index * ptime_ms / 1000,
                src=src,
                dst=dst,
                data=rtp(
                    seq=first_seq + index,
                    timestamp=first_timestamp + index * per_packet,
                    ssrc=ssrc,
                    payload=_encoded(tuple(samples), payload_type),
                    payload_type=payload_type,
                    marker=index == 0,
                ),
            )
        )
    return packets


def _ipv4_udp(src: tuple[str, int], dst: tuple[str, int], payload: bytes) -> bytes:
    udp = struct.pack("!HHHH", src[1], dst[1], 8 + len(payload), 0) + payload
    header = struct.pack(
        "!BBHHHBBH4s4s",
        0x45,
        0,
        20 + len(udp),
        0,
        0x4000,
        64,
        17,
        0,
        bytes(int(part) for part in src[0].split(".")),
        bytes(int(part) for part in dst[0].split(".")),
    )
    return header + udp


def write_pcap(path: Path, packets: list[Packet], *, linktype: int = 101) -> Path:
    """A classic little-endian pcap (raw IPv4 by default, like rtpengine's)."""
    with path.open("wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype))
        for packet in packets:
            frame = _ipv4_udp(packet.src, packet.dst, packet.data)
            if linktype == 1:
                frame = b"\x00" * 12 + b"\x08\x00" + frame
            seconds = int(packet.time)
            micros = round((packet.time - seconds) * 1_000_000)
            out.write(struct.pack("<IIII", seconds, micros, len(frame), len(frame)))
            out.write(frame)
    return path


def sdp(address: str, port: int, payload_type: int = g711.PCMA) -> str:
    """A minimal audio SDP (CRLF line ends, as rtpengine writes them)."""
    name = "PCMA" if payload_type == g711.PCMA else "PCMU"
    lines = [
        "v=0",
        f"o=- 1 1 IN IP4 {address}",
        "s=-",
        f"c=IN IP4 {address}",
        "t=0 0",
        f"m=audio {port} RTP/AVP {payload_type} 101",
        f"a=rtpmap:{payload_type} {name}/8000",
        "a=rtpmap:101 telephone-event/8000",
        "a=sendrecv",
    ]
    return "\r\n".join(lines) + "\r\n"


def write_metadata(
    spool: Path,
    call_id: str,
    *,
    pcap_path: Path,
    offer_sdp: str | None,
    answer_sdp: str | None,
    metadata: str = "",
    tag: str = "0123456789abcdef",
    ended: bool = True,
) -> Path:
    """An rtpengine metadata file in ``spool/metadata`` (``tmp`` while not ended)."""
    parts = [f"{pcap_path}\n\n"]
    for mode, body in (("offer", offer_sdp), ("answer", answer_sdp)):
        if body is not None:
            parts.append(
                f"\nTimestamp started ms: 1700000000000.000\nSDP mode: {mode}\n"
                f"SDP before RTP packet: 1\n\n{body}"
            )
    if ended:
        parts.append("\nTimestamp terminated ms(first monologue): 1700000010000.000")
        parts.append("\n\ncall start time: 2026-11-23T10:00:00\n")
        parts.append("call end time: 2026-11-23T10:00:10\n")
        if metadata:
            parts.append(f"\n\n{metadata}\n")
    folder = spool / ("metadata" if ended else "tmp")
    folder.mkdir(parents=True, exist_ok=True)
    suffix = ".txt" if ended else ".tmp"
    path = folder / f"rtpengine-meta-{call_id}-{tag}{suffix}"
    path.write_text("".join(parts))
    return path


def two_party_call(
    spool: Path,
    call_id: str,
    *,
    seconds: float = 1.0,
    metadata: str = "",
    payload_type: int = g711.PCMA,
    start_time: float = 1_795_000_000.0,
) -> tuple[Path, Path]:
    """A finished recording: caller 440 Hz, agent 1000 Hz. Returns (pcap, metadata)."""
    (spool / "pcaps").mkdir(parents=True, exist_ok=True)
    caller = tone_stream(
        frequency=440,
        src=CALLER,
        dst=CALLER_SIDE_RTPENGINE,
        ssrc=0x1111,
        seconds=seconds,
        start_time=start_time,
        payload_type=payload_type,
    )
    agent = tone_stream(
        frequency=1000,
        src=AGENT,
        dst=AGENT_SIDE_RTPENGINE,
        ssrc=0x2222,
        seconds=seconds,
        start_time=start_time + 0.005,
        payload_type=payload_type,
    )
    packets = sorted(caller + agent, key=lambda p: p.time)
    pcap = write_pcap(spool / "pcaps" / f"{call_id}-0123456789abcdef.pcap", packets)
    meta = write_metadata(
        spool,
        call_id,
        pcap_path=pcap,
        offer_sdp=sdp(*CALLER, payload_type),
        answer_sdp=sdp(*AGENT, payload_type),
        metadata=metadata,
    )
    return pcap, meta


def goertzel_power(samples, frequency: float, rate: int = 8000) -> float:
    """Relative power of ``frequency`` in ``samples``."""
    coefficient = 2 * math.cos(2 * math.pi * frequency / rate)
    previous = before = 0.0
    for sample in samples:
        previous, before = sample + coefficient * previous - before, previous
    return previous * previous + before * before - coefficient * previous * before


def rms(samples) -> float:
    """Root mean square of ``samples``."""
    return math.sqrt(sum(s * s for s in samples) / max(len(samples), 1))
