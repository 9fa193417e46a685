"""Custom-field values checked against their definitions (shared with ticket schemas)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from email_validator import EmailNotValidError, validate_email

from tenants.crm.phones import to_e164
from tenants.errors import BadUserInput


class FieldType(StrEnum):
    """What a custom field holds."""

    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    SELECT = "select"
    MULTI_SELECT = "multi_select"
    BOOLEAN = "boolean"
    PHONE = "phone"
    EMAIL = "email"


@dataclass(frozen=True)
class FieldSpec:
    """The rules of one field, whatever table they came from."""

    key: str
    type: FieldType
    required: bool = False
    unique: bool = False
    default: Any = None
    options: tuple[str, ...] = field(default_factory=tuple)


MAX_TEXT = 10_000


def _bad(prefix: str, key: str, message: str) -> BadUserInput:
    return BadUserInput(f"{prefix}.{key}: {message}", field=f"{prefix}.{key}")


def coerce_value(spec: FieldSpec, value: Any, *, region: str, prefix: str) -> Any:
    """The stored JSON form of ``value`` for ``spec``; BAD_USER_INPUT naming the field."""
    key = spec.key
    match spec.type:
        case FieldType.TEXT:
            if not isinstance(value, str):
                raise _bad(prefix, key, "expected text")
            if len(value) > MAX_TEXT:
                raise _bad(prefix, key, f"at most {MAX_TEXT} characters")
            return value
        case FieldType.NUMBER:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise _bad(prefix, key, "expected a number")
            if isinstance(value, float) and not math.isfinite(value):
                raise _bad(prefix, key, "expected a finite number")
            return value
        case FieldType.DATE:
            try:
                return date.fromisoformat(value).isoformat()
            except (TypeError, ValueError):
                raise _bad(prefix, key, "expected a date YYYY-MM-DD") from None
        case FieldType.SELECT:
            if value not in spec.options:
                raise _bad(prefix, key, f"{value!r} is not one of {list(spec.options)}")
            return value
        case FieldType.MULTI_SELECT:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise _bad(prefix, key, "expected a list of options")
            unknown = [v for v in value if v not in spec.options]
            if unknown:
                raise _bad(prefix, key, f"{unknown} not in {list(spec.options)}")
            return sorted(set(value), key=spec.options.index)
        case FieldType.BOOLEAN:
            if not isinstance(value, bool):
                raise _bad(prefix, key, "expected true or false")
            return value
        case FieldType.PHONE:
            e164 = to_e164(value, region=region) if isinstance(value, str) else None
            if e164 is None:
                raise _bad(prefix, key, f"invalid phone number {value!r}")
            return e164
        case FieldType.EMAIL:
            try:
                return validate_email(
                    value, check_deliverability=False, test_environment=True
                ).normalized
            except (EmailNotValidError, TypeError, AttributeError):
                raise _bad(prefix, key, f"invalid email address {value!r}") from None
    raise _bad(prefix, key, "unsupported type")  # pragma: no cover - enum is closed


def validate_values(
    specs: Iterable[FieldSpec],
    values: Mapping[str, Any] | None,
    *,
    region: str,
    existing: Mapping[str, Any] | None = None,
    prefix: str = "customFields",
) -> dict[str, Any]:
    """The full stored map after applying ``values`` over ``existing``.

    On create (``existing`` is None) defaults fill missing fields. A None value clears a
    field. Unknown keys, bad values and missing required fields are BAD_USER_INPUT.
    """
    by_key = {spec.key: spec for spec in specs}
    if values is not None and not isinstance(values, Mapping):
        raise BadUserInput(f"{prefix}: expected an object", field=prefix)
    incoming = dict(values or {})
    unknown = sorted(set(incoming) - set(by_key))
    if unknown:
        raise _bad(prefix, unknown[0], "no such field")
    result = dict(existing or {})
    if existing is None:
        for spec in by_key.values():
            if spec.default is not None and spec.key not in incoming:
                result[spec.key] = spec.default
    for key, value in incoming.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = coerce_value(by_key[key], value, region=region, prefix=prefix)
    result = {key: value for key, value in result.items() if key in by_key}
    for spec in by_key.values():
        if spec.required and result.get(spec.key) in (None, "", []):
            raise _bad(prefix, spec.key, "is required")
    return result
