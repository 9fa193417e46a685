"""Every spelling of a number, including the SIP and tel URIs a call arrives with."""

from __future__ import annotations

import pytest

from tenants.crm.phones import to_e164


@pytest.mark.parametrize(
    "raw",
    [
        "+1 415 555 0123",
        "tel:+14155550123;ext=5",
        "sip:+14155550123@127.0.0.1:47309",
        "SIPS:+14155550123@carrier.example;user=phone",
        "sip:+14155550123;user=phone@carrier.example",
    ],
)
def test_spellings_of_one_number_are_one_e164(raw: str) -> None:
    assert to_e164(raw, region="US") == "+14155550123"


@pytest.mark.parametrize("raw", ["sip:caller-1@127.0.0.1:5060", "sip:anonymous@anonymous.invalid"])
def test_a_sip_uri_without_a_number_is_none(raw: str) -> None:
    assert to_e164(raw, region="US") is None
