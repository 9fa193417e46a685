"""Request bodies of the call-control API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

CALL_ID_PATTERN = r"^[^\s|]{1,200}$"
DIGITS_PATTERN = r"^[0-9*#A-D]{0,32}$"


class NewCallIn(BaseModel):
    """``POST /v1/calls``: a suspended INVITE waiting for a destination."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore")

    call_id: str = Field(pattern=CALL_ID_PATTERN)
    node: str = Field(default="", max_length=100, pattern=r"^[A-Za-z0-9._-]*$")
    boot: str = Field(default="", max_length=200)
    continue_url: str = Field(min_length=1, max_length=2000)
    tindex: str | int
    tlabel: str | int
    from_: str = Field(alias="from", max_length=300)
    to: str = Field(min_length=1, max_length=300)
    sdp: str = Field(default="", max_length=16000)
    """The caller's SDP offer, for early media (music on hold in a 183)."""
    from_tag: str = Field(default="", max_length=200)

    @field_validator("continue_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value


class CallEventIn(BaseModel):
    """``POST /v1/calls/{call_id}/events``."""

    model_config = ConfigDict(extra="ignore")

    type: Literal[
        "ringing", "answered", "held", "resumed", "ended", "abandoned", "agent_failed", "dtmf"
    ]
    by: Literal["caller", "agent", "supervisor", "system"] | None = None
    reason: str = Field(default="", max_length=200)
    at: int | datetime | None = None
    node: str = Field(default="", max_length=100)
    digits: str = Field(default="", pattern=DIGITS_PATTERN)
    """``dtmf`` only: the keys pressed (0-9, *, #, A-D), in order."""

    @model_validator(mode="after")
    def _dtmf_has_digits(self) -> CallEventIn:
        if self.type == "dtmf" and not self.digits:
            raise ValueError("a dtmf event needs digits")
        return self

    def at_ms(self) -> int:
        """``at`` in epoch milliseconds (0: use routing's clock).

        Kamailio sends an integer of epoch milliseconds; ISO 8601 text is accepted too.
        """
        if self.at is None:
            return 0
        if isinstance(self.at, int):
            return self.at if self.at > 0 else 0
        return int(self.at.timestamp() * 1000)
