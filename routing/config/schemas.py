"""Validated inputs of routing configuration (``*In``).

Field names are the GraphQL (camelCase) names, so a validation error names the field the
client sent.
"""

from __future__ import annotations

import itertools
import re
import uuid
import zoneinfo
from enum import StrEnum
from typing import Annotated

import phonenumbers
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

LEVEL = Field(ge=1, le=10)
SIP_USER = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")


class SlFormula(StrEnum):
    """Service-level formulas (shared/metrics.md)."""

    DEFAULT = "default"
    ANSWERED_ONLY = "answered_only"
    ABANDONS_MET = "abandons_met"
    ABANDONS_MISSED = "abandons_missed"


class MaxWaitAction(StrEnum):
    """What happens to a call that waited the queue's max wait."""

    OVERFLOW = "overflow"
    CALLBACK = "callback"
    REJECT = "reject"


class ClosedAction(StrEnum):
    """What happens to a call that arrives outside business hours."""

    REJECT = "reject"
    OVERFLOW = "overflow"


class _Input(BaseModel):
    model_config = ConfigDict(
        str_strip_whitespace=True,
        extra="forbid",
        alias_generator=to_camel,
        populate_by_name=True,
    )


SipCode = Annotated[int, Field(ge=400, le=699)]


class SkillIn(_Input):
    """A skill's fields (create and rename)."""

    name: str = Field(min_length=1, max_length=80)


class SkillRequirementIn(_Input):
    """A skill a queue requires, at least at ``min_level``."""

    skill_id: uuid.UUID
    min_level: int = LEVEL


class TimeWindowIn(_Input):
    """Open from ``start`` to ``end`` (``HH:MM``, local time; ``24:00`` ends the day)."""

    day: str
    start: str
    end: str

    @field_validator("day")
    @classmethod
    def _day(cls, value: str) -> str:
        day = value.lower()[:3]
        if day not in DAYS:
            raise ValueError(f"day must be one of {', '.join(DAYS)}")
        return day

    @field_validator("start", "end")
    @classmethod
    def _time(cls, value: str) -> str:
        if not _TIME.match(value):
            raise ValueError(f"{value!r} is not a time HH:MM")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> TimeWindowIn:
        if self.start >= self.end:
            raise ValueError(f"window {self.start}-{self.end} must end after it starts")
        return self


