"""Hotline's default music on hold: shipped, reproducible from its generator, playable."""

from __future__ import annotations

import struct
import wave

from media_plane.prompts import hold_music


def test_the_shipped_file_is_what_the_generator_makes() -> None:
    with wave.open(str(hold_music.DEFAULT_HOLD_MUSIC), "rb") as handle:
        assert (handle.getframerate(), handle.getnchannels(), handle.getsampwidth()) == (8000, 1, 2)
        frames = handle.readframes(handle.getnframes())
    shipped = struct.unpack(f"<{len(frames) // 2}h", frames)
    made = hold_music.samples()
    assert len(shipped) == len(made) == 24 * 8000
    # Floating-point libm may differ in the last bit on another machine: allow ±1.
    assert max(abs(a - b) for a, b in zip(shipped, made, strict=True)) <= 1
    assert max(abs(s) for s in shipped) > 3000  # audible, never clipping
    assert max(abs(s) for s in shipped) < 32767
    assert hold_music.LICENCE == "CC0-1.0"
