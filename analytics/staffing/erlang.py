"""Erlang B and C staffing maths (``shared/metrics.md``), pure and overflow-free.

Erlang B uses the stable recursion B(k) = A·B(k-1) / (k + A·B(k-1)), so it needs no
factorials and works for thousands of agents. Input outside the formulas' domain raises
BAD_USER_INPUT; no function here returns NaN or infinity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tenants.errors import BadUserInput

MAX_AGENTS = 100_000
"""The largest staff the search considers; beyond it the input is refused."""


def _finite(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise BadUserInput(f"{name}: must be a finite number", field=name)
    return float(value)


def _check_traffic(traffic: float) -> float:
    traffic = _finite("trafficErlangs", traffic)
    if traffic < 0:
        raise BadUserInput("trafficErlangs: must be ≥ 0", field="trafficErlangs")
    if traffic > MAX_AGENTS:
        raise BadUserInput(f"trafficErlangs: must be ≤ {MAX_AGENTS}", field="trafficErlangs")
    return traffic


def _check_agents(agents: int) -> int:
    if isinstance(agents, bool) or not isinstance(agents, int) or not 0 <= agents <= MAX_AGENTS:
        raise BadUserInput(f"agents: must be an integer 0-{MAX_AGENTS}", field="agents")
    return agents


def offered_load(*, calls: float, interval_seconds: float, aht_seconds: float) -> float:
    """A = λ·AHT in erlangs, from calls per interval."""
    calls = _finite("callsPerInterval", calls)
    interval_seconds = _finite("intervalSeconds", interval_seconds)
    aht_seconds = _finite("ahtSeconds", aht_seconds)
    if calls < 0:
        raise BadUserInput("callsPerInterval: must be ≥ 0", field="callsPerInterval")
    if interval_seconds <= 0:
        raise BadUserInput("intervalSeconds: must be > 0", field="intervalSeconds")
    if aht_seconds <= 0:
        raise BadUserInput("ahtSeconds: must be > 0", field="ahtSeconds")
    return _check_traffic(calls * aht_seconds / interval_seconds)


def erlang_b(agents: int, traffic: float) -> float:
    """Blocking probability of ``agents`` servers offered ``traffic`` erlangs."""
    agents = _check_agents(agents)
    traffic = _check_traffic(traffic)
    blocking = 1.0
    for k in range(1, agents + 1):
        blocking = traffic * blocking / (k + traffic * blocking)
    return blocking


def _erlang_c_from_b(agents: int, traffic: float, blocking: float) -> float:
    return agents * blocking / (agents - traffic * (1 - blocking))


def erlang_c(agents: int, traffic: float) -> float:
    """P(wait > 0) for ``agents`` > ``traffic``: C = N·B / (N - A(1 - B))."""
    agents = _check_agents(agents)
    traffic = _check_traffic(traffic)
    if agents <= traffic:
        raise BadUserInput("agents: Erlang C needs more agents than erlangs", field="agents")
    return _erlang_c_from_b(agents, traffic, erlang_b(agents, traffic))


def _service_level(
    agents: int, traffic: float, p_wait: float, target_seconds: float, aht: float
) -> float:
    return 1 - p_wait * math.exp(-(agents - traffic) * target_seconds / aht)


def service_level(
    agents: int, traffic: float, *, target_seconds: float, aht_seconds: float
) -> float:
    """SL(T) = 1 - C·e^(-(N-A)·T/AHT)."""
    target_seconds, aht_seconds = _check_time_inputs(target_seconds, aht_seconds)
    return _service_level(agents, traffic, erlang_c(agents, traffic), target_seconds, aht_seconds)


def average_speed_of_answer(agents: int, traffic: float, *, aht_seconds: float) -> float:
    """ASA = C·AHT / (N - A), averaged over all callers."""
    _, aht_seconds = _check_time_inputs(0, aht_seconds)
    return erlang_c(agents, traffic) * aht_seconds / (agents - traffic)


def occupancy(agents: int, traffic: float) -> float:
    """A / N (0 when nobody is staffed and nothing is offered)."""
    agents = _check_agents(agents)
    traffic = _check_traffic(traffic)
    if agents == 0:
        if traffic > 0:
            raise BadUserInput("agents: must be > 0 when traffic is offered", field="agents")
        return 0.0
    return traffic / agents


def _check_time_inputs(target_seconds: float, aht_seconds: float) -> tuple[float, float]:
    target_seconds = _finite("targetSeconds", target_seconds)
    aht_seconds = _finite("ahtSeconds", aht_seconds)
    if target_seconds < 0:
        raise BadUserInput("targetSeconds: must be ≥ 0", field="targetSeconds")
    if aht_seconds <= 0:
        raise BadUserInput("ahtSeconds: must be > 0", field="ahtSeconds")
    return target_seconds, aht_seconds


@dataclass(frozen=True)
class StaffingPlan:
    """Erlang C staffing for one interval, with the figures it achieves."""

    traffic_erlangs: float
    agents: int
    scheduled_agents: int
    service_level: float
    asa_seconds: float
    occupancy: float
    probability_of_waiting: float


def scheduled_headcount(agents: int, shrinkage: float) -> int:
    """⌈N / (1 - shrinkage)⌉, robust to float noise (14 / 0.7 is 20, not 21)."""
    shrinkage = _finite("shrinkage", shrinkage)
    if not 0 <= shrinkage < 1:
        raise BadUserInput("shrinkage: must be in [0, 1)", field="shrinkage")
    return math.ceil(round(agents / (1 - shrinkage), 9))


def staffing_plan(
    *,
    calls_per_interval: float,
    interval_seconds: float,
    aht_seconds: float,
    target_service_level: float,
    target_seconds: float,
    shrinkage: float = 0.0,
    max_occupancy: float | None = None,
) -> StaffingPlan:
    """The smallest N > A with SL(T) ≥ target, raised to respect ``max_occupancy``."""
    traffic = offered_load(
        calls=calls_per_interval, interval_seconds=interval_seconds, aht_seconds=aht_seconds
    )
    target_seconds, aht_seconds = _check_time_inputs(target_seconds, aht_seconds)
    target = _finite("targetServiceLevel", target_service_level)
    if not 0 <= target < 1:
        raise BadUserInput(
            "targetServiceLevel: must be in [0, 1) (100 % is unreachable with queueing)",
            field="targetServiceLevel",
        )
    scheduled_headcount(0, shrinkage)
    if max_occupancy is not None:
        max_occupancy = _finite("maxOccupancy", max_occupancy)
        if not 0 < max_occupancy <= 1:
            raise BadUserInput("maxOccupancy: must be in (0, 1]", field="maxOccupancy")
    if traffic == 0:
        return StaffingPlan(0.0, 0, 0, 1.0, 0.0, 0.0, 0.0)
    floor = 0
    if max_occupancy is not None:
        floor = math.ceil(round(traffic / max_occupancy, 9))
    blocking = 1.0
    for agents in range(1, MAX_AGENTS + 1):
        blocking = traffic * blocking / (agents + traffic * blocking)
        if agents <= traffic or agents < floor:
            continue
        p_wait = _erlang_c_from_b(agents, traffic, blocking)
        sl = _service_level(agents, traffic, p_wait, target_seconds, aht_seconds)
        if sl >= target:
            return StaffingPlan(
                traffic_erlangs=traffic,
                agents=agents,
                scheduled_agents=scheduled_headcount(agents, shrinkage),
                service_level=sl,
                asa_seconds=p_wait * aht_seconds / (agents - traffic),
                occupancy=traffic / agents,
                probability_of_waiting=p_wait,
            )
    raise BadUserInput(f"callsPerInterval: needs more than {MAX_AGENTS} agents")


def erlang_b_lines(traffic: float, blocking_target: float) -> int:
    """The fewest lines whose Erlang B blocking is ≤ ``blocking_target``."""
    traffic = _check_traffic(traffic)
    blocking_target = _check_blocking(blocking_target)
    blocking = 1.0
    lines = 0
    while blocking > blocking_target:
        lines += 1
        if lines > MAX_AGENTS:
            raise BadUserInput(f"trafficErlangs: needs more than {MAX_AGENTS} lines")
        blocking = traffic * blocking / (lines + traffic * blocking)
    return lines


def erlang_b_traffic(lines: int, blocking_target: float) -> float:
    """The most traffic ``lines`` carry at ``blocking_target`` (bisection on Erlang B)."""
    lines = _check_agents(lines)
    blocking_target = _check_blocking(blocking_target)
    if lines == 0:
        return 0.0
    low, high = 0.0, float(lines) / (1 - blocking_target) + 1
    for _ in range(200):
        mid = (low + high) / 2
        if erlang_b(lines, mid) <= blocking_target:
            low = mid
        else:
            high = mid
    return low


def _check_blocking(blocking_target: float) -> float:
    blocking_target = _finite("blockingTarget", blocking_target)
    if not 0 < blocking_target < 1:
        raise BadUserInput("blockingTarget: must be in (0, 1)", field="blockingTarget")
    return blocking_target
