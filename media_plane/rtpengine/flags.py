"""Kamailio's rtpengine flag strings as ng dictionaries.

Kamailio's config passes rtpengine flags as one string (``"replace-origin ICE=force
RTP/SAVPF rtcp-mux-offer …"``) and its module turns them into the ng dictionary. Hotline's
own ng offers (callbacks) must use exactly the same flags as Kamailio toward the same kind of
endpoint, so they are written once (``media_plane/kamailio/config.py``) and translated here
the way the module does.
"""

from __future__ import annotations

from typing import Any

_LIST_PREFIXES = {
    "replace-": "replace",
    "rtcp-mux-": "rtcp-mux",
    "SDES-": "SDES",
    "direction=": "direction",
}
_TRANSPORTS = {"RTP/AVP", "RTP/SAVP", "RTP/AVPF", "RTP/SAVPF", "UDP/TLS/RTP/SAVPF"}
_LISTS = {"replace", "rtcp-mux", "SDES", "direction", "flags"}


def ng_flags(flags: str) -> dict[str, Any]:
    """``"replace-origin ICE=force RTP/SAVPF SDES-off generate-mid record-call=yes"`` →
    ``{"replace": ["origin"], "ICE": "force", "transport-protocol": "RTP/SAVPF",
    "SDES": ["off"], "flags": ["generate-mid"], "record-call": "yes"}``."""
    out: dict[str, Any] = {}

    def add(key: str, value: str) -> None:
        if key in _LISTS:
            out.setdefault(key, []).append(value)
        else:
            out[key] = value

    for token in flags.split():
        if token in _TRANSPORTS:
            out["transport-protocol"] = token
            continue
        for prefix, key in _LIST_PREFIXES.items():
            if token.startswith(prefix) and len(token) > len(prefix):
                add(key, token[len(prefix) :])
                break
        else:
            name, sep, value = token.partition("=")
            if sep:
                add(name, value)
            else:
                add("flags", token)
    return out
