"""Phone numbers: every spelling of one number becomes the same E.164 string."""

from __future__ import annotations

import re

import phonenumbers

from tenants.errors import BadUserInput

_SEPARATORS = re.compile(r"[\s().\-/]")
MAX_RAW_LENGTH = 64


def _strip_uri(raw: str) -> str:
    value = raw.strip()
    if value[:4].lower() == "tel:":
        # RFC 3966: parameters such as ";ext=" or ";phone-context=" follow the number.
        value = value[4:].split(";", 1)[0]
    elif value[:4].lower() == "sip:" or value[:5].lower() == "sips:":
        # Kamailio hands routing the From URI ($fu): the number is its user part,
        # e.g. sip:+14155550123@carrier.example:5060;user=phone.
        value = value.split(":", 1)[1].split("@", 1)[0].split(";", 1)[0]
    return value


def to_e164(raw: str, *, region: str) -> str | None:
    """The E.164 form of ``raw`` read with the tenant's default ``region``; None if invalid.

    ``00`` is read as the international prefix whatever the region: it is the ITU
    recommendation most of the world dials, and a leading ``00`` is never part of a
    national number, so callers dialling from abroad still match.
    """
    if not raw or len(raw) > MAX_RAW_LENGTH:
        return None
    value = _SEPARATORS.sub("", _strip_uri(raw))
    if value.startswith("00"):
        value = "+" + value[2:]
    try:
        number = phonenumbers.parse(value, region.upper())
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise(raw: str, *, region: str, field: str = "phones") -> str:
    """``to_e164`` or BAD_USER_INPUT quoting the number."""
    e164 = to_e164(raw, region=region)
    if e164 is None:
        raise BadUserInput(f"{field}: invalid phone number {raw!r}", field=field)
    return e164


def is_region(code: str) -> bool:
    """True when ``code`` is a region ``phonenumbers`` knows (``US``, ``CN``, …)."""
    return code.upper() in phonenumbers.SUPPORTED_REGIONS
