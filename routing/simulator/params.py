"""What a simulation run looks like: traffic, patience, agents' timings."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SimulationParams:
    """Poisson arrivals, exponential patience and handle times, fixed answer delay."""

    calls: int = 100
    calls_per_second: float = 2.0
    patience_mean_s: float = 60.0
    answer_delay_s: float = 1.0
    handle_mean_s: float = 30.0
    no_answer_rate: float = 0.02
    silent_rate: float = 0.0
    """Share of offers the agent neither answers nor refuses: routing's ring timeout acts."""
    missed_recover_s: float = 2.0
    seed: int | None = None
