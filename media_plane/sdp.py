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
