"""Every KPI of ``shared/metrics.md``, as pure functions over plain data.

Reports aggregate facts in SQL into the count/sum dataclasses below and then call these
functions, so a KPI has exactly one definition wherever it is shown. A ratio whose
denominator is zero is ``None`` (shown as "no data"), never NaN or infinity.

Thresholds are inclusive: a wait of exactly T counts as within T, the same rule as a
Prometheus ``le`` bucket.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class ServiceLevelFormula(StrEnum):
    """The named service-level formulas a queue may use; stored with every report row."""

    GENESYS = "genesys"
    """answered ≤ T ÷ (answered + abandoned - short abandons); the default."""
    ANSWERED_ONLY = "answered_only"
    """answered ≤ T ÷ answered."""
    ABANDONS_MET = "abandons_met"
    """(answered ≤ T + abandoned ≤ T) ÷ (answered + abandoned)."""
    ABANDONS_MISSED = "abandons_missed"
    """answered ≤ T ÷ (answered + abandoned)."""


DEFAULT_FORMULA = ServiceLevelFormula.GENESYS

ABANDON_OUTCOMES = frozenset({"abandoned", "short_abandoned"})
"""Dequeue outcomes that are abandons. Callbacks and flow-outs are not abandons."""


def ratio(numerator: float, denominator: float) -> float | None:
    """``numerator / denominator``, or None when there is nothing to divide by."""
    if denominator <= 0:
        return None
    return numerator / denominator


@dataclass(frozen=True)
class QueueLeg:
    """One contact's stay in one queue: its wait and how it left."""

    wait_seconds: float
    outcome: str


@dataclass(frozen=True)
class QueueCounts:
    """The counts every queue KPI derives from (SQL computes the same with FILTERs)."""

    enqueued: int = 0
    dequeued: int = 0
    answered: int = 0
    answered_within_t: int = 0
    abandoned: int = 0
    abandoned_within_t: int = 0
    short_abandoned: int = 0
    answered_wait_seconds: float = 0.0
    abandoned_wait_seconds: float = 0.0
    dequeued_wait_seconds: float = 0.0
    longest_wait_seconds: float | None = None


def count_legs(
    legs: Iterable[QueueLeg],
    *,
    answer_seconds: float,
    short_abandon_seconds: float,
    enqueued: int | None = None,
) -> QueueCounts:
    """Count dequeued legs against T and S.

    A short abandon is an abandon with wait ≤ S, decided here from the wait so the
    thresholds stated on a report are the ones applied. ``enqueued`` defaults to the
    number of legs (every leg given was offered in the interval).
    """
    if short_abandon_seconds > answer_seconds:
        raise ValueError("the short-abandon threshold S must not exceed T")
    legs = list(legs)
    answered = [leg.wait_seconds for leg in legs if leg.outcome == "answered"]
    abandoned = [leg.wait_seconds for leg in legs if leg.outcome in ABANDON_OUTCOMES]
    waits = [leg.wait_seconds for leg in legs]
    return QueueCounts(
        enqueued=len(legs) if enqueued is None else enqueued,
        dequeued=len(legs),
        answered=len(answered),
        answered_within_t=sum(1 for w in answered if w <= answer_seconds),
        abandoned=len(abandoned),
        abandoned_within_t=sum(1 for w in abandoned if w <= answer_seconds),
        short_abandoned=sum(1 for w in abandoned if w <= short_abandon_seconds),
        answered_wait_seconds=sum(answered),
        abandoned_wait_seconds=sum(abandoned),
        dequeued_wait_seconds=sum(waits),
        longest_wait_seconds=max(waits) if waits else None,
    )


def service_level(
    counts: QueueCounts, formula: ServiceLevelFormula = DEFAULT_FORMULA
) -> float | None:
    """The share of contacts served within T, by the queue's named formula."""
    answered_in_t = counts.answered_within_t
    if formula is ServiceLevelFormula.GENESYS:
        return ratio(answered_in_t, counts.answered + counts.abandoned - counts.short_abandoned)
    if formula is ServiceLevelFormula.ANSWERED_ONLY:
        return ratio(answered_in_t, counts.answered)
    if formula is ServiceLevelFormula.ABANDONS_MET:
        return ratio(answered_in_t + counts.abandoned_within_t, counts.answered + counts.abandoned)
    if formula is ServiceLevelFormula.ABANDONS_MISSED:
        return ratio(answered_in_t, counts.answered + counts.abandoned)
    raise ValueError(f"unknown service-level formula {formula!r}")


def abandonment_rate(counts: QueueCounts) -> float | None:
    """Abandoned (short abandons included) ÷ enqueued."""
    return ratio(counts.abandoned, counts.enqueued)


def short_abandon_rate(counts: QueueCounts) -> float | None:
    """Short abandons ÷ enqueued, reported on its own line."""
    return ratio(counts.short_abandoned, counts.enqueued)


def average_speed_of_answer(counts: QueueCounts) -> float | None:
    """ASA: the mean wait of answered contacts (immediate answers count as 0 s)."""
    return ratio(counts.answered_wait_seconds, counts.answered)


