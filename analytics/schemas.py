"""Validated report inputs; a bad range, zone or interval is BAD_USER_INPUT."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, ValidationInfo, field_validator, model_validator

from analytics.kpi import ServiceLevelFormula

MAX_RANGE = timedelta(days=400)
MAX_BUCKETS = 3000
"""A 15-minute report may span 31 days; an hourly one 125 days; a daily one 400."""


def check_time_zone(value: str) -> str:
    """``value`` if it names an IANA time zone."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise ValueError(f"unknown time zone {value!r}") from err
    return value


class ReportInterval(StrEnum):
    """How a report splits its range into rows."""

    MINUTES_15 = "15m"
    MINUTES_30 = "30m"
    MINUTES_60 = "60m"
    DAY = "day"
    RANGE = "range"

    @property
    def step(self) -> timedelta | None:
        """The bucket length (a local calendar day for DAY), None for one row."""
        return {
            ReportInterval.MINUTES_15: timedelta(minutes=15),
            ReportInterval.MINUTES_30: timedelta(minutes=30),
            ReportInterval.MINUTES_60: timedelta(hours=1),
            ReportInterval.DAY: timedelta(days=1),
        }.get(self)


class ReportRangeIn(BaseModel):
    """A half-open range ``[start, end)`` split into intervals in ``time_zone``."""

    start: datetime
    end: datetime
    interval: ReportInterval = ReportInterval.MINUTES_60
    time_zone: str = "UTC"

    @field_validator("start", "end")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("must include a UTC offset")
        return value

    _zone = field_validator("time_zone")(lambda value: check_time_zone(value))

    @model_validator(mode="after")
    def _range(self) -> ReportRangeIn:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        span = self.end - self.start
        if span > MAX_RANGE:
            raise ValueError(f"the range may span at most {MAX_RANGE.days} days")
        step = self.interval.step
        if step is not None and span / step > MAX_BUCKETS:
            raise ValueError(
                f"{self.interval.value} intervals over this range exceed {MAX_BUCKETS} rows; "
                "choose a longer interval or a shorter range"
            )
        return self

    @property
    def zone(self) -> ZoneInfo:
        """The report's time zone."""
        return ZoneInfo(self.time_zone)


class QueueServiceLevelIn(BaseModel):
    """A queue's service-level definition: T, S (S ≤ T) and the formula."""

    answer_seconds: int = Field(ge=1, le=3600)
    short_abandon_seconds: int = Field(ge=0, le=3600)
    formula: ServiceLevelFormula = ServiceLevelFormula.GENESYS

    @model_validator(mode="after")
    def _s_within_t(self) -> QueueServiceLevelIn:
        if self.short_abandon_seconds > self.answer_seconds:
            raise ValueError("shortAbandonSeconds must not exceed answerSeconds")
        return self


class ReportDimension(StrEnum):
    """What one saved report's rows are split by."""

    TENANT = "tenant"
    QUEUE = "queue"
    AGENT = "agent"
    DISPOSITION = "disposition"
    """One row per interval and disposition code: the wrapped-up contacts (metric
    ``handled``), filtered by the report's queues."""


REPORT_METRICS = (
    "offered",
    "answered",
    "abandoned",
    "shortAbandoned",
    "callbacks",
    "flowouts",
    "serviceLevel",
    "abandonmentRate",
    "asa",
    "averageAbandonTime",
    "averageWait",
    "longestWait",
    "handled",
    "aht",
    "averageTalk",
    "averageHold",
    "averageAcw",
    "transferRate",
    "occupancy",
)
"""Metrics a saved report may show (the ReportRow field names)."""


class SavedReportIn(BaseModel):
    """A saved report definition: metrics x dimension x queue filter x interval."""

    name: str = Field(min_length=1, max_length=120)
    dimension: ReportDimension
    metrics: list[str] = Field(min_length=1, max_length=len(REPORT_METRICS))
    queue_ids: list[uuid.UUID] = Field(default_factory=list, max_length=100)
    interval: ReportInterval = ReportInterval.MINUTES_60
    time_zone: str = "UTC"

    _zone = field_validator("time_zone")(lambda value: check_time_zone(value))

    @field_validator("metrics")
    @classmethod
    def _known_metrics(cls, value: list[str]) -> list[str]:
        unknown = [m for m in value if m not in REPORT_METRICS]
        if unknown:
            raise ValueError(f"unknown metrics {', '.join(unknown)}")
        return list(dict.fromkeys(value))

    @field_validator("metrics")
    @classmethod
    def _disposition_metrics(cls, value: list[str], info: ValidationInfo) -> list[str]:
        if info.data.get("dimension") is ReportDimension.DISPOSITION and value != ["handled"]:
            raise ValueError("the disposition dimension counts handled contacts only")
        return value
