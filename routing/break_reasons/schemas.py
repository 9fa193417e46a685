"""Break-reason input."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from routing.schemas import REASON


class BreakReasonIn(BaseModel):
    """A break reason's name, as routing spells it: 1-40 of a-z, 0-9, ``_`` and ``-``."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    name: str = Field(min_length=1, max_length=40)

    @field_validator("name")
    @classmethod
    def _routable(cls, value: str) -> str:
        value = value.lower()
        if not REASON.match(value):
            raise ValueError("use 1-40 characters a-z, 0-9, _ or - (e.g. lunch, training)")
        return value
