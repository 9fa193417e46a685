"""The capacity of one API process: the journeys of ``locustfile.py`` on a stepped ramp.

A locustfile (the four journeys plus a step load shape) and its own driver. Against
``make run`` with the sign-up and log-in limits raised (see ``locustfile.py``):

    .venv/bin/python -m loadtest.capacity -H http://127.0.0.1:8000

Each step holds a number of users for ``--hold`` seconds. For every step the driver prints
the users, the throughput, the p50/p95 of that step's requests and the failure share. The
users think between steps, so while the API keeps up, throughput grows with the users; the
step where it stops growing (under ``--keep-up`` of the previous step's per-user rate), the
p95 passes ``--p95-ms`` or failures pass 1 % is saturation, and the step before it is the
capacity. The baseline is the first step: its throughput per user is what an unloaded API
gives, and each step's ratio against it shows how far the API still keeps pace.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from locust import LoadTestShape

from loadtest.locustfile import AgentDay, Integrator, SignUp, Supervisor

__all__ = ["AgentDay", "Integrator", "SignUp", "StepRamp", "Supervisor"]

DEFAULT_STEPS = (10, 20, 40, 80, 120, 160, 200)
SPAWN_RATE = 20


def _steps() -> tuple[int, ...]:
    raw = os.environ.get("HOTLINE_CAPACITY_STEPS", "")
    return tuple(int(s) for s in raw.split(",") if s) or DEFAULT_STEPS


def _hold() -> float:
    return float(os.environ.get("HOTLINE_CAPACITY_HOLD", "40"))


class StepRamp(LoadTestShape):
    """Holds each step's user count for the hold time, then stops."""

    def tick(self) -> tuple[int, float] | None:
        index = int(self.get_run_time() // _hold())
        steps = _steps()
        if index >= len(steps):
            return None
        return steps[index], SPAWN_RATE


@dataclass(frozen=True)
class Step:
    """What one step of the ramp measured (its second half, once the users have spawned)."""

    users: int
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    failure_share: float


def summarise(history_csv: Path, hold: float) -> list[Step]:
    """Per step, from locust's per-second history: the medians of its second half."""
    rows = [r for r in csv.DictReader(history_csv.open()) if r["Name"] == "Aggregated"]
    if not rows:
        return []
    start = int(rows[0]["Timestamp"])
    by_step: dict[int, list[dict[str, str]]] = {}
    for row in rows:
        offset = int(row["Timestamp"]) - start
        if offset % hold >= hold / 2:
            by_step.setdefault(int(offset // hold), []).append(row)
    steps = []
    for _, sample in sorted(by_step.items()):
        rps = [float(r["Requests/s"]) for r in sample]
        fails = [float(r["Failures/s"]) for r in sample]
        p50 = [float(r["50%"]) for r in sample if r["50%"] not in ("", "N/A")]
        p95 = [float(r["95%"]) for r in sample if r["95%"] not in ("", "N/A")]
        rate = statistics.median(rps)
        steps.append(
            Step(
                users=int(sample[-1]["User Count"]),
                requests_per_second=rate,
                p50_ms=statistics.median(p50) if p50 else 0.0,
                p95_ms=statistics.median(p95) if p95 else 0.0,
                failure_share=statistics.median(fails) / rate if rate else 0.0,
            )
        )
    return steps


def capacity(steps: list[Step], *, keep_up: float, p95_ms: float) -> Step | None:
    """The last step before saturation (see the module docstring)."""
    best: Step | None = None
    for step in steps:
        if step.p95_ms > p95_ms or step.failure_share > 0.01:
            break
        if best is not None:
            expected = best.requests_per_second / best.users * step.users
            if step.requests_per_second < keep_up * expected:
                break
        best = step
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-H", "--host", default="http://127.0.0.1:8000")
    parser.add_argument("--steps", default=",".join(map(str, DEFAULT_STEPS)))
    parser.add_argument("--hold", type=float, default=40.0, help="seconds per step")
    parser.add_argument("--keep-up", type=float, default=0.8)
    parser.add_argument("--p95-ms", type=float, default=1000.0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp) / "capacity"
        env = {
            **os.environ,
            "HOTLINE_CAPACITY_STEPS": args.steps,
            "HOTLINE_CAPACITY_HOLD": str(args.hold),
        }
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", __file__, "--headless", "-H", args.host,
             "--csv", str(prefix), "--csv-full-history", "--only-summary",
             "--loglevel", "WARNING"],
            env=env, check=False,
        )  # fmt: skip
        steps = summarise(Path(f"{prefix}_stats_history.csv"), args.hold)
    if not steps:
        print("no requests were measured", file=sys.stderr)
        return 1
    measured = [s for s in steps if s.requests_per_second > 0]
    base = measured[0].requests_per_second / measured[0].users if measured else 0.0
    print("users  req/s  per-user vs step 1  p50 ms  p95 ms  failures")
    for s in steps:
        ratio = s.requests_per_second / s.users / base if base else 0.0
        print(
            f"{s.users:5d}  {s.requests_per_second:5.1f}  {ratio:18.2f}  "
            f"{s.p50_ms:6.0f}  {s.p95_ms:6.0f}  {s.failure_share:7.1%}"
        )
    best = capacity(steps, keep_up=args.keep_up, p95_ms=args.p95_ms)
    if best is None:
        print("saturated at the first step")
    else:
        print(
            f"capacity: {best.requests_per_second:.1f} req/s at {best.users} users "
            f"(p95 {best.p95_ms:.0f} ms)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
