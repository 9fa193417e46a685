"""Validated inputs of ticket operations (``*In``)."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tenants.crm.schemas import CustomFieldIn
from tenants.identity.roles import Role

MAX_SLA_SECONDS = 365 * 24 * 3600


class _Input(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")


class Priority(StrEnum):
    """How urgent a ticket is."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class TicketStatus(StrEnum):
    """Whether a ticket is being worked on."""

    OPEN = "open"
    CLOSED = "closed"


class Transition(StrEnum):
    """What may happen to a ticket in its workflow."""

    ADVANCE = "advance"
    SEND_BACK = "send_back"
    REASSIGN = "reassign"
    CLOSE = "close"
    REOPEN = "reopen"


class TeamIn(_Input):
    """A team (department)."""

    name: str = Field(min_length=1, max_length=120)
    member_ids: list[uuid.UUID] | None = Field(default=None, max_length=1000)


class StepIn(_Input):
    """One workflow step: owned by a team, a role, or both."""

    name: str = Field(min_length=1, max_length=120)
    team_id: uuid.UUID | None = None
    role: Role | None = None
    sla_seconds: int = Field(ge=1, le=MAX_SLA_SECONDS)


class TicketCategoryIn(_Input):
    """A ticket category, its field schema and its workflow (ordered steps)."""

    name: str = Field(min_length=1, max_length=120)
    fields: list[CustomFieldIn] = Field(default_factory=list, max_length=100)
    steps: list[StepIn] = Field(min_length=1, max_length=50)

    @field_validator("fields")
    @classmethod
    def _distinct_keys(cls, value: list[CustomFieldIn]) -> list[CustomFieldIn]:
        keys = [f.key for f in value]
        if len(set(keys)) != len(keys):
            raise ValueError("field keys must be distinct")
        if any(f.unique for f in value):
            raise ValueError("unique is not supported on ticket fields")
        return value


class TicketCreateIn(_Input):
    """A new ticket; ``caller_number`` pre-fills the customer when no id is given."""

    category_id: uuid.UUID
    subject: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=50_000)
    customer_id: uuid.UUID | None = None
    caller_number: str | None = Field(default=None, max_length=64)
    fields: dict[str, Any] = Field(default_factory=dict)
    priority: Priority = Priority.NORMAL
    assignee_id: uuid.UUID | None = None
    call_id: str | None = Field(default=None, min_length=1, max_length=128)


class TicketUpdateIn(_Input):
    """Fields to change; an absent field is left as it is."""

    subject: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=50_000)
    fields: dict[str, Any] | None = None
    priority: Priority | None = None


class TransitionIn(_Input):
    """A workflow transition with its optional target assignee, step and comment."""

    action: Transition
    assignee_id: uuid.UUID | None = None
    to_step_id: uuid.UUID | None = None
    comment: str | None = Field(default=None, max_length=10_000)

    @model_validator(mode="after")
    def _reassign_needs_assignee(self) -> TransitionIn:
        if self.action is Transition.REASSIGN and self.assignee_id is None:
            raise ValueError("reassign needs an assigneeId")
        return self


class TicketFilterIn(_Input):
    """Every condition must hold (AND)."""

    status: TicketStatus | None = None
    assignee_id: uuid.UUID | None = None
    customer_id: uuid.UUID | None = None
    category_id: uuid.UUID | None = None
    mine: bool = False


class CommentIn(_Input):
    """A comment on a ticket."""

    body: str = Field(min_length=1, max_length=20_000)


class AttachmentIn(_Input):
    """Metadata of a stored file attached to a ticket."""

    filename: str = Field(min_length=1, max_length=255)
    content_type: str = Field(min_length=3, max_length=127, pattern=r"^[\w.+-]+/[\w.+-]+$")
    size_bytes: int = Field(ge=0, le=10 * 1024**3)
    storage_key: str = Field(min_length=1, max_length=1024)
