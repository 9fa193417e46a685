"""Bencode, the encoding of rtpengine's ng protocol (BEP 3): ints, byte strings, lists, dicts.

Strings are decoded as UTF-8 where they are valid (rtpengine's keys and most values are);
anything else stays ``bytes``.
"""

from __future__ import annotations

from typing import Any


class BencodeError(ValueError):
    """The bytes are not valid bencode."""


def encode(value: Any) -> bytes:
    """Encode ints, str/bytes, lists/tuples and dicts (keys sorted, as BEP 3 requires)."""
    out: list[bytes] = []
    _encode(value, out)
    return b"".join(out)


def _encode(value: Any, out: list[bytes]) -> None:
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int):
        out.append(b"i%de" % value)
    elif isinstance(value, str):
        raw = value.encode()
        out.append(b"%d:%s" % (len(raw), raw))
    elif isinstance(value, bytes | bytearray):
        out.append(b"%d:%s" % (len(value), bytes(value)))
    elif isinstance(value, list | tuple):
        out.append(b"l")
        for item in value:
            _encode(item, out)
        out.append(b"e")
    elif isinstance(value, dict):
        out.append(b"d")
        items = [(k.encode() if isinstance(k, str) else bytes(k), v) for k, v in value.items()]
        for key, item in sorted(items):
            out.append(b"%d:%s" % (len(key), key))
            _encode(item, out)
        out.append(b"e")
    else:
        raise TypeError(f"cannot bencode {type(value).__name__}")


def decode(data: bytes) -> Any:
    """Decode one complete value; trailing bytes are an error."""
    value, end = _decode(data, 0)
    if end != len(data):
        raise BencodeError(f"trailing data at offset {end}")
    return value


def _text(raw: bytes) -> str | bytes:
    try:
        return raw.decode()
    except UnicodeDecodeError:
        return raw


def _decode(data: bytes, pos: int) -> tuple[Any, int]:
    if pos >= len(data):
        raise BencodeError("unexpected end of data")
    lead = data[pos : pos + 1]
    if lead == b"i":
        end = data.find(b"e", pos)
        if end < 0:
            raise BencodeError("unterminated integer")
        try:
            return int(data[pos + 1 : end]), end + 1
        except ValueError as exc:
            raise BencodeError(f"bad integer at offset {pos}") from exc
    if lead == b"l":
        items: list[Any] = []
        pos += 1
        while data[pos : pos + 1] != b"e":
            item, pos = _decode(data, pos)
            items.append(item)
        return items, pos + 1
    if lead == b"d":
        result: dict[str, Any] = {}
        pos += 1
        while data[pos : pos + 1] != b"e":
            key, pos = _decode_bytes(data, pos)
            value, pos = _decode(data, pos)
            text = _text(key)
            result[text if isinstance(text, str) else text.decode("latin-1")] = value
        return result, pos + 1
    if lead.isdigit():
        raw, pos = _decode_bytes(data, pos)
        return _text(raw), pos
    raise BencodeError(f"unexpected byte {lead!r} at offset {pos}")


def _decode_bytes(data: bytes, pos: int) -> tuple[bytes, int]:
    colon = data.find(b":", pos)
    if colon < 0:
        raise BencodeError("string without length")
    try:
        length = int(data[pos:colon])
    except ValueError as exc:
        raise BencodeError(f"bad string length at offset {pos}") from exc
    start = colon + 1
    if length < 0 or start + length > len(data):
        raise BencodeError("string runs past the end")
    return data[start : start + length], start + length
