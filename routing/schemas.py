"""Validated inputs of routing's GraphQL mutations."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field, model_validator

REASON = re.compile(r"^[a-z0-9_-]{1,40}$")


class AgentStateIn(BaseModel):
    """``available``, ``offline`` or ``break`` with a reason (also ``break:<reason>``)."""

    state: str = Field(min_length=1, max_length=60)
    reason: str | None = Field(default=None, max_length=40)

    @model_validator(mode="after")
    def _valid(self) -> AgentStateIn:
        state = self.state.strip().lower()
        if state.startswith("break:"):
            state, self.reason = "break", state.removeprefix("break:")
        if state not in {"available", "offline", "break"}:
            raise ValueError("state must be available, offline or break")
        if state == "break" and not (self.reason and REASON.match(self.reason)):
            raise ValueError("a break needs a reason of 1-40 characters a-z, 0-9, _ or -")
        self.state = state
        return self

    @property
    def target(self) -> str:
        """The engine's state name."""
        return f"break:{self.reason}" if self.state == "break" else self.state