def average_abandon_time(counts: QueueCounts) -> float | None:
    """The mean wait of abandoned contacts."""
    return ratio(counts.abandoned_wait_seconds, counts.abandoned)


def average_wait(counts: QueueCounts) -> float | None:
    """The mean wait over every dequeued contact, whatever its outcome."""
    return ratio(counts.dequeued_wait_seconds, counts.dequeued)


def longest_wait(waits: Iterable[float]) -> float | None:
    """The longest wait, or None when nobody waited."""
    return max(waits, default=None)


@dataclass(frozen=True)
class HandleTotals:
    """Summed handle parts over ``handled`` agent segments (each segment is one handle)."""

    handled: int = 0
    talk_seconds: float = 0.0
    hold_seconds: float = 0.0
    acw_seconds: float = 0.0
    transferred_out: int = 0


@dataclass(frozen=True)
class AhtSplit:
    """AHT and its parts, each averaged over the same handled count."""

    aht: float | None
    talk: float | None
    hold: float | None
    acw: float | None


def average_handle_time(totals: HandleTotals) -> AhtSplit:
    """AHT = (talk + hold + ACW) ÷ handled, computed from its parts."""
    n = totals.handled
    return AhtSplit(
        aht=ratio(totals.talk_seconds + totals.hold_seconds + totals.acw_seconds, n),
        talk=ratio(totals.talk_seconds, n),
        hold=ratio(totals.hold_seconds, n),
        acw=ratio(totals.acw_seconds, n),
    )


def transfer_rate(totals: HandleTotals) -> float | None:
    """Transferred out after answer ÷ handled."""
    return ratio(totals.transferred_out, totals.handled)


OCCUPIED_STATES = frozenset({"on_contact", "acw"})
AVAILABLE_STATE = "available"


@dataclass(frozen=True)
class StateInterval:
    """An agent state held over ``[start, end)``; ``end`` None means still held."""

    state: str
    start: datetime
    end: datetime | None


def clipped_seconds(interval: StateInterval, window_start: datetime, window_end: datetime) -> float:
    """Seconds of ``interval`` inside ``[window_start, window_end)``."""
    end = window_end if interval.end is None else min(interval.end, window_end)
    start = max(interval.start, window_start)
    return max(0.0, (end - start).total_seconds())


@dataclass(frozen=True)
class StateSeconds:
    """Time-clipped seconds per occupancy class; reserved (ringing) time is not counted."""

    on_contact: float = 0.0
    acw: float = 0.0
    available: float = 0.0


def state_seconds(
    intervals: Iterable[StateInterval], window_start: datetime, window_end: datetime
) -> StateSeconds:
    """Sum on_contact, acw and available time clipped to the window."""
    totals = {"on_contact": 0.0, "acw": 0.0, "available": 0.0}
    for interval in intervals:
        if interval.state in totals:
            totals[interval.state] += clipped_seconds(interval, window_start, window_end)
    return StateSeconds(**totals)


def occupancy(seconds: StateSeconds) -> float | None:
    """(on_contact + acw) ÷ (on_contact + acw + available)."""
    busy = seconds.on_contact + seconds.acw
    return ratio(busy, busy + seconds.available)


@dataclass(frozen=True)
class ScoreSummary:
    """A survey result and the raw distribution it came from."""

    value: float | None
    responses: int
    distribution: dict[int, int] = field(default_factory=dict)


def _distribution(scores: Sequence[int], low: int, high: int) -> dict[int, int]:
    for score in scores:
        if not low <= score <= high:
            raise ValueError(f"score {score} is outside {low}-{high}")
    return {value: sum(1 for s in scores if s == value) for value in range(low, high + 1)}


def csat(scores: Sequence[int]) -> ScoreSummary:
    """CSAT: the share of 4-5 scores on a 1-5 scale, with the raw distribution."""
    distribution = _distribution(scores, 1, 5)
    satisfied = distribution[4] + distribution[5]
    return ScoreSummary(ratio(satisfied, len(scores)), len(scores), distribution)


def nps(scores: Sequence[int]) -> ScoreSummary:
    """NPS: % of scores 9-10 minus % of scores 0-6 (a number from -100 to 100)."""
    distribution = _distribution(scores, 0, 10)
    promoters = distribution[9] + distribution[10]
    detractors = sum(distribution[s] for s in range(7))
    share = ratio(promoters - detractors, len(scores))
    return ScoreSummary(None if share is None else share * 100, len(scores), distribution)


@dataclass(frozen=True)
class FcrResult:
    """Operational first-contact resolution and the repeat window it used."""

    value: float | None
    window_days: int


def first_contact_resolution(*, repeats: int, resolved: int, window_days: int = 7) -> FcrResult:
    """1 - repeat contacts (same customer, same reason, within the window) ÷ resolved."""
    share = ratio(repeats, resolved)
    return FcrResult(None if share is None else 1 - share, window_days)
