"""Readiness checks of a process's dependencies, and ``hotline_dependency_up``.

Every process with a ``/readyz`` (API, routing, worker) checks its PostgreSQL and Redis
through :func:`check_dependencies`, which also sets the gauge the
``HotlineDatabaseUnreachable`` and ``HotlineRedisUnreachable`` alerts read
(``infra/prometheus/rules.yml``). Kubernetes probes ``/readyz`` every few seconds, so the
gauge is as fresh as the probe.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping

from prometheus_client import Gauge

DEPENDENCY_UP = Gauge(
    "hotline_dependency_up",
    "1 when this process's last readiness check reached the dependency, else 0.",
    ["dependency"],
    multiprocess_mode="min",
)

Probe = Callable[[], Awaitable[object]]


async def check_dependencies(
    probes: Mapping[str, Probe], *, probe_timeout_s: float = 2.0
) -> tuple[bool, dict[str, str]]:
    """Run every probe at once; ``(ready, {name: "ok" | "unavailable: <error type>"})``."""
    checks: dict[str, str] = {}

    async def check(name: str, probe: Probe) -> None:
        try:
            await asyncio.wait_for(probe(), timeout=probe_timeout_s)
            checks[name] = "ok"
        except Exception as err:  # readiness reports any failure, whatever its type
            checks[name] = f"unavailable: {type(err).__name__}"
        DEPENDENCY_UP.labels(name).set(1 if checks[name] == "ok" else 0)

    await asyncio.gather(*(check(name, probe) for name, probe in probes.items()))
    return all(value == "ok" for value in checks.values()), dict(sorted(checks.items()))
