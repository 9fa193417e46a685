"""G.711 A-law and µ-law (ITU-T G.711), as lookup tables built at import.

Python 3.13 removed ``audioop``; these tables replace its ``alaw2lin``/``ulaw2lin``.
Decoded samples are signed 16-bit linear PCM.
"""

from __future__ import annotations

import struct
import sys
from array import array

PCMU = 0
PCMA = 8
SAMPLE_RATE = 8000


def _alaw_to_linear(code: int) -> int:
    code ^= 0x55
    magnitude = (code & 0x0F) << 4
    segment = (code & 0x70) >> 4
    if segment == 0:
        magnitude += 8
    else:
        magnitude = (magnitude + 0x108) << (segment - 1)
    return magnitude if code & 0x80 else -magnitude


def _ulaw_to_linear(code: int) -> int:
    code = ~code & 0xFF
    magnitude = (((code & 0x0F) << 3) + 0x84) << ((code & 0x70) >> 4)
    return (0x84 - magnitude) if code & 0x80 else (magnitude - 0x84)


ALAW_TO_LINEAR: tuple[int, ...] = tuple(_alaw_to_linear(code) for code in range(256))
ULAW_TO_LINEAR: tuple[int, ...] = tuple(_ulaw_to_linear(code) for code in range(256))

_ALAW_LE = tuple(struct.pack("<h", value) for value in ALAW_TO_LINEAR)
_ULAW_LE = tuple(struct.pack("<h", value) for value in ULAW_TO_LINEAR)

_ALAW_SEGMENT_ENDS = (0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF)
_ULAW_SEGMENT_ENDS = (0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF)


def _segment(value: int, ends: tuple[int, ...]) -> int:
    for index, end in enumerate(ends):
        if value <= end:
            return index
    return len(ends)


def linear_to_alaw(sample: int) -> int:
    """The A-law code of one signed 16-bit sample."""
    value = sample >> 3
    if value >= 0:
        mask = 0xD5
    else:
        mask = 0x55
        value = -value - 1
    segment = _segment(value, _ALAW_SEGMENT_ENDS)
    if segment >= 8:
        return 0x7F ^ mask
    code = segment << 4
    code |= (value >> 1) & 0x0F if segment < 2 else (value >> segment) & 0x0F
    return code ^ mask


def linear_to_ulaw(sample: int) -> int:
    """The µ-law code of one signed 16-bit sample."""
    value = sample >> 2
    if value < 0:
        value, mask = -value, 0x7F
    else:
        mask = 0xFF
    value = min(value, 8159) + (0x84 >> 2)
    segment = _segment(value, _ULAW_SEGMENT_ENDS)
    if segment >= 8:
        return 0x7F ^ mask
    return ((segment << 4) | ((value >> (segment + 1)) & 0x0F)) ^ mask


def decode(payload: bytes, payload_type: int) -> array:
    """Signed 16-bit samples (native byte order) of a PCMA or PCMU payload."""
    if payload_type not in (PCMA, PCMU):
        raise ValueError(f"payload type {payload_type} is not G.711")
    table = _ALAW_LE if payload_type == PCMA else _ULAW_LE
    samples = array("h")
    samples.frombytes(b"".join(map(table.__getitem__, payload)))
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def encode(samples: list[int] | array, payload_type: int) -> bytes:
    """The G.711 payload (PCMA or PCMU) of signed 16-bit samples."""
    if payload_type == PCMA:
        return bytes(linear_to_alaw(int(s)) for s in samples)
    if payload_type == PCMU:
        return bytes(linear_to_ulaw(int(s)) for s in samples)
    raise ValueError(f"payload type {payload_type} is not G.711")
