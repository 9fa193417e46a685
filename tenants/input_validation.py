"""Turns pydantic validation failures into BAD_USER_INPUT errors that name the field."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic.alias_generators import to_camel

from tenants.errors import BadUserInput

Model = TypeVar("Model", bound=BaseModel)


def parse_input(model: type[Model], data: dict[str, Any], *, camel: bool = False) -> Model:
    """Validate ``data`` as ``model`` or raise BAD_USER_INPUT with the first problem.

    With ``camel``, the field is named as GraphQL spells it (``slThresholdS``), also for
    fields that failed on their default value.
    """
    try:
        return model.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        parts = first.get("loc", ())
        field = ".".join(to_camel(p) if camel and isinstance(p, str) else str(p) for p in parts)
        field = field or None
        message = str(first.get("msg", "invalid input")).removeprefix("Value error, ")
        raise BadUserInput(f"{field}: {message}" if field else message, field=field) from err


def enum_value(item: Any) -> Any:
    """The raw value of a GraphQL enum member (anything else unchanged)."""
    return getattr(item, "value", item)


def given_fields(**fields: Any) -> dict[str, Any]:
    """The fields a GraphQL input actually set (None means "not given"), enums unwrapped."""
    return {key: enum_value(value) for key, value in fields.items() if value is not None}
