"""Turns pydantic validation failures into BAD_USER_INPUT errors that name the field."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from tenants.errors import BadUserInput

Model = TypeVar("Model", bound=BaseModel)


def parse_input(model: type[Model], data: dict[str, Any]) -> Model:
    """Validate ``data`` as ``model`` or raise BAD_USER_INPUT with the first problem."""
    try:
        return model.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        field = ".".join(str(part) for part in first.get("loc", ())) or None
        message = str(first.get("msg", "invalid input")).removeprefix("Value error, ")
        raise BadUserInput(f"{field}: {message}" if field else message, field=field) from err
