"""rtpengine's pcap-recording metadata file (``metadata/rtpengine-meta-<callid>-<tag>.txt``).

rtpengine writes the file in ``tmp/`` while the call runs and renames it into
``metadata/`` when the recording finishes, so a file there means the call's pcap is
complete. Its layout (rtpengine 10.5, ``recording.c``)::

    <pcap path>

    [Label: <label>]
    Timestamp started ms: <ms>
    SDP mode: offer|answer|...
    SDP before RTP packet: <n>

    <SDP>                      (repeated for each offer and answer)
    Timestamp terminated ms(first monologue): <ms>

    call start time: YYYY-MM-DDThh:mm:ss     (rtpengine's local time)
    call end time: YYYY-MM-DDThh:mm:ss

    <the offer's "metadata" flag, verbatim>

Hotline stamps the ng offer with ``metadata=tenant=<uuid>|agent=<uuid>`` (any of the
separators ``| ; , newline`` and ``=`` or ``:`` between key and value are accepted).
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from media_plane.recordings.pcap import Endpoint

_FILE_STEM = re.compile(r"^(?P<callid>.+)-(?P<tag>[0-9a-fA-F]{16})$")
_SDP_LINE = re.compile(r"^[a-z]=")
_PAIR_SEPARATORS = re.compile(r"[|;,\n]+")


@dataclass
class SdpBlock:
    """One SDP rtpengine saw, with its role in the offer/answer exchange."""

    mode: str
    label: str | None = None
    lines: list[str] = field(default_factory=list)

    @property
    def audio_endpoints(self) -> set[Endpoint]:
        """The (address, port) of each audio stream in this SDP."""
        session_address: str | None = None
        endpoints: set[Endpoint] = set()
        media: list[tuple[int, str | None]] = []
        for line in self.lines:
            if line.startswith("c="):
                parts = line[2:].split()
                address = parts[2].split("/")[0] if len(parts) >= 3 else None
                if media:
                    media[-1] = (media[-1][0], address)
                else:
                    session_address = address
            elif line.startswith("m="):
                parts = line[2:].split()
                port = int(parts[1].split("/")[0]) if len(parts) > 1 and parts[0] == "audio" else 0
                media.append((port, None))
        for port, address in media:
            chosen = address or session_address
            if port and chosen:
                endpoints.add((chosen, port))
        return endpoints

    @property
    def payload_codecs(self) -> dict[int, str]:
        """``a=rtpmap`` payload types mapped to upper-case encoding names."""
        codecs: dict[int, str] = {}
        for line in self.lines:
            match = re.match(r"^a=rtpmap:(\d+)\s+([^/\s]+)", line)
            if match:
                codecs[int(match.group(1))] = match.group(2).upper()
        return codecs


@dataclass
class RecordingMetadata:
    """What one finished rtpengine recording says about itself."""

    path: Path
    call_id: str
    tag: str
    pcap_path: Path | None
    sdps: list[SdpBlock]
    start_time: datetime | None
    end_time: datetime | None
    metadata: str

    @property
    def ended(self) -> bool:
        """True once rtpengine has written the call's end (the pcap is complete)."""
        return self.end_time is not None

    @property
    def fields(self) -> dict[str, str]:
        """``key=value`` pairs of the offer's metadata flag (keys lower-cased)."""
        return parse_metadata_pairs(self.metadata)

    def endpoints(self, mode: str) -> set[Endpoint]:
        """Audio endpoints of every SDP of ``mode`` (``offer`` or ``answer``)."""
        found: set[Endpoint] = set()
        for block in self.sdps:
            if block.mode == mode:
                found |= block.audio_endpoints
        return found

    @property
    def payload_codecs(self) -> dict[int, str]:
        """Every SDP's rtpmap merged (later SDPs win)."""
        codecs: dict[int, str] = {}
        for block in self.sdps:
            codecs.update(block.payload_codecs)
        return codecs


def parse_metadata_pairs(text: str) -> dict[str, str]:
    """``tenant=…|agent=…`` (or ``;``, ``,``, newlines; ``:`` also separates) as a dict."""
    pairs: dict[str, str] = {}
    for chunk in _PAIR_SEPARATORS.split(text):
        match = re.match(r"^\s*([A-Za-z0-9_.-]+)\s*[=:]\s*(.*?)\s*$", chunk)
        if match:
            pairs[match.group(1).lower()] = match.group(2)
    return pairs


def _local_time(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.strip()).astimezone().astimezone(UTC)
    except ValueError:
        return None


def call_id_from_file_name(name: str) -> tuple[str, str]:
    """``(sip call id, random tag)`` from a metadata or pcap file name."""
    stem = name.removeprefix("rtpengine-meta-")
    for suffix in (".txt", ".pcap", ".tmp"):
        stem = stem.removesuffix(suffix)
    match = _FILE_STEM.match(stem)
    if match is None:
        raise ValueError(f"{name}: not an rtpengine recording file name")
    return urllib.parse.unquote(match.group("callid")), match.group("tag")


def parse_metadata_file(path: Path) -> RecordingMetadata:
    """Parse one rtpengine metadata file."""
    call_id, tag = call_id_from_file_name(path.name)
    text = path.read_text(encoding="utf-8", errors="replace")
    pcap_path: Path | None = None
    sdps: list[SdpBlock] = []
    label: str | None = None
    current: SdpBlock | None = None
    start_time = end_time = None
    trailer: list[str] = []
    in_trailer = False
    for line in text.splitlines():
        stripped = line.strip()
        if in_trailer:
            if stripped:
                trailer.append(stripped)
            continue
        if pcap_path is None and not sdps and stripped.endswith(".pcap"):
            pcap_path = Path(stripped)
            continue
        if current is not None and _SDP_LINE.match(line):
            current.lines.append(stripped)
            continue
        if not stripped or stripped.startswith("SDP before RTP packet: "):
            continue
        current = None
        if stripped.startswith("Label: "):
            label = stripped.removeprefix("Label: ")
        elif stripped.startswith("SDP mode: "):
            current = SdpBlock(mode=stripped.removeprefix("SDP mode: ").lower(), label=label)
            sdps.append(current)
            label = None
        elif stripped.startswith("call start time: "):
            start_time = _local_time(stripped.removeprefix("call start time: "))
        elif stripped.startswith("call end time: "):
            end_time = _local_time(stripped.removeprefix("call end time: "))
            in_trailer = True
    return RecordingMetadata(
        path=path,
        call_id=call_id,
        tag=tag,
        pcap_path=pcap_path,
        sdps=sdps,
        start_time=start_time,
        end_time=end_time,
        metadata="\n".join(trailer),
    )
