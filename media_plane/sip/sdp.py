"""The few SDP facts a third-party call controller needs: a placeholder offer to open an
rtpengine call before the far end is known, and where an SDP says its audio goes."""

from __future__ import annotations

import re
from dataclasses import dataclass

PLACEHOLDER_PORT = 9
"""The discard port: what rtpengine sends toward the customer side before the customer
answers goes nowhere."""


@dataclass(frozen=True)
class MediaAddress:
    """The connection address and port of an SDP's first audio section."""

    host: str
    port: int


def placeholder_offer(*, host: str = "127.0.0.1", session_id: int = 1) -> str:
    """A plain-RTP offer (PCMA, PCMU, telephone-event, sendrecv) standing in for a customer
    who has not been dialled yet. PCMA first: the fake carrier and most trunks here answer
    PCMA, and the browser then picks it too, so nothing is transcoded."""
    return (
        "v=0\r\n"
        f"o=hotline {session_id} 1 IN IP4 {host}\r\n"
        "s=hotline callback\r\n"
        f"c=IN IP4 {host}\r\n"
        "t=0 0\r\n"
        f"m=audio {PLACEHOLDER_PORT} RTP/AVP 8 0 101\r\n"
        "a=rtpmap:8 PCMA/8000\r\n"
        "a=rtpmap:0 PCMU/8000\r\n"
        "a=rtpmap:101 telephone-event/8000\r\n"
        "a=fmtp:101 0-16\r\n"
        "a=sendrecv\r\n"
    )


def audio_address(sdp: str) -> MediaAddress | None:
    """Where the first audio section's media goes (its own ``c=`` line, else the session's);
    None when the SDP has no audio section."""
    session_host: str | None = None
    host: str | None = None
    port: int | None = None
    section = "session"
    for raw in sdp.splitlines():
        line = raw.strip()
        if line.startswith("m="):
            if section == "audio":
                break  # only the first audio section counts
            match = re.match(r"m=audio (\d+)", line)
            section = "audio" if match and port is None else "other"
            if match and port is None:
                port = int(match.group(1))
        elif line.startswith("c="):
            parts = line[2:].split()
            address = parts[2].split("/")[0] if len(parts) >= 3 else None
            if section == "session":
                session_host = address
            elif section == "audio":
                host = address
    if port is None:
        return None
    chosen = host or session_host
    return MediaAddress(chosen, port) if chosen else None


DIRECTIONS = ("sendrecv", "sendonly", "recvonly", "inactive")
MIRROR = {
    "sendrecv": "sendrecv",
    "sendonly": "recvonly",
    "recvonly": "sendonly",
    "inactive": "inactive",
}
"""The direction an answer takes for each offered direction (RFC 3264 §6.1)."""


def direction(sdp: str) -> str:
    """The first audio section's direction (else the session's; default ``sendrecv``). The
    old hold form ``c=IN IP4 0.0.0.0`` counts as ``inactive``."""
    session = "sendrecv"
    found: str | None = None
    section = "session"
    for raw in sdp.splitlines():
        line = raw.strip()
        if line.startswith("m="):
            if section == "audio":
                break
            section = "audio" if line.startswith("m=audio") else "other"
        elif line.startswith("a=") and line[2:] in DIRECTIONS:
            if section == "session":
                session = line[2:]
            elif section == "audio":
                found = line[2:]
        elif line.startswith("c=") and section in ("session", "audio") and " 0.0.0.0" in line:
            found = "inactive"
    return found or session


def with_direction(sdp: str, wanted: str) -> str:
    """``sdp`` with every direction attribute set to ``wanted`` (added to each audio section
    that has none), and the origin version bumped, as a changed SDP must be."""
    if wanted not in DIRECTIONS:
        raise ValueError(f"unknown SDP direction {wanted!r}")
    out: list[str] = []
    in_audio = False
    has_direction = False

    def close_section() -> None:
        if in_audio and not has_direction:
            out.append(f"a={wanted}")

    for raw in sdp.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("m="):
            close_section()
            in_audio = line.startswith("m=audio")
            has_direction = False
        elif line.startswith("a=") and line[2:] in DIRECTIONS:
            line = f"a={wanted}"
            has_direction = True
        elif line.startswith("o="):
            parts = line.split()
            if len(parts) >= 3 and parts[2].isdigit():
                parts[2] = str(int(parts[2]) + 1)
                line = " ".join(parts)
        out.append(line)
    close_section()
    return "\r\n".join(out) + "\r\n"
