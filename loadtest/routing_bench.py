"""Routing benchmark: decision latency and throughput at 1 and 3 routing processes, against
the raw EVALSHA ceiling of the same Valkey measured in the same run.

    PYTHONPATH=. .venv/bin/python loadtest/routing_bench.py [--seconds 5] [--rate 1000]

Figures:
- raw EVALSHA ceiling: a no-op script, same client library and concurrency;
- engine enqueue → reservation: the enqueue script with idle agents (Redis only);
- engine agent freed → reservation: the agent-state script with calls waiting;
- HTTP enqueue → reservation: ``POST /v1/calls`` round trip (the reservation is committed
  before the 202) at a paced rate and flat out, on 1 and 3 ``uvicorn`` routing processes;
- HTTP agent freed → reservation: ``POST /v1/calls/{id}/events`` ``ended`` (wrap-up 0) while
  calls wait (the next reservation is committed before the reply), flat out.
Latencies are medians (p50) and p99 in milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from redis.asyncio import BlockingConnectionPool, Redis

from loadtest.engine_processes import EnginePhase, run_engine_processes
from routing.engine.engine import AcdEngine, NewCall
from routing.simulator.replicas import start_replicas
from routing.simulator.seed import DemoCenter, seed_demo_center
from tenants import redis_keys
from tenants.embedded.process import free_port
from tenants.embedded.valkey import EmbeddedValkey

SECRET = "bench-secret-" + "x" * 24


def progress(message: str) -> None:
    """A timestamped progress line on stderr."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class Figures:
    """One measurement."""

    name: str
    ops: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.ops / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    def line(self, ceiling: float) -> str:
        return (
            f"{self.name:<46} {self.rate:>9.0f}/s  p50 {self.pct(0.5):6.2f} ms  "
            f"p99 {self.pct(0.99):6.2f} ms  {100 * self.rate / ceiling:5.1f}% of ceiling"
        )


async def closed_loop(
    name: str, op: Callable[[int], Awaitable[object]], *, seconds: float, concurrency: int
) -> Figures:
    """``concurrency`` workers calling ``op`` back to back for ``seconds`` (or until ``op``
    returns False: nothing left to do)."""
    latencies: list[float] = []
    counter = iter(range(10**9))
    stop = time.perf_counter() + seconds

    async def worker() -> None:
        while time.perf_counter() < stop:
            started = time.perf_counter()
            if await op(next(counter)) is False:
                return
            latencies.append(time.perf_counter() - started)

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    progress(f"{name}: {len(latencies)} ops")
    return Figures(name, len(latencies), time.perf_counter() - began, latencies)


async def paced(
    name: str, op: Callable[[int], Awaitable[object]], *, seconds: float, rate: float
) -> Figures:
    """Open loop: start ``op`` at ``rate`` per second regardless of completions."""
    latencies: list[float] = []
    tasks = []

    async def one(i: int) -> None:
        started = time.perf_counter()
        await op(i)
        latencies.append(time.perf_counter() - started)

    began = time.perf_counter()
    total = int(seconds * rate)
    for i in range(total):
        target = began + i / rate
        delay = target - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i)))
    await asyncio.gather(*tasks)
    progress(f"{name}: {total} ops")
    return Figures(name, total, time.perf_counter() - began, latencies)


def new_call(queue_id: str, call_id: str, continue_url: str) -> NewCall:
    return NewCall(
        call_id=call_id,
        queue_id=queue_id,
        from_number="+15550000000",
        to_number="+15550000001",
        node="bench",
        continue_url=continue_url,
        tindex="1",
        tlabel="1",
    )


