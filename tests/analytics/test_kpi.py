"""KPI definitions of shared/metrics.md, including the textbook SL example."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from analytics.kpi import (
    HandleTotals,
    QueueCounts,
    QueueLeg,
    ServiceLevelFormula,
    StateInterval,
    abandonment_rate,
    average_abandon_time,
    average_handle_time,
    average_speed_of_answer,
    average_wait,
    count_legs,
    csat,
    first_contact_resolution,
    longest_wait,
    nps,
    occupancy,
    service_level,
    short_abandon_rate,
    state_seconds,
    transfer_rate,
)


def textbook_legs() -> list[QueueLeg]:
    """Answered 1000 (860 within 20 s); abandoned 60 (20 within 20 s, 10 within 5 s)."""
    return (
        [QueueLeg(10.0, "answered")] * 859
        + [QueueLeg(20.0, "answered")]  # exactly T counts as within T
        + [QueueLeg(20.001, "answered")]
        + [QueueLeg(35.0, "answered")] * 139
        + [QueueLeg(5.0, "short_abandoned")] * 10  # exactly S is a short abandon
        + [QueueLeg(20.0, "abandoned")] * 10
        + [QueueLeg(60.0, "abandoned")] * 40
        + [QueueLeg(15.0, "callback")] * 5
    )


@pytest.fixture
def counts() -> QueueCounts:
    return count_legs(textbook_legs(), answer_seconds=20, short_abandon_seconds=5)


def test_textbook_counts(counts: QueueCounts) -> None:
    assert (counts.answered, counts.answered_within_t) == (1000, 860)
    assert (counts.abandoned, counts.abandoned_within_t, counts.short_abandoned) == (60, 20, 10)
    assert counts.dequeued == counts.enqueued == 1065


def test_textbook_service_levels(counts: QueueCounts) -> None:
    assert round(service_level(counts, ServiceLevelFormula.ANSWERED_ONLY) * 100, 1) == 86.0
    assert round(service_level(counts, ServiceLevelFormula.ABANDONS_MET) * 100, 1) == 83.0
    assert round(service_level(counts, ServiceLevelFormula.ABANDONS_MISSED) * 100, 1) == 81.1
    # Genesys default: 860 / (1000 + 60 - 10)
    assert service_level(counts) == pytest.approx(860 / 1050)


def test_wait_exactly_t_is_within_and_just_over_is_not() -> None:
    at_t = count_legs([QueueLeg(20.0, "answered")], answer_seconds=20, short_abandon_seconds=5)
    over = count_legs([QueueLeg(20.001, "answered")], answer_seconds=20, short_abandon_seconds=5)
    assert service_level(at_t) == 1.0
    assert service_level(over) == 0.0


def test_short_abandon_is_decided_by_s_not_the_label() -> None:
    counts = count_legs(
        [QueueLeg(4.0, "abandoned"), QueueLeg(6.0, "short_abandoned")],
        answer_seconds=20,
        short_abandon_seconds=5,
    )
    assert counts.abandoned == 2
    assert counts.short_abandoned == 1


def test_abandonment_includes_short_abandons_and_not_callbacks(counts: QueueCounts) -> None:
    assert abandonment_rate(counts) == pytest.approx(60 / 1065)
    assert short_abandon_rate(counts) == pytest.approx(10 / 1065)


def test_wait_averages() -> None:
    legs = [
        QueueLeg(0.0, "answered"),
        QueueLeg(10.0, "answered"),
        QueueLeg(30.0, "abandoned"),
        QueueLeg(50.0, "flowout"),
    ]
    counts = count_legs(legs, answer_seconds=20, short_abandon_seconds=5)
    assert average_speed_of_answer(counts) == 5.0  # the immediate answer counts as 0
    assert average_abandon_time(counts) == 30.0
    assert average_wait(counts) == 22.5
    assert counts.longest_wait_seconds == 50.0
    assert longest_wait([]) is None


def test_empty_interval_gives_none_never_nan() -> None:
    empty = QueueCounts()
    for formula in ServiceLevelFormula:
        assert service_level(empty, formula) is None
    assert abandonment_rate(empty) is None
    assert average_speed_of_answer(empty) is None
    assert average_handle_time(HandleTotals()).aht is None


def test_s_above_t_is_refused() -> None:
    with pytest.raises(ValueError, match="must not exceed T"):
        count_legs([], answer_seconds=5, short_abandon_seconds=10)


def test_aht_from_parts_and_transfer_rate() -> None:
    totals = HandleTotals(
        handled=4, talk_seconds=600, hold_seconds=40, acw_seconds=120, transferred_out=1
    )
    split = average_handle_time(totals)
    assert (split.aht, split.talk, split.hold, split.acw) == (190.0, 150.0, 10.0, 30.0)
    assert transfer_rate(totals) == 0.25


def test_occupancy_clips_intervals_and_excludes_reserved() -> None:
    t0 = datetime(2026, 1, 1, 9, tzinfo=UTC)

    def at(minutes: float) -> datetime:
        return t0 + timedelta(minutes=minutes)

    intervals = [
        StateInterval("available", at(-10), at(5)),  # only 5 min inside the window
        StateInterval("reserved", at(5), at(6)),  # ringing: excluded
        StateInterval("on_contact", at(6), at(16)),
        StateInterval("acw", at(16), at(21)),
        StateInterval("break:lunch", at(21), at(40)),
        StateInterval("available", at(40), None),  # still open: clipped to the window end
    ]
    seconds = state_seconds(intervals, at(0), at(60))
    assert (seconds.available, seconds.on_contact, seconds.acw) == (25 * 60, 600, 300)
    assert occupancy(seconds) == pytest.approx(15 / 40)


def test_csat_nps_and_fcr() -> None:
    result = csat([5, 4, 3, 1, 5])
    assert result.value == pytest.approx(0.6)
    assert result.distribution == {1: 1, 2: 0, 3: 1, 4: 1, 5: 2}
    assert nps([10, 9, 8, 7, 6, 0]).value == pytest.approx((2 - 2) / 6 * 100)
    assert nps([10, 10, 3, 8]).value == pytest.approx(25.0)
    assert csat([]).value is None
    with pytest.raises(ValueError):
        csat([6])
    fcr = first_contact_resolution(repeats=5, resolved=100)
    assert (fcr.value, fcr.window_days) == (0.95, 7)
