"""A tiny blocking SIP-over-UDP client: REGISTER with digest auth (the load test's agents and
the tests' registrations) and raw, possibly malformed, requests (the edge tests). It lives
here rather than under ``tests/`` so ``loadtest/`` can use it without importing test code."""

from __future__ import annotations

import hashlib
import re
import socket
import uuid


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 - SIP digest is MD5


def send_raw(
    target: tuple[str, int], message: str, timeout: float = 2.0, *, source: str = "127.0.0.1"
) -> str | None:
    """Send one datagram from ``source``; the first reply that is final (>=200), or None on
    silence."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((source, 0))
        sock.settimeout(timeout)
        sock.sendto(message.replace("\n", "\r\n").encode(), target)
        try:
            while True:
                data, _ = sock.recvfrom(65535)
                text = data.decode(errors="replace")
                if status_of(text) >= 200:
                    return text
        except TimeoutError:
            return None


def status_of(reply: str) -> int:
    """The status code of a SIP reply."""
    return int(reply.split(" ", 2)[1])


def register(
    target: tuple[str, int],
    *,
    aor_user: str,
    domain: str,
    contact: str,
    username: str | None = None,
    password: str | None = None,
    expires: int = 600,
    source: str = "127.0.0.1",
) -> tuple[int, str]:
    """REGISTER ``aor_user@domain`` from ``source``; answers a 401 with digest when
    credentials are given."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((source, 0))
        sock.settimeout(3)
        port = sock.getsockname()[1]
        call_id = uuid.uuid4().hex
        tag = uuid.uuid4().hex[:8]

        def request(cseq: int, auth: str = "") -> str:
            return (
                f"REGISTER sip:{domain} SIP/2.0\r\n"
                f"Via: SIP/2.0/UDP {source}:{port};rport;branch=z9hG4bK{uuid.uuid4().hex}\r\n"
                f"From: <sip:{aor_user}@{domain}>;tag={tag}\r\n"
                f"To: <sip:{aor_user}@{domain}>\r\n"
                f"Call-ID: {call_id}\r\n"
                f"CSeq: {cseq} REGISTER\r\n"
                f"Contact: <{contact}>\r\n"
                f"Expires: {expires}\r\n"
                f"Max-Forwards: 70\r\n"
                f"{auth}"
                f"Content-Length: 0\r\n\r\n"
            )

        def exchange(message: str) -> str:
            sock.sendto(message.encode(), target)
            while True:
                text = sock.recv(65535).decode(errors="replace")
                if status_of(text) >= 200:
                    return text

        reply = exchange(request(1))
        if status_of(reply) != 401 or username is None or password is None:
            return status_of(reply), reply
        challenge = re.search(r"WWW-Authenticate:\s*Digest\s+(.*)", reply, re.IGNORECASE)
        assert challenge, reply
        fields = dict(re.findall(r'(\w+)="?([^",]+)"?', challenge.group(1)))
        realm, nonce = fields["realm"], fields["nonce"]
        uri = f"sip:{domain}"
        ha1 = _md5(f"{username}:{realm}:{password}")
        ha2 = _md5(f"REGISTER:{uri}")
        qop = fields.get("qop")
        if qop:
            nc, cnonce = "00000001", uuid.uuid4().hex[:8]
            response = _md5(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
            extra = f', qop=auth, nc={nc}, cnonce="{cnonce}"'
        else:
            response = _md5(f"{ha1}:{nonce}:{ha2}")
            extra = ""
        auth = (
            f'Authorization: Digest username="{username}", realm="{realm}", nonce="{nonce}", '
            f'uri="{uri}", response="{response}", algorithm=MD5{extra}\r\n'
        )
        reply = exchange(request(2, auth))
        return status_of(reply), reply