async def engine_figures(
    redis: Redis, seconds: float, concurrency: int, rate: float
) -> list[Figures]:
    engine = AcdEngine(redis, dispatches=False)
    prefix = uuid.uuid4().hex[:6]

    def enqueue_into(center: DemoCenter, tag: str) -> Callable[[int], Awaitable[bool]]:
        async def enqueue(i: int) -> bool:
            if i >= len(center.agent_ids):
                return False  # every agent is reserved: stop rather than time a no-match
            result = await engine.enqueue(
                tenant_id=center.tenant_id,
                call=new_call(
                    center.queue_ids[0],
                    f"{tag}{prefix}-{i}",
                    "http://127.0.0.1:9/",
                ),
            )
            assert result.reservations, "no idle agent left"
            return True

        return enqueue

    # Open loop at the target rate (the latency target is p99 at 1,000 decisions/s).
    center = await seed_demo_center(
        redis, engine, queues=1, agents=int(seconds * rate) + 10, wrapup_s=0, did_prefix="+1443"
    )
    at_rate = await paced(
        f"engine enqueue → reservation @ {rate:.0f}/s",
        enqueue_into(center, "r"),
        seconds=seconds,
        rate=rate,
    )
    # Closed loop, flat out: one idle agent per call for as long as it lasts.
    center = await seed_demo_center(
        redis, engine, queues=1, agents=int(seconds * 6000), wrapup_s=0, did_prefix="+1444"
    )
    idle = await closed_loop(
        "engine enqueue → reservation (agents idle)",
        enqueue_into(center, "e"),
        seconds=seconds,
        concurrency=concurrency,
    )
    # Agents freed one by one while calls wait: a fresh center whose agents start on break.
    waiting = int(idle.rate * seconds * 0.8)
    parked = await seed_demo_center(
        redis, engine, queues=1, agents=waiting, wrapup_s=0, did_prefix="+1445", available=False
    )
    busy = parked.agent_ids
    for i in range(waiting):
        await engine.enqueue(
            tenant_id=parked.tenant_id,
            call=new_call(parked.queue_ids[0], f"w{prefix}-{i}", "http://127.0.0.1:9/"),
        )

    async def free(i: int) -> bool:
        if i >= len(busy):
            return False
        result = await engine.set_agent_state(
            tenant_id=parked.tenant_id, agent_id=busy[i], state="available"
        )
        assert result.reservations
        return True

    freed = await closed_loop(
        "engine agent freed → reservation (calls wait)",
        free,
        seconds=seconds * 0.6,
        concurrency=concurrency,
    )
    return [at_rate, idle, freed]


async def engine_process_figures(
    redis: Redis, redis_url: str, processes: int, seconds: float, concurrency: int, rate: float
) -> list[Figures]:
    """The engine driven from ``processes`` OS processes at once against one tenant: paced
    at ``rate`` in total, then flat out."""
    figures = []
    for paced_rate, agents, label in (
        (rate, int(seconds * rate) + 10 * processes, f"@ {rate:.0f}/s"),
        (0.0, int(seconds * 9000), "max"),
    ):
        center = await seed_demo_center(
            redis,
            AcdEngine(redis, dispatches=False),
            queues=1,
            agents=agents,
            wrapup_s=0,
            did_prefix=f"+1446{processes}{len(figures)}",
        )
        phase = EnginePhase(
            redis_url=redis_url,
            tenant_id=center.tenant_id,
            queue_id=center.queue_ids[0],
            tag=f"m{uuid.uuid4().hex[:6]}",
            seconds=seconds,
            rate=paced_rate / processes,
            concurrency=concurrency,
            start_at=time.time() + 5,
        )
        ops, elapsed, latencies = await asyncio.to_thread(run_engine_processes, processes, phase)
        name = f"engine enqueue → reservation, {processes} proc {label}"
        progress(f"{name}: {ops} ops")
        figures.append(Figures(name, ops, elapsed, latencies))
    return figures


