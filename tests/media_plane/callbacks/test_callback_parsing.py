"""The SIP, SDP and rtpengine-flag helpers of the callback bridge (no services needed)."""

from __future__ import annotations

import pytest

from media_plane.callbacks.bridge import (
    agent_failure_reason,
    callback_header,
    customer_failure_reason,
    dialled_user,
)
from media_plane.kamailio.config import RTP_ANSWER_PLAIN, RTP_OFFER_WEBRTC
from media_plane.rtpengine.flags import ng_flags
from media_plane.sip.message import SipParseError, parse, response, split_commas, tag_of, uri_of
from media_plane.sip.sdp import (
    MIRROR,
    MediaAddress,
    audio_address,
    direction,
    placeholder_offer,
    with_direction,
)

OK_FROM_KAMAILIO = (
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/UDP 127.0.0.1:40000;rport=40000;branch=z9hG4bKabc\r\n"
    "Record-Route: <sip:127.0.0.1:5066;transport=ws;r2=on;lr=on;ftag=f1>,"
    " <sip:127.0.0.1:5060;r2=on;lr=on;ftag=f1>\r\n"
    'f: "Callback +33612345678" <sip:+33612345678@127.0.0.1:5060>;tag=f1\r\n'
    "t: <sip:agent@acme.sip.test>;tag=agent-tag\r\n"
    "i: hl-123\r\n"
    "CSeq: 1 INVITE\r\n"
    "m: <sip:x@y.invalid;transport=ws;alias=127.0.0.1~5555~6>\r\n"
    "c: application/sdp\r\n"
    "l: 10\r\n"
    "\r\n"
    "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n"
)


def test_a_2xx_gives_tags_target_and_the_reversed_route_set() -> None:
    ok = parse(OK_FROM_KAMAILIO.encode())
    assert not ok.is_request and ok.status == 200 and ok.reason == "OK"
    assert (ok.method, ok.cseq) == ("INVITE", (1, "INVITE"))
    assert ok.call_id == "hl-123" and ok.branch == "z9hG4bKabc"
    assert (ok.from_tag, ok.to_tag) == ("f1", "agent-tag")
    assert (
        uri_of(ok.header("contact") or "") == "sip:x@y.invalid;transport=ws;alias=127.0.0.1~5555~6"
    )
    assert ok.route_set() == [
        "<sip:127.0.0.1:5060;r2=on;lr=on;ftag=f1>",
        "<sip:127.0.0.1:5066;transport=ws;r2=on;lr=on;ftag=f1>",
    ]
    assert ok.body.startswith("v=0")


def test_a_bye_is_answered_with_every_via_and_the_same_dialog_ids() -> None:
    bye = parse(
        "BYE sip:hotline@127.0.0.1:40000 SIP/2.0\r\n"
        "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKk1\r\n"
        "Via: SIP/2.0/WS x.invalid;branch=z9hG4bKb2\r\n"
        "From: <sip:agent@acme.sip.test>;tag=agent-tag\r\n"
        "To: <sip:+33612345678@127.0.0.1>;tag=f1\r\n"
        "Call-ID: hl-123\r\n"
        "CSeq: 7 BYE\r\n"
        "\r\n"
    )
    assert bye.is_request and bye.method == "BYE" and bye.status == 0
    text = response(bye, 200, "OK")
    lines = text.split("\r\n")
    assert lines[0] == "SIP/2.0 200 OK"
    assert [line for line in lines if line.startswith("Via:")] == [
        "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKk1",
        "Via: SIP/2.0/WS x.invalid;branch=z9hG4bKb2",
    ]
    assert "CSeq: 7 BYE" in lines and "Call-ID: hl-123" in lines
    assert "To: <sip:+33612345678@127.0.0.1>;tag=f1" in lines
    # A dialog-creating answer gets our tag; one that has a tag keeps it.
    assert "tag=mine" not in response(bye, 200, "OK", to_tag="mine")
    fresh = parse("OPTIONS sip:a@b SIP/2.0\r\nTo: <sip:a@b>\r\nCSeq: 1 OPTIONS\r\n\r\n")
    assert "To: <sip:a@b>;tag=mine" in response(fresh, 200, "OK", to_tag="mine")


def test_folded_headers_commas_in_quotes_and_garbage() -> None:
    message = parse(
        "SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP a;branch=z1,\r\n SIP/2.0/UDP b\r\n\r\n"
    )
    assert message.all("via") == ["SIP/2.0/UDP a;branch=z1", "SIP/2.0/UDP b"]
    assert split_commas('"Doe, John" <sip:j@x>, <sip:k@y>') == [
        '"Doe, John" <sip:j@x>',
        "<sip:k@y>",
    ]
    assert tag_of("<sip:a@b>;tag=xyz;foo=1") == "xyz" and tag_of("<sip:a@b>") == ""
    assert uri_of("sip:a@b;transport=udp") == "sip:a@b"
    for junk in (b"", b"\r\n\r\n", b"hello world\r\n\r\n", b"SIP/2.0 abc OK\r\n\r\n"):
        with pytest.raises(SipParseError):
            parse(junk)


