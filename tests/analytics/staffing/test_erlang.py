"""Erlang B/C against the published vectors in shared/metrics.md."""

from __future__ import annotations

import math

import pytest

from analytics.staffing import erlang
from tenants.errors import BadUserInput

A = 10.0  # 100 calls per 30 min at AHT 180 s


def test_offered_load() -> None:
    assert erlang.offered_load(calls=100, interval_seconds=1800, aht_seconds=180) == A
    assert erlang.offered_load(calls=25, interval_seconds=600, aht_seconds=180) == 7.5


@pytest.mark.parametrize(("agents", "p_wait", "sl"), [(11, 0.6821, 0.3896), (14, 0.1741, 0.8884)])
def test_erlang_c_and_service_level(agents: int, p_wait: float, sl: float) -> None:
    assert erlang.erlang_c(agents, A) == pytest.approx(p_wait, abs=1e-4)
    assert erlang.service_level(agents, A, target_seconds=20, aht_seconds=180) == pytest.approx(
        sl, abs=1e-4
    )


def test_asa_and_occupancy_at_14() -> None:
    assert erlang.average_speed_of_answer(14, A, aht_seconds=180) == pytest.approx(7.84, abs=5e-3)
    assert erlang.occupancy(14, A) == pytest.approx(0.714, abs=5e-4)


def test_required_agents_and_shrinkage() -> None:
    plan = erlang.staffing_plan(
        calls_per_interval=100,
        interval_seconds=1800,
        aht_seconds=180,
        target_service_level=0.8,
        target_seconds=20,
        shrinkage=0.3,
    )
    assert (plan.agents, plan.scheduled_agents) == (14, 20)
    assert plan.service_level == pytest.approx(0.8884, abs=1e-4)
    assert plan.probability_of_waiting == pytest.approx(0.1741, abs=1e-4)


def test_required_agents_for_7_5_erlangs() -> None:
    plan = erlang.staffing_plan(
        calls_per_interval=25,
        interval_seconds=600,
        aht_seconds=180,
        target_service_level=0.8,
        target_seconds=20,
        shrinkage=0.3,
    )
    assert (plan.traffic_erlangs, plan.agents, plan.scheduled_agents) == (7.5, 11, 16)


def test_max_occupancy_cap_raises_headcount() -> None:
    plan = erlang.staffing_plan(
        calls_per_interval=100,
        interval_seconds=1800,
        aht_seconds=180,
        target_service_level=0.8,
        target_seconds=20,
        max_occupancy=0.6,
    )
    assert plan.agents == 17  # ⌈10 / 0.6⌉, above the 14 that SL alone needs
    assert plan.occupancy <= 0.6


def test_erlang_b_lines_and_carried_traffic() -> None:
    assert erlang.erlang_b_traffic(15, 0.01) == pytest.approx(8.108, abs=5e-4)
    assert erlang.erlang_b_lines(8.108, 0.01) == 15
    assert erlang.erlang_b_lines(8.2, 0.01) == 16


def test_erlang_b_is_stable_far_past_170_agents() -> None:
    blocking = erlang.erlang_b(1000, 950.0)
    assert 0 < blocking < 1 and math.isfinite(blocking)
    plan = erlang.staffing_plan(
        calls_per_interval=20_000,
        interval_seconds=1800,
        aht_seconds=300,
        target_service_level=0.9,
        target_seconds=15,
    )
    assert plan.agents > plan.traffic_erlangs
    assert all(math.isfinite(v) for v in (plan.service_level, plan.asa_seconds, plan.occupancy))


def test_zero_calls_needs_nobody() -> None:
    plan = erlang.staffing_plan(
        calls_per_interval=0,
        interval_seconds=1800,
        aht_seconds=180,
        target_service_level=0.8,
        target_seconds=20,
    )
    assert (plan.agents, plan.scheduled_agents, plan.service_level) == (0, 0, 1.0)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"aht_seconds": 0}, "ahtSeconds"),
        ({"target_service_level": 1.2}, "targetServiceLevel"),
        ({"target_service_level": 1.0}, "targetServiceLevel"),
        ({"calls_per_interval": -1}, "callsPerInterval"),
        ({"interval_seconds": 0}, "intervalSeconds"),
        ({"shrinkage": 1.0}, "shrinkage"),
        ({"max_occupancy": 0}, "maxOccupancy"),
        ({"calls_per_interval": math.nan}, "callsPerInterval"),
        ({"aht_seconds": math.inf}, "ahtSeconds"),
        ({"target_seconds": -1}, "targetSeconds"),
    ],
)
def test_out_of_domain_input_is_bad_user_input(overrides: dict, field: str) -> None:
    inputs = {
        "calls_per_interval": 100,
        "interval_seconds": 1800,
        "aht_seconds": 180,
        "target_service_level": 0.8,
        "target_seconds": 20,
        "shrinkage": 0.3,
        "max_occupancy": 0.9,
    }
    with pytest.raises(BadUserInput) as raised:
        erlang.staffing_plan(**{**inputs, **overrides})
    assert raised.value.field == field


def test_erlang_c_needs_more_agents_than_erlangs() -> None:
    with pytest.raises(BadUserInput):
        erlang.erlang_c(10, 10.0)
    with pytest.raises(BadUserInput):
        erlang.erlang_b_lines(5.0, 1.5)