async def http_figures(
    redis: Redis,
    redis_url: str,
    processes: int,
    seconds: float,
    rate: float,
    concurrency: int,
    var_dir: Path,
    into: list[Figures],
) -> None:
    """Append each HTTP figure to ``into`` as soon as it is measured (a later phase that
    fails does not lose the earlier ones)."""
    engine = AcdEngine(redis, dispatches=False)
    agents = int(seconds * (rate + 2500) + 500)
    progress(f"seeding {agents} agents")
    center = await seed_demo_center(
        redis, engine, queues=1, agents=agents, wrapup_s=0, did_prefix=f"+1333{processes}"
    )
    progress("starting replicas")
    started = start_replicas(processes + 1, redis_url=redis_url, secret=SECRET, var_dir=var_dir)
    # The extra replica only answers continue requests (its /healthz stands in for Kamailio).
    replicas, node = started[:-1], started[-1]
    urls = [r.url for r in replicas]
    prefix = uuid.uuid4().hex[:6]
    try:
        # aiohttp, not httpx: httpcore's pool rescans every queued request on each
        # completion, so once requests queue the load generator itself burns the CPU and the
        # figures measure the client. No timeout on waiting for a connection: an open-loop
        # phase that outruns the pool waits, and the wait counts in its latencies.
        async with aiohttp.ClientSession(
            headers={"X-Hotline-Secret": SECRET},
            # Idle connections are dropped before uvicorn's 5 s keep-alive closes them, so
            # a request never races the server's close (a reset between phases).
            connector=aiohttp.TCPConnector(limit=concurrency * 2, keepalive_timeout=2),
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=30, sock_read=30),
        ) as http:

            def post(tag: str) -> Callable[[int], Awaitable[None]]:
                async def op(i: int) -> None:
                    url = urls[i % len(urls)]
                    status, body = await post_json(
                        http,
                        url + "/v1/calls",
                        {
                            "call_id": f"{tag}{prefix}-{i}",
                            "node": "bench",
                            "continue_url": node.url + "/healthz",
                            "tindex": 1,
                            "tlabel": 1,
                            "from": "+15550000000",
                            "to": center.dids[0],
                        },
                    )
                    assert status == 202, body

                return op

            await closed_loop("warm-up", post("u"), seconds=1, concurrency=concurrency)
            into.append(
                await paced(
                    f"HTTP enqueue → reservation, {processes} proc @ {rate:.0f}/s",
                    post("p"),
                    seconds=seconds,
                    rate=rate,
                )
            )
            into.append(
                await closed_loop(
                    f"HTTP enqueue → reservation, {processes} proc, max",
                    post("m"),
                    seconds=seconds,
                    concurrency=concurrency,
                )
            )
            freed_op = await freed_phase(
                http, redis, engine, urls, node.url, processes, seconds, concurrency
            )
            into.append(
                await closed_loop(
                    f"HTTP agent freed → reservation, {processes} proc",
                    freed_op,
                    seconds=seconds,
                    concurrency=concurrency,
                )
            )
    except Exception:
        for index in range(len(started)):
            log = (var_dir / "replica-logs" / f"routing-{index}.log").read_text()
            errors = [line for line in log.splitlines() if "Error" in line][-5:]
            progress(f"replica {index} errors: {errors}")
        raise
    finally:
        for replica in started:
            replica.stop()


async def post_json(
    http: aiohttp.ClientSession, url: str, body: dict[str, object]
) -> tuple[int, dict[str, object]]:
    """POST ``body``; the status and the decoded JSON reply."""
    async with http.post(url, json=body) as response:
        return response.status, await response.json()


async def freed_phase(
    http: aiohttp.ClientSession,
    redis: Redis,
    engine: AcdEngine,
    urls: list[str],
    node_url: str,
    processes: int,
    seconds: float,
    concurrency: int,
) -> Callable[[int], Awaitable[bool]]:
    """Set up "agent freed → reservation": every agent on a call, as many calls waiting.

    The timed op is ``POST /v1/calls/{id}/events`` ``ended`` (wrap-up 0): its reply comes
    after the script freed the agent and reserved the next waiting call for them.
    """
    count = int(seconds * 300)
    progress(f"freed phase: {count} connected calls, {count} waiting")
    center = await seed_demo_center(
        redis, engine, queues=1, agents=count, wrapup_s=0, did_prefix=f"+1334{processes}"
    )
    prefix = uuid.uuid4().hex[:6]
    gate = asyncio.Semaphore(concurrency)

    async def post(i: int, call_id: str, path: str, body: dict[str, object]) -> None:
        async with gate:
            status, reply = await post_json(http, urls[i % len(urls)] + path, body)
        assert status in (200, 202), reply

    def call(i: int, call_id: str) -> Awaitable[None]:
        body = {
            "call_id": call_id,
            "node": "bench",
            "continue_url": node_url + "/healthz",
            "tindex": 1,
            "tlabel": 1,
            "from": "+15550000000",
            "to": center.dids[0],
        }
        return post(i, call_id, "/v1/calls", body)

    talking = [f"t{prefix}-{i}" for i in range(count)]
    await asyncio.gather(*(call(i, c) for i, c in enumerate(talking)))
    answered = {"type": "answered", "by": "agent"}
    await asyncio.gather(
        *(post(i, c, f"/v1/calls/{c}/events", answered) for i, c in enumerate(talking))
    )
    await asyncio.gather(*(call(i, f"q{prefix}-{i}") for i in range(count)))

    async def end(i: int) -> bool:
        if i >= count:
            return False  # every agent freed once: stop rather than time a no-match
        call_id = talking[i]
        _, reply = await post_json(
            http,
            urls[i % len(urls)] + f"/v1/calls/{call_id}/events",
            {"type": "ended", "by": "agent"},
        )
        assert reply["status"] == "ok", reply
        return True

    return end


