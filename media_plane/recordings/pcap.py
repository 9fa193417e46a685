"""A small reader of classic pcap files, yielding the UDP datagrams inside.

rtpengine writes linktype 101 (raw IP); Ethernet, Linux cooked (SLL), BSD loopback and
raw IPv4/IPv6 linktypes are read too so captures from other tools convert as well.
IPv4 fragments other than the first and truncated records are skipped.
"""

from __future__ import annotations

import ipaddress
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

LINKTYPE_NULL = 0
LINKTYPE_ETHERNET = 1
LINKTYPE_RAW = 101
LINKTYPE_LINUX_SLL = 113
LINKTYPE_IPV4 = 228
LINKTYPE_IPV6 = 229

_MAGICS = {
    b"\xd4\xc3\xb2\xa1": ("<", 1e-6),
    b"\xa1\xb2\xc3\xd4": (">", 1e-6),
    b"\x4d\x3c\xb2\xa1": ("<", 1e-9),
    b"\xa1\xb2\x3c\x4d": (">", 1e-9),
}

Endpoint = tuple[str, int]


class PcapError(ValueError):
    """The file is not a pcap this reader understands."""


@dataclass(frozen=True)
class UdpDatagram:
    """One UDP datagram with its capture time (seconds since the epoch)."""

    time: float
    src: Endpoint
    dst: Endpoint
    payload: bytes


def _ip_payload(frame: bytes, linktype: int) -> bytes | None:
    if linktype in (LINKTYPE_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6):
        return frame
    if linktype == LINKTYPE_ETHERNET:
        offset, ethertype = 14, frame[12:14]
        while ethertype == b"\x81\x00" and len(frame) >= offset + 4:
            ethertype = frame[offset + 2 : offset + 4]
            offset += 4
        return frame[offset:] if ethertype in (b"\x08\x00", b"\x86\xdd") else None
    if linktype == LINKTYPE_LINUX_SLL:
        return frame[16:] if frame[14:16] in (b"\x08\x00", b"\x86\xdd") else None
    if linktype == LINKTYPE_NULL:
        return frame[4:]
    return None


def _udp_in_ip(packet: bytes, time: float) -> UdpDatagram | None:
    if not packet:
        return None
    version = packet[0] >> 4
    if version == 4:
        if len(packet) < 20:
            return None
        header_len = (packet[0] & 0x0F) * 4
        total_len = struct.unpack_from("!H", packet, 2)[0]
        fragment = struct.unpack_from("!H", packet, 6)[0]
        if packet[9] != 17 or fragment & 0x1FFF:
            return None
        src_ip = str(ipaddress.IPv4Address(packet[12:16]))
        dst_ip = str(ipaddress.IPv4Address(packet[16:20]))
        udp = packet[header_len : total_len or None]
    elif version == 6:
        if len(packet) < 40 or packet[6] != 17:
            return None
        src_ip = str(ipaddress.IPv6Address(packet[8:24]))
        dst_ip = str(ipaddress.IPv6Address(packet[24:40]))
        udp = packet[40:]
    else:
        return None
    if len(udp) < 8:
        return None
    src_port, dst_port, length = struct.unpack_from("!HHH", udp, 0)
    if length < 8 or length > len(udp):
        return None
    return UdpDatagram(time, (src_ip, src_port), (dst_ip, dst_port), bytes(udp[8:length]))


def _read_exact(handle: BinaryIO, size: int) -> bytes | None:
    data = handle.read(size)
    return data if len(data) == size else None


def read_udp(path: Path) -> Iterator[UdpDatagram]:
    """Every complete UDP datagram of the capture at ``path``, in file order."""
    with path.open("rb") as handle:
        header = _read_exact(handle, 24)
        if header is None or header[:4] not in _MAGICS:
            raise PcapError(f"{path.name}: not a pcap file")
        order, unit = _MAGICS[header[:4]]
        linktype = struct.unpack(order + "I", header[20:24])[0] & 0x0FFFFFFF
        record = struct.Struct(order + "IIII")
        while (raw := _read_exact(handle, 16)) is not None:
            seconds, fraction, captured, original = record.unpack(raw)
            frame = _read_exact(handle, captured)
            if frame is None:
                return  # the writer stopped mid-record (a crash): keep what is whole
            if captured < original:
                continue
            ip = _ip_payload(frame, linktype)
            datagram = _udp_in_ip(ip, seconds + fraction * unit) if ip else None
            if datagram is not None:
                yield datagram
