"""Music on hold in early media: a queued caller hears a file before any agent answers.

rtpengine plays to an offerer after an ``offer`` alone, so Hotline offers the caller's SDP,
reads the caller-facing port with ``query`` and builds the 183's answer SDP itself. It does
not answer rtpengine with a dummy peer: rtpengine 10.5 then gives the caller a different
port in the agent's 200 than in the 183, which carriers that keep the 183's SDP would
follow into silence (docs/voice.md, "The port trap"). Kamailio's own re-offer toward the
agent later comes from the same From tag and keeps that port.

An offer alone does not make rtpengine look at the caller's RFC 4733 packets (no codec
handler until something receives them), so the caller's media is also forked to a
receive-only subscriber (``subscribe request``/``answer``) whose SDP points at the discard
port: rtpengine then reports the caller's digits while queued, and the agent's answer still
finds the offer unanswered. The subscriber's tag names the caller's (``hl-dtmf-<tag>``), so
a DTMF event says who pressed (``media_plane.rtpengine.dtmf``).
"""

from __future__ import annotations

import contextlib
import logging
import re
import secrets
from dataclasses import dataclass
from typing import Any

from media_plane.kamailio.config import RTP_OFFER_PLAIN
from media_plane.rtpengine.client import RtpengineClient
from media_plane.rtpengine.errors import RtpengineError
from media_plane.sip.sdp import PLACEHOLDER_PORT, audio_address

log = logging.getLogger(__name__)

DTMF_TAG_PREFIX = "hl-dtmf-"
"""The receive-only subscriber's tag is this prefix and the caller's From tag."""

HOLD_REPEAT_TIMES = 1000
"""MOH loops until stopped; the queue's max wait ends the call long before 1000 plays."""

_STATIC_CODECS = {0: "PCMU/8000", 8: "PCMA/8000", 9: "G722/8000", 18: "G729/8000"}


class EarlyMediaError(RtpengineError):
    """The caller's offer cannot be answered in early media (no audio, no port)."""


@dataclass(frozen=True)
class HoldMedia:
    """What the caller's 183 carries, and how long one play of the file lasts."""

    sdp: str
    duration_ms: int | None


def _offered_codecs(sdp: str) -> tuple[int | None, str, int | None]:
    """The first audio codec of the offer (payload type, rtpmap) and its telephone-event
    payload type, if it offered one."""
    payloads: list[int] = []
    rtpmaps: dict[int, str] = {}
    in_audio = False
    for raw in sdp.splitlines():
        line = raw.strip()
        if line.startswith("m="):
            if in_audio:
                break
            match = re.match(r"m=audio \d+ \S+ (.*)", line)
            in_audio = match is not None
            if match:
                payloads = [int(p) for p in match.group(1).split() if p.isdigit()]
        elif in_audio and line.startswith("a=rtpmap:"):
            pt, _, name = line[len("a=rtpmap:") :].partition(" ")
            if pt.isdigit():
                rtpmaps[int(pt)] = name.strip()
    events = [p for p in payloads if rtpmaps.get(p, "").lower().startswith("telephone-event/8000")]
    audio = [p for p in payloads if p not in events]
    first = audio[0] if audio else None
    name = rtpmaps.get(first, _STATIC_CODECS.get(first, "")) if first is not None else ""
    return first, name, events[0] if events else None


def answer_sdp(offer_sdp: str, *, host: str, port: int, rtcp_port: int | None) -> str:
    """The caller's early-media answer: rtpengine's ``host:port``, the caller's first codec
    (the one rtpengine's player encodes to) and its telephone-event, so the caller may send
    RFC 4733 digits; sendrecv."""
    payload, name, event = _offered_codecs(offer_sdp)
    if payload is None:
        raise EarlyMediaError("the offer has no audio codec")
    formats = f"{payload}" + (f" {event}" if event is not None else "")
    session = secrets.randbelow(2**31)
    lines = [
        "v=0",
        f"o=hotline {session} 1 IN IP4 {host}",
        "s=hotline",
        f"c=IN IP4 {host}",
        "t=0 0",
        f"m=audio {port} RTP/AVP {formats}",
    ]
    if name:
        lines.append(f"a=rtpmap:{payload} {name}")
    if event is not None:
        lines += [f"a=rtpmap:{event} telephone-event/8000", f"a=fmtp:{event} 0-16"]
    lines.append("a=sendrecv")
    if rtcp_port is not None:
        lines.append(f"a=rtcp:{rtcp_port}")
    return "\r\n".join(lines) + "\r\n"


