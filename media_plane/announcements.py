"""Spoken queue announcements rendered with espeak-ng, cached per text and voice.

rtpengine's player reads anything ffmpeg reads and resamples it, so espeak-ng's own WAV
(22.05 kHz, 16-bit mono) is played as is. Files are cached in a local folder under a hash
of voice and text; the flows work (prompts, uploads) replaces this for recorded prompts.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import shutil
from pathlib import Path

log = logging.getLogger(__name__)

VOICES = {"en": "en", "zh": "cmn"}
"""Hotline's announcement languages and their espeak-ng voices."""


class AnnouncementError(RuntimeError):
    """espeak-ng is missing or failed."""


def position_text(position: int, ewt_s: int, language: str = "en") -> str:
    """What a queued caller hears: their place and the estimated wait, rounded up to the
    minute (under a minute says so)."""
    minutes = max(1, -(-ewt_s // 60))
    if language == "zh":
        wait = "不到一分钟" if ewt_s < 60 else f"大约{minutes}分钟"
        return f"您目前排在第{position}位。预计等待时间{wait}。"
    wait = (
        "less than a minute"
        if ewt_s < 60
        else f"about {minutes} minute" + ("s" if minutes > 1 else "")
    )
    return f"You are number {position} in the queue. Your estimated wait is {wait}."


class AnnouncementRenderer:
    """Renders text to a WAV once per (voice, text) into ``cache_dir``."""

    def __init__(self, cache_dir: Path, *, binary: str = "espeak-ng", speed_wpm: int = 150) -> None:
        self.cache_dir = cache_dir
        self.binary = binary
        self.speed_wpm = speed_wpm

    def path_for(self, text: str, language: str) -> Path:
        """Where the rendering of ``text`` in ``language`` is (or will be) cached."""
        digest = hashlib.sha256(f"{language}\n{text}".encode()).hexdigest()[:32]
        return self.cache_dir / f"{language}-{digest}.wav"

    async def render(self, text: str, language: str = "en") -> Path:
        """The cached WAV of ``text``, rendering it first when needed."""
        voice = VOICES.get(language)
        if voice is None:
            raise AnnouncementError(f"no voice for language {language!r}")
        target = self.path_for(text, language)
        if target.exists():
            return target
        executable = shutil.which(self.binary)
        if executable is None:
            raise AnnouncementError(f"{self.binary} is not installed")
        await asyncio.to_thread(self.cache_dir.mkdir, parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.{id(text)}.tmp")
        process = await asyncio.create_subprocess_exec(
            executable,
            "-v",
            voice,
            "-s",
            str(self.speed_wpm),
            "-w",
            str(partial),
            "--",
            text,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        _, err = await process.communicate()
        if process.returncode != 0 or not partial.exists():
            partial.unlink(missing_ok=True)
            raise AnnouncementError(f"espeak-ng failed: {err.decode(errors='replace')[:200]}")
        # Atomic: a concurrent render of the same text never exposes half a file.
        partial.replace(target)
        log.info("rendered %s announcement %s", language, target.name)
        return target