def test_the_placeholder_offer_and_where_an_sdp_sends_audio() -> None:
    offer = placeholder_offer(host="127.0.0.1", session_id=7)
    assert offer.endswith("\r\n") and "a=sendrecv" in offer
    assert "m=audio 9 RTP/AVP 8 0 101" in offer
    assert audio_address(offer) == MediaAddress("127.0.0.1", 9)
    media_level = (
        "v=0\r\nc=IN IP4 10.0.0.1\r\nm=video 4000 RTP/AVP 96\r\nc=IN IP4 10.0.0.9\r\n"
        "m=audio 5000 RTP/AVP 8\r\nc=IN IP4 10.0.0.2/127\r\nm=audio 6000 RTP/AVP 0\r\n"
    )
    assert audio_address(media_level) == MediaAddress("10.0.0.2", 5000)
    assert audio_address("v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio 7000 RTP/AVP 8\r\n") == (
        MediaAddress("10.0.0.1", 7000)
    )
    assert audio_address("v=0\r\nm=video 1 RTP/AVP 96\r\n") is None
    assert audio_address("v=0\r\nm=audio 1 RTP/AVP 8\r\n") is None  # no address at all


def test_kamailio_flag_strings_become_the_ng_dictionary_the_module_sends() -> None:
    assert ng_flags(RTP_OFFER_WEBRTC + " record-call=yes") == {
        "replace": ["origin", "session-connection"],
        "ICE": "force",
        "DTLS": "passive",
        "transport-protocol": "RTP/SAVPF",
        "SDES": ["off"],
        "rtcp-mux": ["offer"],
        "flags": ["generate-mid"],
        "record-call": "yes",
    }
    assert ng_flags(RTP_ANSWER_PLAIN) == {
        "replace": ["origin", "session-connection"],
        "ICE": "remove",
        "transport-protocol": "RTP/AVP",
        "rtcp-mux": ["demux"],
    }
    assert ng_flags("") == {}
    assert ng_flags("codec-mask=all trust-address") == {
        "codec-mask": "all",
        "flags": ["trust-address"],
    }


def test_numbers_reasons_and_the_agent_page_header() -> None:
    assert dialled_user("sip:+33612345678@127.0.0.1:5070;user=phone") == "+33612345678"
    assert dialled_user("<sips:caller-1@example.com>") == "caller-1"
    assert dialled_user("tel:+331234;phone-context=x") == "+331234"
    assert dialled_user(" +33 6 12 ") == "+33612"
    assert dialled_user("sip:@host") == "" and dialled_user("") == ""
    assert dialled_user("+336\r\nX-Evil: 1") == "+336X-Evil1"
    assert [customer_failure_reason(s) for s in (486, 600, 408, 480, 487, 404, 503)] == [
        "callback_busy",
        "callback_busy",
        "callback_no_answer",
        "callback_no_answer",
        "callback_no_answer",
        "callback_rejected",
        "callback_rejected",
    ]
    assert (agent_failure_reason(404), agent_failure_reason(486)) == ("unreachable", "486")
    assert callback_header(call_id="c1@h", number="+336") == (
        "X-Hotline-Callback: call=c1@h;number=+336"
    )


def test_sdp_directions_are_read_and_rewritten_for_a_mirrored_answer() -> None:
    offer = "v=0\r\no=x 1 5 IN IP4 1.2.3.4\r\nc=IN IP4 1.2.3.4\r\nm=audio 4 RTP/AVP 8\r\n"
    assert direction(offer) == "sendrecv"
    assert direction(offer + "a=sendonly\r\n") == "sendonly"
    assert direction("v=0\r\na=inactive\r\nm=audio 4 RTP/AVP 8\r\n") == "inactive"
    assert direction("v=0\r\nm=audio 4 RTP/AVP 8\r\nc=IN IP4 0.0.0.0\r\n") == "inactive"
    assert direction("v=0\r\nm=video 4 RTP/AVP 96\r\na=sendonly\r\nm=audio 5 RTP/AVP 8\r\n") == (
        "sendrecv"
    )
    assert [MIRROR[d] for d in ("sendrecv", "sendonly", "recvonly", "inactive")] == [
        "sendrecv",
        "recvonly",
        "sendonly",
        "inactive",
    ]
    held = with_direction(offer + "a=sendrecv\r\n", "recvonly")
    assert "a=recvonly" in held and "a=sendrecv" not in held
    assert "o=x 1 6 IN IP4 1.2.3.4" in held  # a changed SDP gets a new version
    added = with_direction(offer, "inactive")
    assert added.endswith("a=inactive\r\n") and direction(added) == "inactive"
    with pytest.raises(ValueError):
        with_direction(offer, "sideways")


def test_a_2xx_to_a_reinvite_carries_contact_and_sdp() -> None:
    reinvite = parse(
        "INVITE sip:hotline@127.0.0.1:4000 SIP/2.0\r\n"
        "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKr1\r\n"
        "From: <sip:agent@acme.sip.test>;tag=a\r\nTo: <sip:+336@h>;tag=f1\r\n"
        "Call-ID: hl-1\r\nCSeq: 2 INVITE\r\n\r\n"
    )
    text = response(reinvite, 200, "OK", contact="sip:hotline@127.0.0.1:4000", sdp="v=0\r\n")
    head, _, body = text.partition("\r\n\r\n")
    assert body == "v=0\r\n"
    assert "Contact: <sip:hotline@127.0.0.1:4000>" in head
    assert "Content-Type: application/sdp" in head and "Content-Length: 5" in head
