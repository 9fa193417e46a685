"""Prompt audio: text-to-speech with espeak-ng, upload checks and conversion with SoX.

Every prompt is stored in one format, the media plane's: **WAV, 8 kHz, mono, 16-bit signed
PCM**. G.711 (what Hotline speaks toward carriers, docs/media-plane.md) is 8 kHz, so
rtpengine's ``play media`` only encodes samples and never resamples; WAV is read by the
libavformat rtpengine's player is built on, and by every browser for preview.

Tools (Debian packages, installed by ``.ci/run``): ``espeak-ng`` (voices ``en-us`` and
``cmn``, Mandarin, from ``espeak-ng-data``), ``sox`` and ``libsox-fmt-mp3`` (MP3 input).
Text reaches espeak-ng on its standard input, never as an argument.
"""

from __future__ import annotations

import hashlib
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

from tenants.errors import BadUserInput

SAMPLE_RATE = 8000
CONTENT_TYPE = "audio/wav"
VOICES = {"en-us": "English (US)", "cmn": "Mandarin Chinese"}
"""espeak-ng voice name → what the console shows."""
MAX_TEXT_CHARS = 2000
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PROMPT_SECONDS = 300
MAX_MUSIC_SECONDS = 1200
TOOL_TIMEOUT_S = 60
_SOX_OUT = ["-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "wav"]


class AudioToolError(RuntimeError):
    """espeak-ng or SoX failed on input that should have worked (an operator problem)."""


@dataclass(frozen=True)
class Audio:
    """A file in the media plane's format, ready for the store."""

    path: Path
    duration_ms: int
    size_bytes: int
    sha256: str


def render_key(text: str, voice: str) -> str:
    """The cache key of a render: the same text in the same voice is rendered once."""
    return hashlib.sha256(f"espeak-ng\n{voice}\n{text}".encode()).hexdigest()


def _run(args: list[str], *, stdin: bytes | None = None) -> None:
    try:
        # Fixed programs and flags; text arrives on stdin, files are our own temp paths.
        subprocess.run(  # noqa: S603
            args, input=stdin, capture_output=True, check=True, timeout=TOOL_TIMEOUT_S
        )
    except FileNotFoundError as err:
        raise AudioToolError(f"{args[0]} is not installed") from err
    except subprocess.CalledProcessError as err:
        raise AudioToolError(f"{args[0]} failed: {err.stderr.decode(errors='replace')}") from err
    except subprocess.TimeoutExpired as err:
        raise AudioToolError(f"{args[0]} timed out") from err


def describe(path: Path) -> Audio:
    """Duration, size and checksum of a WAV in the media plane's format."""
    with wave.open(str(path), "rb") as handle:
        frames, rate = handle.getnframes(), handle.getframerate()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return Audio(
        path=path,
        duration_ms=round(frames * 1000 / rate),
        size_bytes=path.stat().st_size,
        sha256=digest,
    )


def render_tts(text: str, voice: str, workdir: Path) -> Audio:
    """``text`` spoken by espeak-ng's ``voice``, converted to the media plane's format."""
    raw, out = workdir / "tts-raw.wav", workdir / "tts.wav"
    _run(["espeak-ng", "-v", voice, "-w", str(raw), "--stdin"], stdin=text.encode())
    _run(["sox", str(raw), *_SOX_OUT, str(out)])
    return describe(out)


def sniff(data: bytes) -> str | None:
    """``wav`` or ``mp3`` from the first bytes, or None for anything else."""
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "wav"
    if data[:3] == b"ID3":
        return "mp3"
    # An MPEG audio frame: 11 sync bits, then a layer other than "reserved".
    if len(data) >= 2 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0 and data[1] & 0x06:
        return "mp3"
    return None


def check_upload(data: bytes, *, field: str = "file") -> str:
    """The upload's format; BAD_USER_INPUT when it is empty, too large or not WAV/MP3."""
    if not data:
        raise BadUserInput(f"{field}: the file is empty", field=field)
    if len(data) > MAX_UPLOAD_BYTES:
        limit = MAX_UPLOAD_BYTES // (1024 * 1024)
        raise BadUserInput(f"{field}: the file is larger than {limit} MiB", field=field)
    kind = sniff(data)
    if kind is None:
        raise BadUserInput(f"{field}: not a WAV or MP3 file", field=field)
    return kind


def convert_upload(data: bytes, kind: str, workdir: Path, *, max_seconds: int) -> Audio:
    """An uploaded WAV/MP3 in the media plane's format; BAD_USER_INPUT when SoX cannot
    read it, it holds no sound, or it lasts longer than ``max_seconds``."""
    source, out = workdir / f"source.{kind}", workdir / "converted.wav"
    source.write_bytes(data)
    try:
        _run(["sox", "-t", kind, str(source), *_SOX_OUT, str(out)])
        audio = describe(out)
    except (AudioToolError, wave.Error, EOFError) as err:
        raise BadUserInput("file: the audio could not be read", field="file") from err
    if audio.duration_ms == 0:
        raise BadUserInput("file: the audio is empty", field="file")
    if audio.duration_ms > max_seconds * 1000:
        raise BadUserInput(f"file: the audio is longer than {max_seconds} s", field="file")
    return audio