class BusinessHoursIn(_Input):
    """Weekly opening windows in one IANA time zone; a day without windows is closed."""

    tz: str
    windows: list[TimeWindowIn] = Field(max_length=70)

    @field_validator("tz")
    @classmethod
    def _tz(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as err:
            raise ValueError(f"unknown time zone {value!r}") from err
        return value

    @model_validator(mode="after")
    def _no_overlap(self) -> BusinessHoursIn:
        for day in DAYS:
            spans = sorted((w.start, w.end) for w in self.windows if w.day == day)
            for (_, end), (start, _) in itertools.pairwise(spans):
                if start < end:
                    raise ValueError(f"windows overlap on {day}")
        return self

    def as_json(self) -> dict[str, object]:
        """The stored and published shape: ``{"tz", "windows": {day: [[start, end]]}}``."""
        windows: dict[str, list[list[str]]] = {}
        for window in sorted(self.windows, key=lambda w: (DAYS.index(w.day), w.start)):
            windows.setdefault(window.day, []).append([window.start, window.end])
        return {"tz": self.tz, "windows": windows}


class QueueIn(_Input):
    """Every field of a queue. Updates merge the changes into the current values first.

    Cross-field rules are field validators on the later field, so an error names it.
    """

    name: str = Field(min_length=1, max_length=120)
    required_skills: list[SkillRequirementIn] = Field(default_factory=list, max_length=50)
    priority: int = Field(default=0, ge=0, le=100)
    sl_threshold_s: int = Field(default=20, ge=1, le=3600)
    short_abandon_s: int = Field(default=5, ge=0, le=3600, validate_default=True)
    sl_formula: SlFormula = SlFormula.DEFAULT
    max_wait_s: int = Field(default=0, ge=0, le=86_400)
    max_wait_action: MaxWaitAction = MaxWaitAction.REJECT
    wrapup_s: int = Field(default=10, ge=0, le=3600)
    ring_timeout_s: int = Field(default=20, ge=5, le=300)
    max_size: int = Field(default=0, ge=0, le=100_000)
    record: bool = False
    require_disposition: bool = False
    hours: BusinessHoursIn | None = None
    closed_action: ClosedAction = ClosedAction.REJECT
    closed_code: SipCode = 480
    blacklist_code: SipCode = 403
    vip_boost: int = Field(default=10, ge=0, le=1000)
    sticky_agent_s: int = Field(default=0, ge=0, le=3600)
    overflow_queue_id: uuid.UUID | None = Field(default=None, validate_default=True)

    @field_validator("required_skills")
    @classmethod
    def _distinct_skills(cls, value: list[SkillRequirementIn]) -> list[SkillRequirementIn]:
        skill_ids = [r.skill_id for r in value]
        if len(set(skill_ids)) != len(skill_ids):
            raise ValueError("a skill is listed twice")
        return value

    @field_validator("short_abandon_s")
    @classmethod
    def _s_within_t(cls, value: int, info: ValidationInfo) -> int:
        threshold = info.data.get("sl_threshold_s")
        if threshold is not None and value > threshold:
            raise ValueError(
                f"short-abandon threshold S ({value}) must not exceed "
                f"the service-level threshold T, slThresholdS ({threshold})"
            )
        return value

    @field_validator("overflow_queue_id")
    @classmethod
    def _overflow_target(cls, value: uuid.UUID | None, info: ValidationInfo) -> uuid.UUID | None:
        if value is not None:
            return value
        data = info.data
        if data.get("max_wait_s") and data.get("max_wait_action") is MaxWaitAction.OVERFLOW:
            raise ValueError("required when maxWaitAction is OVERFLOW")
        if data.get("hours") is not None and data.get("closed_action") is ClosedAction.OVERFLOW:
            raise ValueError("required when closedAction is OVERFLOW")
        return value


class PhoneNumberIn(_Input):
    """A DID as typed by the admin and the queue it rings."""

    number: str = Field(min_length=1, max_length=64)
    queue_id: uuid.UUID
    description: str = Field(default="", max_length=200)
    call_flow_id: uuid.UUID | None = None


class AgentSkillIn(_Input):
    """An agent's level in one skill."""

    skill_id: uuid.UUID
    level: int = LEVEL


class AgentProfileIn(_Input):
    """An agent's routing profile. Updates merge the changes into the current values first."""

    user_id: uuid.UUID
    skills: list[AgentSkillIn] = Field(default_factory=list, max_length=100)
    queue_ids: list[uuid.UUID] = Field(default_factory=list, max_length=200)
    sip_user: str | None = Field(default=None, max_length=64)

    @field_validator("sip_user")
    @classmethod
    def _sip_user(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.lower()
        if not SIP_USER.match(value):
            raise ValueError("must be 1-64 of a-z, 0-9, '.', '_' or '-', starting alphanumeric")
        return value

    @field_validator("skills")
    @classmethod
    def _distinct_skills(cls, value: list[AgentSkillIn]) -> list[AgentSkillIn]:
        skill_ids = [s.skill_id for s in value]
        if len(set(skill_ids)) != len(skill_ids):
            raise ValueError("a skill is listed twice")
        return value

    @field_validator("queue_ids")
    @classmethod
    def _distinct_queues(cls, value: list[uuid.UUID]) -> list[uuid.UUID]:
        return list(dict.fromkeys(value))


class RoutingSettingsIn(_Input):
    """The tenant's routing limits."""

    max_concurrent_calls: int = Field(default=0, ge=0, le=1_000_000)
    default_region: str | None = Field(default=None, min_length=2, max_length=2)

    @field_validator("default_region")
    @classmethod
    def _region(cls, value: str | None) -> str | None:
        if value is None:
            return None
        region = value.upper()
        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError(f"unknown region {value!r} (ISO 3166 alpha-2, e.g. US, FR)")
        return region