def _caller_ports(reply: dict[str, Any], from_tag: str) -> tuple[int, int | None]:
    """The caller-facing RTP (and RTCP) port of ``from_tag``'s first audio section."""
    tag = (reply.get("tags") or {}).get(from_tag) or {}
    for media in tag.get("medias") or []:
        if media.get("type") not in (None, "audio"):
            continue
        streams = media.get("streams") or []
        ports = [s.get("local port") for s in streams if s.get("local port") is not None]
        if ports:
            return int(ports[0]), (int(ports[1]) if len(ports) > 1 else None)
    raise EarlyMediaError(f"rtpengine has no local port for tag {from_tag}")


def discard_answer(offer_sdp: str) -> str:
    """A receive-only answer to a subscription offer, accepting every codec it offers (as
    ``subscribe answer`` requires) at the discard port."""
    out = []
    for raw in offer_sdp.split("\r\n"):
        line = raw
        if line.startswith("c=IN IP4 "):
            line = "c=IN IP4 127.0.0.1"
        elif line.startswith("m=audio "):
            parts = line.split(" ")
            parts[1] = str(PLACEHOLDER_PORT)
            line = " ".join(parts)
        elif line in ("a=sendonly", "a=sendrecv"):
            line = "a=recvonly"
        elif line.startswith(("a=rtcp:", "a=ice-", "a=candidate", "a=fingerprint", "a=setup")):
            continue
        out.append(line)
    return "\r\n".join(out)


async def _fork_for_dtmf(rtpengine: RtpengineClient, *, call_id: str, from_tag: str) -> None:
    to_tag = DTMF_TAG_PREFIX + from_tag
    reply = await rtpengine.command(
        "subscribe request", call_id=call_id, from_tag=from_tag, to_tag=to_tag
    )
    await rtpengine.subscribe_answer(call_id, to_tag=to_tag, sdp=discard_answer(str(reply["sdp"])))


async def start_hold_media(
    rtpengine: RtpengineClient,
    *,
    call_id: str,
    from_tag: str,
    offer_sdp: str,
    file: str,
    repeat_times: int = HOLD_REPEAT_TIMES,
) -> HoldMedia:
    """Open the caller's media in rtpengine and play ``file`` to them; returns the 183 SDP.

    On failure the rtpengine call is deleted (nothing half-made stays) and the error is
    raised: the caller then waits with plain ringback."""
    try:
        rewritten = await rtpengine.offer(
            call_id, from_tag=from_tag, sdp=offer_sdp, flags=RTP_OFFER_PLAIN
        )
        address = audio_address(rewritten)
        if address is None:
            raise EarlyMediaError("rtpengine's offer has no audio address")
        reply = await rtpengine.command("query", call_id=call_id)
        port, rtcp = _caller_ports(reply, from_tag)
        sdp = answer_sdp(offer_sdp, host=address.host, port=port, rtcp_port=rtcp)
        await _fork_for_dtmf(rtpengine, call_id=call_id, from_tag=from_tag)
        duration = await rtpengine.play_media(
            call_id, from_tag=from_tag, file=file, repeat_times=repeat_times
        )
    except RtpengineError:
        with contextlib.suppress(RtpengineError):
            await rtpengine.delete(call_id)
        raise
    log.info("call=%s: music on hold from %s (%s ms a play)", call_id, file, duration)
    return HoldMedia(sdp=sdp, duration_ms=duration)
