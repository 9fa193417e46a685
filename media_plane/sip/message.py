"""SIP messages as text: parse what arrives, build what a small UAC sends.

Just enough of RFC 3261 for the legs Hotline places itself through Kamailio (callbacks):
header lookup by full or compact name, tags, URIs inside name-addr, the route set of a 2xx,
and responses to in-dialog requests (BYE).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

COMPACT = {
    "v": "via",
    "f": "from",
    "t": "to",
    "i": "call-id",
    "m": "contact",
    "l": "content-length",
    "c": "content-type",
}
"""RFC 3261 compact header names and their full forms."""

_TAG = re.compile(r";\s*tag=([^;>\s,]+)", re.IGNORECASE)
_ANGLE_URI = re.compile(r"<([^>]+)>")


class SipParseError(ValueError):
    """A datagram that is not a SIP message."""


@dataclass(frozen=True)
class SipMessage:
    """A parsed request or response; header names are kept lower-case, in order."""

    start_line: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""

    @property
    def is_request(self) -> bool:
        """True for a request (``INVITE sip:… SIP/2.0``), False for a response."""
        return not self.start_line.startswith("SIP/2.0 ")

    @property
    def method(self) -> str:
        """The request's method, or the method of the request a response answers (CSeq)."""
        if self.is_request:
            return self.start_line.split(" ", 1)[0].upper()
        return self.cseq[1]

    @property
    def status(self) -> int:
        """A response's status code (0 for a request)."""
        if self.is_request:
            return 0
        return int(self.start_line.split(" ", 2)[1])

    @property
    def reason(self) -> str:
        """A response's reason phrase."""
        parts = self.start_line.split(" ", 2)
        return parts[2] if len(parts) > 2 else ""

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or None."""
        wanted = name.lower()
        for key, value in self.headers:
            if key == wanted:
                return value
        return None

    def all(self, name: str) -> list[str]:
        """Every value of ``name``, comma-separated values split (for Via, Record-Route)."""
        wanted = name.lower()
        values: list[str] = []
        for key, value in self.headers:
            if key == wanted:
                values.extend(split_commas(value))
        return values

    @property
    def call_id(self) -> str:
        """The Call-ID."""
        return self.header("call-id") or ""

    @property
    def cseq(self) -> tuple[int, str]:
        """``(number, method)`` of the CSeq header."""
        number, _, method = (self.header("cseq") or "0 ").partition(" ")
        return int(number or 0), method.strip().upper()

    @property
    def branch(self) -> str:
        """The branch of the top Via (matches a response to its client transaction)."""
        top = self.all("via")
        match = re.search(r";\s*branch=([^;,\s]+)", top[0]) if top else None
        return match.group(1) if match else ""

    @property
    def from_tag(self) -> str:
        """The From tag."""
        return tag_of(self.header("from") or "")

    @property
    def to_tag(self) -> str:
        """The To tag."""
        return tag_of(self.header("to") or "")

    def route_set(self) -> list[str]:
        """The route set a UAC keeps from a 2xx: its Record-Route values, reversed."""
        return list(reversed(self.all("record-route")))


def split_commas(value: str) -> list[str]:
    """Split a header value on commas outside ``<…>`` and quotes."""
    parts: list[str] = []
    depth = 0
    quoted = False
    current: list[str] = []
    for char in value:
        if char == '"':
            quoted = not quoted
        elif not quoted and char == "<":
            depth += 1
        elif not quoted and char == ">":
            depth = max(0, depth - 1)
        if char == "," and depth == 0 and not quoted:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    if "".join(current).strip():
        parts.append("".join(current).strip())
    return parts


def tag_of(value: str) -> str:
    """The ``tag`` parameter of a From/To value."""
    match = _TAG.search(value)
    return match.group(1) if match else ""


def uri_of(value: str) -> str:
    """The URI inside a name-addr (``"x" <sip:a@b>;p=1`` → ``sip:a@b``)."""
    match = _ANGLE_URI.search(value)
    return match.group(1) if match else value.split(";")[0].strip()


def parse(data: bytes | str) -> SipMessage:
    """Parse one datagram; raises ``SipParseError`` when it is not SIP."""
    text = data.decode(errors="replace") if isinstance(data, bytes) else data
    head, _, body = text.partition("\r\n\r\n")
    lines = head.split("\r\n")
    start = lines[0].strip()
    if not (start.startswith("SIP/2.0 ") or start.endswith(" SIP/2.0")):
        raise SipParseError(f"not a SIP start line: {start[:60]!r}")
    if start.startswith("SIP/2.0 ") and not start.split(" ", 2)[1].isdigit():
        raise SipParseError(f"bad status line: {start[:60]!r}")
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if line[:1] in (" ", "\t") and headers:
            # A folded continuation line belongs to the previous header.
            name, value = headers[-1]
            headers[-1] = (name, f"{value} {line.strip()}")
            continue
        name, sep, value = line.partition(":")
        if not sep:
            continue
        key = name.strip().lower()
        headers.append((COMPACT.get(key, key), value.strip()))
    return SipMessage(start_line=start, headers=headers, body=body)


def new_tag() -> str:
    """A fresh From/To tag."""
    return secrets.token_hex(6)


def new_branch() -> str:
    """A fresh RFC 3261 branch (magic cookie prefix)."""
    return f"z9hG4bK{secrets.token_hex(8)}"


def response(
    request: SipMessage,
    status: int,
    reason: str,
    *,
    to_tag: str = "",
    contact: str = "",
    sdp: str = "",
) -> str:
    """A response to ``request`` (every Via copied, in order); ``to_tag`` is added to To
    when it has none (a dialog-creating answer); ``contact`` and an ``sdp`` body for a 2xx
    to an INVITE."""
    to = request.header("to") or ""
    if to_tag and not tag_of(to):
        to = f"{to};tag={to_tag}"
    vias = "".join(f"Via: {via}\r\n" for via in request.all("via"))
    number, method = request.cseq
    extra = f"Contact: <{contact}>\r\n" if contact else ""
    if sdp:
        extra += "Content-Type: application/sdp\r\n"
    return (
        f"SIP/2.0 {status} {reason}\r\n"
        f"{vias}"
        f"From: {request.header('from') or ''}\r\n"
        f"To: {to}\r\n"
        f"Call-ID: {request.call_id}\r\n"
        f"CSeq: {number} {method}\r\n"
        f"{extra}"
        "Server: hotline\r\n"
        f"Content-Length: {len(sdp.encode())}\r\n\r\n{sdp}"
    )
