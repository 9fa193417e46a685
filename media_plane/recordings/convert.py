"""One finished rtpengine recording (pcap + metadata) → a stereo audio file."""

from __future__ import annotations

from pathlib import Path

from media_plane.recordings.audio_files import write_audio
from media_plane.recordings.pcap import read_udp
from media_plane.recordings.rtpengine_meta import RecordingMetadata
from media_plane.recordings.stereo import StereoAudio, build_stereo


def convert_pcap(
    pcap: Path, output: Path, *, metadata: RecordingMetadata | None, audio_format: str = "wav"
) -> StereoAudio:
    """Decode ``pcap`` into stereo audio (caller left, agent right) written to ``output``."""
    audio = build_stereo(read_udp(pcap), metadata)
    write_audio(audio, output, audio_format)
    return audio
