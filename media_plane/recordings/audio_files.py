"""Writing a call's stereo audio: WAV always, MP3 when ``lameenc`` is installed."""

from __future__ import annotations

import importlib.util
import io
import os
import wave
from pathlib import Path

from media_plane.recordings.stereo import StereoAudio

CONTENT_TYPES = {"wav": "audio/wav", "mp3": "audio/mpeg"}


def mp3_available() -> bool:
    """True when the optional MP3 encoder (``lameenc``) is importable."""
    return importlib.util.find_spec("lameenc") is not None


def _atomic(path: Path, data: bytes) -> None:
    partial = path.with_name(path.name + ".part")
    with partial.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(path)


def wav_bytes(audio: StereoAudio) -> bytes:
    """A 16-bit stereo PCM WAV file (caller left, agent right)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(audio.sample_rate)
        out.writeframes(audio.interleaved_le())
    return buffer.getvalue()


def mp3_bytes(audio: StereoAudio, *, bitrate_kbps: int = 32) -> bytes:
    """A stereo MP3 of the call (needs ``lameenc``)."""
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(bitrate_kbps)
    encoder.set_in_sample_rate(audio.sample_rate)
    encoder.set_channels(2)
    encoder.set_quality(5)
    return bytes(encoder.encode(audio.interleaved_le()) + encoder.flush())


def write_audio(audio: StereoAudio, path: Path, audio_format: str) -> None:
    """Write ``audio`` to ``path`` (atomically) as ``wav`` or ``mp3``."""
    if audio_format == "wav":
        _atomic(path, wav_bytes(audio))
    elif audio_format == "mp3":
        _atomic(path, mp3_bytes(audio))
    else:
        raise ValueError(f"unsupported recording format {audio_format!r}")
