"""Two RTP directions of a call → one stereo track: caller left, agent right.

Each RTP stream (source, destination, SSRC) is put in order by sequence number
(reordering and duplicates), its timestamps unwrapped, and its samples placed on the
call's timeline at ``anchor + timestamp``. The anchor is the smallest
``arrival - timestamp`` of the stream, so network jitter (which only delays arrival)
does not move audio, and gaps (loss, silence suppression) stay silent. A timestamp jump
of more than two seconds against the wall clock (a re-INVITE, a new source) starts a
new segment with its own anchor.

Which side a stream belongs to comes from the SDPs in rtpengine's metadata: the
offer is the caller's side. rtpengine records either the SDP it received or the one it
sent, so both readings are used: a caller's packet comes *from* an offer endpoint or
goes *to* an answer endpoint; an agent's packet comes from an answer endpoint or goes
to an offer endpoint.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from media_plane.recordings import g711
from media_plane.recordings.pcap import Endpoint, UdpDatagram
from media_plane.recordings.rtp import RtpPacket, parse_rtp
from media_plane.recordings.rtpengine_meta import RecordingMetadata

SAMPLE_RATE = g711.SAMPLE_RATE
RESYNC_SAMPLES = 2 * SAMPLE_RATE
DEFAULT_MAX_SECONDS = 6 * 3600


class Side(StrEnum):
    """Which party a stream carries."""

    CALLER = "caller"
    AGENT = "agent"


@dataclass
class StereoAudio:
    """Decoded 16-bit samples, one array per channel, of equal length."""

    left: array
    right: array
    sample_rate: int = SAMPLE_RATE
    packets: dict[Side, int] = field(default_factory=dict)

    @property
    def frames(self) -> int:
        """Samples per channel."""
        return len(self.left)

    @property
    def duration_seconds(self) -> float:
        """Length of the recording."""
        return self.frames / self.sample_rate

    def interleaved_le(self) -> bytes:
        """Interleaved little-endian 16-bit frames, as WAV stores them."""
        frames = array("h", bytes(4 * self.frames))
        frames[0::2] = self.left
        frames[1::2] = self.right
        if sys.byteorder == "big":
            frames.byteswap()
        return frames.tobytes()


@dataclass
class _Stream:
    src: Endpoint
    dst: Endpoint
    ssrc: int
    packets: list[tuple[float, RtpPacket]] = field(default_factory=list)


def classify(
    src: Endpoint, dst: Endpoint, offer: set[Endpoint], answer: set[Endpoint]
) -> Side | None:
    """The side of a flow from the SDP endpoints, or None when they do not say."""
    caller = src in offer or dst in answer
    agent = src in answer or dst in offer
    if caller and not agent:
        return Side.CALLER
    if agent and not caller:
        return Side.AGENT
    return None


def _codec_types(metadata: RecordingMetadata | None) -> dict[int, int]:
    types = {g711.PCMU: g711.PCMU, g711.PCMA: g711.PCMA}
    if metadata is not None:
        for payload_type, name in metadata.payload_codecs.items():
            if name in ("PCMA", "PCMU") and payload_type >= 96:
                types[payload_type] = g711.PCMA if name == "PCMA" else g711.PCMU
    return types


def _ordered(stream: _Stream) -> list[tuple[float, int, RtpPacket]]:
    """Packets in sequence order with unwrapped timestamps, duplicates dropped."""
    extended_seq: list[tuple[int, float, RtpPacket]] = []
    highest: int | None = None
    for arrival, packet in stream.packets:
        if highest is None:
            extended = packet.sequence
        else:
            delta = (packet.sequence - highest) & 0xFFFF
            extended = highest + (delta - 0x10000 if delta >= 0x8000 else delta)
        highest = extended if highest is None else max(highest, extended)
        extended_seq.append((extended, arrival, packet))
    extended_seq.sort(key=lambda item: item[0])
    ordered: list[tuple[float, int, RtpPacket]] = []
    previous_seq = previous_ts = None
    unwrapped = 0
    for seq, arrival, packet in extended_seq:
        if seq == previous_seq:
            continue
        if previous_ts is not None:
            delta = (packet.timestamp - previous_ts) & 0xFFFFFFFF
            unwrapped += delta - 0x100000000 if delta >= 0x80000000 else delta
        previous_seq, previous_ts = seq, packet.timestamp
        ordered.append((arrival, unwrapped, packet))
    return ordered


def _placements(stream: _Stream, start: float, codecs: dict[int, int]) -> list[tuple[int, array]]:
    """``(sample position, samples)`` of each audio packet of one stream."""
    segments: list[list[tuple[int, int, RtpPacket]]] = []
    reference = None
    for arrival, timestamp, packet in _ordered(stream):
        offset = round((arrival - start) * SAMPLE_RATE) - timestamp
        if reference is None or abs(offset - reference) > RESYNC_SAMPLES:
            segments.append([])
            reference = offset
        segments[-1].append((offset, timestamp, packet))
    placed: list[tuple[int, array]] = []
    for segment in segments:
        anchor = min(offset for offset, _, _ in segment)
        for _, timestamp, packet in segment:
            if packet.payload_type in codecs and packet.payload:
                samples = g711.decode(packet.payload, codecs[packet.payload_type])
                placed.append((anchor + timestamp, samples))
    return placed


def _assign_sides(
    streams: list[_Stream], metadata: RecordingMetadata | None
) -> dict[Side, list[_Stream]]:
    offer = metadata.endpoints("offer") if metadata else set()
    answer = metadata.endpoints("answer") if metadata else set()
    sides: dict[Side, list[_Stream]] = {Side.CALLER: [], Side.AGENT: []}
    unknown: list[_Stream] = []
    for stream in streams:
        side = classify(stream.src, stream.dst, offer, answer)
        if side is None:
            unknown.append(stream)
        else:
            sides[side].append(stream)
    for stream in unknown:
        known = next(
            (side for side, members in sides.items() if any(m.src == stream.src for m in members)),
            None,
        )
        if known is None:
            # No SDP says: the first unheard side is the caller, who spoke first.
            known = Side.CALLER if len(sides[Side.CALLER]) <= len(sides[Side.AGENT]) else Side.AGENT
        sides[known].append(stream)
    return sides


def build_stereo(
    datagrams: Iterable[UdpDatagram],
    metadata: RecordingMetadata | None = None,
    *,
    max_seconds: int = DEFAULT_MAX_SECONDS,
) -> StereoAudio:
    """The call's stereo audio from its captured UDP datagrams."""
    codecs = _codec_types(metadata)
    streams: dict[tuple[Endpoint, Endpoint, int], _Stream] = {}
    start: float | None = None
    for datagram in datagrams:
        packet = parse_rtp(datagram.payload)
        if packet is None or packet.payload_type not in codecs:
            continue
        key = (datagram.src, datagram.dst, packet.ssrc)
        stream = streams.get(key)
        if stream is None:
            stream = streams[key] = _Stream(datagram.src, datagram.dst, packet.ssrc)
        stream.packets.append((datagram.time, packet))
        start = datagram.time if start is None else min(start, datagram.time)
    limit = max_seconds * SAMPLE_RATE
    channels: dict[Side, list[tuple[int, array]]] = {Side.CALLER: [], Side.AGENT: []}
    counts: dict[Side, int] = {Side.CALLER: 0, Side.AGENT: 0}
    ordered_streams = sorted(streams.values(), key=lambda s: min(t for t, _ in s.packets))
    for side, members in _assign_sides(ordered_streams, metadata).items():
        for stream in members:
            channels[side].extend(_placements(stream, start or 0.0, codecs))
            counts[side] += len(stream.packets)
    # Anchors may precede the first arrival (that packet was itself delayed): the
    # earliest placed sample becomes time zero.
    first = min((p for placed in channels.values() for p, _ in placed), default=0)
    for side in channels:
        channels[side] = [(position - first, samples) for position, samples in channels[side]]
    length = 0
    for placed in channels.values():
        for position, samples in placed:
            length = max(length, min(limit, position + len(samples)))
    buffers = {side: array("h", bytes(2 * length)) for side in channels}
    for side, placed in channels.items():
        buffer = buffers[side]
        for position, samples in placed:
            begin, end = max(position, 0), min(position + len(samples), length)
            if begin < end:
                buffer[begin:end] = samples[begin - position : end - position]
    return StereoAudio(left=buffers[Side.CALLER], right=buffers[Side.AGENT], packets=counts)
