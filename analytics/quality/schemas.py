"""Validated inputs of QA: scorecard definitions and evaluation answers.

Field names are GraphQL's (camelCase aliases), so a problem is reported at its path,
``sections.1.questions.0.weight``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic.alias_generators import to_camel

from analytics.schemas import check_time_zone

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

MAX_SCALE = 10
MAX_RANGE_DAYS = 400


class _In(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class QuestionType(StrEnum):
    YES_NO = "yes_no"
    SCALE = "scale"


class QuestionIn(_In):
    """One question: yes/no or a 1..N scale, optionally answerable N/A."""

    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,40}$")] | None = None
    text: Annotated[Text, StringConstraints(max_length=500)]
    type: QuestionType
    scale_max: int | None = Field(default=None, validate_default=True)
    allow_na: bool = False
    weight: float = Field(default=1.0, gt=0, le=100)
    auto_fail: bool = False

    @field_validator("scale_max")
    @classmethod
    def _scale(cls, value: int | None, info: ValidationInfo) -> int | None:
        kind = info.data.get("type")
        if kind is QuestionType.SCALE:
            if value is None or not 2 <= value <= MAX_SCALE:
                raise ValueError(f"a scale question needs scaleMax in 2..{MAX_SCALE}")
        elif value is not None:
            raise ValueError("only scale questions have a scaleMax")
        return value


class SectionIn(_In):
    title: Annotated[Text, StringConstraints(max_length=120)]
    questions: list[QuestionIn] = Field(min_length=1, max_length=100)


class ScorecardIn(_In):
    """A scorecard's whole definition (an edit replaces it)."""

    name: Annotated[Text, StringConstraints(max_length=120)]
    description: Annotated[str, StringConstraints(max_length=2000)] | None = None
    sections: list[SectionIn] = Field(min_length=1, max_length=50)


class AnswerIn(_In):
    """``value``: yes/no is 1 (yes) or 0 (no), a scale 1..N; ``na`` when not applicable."""

    question_id: str
    na: bool = False
    value: int | None = Field(default=None, validate_default=True)

    @field_validator("value")
    @classmethod
    def _one(cls, value: int | None, info: ValidationInfo) -> int | None:
        if info.data.get("na") and value is not None:
            raise ValueError("an N/A answer has no value")
        return value


class CommentIn(_In):
    """A comment pinned to a moment of the recording."""

    offset_seconds: float = Field(ge=0)
    text: Annotated[Text, StringConstraints(max_length=2000)]


class EvaluationIn(_In):
    answers: list[AnswerIn] = Field(default_factory=list, max_length=1000)
    comments: list[CommentIn] = Field(default_factory=list, max_length=500)
    overall_comment: Annotated[str, StringConstraints(max_length=5000)] | None = None


class DisputeIn(_In):
    reason: Annotated[Text, StringConstraints(max_length=2000)]


class QaGroupBy(StrEnum):
    AGENT = "agent"
    QUEUE = "queue"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


class QaReportRangeIn(_In):
    """``[start, end)`` of call times, periods cut in ``time_zone``."""

    start: datetime
    end: datetime
    time_zone: str = "UTC"
    agent_id: uuid.UUID | None = None
    queue_id: uuid.UUID | None = None

    @field_validator("start", "end")
    @classmethod
    def _aware(cls, value: datetime, info: ValidationInfo) -> datetime:
        if value.tzinfo is None:
            raise ValueError("must include a UTC offset")
        start = info.data.get("start")
        if info.field_name == "end" and start is not None:
            if value <= start:
                raise ValueError("must be after start")
            if (value - start).days > MAX_RANGE_DAYS:
                raise ValueError(f"the range may span at most {MAX_RANGE_DAYS} days")
        return value

    _zone = field_validator("time_zone")(lambda value: check_time_zone(value))
