"""The routing engine driven from several OS processes at once, as routing replicas do.

Each process opens its own Redis connections and runs the enqueue script against one
shared tenant (one hash slot, so every decision is serialised by Valkey exactly as it is
across real replicas). The figures are merged: total decisions over the longest process's
wall time, and every decision's latency.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace

from redis.asyncio import BlockingConnectionPool, Redis

from routing.engine.engine import AcdEngine, NewCall
from tenants.startup_heap import freeze_startup_heap


@dataclass(frozen=True)
class EnginePhase:
    """What each process runs: paced at ``rate`` (per process) or flat out (``rate`` 0)."""

    redis_url: str
    tenant_id: str
    queue_id: str
    tag: str
    seconds: float
    rate: float
    concurrency: int
    start_at: float
    """Wall-clock start (``time.time()``), so every process begins together."""


def _call(phase: EnginePhase, i: int) -> NewCall:
    return NewCall(
        call_id=f"{phase.tag}-{i}",
        queue_id=phase.queue_id,
        from_number="+15550000000",
        to_number="+15550000001",
        node="bench",
        continue_url="http://127.0.0.1:9/",
        tindex="1",
        tlabel="1",
    )


async def _run(phase: EnginePhase) -> tuple[int, float, list[float]]:
    redis = Redis(
        connection_pool=BlockingConnectionPool.from_url(
            phase.redis_url, decode_responses=True, max_connections=64
        )
    )
    engine = AcdEngine(redis, dispatches=False)
    latencies: list[float] = []
    agents_left = True

    async def enqueue(i: int) -> None:
        nonlocal agents_left
        started = time.perf_counter()
        result = await engine.enqueue(tenant_id=phase.tenant_id, call=_call(phase, i))
        if result.reservations:
            latencies.append(time.perf_counter() - started)
        else:
            agents_left = False  # every agent is reserved: a no-match is not a decision

    try:
        await engine.enqueue(tenant_id=phase.tenant_id, call=_call(phase, -1))  # load scripts
        freeze_startup_heap()  # as a routing process does after its startup
        await asyncio.sleep(max(0.0, phase.start_at - time.time()))
        began = time.perf_counter()
        stop = began + phase.seconds
        if phase.rate:
            tasks = []
            for i in range(int(phase.seconds * phase.rate)):
                delay = began + i / phase.rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                tasks.append(asyncio.create_task(enqueue(i)))
            await asyncio.gather(*tasks)
        else:
            counter = iter(range(10**9))

            async def worker() -> None:
                while agents_left and time.perf_counter() < stop:
                    await enqueue(next(counter))

            await asyncio.gather(*(worker() for _ in range(phase.concurrency)))
        return len(latencies), time.perf_counter() - began, latencies
    finally:
        await redis.aclose()


def _process_main(phase: EnginePhase) -> tuple[int, float, list[float]]:
    return asyncio.run(_run(phase))


def run_engine_processes(processes: int, phase: EnginePhase) -> tuple[int, float, list[float]]:
    """Run ``phase`` in ``processes`` fresh processes (each tagging its own call ids);
    returns (decisions, seconds, latencies in seconds)."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        phases = [replace(phase, tag=f"{phase.tag}p{n}") for n in range(processes)]
        results = list(pool.map(_process_main, phases))
    ops = sum(r[0] for r in results)
    seconds = max(r[1] for r in results)
    return ops, seconds, [latency for r in results for latency in r[2]]
