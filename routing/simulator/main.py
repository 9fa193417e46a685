"""Entry points for ``hotline simulate`` and ``hotline up --simulate``."""

from __future__ import annotations

import asyncio
import logging
import uuid

from routing.engine.engine import AcdEngine
from routing.simulator.params import SimulationParams
from routing.simulator.run import SimulationReport, simulate
from routing.simulator.seed import seed_demo_center
from tenants.redis_connection import connect as connect_redis
from tenants.secrets import call_control_secret
from tenants.settings import Settings

log = logging.getLogger("hotline.simulator")


async def run_simulator(
    settings: Settings,
    params: SimulationParams,
    *,
    routing_urls: list[str] | None = None,
    tenant_id: str | None = None,
    dids: list[str] | None = None,
    agents: int = 10,
    queues: int = 3,
    rounds: int | None = 1,
    node_name: str | None = None,
) -> list[SimulationReport]:
    """Drive routing with virtual callers; ``rounds=None`` keeps traffic flowing forever.

    Without ``tenant_id``/``dids`` it seeds a demo center in Redis first (routing-config's
    layout) and prints where its numbers go.
    """
    if not settings.redis.url:
        raise RuntimeError("the simulator needs HOTLINE_REDIS_URL")
    redis = connect_redis(settings.redis.url)
    engine = AcdEngine(redis, dispatches=False)
    urls = routing_urls or [f"http://{settings.routing.host}:{settings.routing.port}"]
    reports: list[SimulationReport] = []
    try:
        if tenant_id is None or not dids:
            center = await seed_demo_center(
                redis,
                engine,
                tenant_id=tenant_id,
                agents=agents,
                queues=queues,
                slug=f"demo-{uuid.uuid4().hex[:6]}",
            )
            tenant_id, dids = center.tenant_id, center.dids
            log.info("simulator: demo tenant %s, DIDs %s", tenant_id, ", ".join(dids))
        round_index = 0
        while rounds is None or round_index < rounds:
            report = await simulate(
                params=params,
                routing_urls=urls,
                secret=call_control_secret(settings),
                dids=dids,
                engine=engine,
                tenant_id=tenant_id,
                call_prefix=f"sim-{uuid.uuid4().hex[:8]}",
                node_name=node_name,
            )
            log.info("simulator round %s: %s", round_index + 1, dict(report.outcomes))
            reports.append(report)
            round_index += 1
    finally:
        await redis.aclose()
    return reports


def summary(reports: list[SimulationReport]) -> str:
    """One line per round: outcomes and the median wait for an offer."""
    lines = []
    for index, report in enumerate(reports, start=1):
        waits = sorted(report.offer_latencies)
        median = waits[len(waits) // 2] if waits else 0.0
        lines.append(f"round {index}: {dict(report.outcomes)}; median time to offer {median:.2f} s")
    return "\n".join(lines)


def run_simulator_blocking(settings: Settings, params: SimulationParams, **options: object) -> str:
    """Synchronous wrapper for the CLI; returns the summary."""
    return summary(asyncio.run(run_simulator(settings, params, **options)))  # type: ignore[arg-type]
