"""RTP headers (RFC 3550): enough to order, place and decode audio payloads."""

from __future__ import annotations

import struct
from dataclasses import dataclass

_HEADER = struct.Struct("!BBHII")


@dataclass(frozen=True)
class RtpPacket:
    """One RTP packet's header fields and payload."""

    payload_type: int
    marker: bool
    sequence: int
    timestamp: int
    ssrc: int
    payload: bytes


def parse_rtp(data: bytes) -> RtpPacket | None:
    """The RTP packet in ``data``, or None for RTCP, STUN, DTLS and anything malformed."""
    if len(data) < 12:
        return None
    first, second, sequence, timestamp, ssrc = _HEADER.unpack_from(data, 0)
    if first >> 6 != 2:
        return None
    payload_type = second & 0x7F
    # RTCP shares the port under rtcp-mux; its packet types 200-204 read as PT 72-76.
    if 72 <= payload_type <= 76:
        return None
    offset = 12 + 4 * (first & 0x0F)
    if first & 0x10:
        if len(data) < offset + 4:
            return None
        offset += 4 + 4 * struct.unpack_from("!H", data, offset + 2)[0]
    end = len(data)
    if first & 0x20:
        if end == 0 or data[-1] == 0:
            return None
        end -= data[-1]
    if end < offset:
        return None
    return RtpPacket(
        payload_type=payload_type,
        marker=bool(second & 0x80),
        sequence=sequence,
        timestamp=timestamp,
        ssrc=ssrc,
        payload=bytes(data[offset:end]),
    )