async def evalsha_usec(redis: Redis) -> float:
    """Valkey's mean time per EVALSHA or FCALL since the last stats reset (microseconds)."""
    stats = await redis.info("commandstats")
    calls = usec = 0.0
    for command in ("cmdstat_evalsha", "cmdstat_fcall"):
        calls += stats.get(command, {}).get("calls", 0)
        usec += stats.get(command, {}).get("usec", 0)
    return usec / calls if calls else 0.0


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="hotline-bench-") as tmp:
        valkey = EmbeddedValkey(Path(tmp) / "valkey", port=free_port(), persist=False)
        redis_url = valkey.start()
        # A blocking pool: an open-loop phase that falls behind waits for a connection (and
        # that wait counts in its latencies) instead of failing with "Too many connections".
        redis = Redis(
            connection_pool=BlockingConnectionPool.from_url(
                redis_url, decode_responses=True, max_connections=64
            )
        )
        try:
            noop = redis.register_script("return 1")
            await redis.config_resetstat()
            ceiling = await closed_loop(
                "raw EVALSHA ceiling (no-op script)",
                lambda i: noop(keys=[f"{redis_keys.tag('bench')}:x"], args=[i]),
                seconds=args.seconds,
                concurrency=args.concurrency,
            )
            noop_us = await evalsha_usec(redis)
            await redis.config_resetstat()
            figures = [
                ceiling,
                *await engine_figures(redis, args.seconds, args.concurrency, args.engine_rate),
            ]
            for processes in (1, 3):
                figures += await engine_process_figures(
                    redis, redis_url, processes, args.seconds, args.concurrency, args.engine_rate
                )
            script_us = await evalsha_usec(redis)
            failures: list[str] = []
            for processes in () if args.engine_only else (1, 3):
                # A clean slate: no timers or undelivered decisions left by earlier phases.
                await redis.flushall()
                try:
                    await http_figures(
                        redis,
                        redis_url,
                        processes,
                        args.seconds,
                        args.rate,
                        args.concurrency,
                        Path(tmp),
                        figures,
                    )
                except (AssertionError, OSError, aiohttp.ClientError, TimeoutError) as err:
                    # Reported, not hidden: a phase the routing processes could not serve.
                    failures.append(f"HTTP phases, {processes} proc: {type(err).__name__}: {err}")
        finally:
            await redis.aclose()
            valkey.stop()
    print(f"\nrouting benchmark ({args.seconds:.0f} s per figure, concurrency {args.concurrency})")
    print(
        f"Valkey time per call: no-op EVALSHA {noop_us:.1f} us, routing {script_us:.1f} us "
        f"(server-side decision ceiling ~{1e6 / script_us if script_us else 0:.0f}/s)"
    )
    for figure in figures:
        print(figure.line(ceiling.rate))
    for failure in failures:
        print(f"FAILED {failure}")
    engine_max = [f for f in figures if f.name.startswith("engine") and f.name.endswith("max")]
    if len(engine_max) == 2:
        print(
            f"engine, 3 proc / 1 proc throughput: {engine_max[1].rate / engine_max[0].rate:.2f}x; "
            f"3 proc = {engine_max[1].rate / ceiling.rate:.2f} of the ceiling"
        )
    decisions = [f for f in figures if f.name.startswith("HTTP enqueue") and "max" in f.name]
    if len(decisions) == 2:
        ratio = statistics.median(f.rate / ceiling.rate for f in decisions)
        print(
            f"3 proc / 1 proc throughput: {decisions[1].rate / decisions[0].rate:.2f}x; "
            f"median ratio to ceiling {ratio:.2f}"
        )


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    # SIGTERM (e.g. from `timeout`) unwinds like Ctrl-C, so replicas and Valkey are stopped.
    signal.signal(signal.SIGTERM, _interrupt)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rate", type=float, default=1000.0, help="paced enqueue rate per second")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument(
        "--engine-rate", type=float, default=1000.0, help="paced engine decisions per second"
    )
    parser.add_argument(
        "--engine-only", action="store_true", help="skip the HTTP figures (routing processes)"
    )
    asyncio.run(main(parser.parse_args()))
