"""G.711 tables against the standard's fixed points and round trips."""

from __future__ import annotations

import pytest

from media_plane.recordings import g711


def test_known_values() -> None:
    assert g711.ALAW_TO_LINEAR[0xD5] == 8
    assert g711.ALAW_TO_LINEAR[0x55] == -8
    assert g711.ALAW_TO_LINEAR[0xAA] == 32256
    assert g711.ALAW_TO_LINEAR[0x2A] == -32256
    assert g711.ULAW_TO_LINEAR[0xFF] == 0
    assert g711.ULAW_TO_LINEAR[0x80] == 32124
    assert g711.ULAW_TO_LINEAR[0x00] == -32124


@pytest.mark.parametrize("payload_type", [g711.PCMA, g711.PCMU])
def test_every_code_round_trips(payload_type: int) -> None:
    table = g711.ALAW_TO_LINEAR if payload_type == g711.PCMA else g711.ULAW_TO_LINEAR
    codes = bytes(range(256))
    decoded = g711.decode(codes, payload_type)
    assert list(decoded) == list(table)
    again = g711.encode(decoded, payload_type)
    mismatched = [code for code in range(256) if again[code] != code]
    # µ-law has two zeros (0x7F, 0xFF); the encoder picks positive zero.
    assert mismatched == ([] if payload_type == g711.PCMA else [0x7F])


def test_encoding_is_monotonic_and_close() -> None:
    for sample in range(-32768, 32768, 97):
        for payload_type in (g711.PCMA, g711.PCMU):
            code = g711.encode([sample], payload_type)
            back = g711.decode(code, payload_type)[0]
            assert abs(back - sample) <= max(64, abs(sample) // 15)


def test_rejects_other_codecs() -> None:
    with pytest.raises(ValueError):
        g711.decode(b"\x00", 9)
