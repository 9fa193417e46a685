"""The ng protocol's bencode codec."""

from __future__ import annotations

import pytest

from media_plane.rtpengine import bencode


def test_round_trip() -> None:
    value = {"command": "offer", "flags": ["trust-address"], "n": -3, "sdp": "v=0\r\n"}
    raw = bencode.encode(value)
    assert raw == b"d7:command5:offer5:flagsl13:trust-addresse1:ni-3e3:sdp5:v=0\r\ne"
    assert bencode.decode(raw) == value


def test_bytes_that_are_not_utf8_stay_bytes() -> None:
    assert bencode.decode(b"l2:\xff\xfee") == [b"\xff\xfe"]


@pytest.mark.parametrize(
    "raw", [b"", b"i12", b"5:abc", b"d3:keye", b"x", b"i1e trailing", b"-1:a", b"ixe"]
)
def test_malformed_input_raises(raw: bytes) -> None:
    with pytest.raises(bencode.BencodeError):
        bencode.decode(raw)


def test_unencodable_type() -> None:
    with pytest.raises(TypeError):
        bencode.encode({"x": 1.5})


def test_subscription_offer_gets_unique_mids() -> None:
    from media_plane.rtpengine.client import unique_mids

    sdp = "v=0\r\nm=audio 1 RTP/AVP 8\r\na=mid:1\r\nm=audio 2 RTP/AVP 8\r\na=mid:1\r\n"
    fixed = unique_mids(sdp)
    assert fixed.count("a=mid:0") == 1 and fixed.count("a=mid:1") == 1
