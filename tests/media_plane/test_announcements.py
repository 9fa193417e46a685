"""Announcement texts and their espeak-ng rendering cache (real espeak-ng)."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from media_plane.announcements import AnnouncementError, AnnouncementRenderer, position_text
from tests.media_plane.conftest import require_binaries


def test_texts_round_the_wait_up_to_the_minute() -> None:
    assert position_text(3, 30) == (
        "You are number 3 in the queue. Your estimated wait is less than a minute."
    )
    assert position_text(1, 60).endswith("about 1 minute.")
    assert position_text(2, 61).endswith("about 2 minutes.")
    assert position_text(4, 150, "zh") == "您目前排在第4位。预计等待时间大约3分钟。"


async def test_renders_once_per_text_and_voice(tmp_path: Path) -> None:
    require_binaries("espeak-ng")
    renderer = AnnouncementRenderer(tmp_path / "cache")
    first = await renderer.render(position_text(1, 90))
    with wave.open(str(first)) as audio:
        assert audio.getnchannels() == 1 and audio.getnframes() > audio.getframerate()
    stamp = first.stat().st_mtime_ns
    again = await renderer.render(position_text(1, 90))
    assert again == first and again.stat().st_mtime_ns == stamp  # cached, not re-rendered
    mandarin = await renderer.render(position_text(1, 90, "zh"), "zh")
    assert mandarin != first and mandarin.stat().st_size > 1000
    assert sorted(p.suffix for p in (tmp_path / "cache").iterdir()) == [".wav", ".wav"]
    with pytest.raises(AnnouncementError, match="no voice"):
        await renderer.render("bonjour", "fr")
    with pytest.raises(AnnouncementError, match="not installed"):
        await AnnouncementRenderer(tmp_path / "x", binary="no-such-espeak").render("hi")
