"""Disposition-code inputs."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from routing.schemas import REASON

NOTE_MAX = 2000
"""The longest wrap-up note (it travels in a routing event)."""


class DispositionIn(BaseModel):
    """A disposition code: 1-40 of a-z, 0-9, ``_`` and ``-``, with a label people read."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    code: str = Field(min_length=1, max_length=40)
    label: str = Field(min_length=1, max_length=120)
    active: bool = True
    requires_note: bool = False

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        value = value.lower()
        if not REASON.match(value):
            raise ValueError("use 1-40 characters a-z, 0-9, _ or - (e.g. sale, no_answer)")
        return value


class WrapUpIn(BaseModel):
    """What an agent records about a call: its disposition and a note."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    call_id: str = Field(min_length=1, max_length=255)
    note: str = Field(default="", max_length=NOTE_MAX)
