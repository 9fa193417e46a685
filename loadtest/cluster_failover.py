"""Valkey Cluster failover under traffic: what a ``kill -9`` of one primary loses.

    PYTHONPATH=. .venv/bin/python loadtest/cluster_failover.py [--calls 150] [--cps 10]

A three-primary cluster (a replica each, node timeout 1 s), one tenant per shard, two
routing processes and the simulator's callers. Part-way through, the primary of shard 0
is killed with SIGKILL; its replica takes over. Figures:

- failover time: from the kill to the replica serving the shard's slots;
- events lost: entries of the victim tenant's stream that existed on the old primary at the
  kill (read just before it) but not on the promoted replica (asynchronous replication);
- reservations lost: ``call.reserved`` among those lost entries;
- calls the callers saw fail (no routing answer) on the victim shard and on the others;
- consistency: whether each tenant's event log still replays to the state the cluster holds
  (state and events share one slot, so a replica holds a consistent prefix of both);
- ghosts: calls left active with no terminal event once traffic settled (what routing's
  reconciliation with the media plane must end).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from redis.asyncio import Redis
from redis.crc import key_slot

from routing.engine.engine import AcdEngine
from routing.simulator.params import SimulationParams
from routing.simulator.replicas import start_replicas
from routing.simulator.run import SimulationReport, simulate
from routing.simulator.seed import DemoCenter, seed_demo_center
from tenants import redis_keys as keys
from tenants.embedded.valkey_cluster import EmbeddedValkeyCluster
from tenants.redis_connection import connect

SECRET = "failover-secret-" + "x" * 24


@dataclass
class Loss:
    """What one failover cost."""

    failover_s: float = 0.0
    events_before: int = 0
    events_lost: int = 0
    reservations_lost: int = 0


def tenant_per_shard(cluster: EmbeddedValkeyCluster) -> list[str]:
    """One fresh tenant id on each shard, shard 0 first."""
    picked: dict[int, str] = {}
    while len(picked) < cluster.primaries:
        tenant_id = str(uuid.uuid4())
        picked.setdefault(cluster.shard_of_tenant(tenant_id), tenant_id)
    return [picked[shard] for shard in sorted(picked)]


async def kill_primary(
    cluster: EmbeddedValkeyCluster, redis: Redis, victim_tenant: str, after_s: float, loss: Loss
) -> None:
    """SIGKILL shard 0's primary after ``after_s``; wait for its replica to take over."""
    await asyncio.sleep(after_s)
    stream = keys.events(victim_tenant)
    primary = cluster.nodes[0]
    direct = cluster.client(primary)
    before = await asyncio.to_thread(direct.xrange, stream)
    await asyncio.to_thread(cluster.kill, primary)
    killed = time.monotonic()
    loss.events_before = len(before)
    slot = key_slot(keys.tag(victim_tenant).encode())
    while True:
        try:
            replica = await asyncio.to_thread(cluster.primary_of_slot, slot)
            if replica is not primary:
                break
        except LookupError:
            pass
        await asyncio.sleep(0.05)
    loss.failover_s = time.monotonic() - killed
    after = {
        entry_id for entry_id, _ in await asyncio.to_thread(cluster.client(replica).xrange, stream)
    }
    lost = [(entry_id, fields) for entry_id, fields in before if entry_id not in after]
    loss.events_lost = len(lost)
    loss.reservations_lost = sum(1 for _, f in lost if f.get(b"type") == b"call.reserved")


async def run(calls: int, cps: float) -> None:
    with tempfile.TemporaryDirectory(prefix="hotline-failover-") as scratch:
        tmp = os.environ.get("HOTLINE_FAILOVER_DIR", scratch)
        cluster = EmbeddedValkeyCluster(Path(tmp) / "cluster")
        url = cluster.start()
        redis = connect(url)
        engine = AcdEngine(redis)
        try:
            tenants = tenant_per_shard(cluster)
            centers = [
                await seed_demo_center(
                    redis,
                    engine,
                    tenant_id=tenant_id,
                    slug=f"failover-{index}",
                    queues=2,
                    agents=6,
                    wrapup_s=0,
                    ring_timeout_s=2,
                    did_prefix=f"+1779{uuid.uuid4().int % 10**4:04d}{index}",
                )
                for index, tenant_id in enumerate(tenants)
            ]
            replicas = start_replicas(
                2,
                redis_url=url,
                secret=SECRET,
                var_dir=Path(tmp),
                extra_env={"HOTLINE_ROUTING_TIMER_INTERVAL_S": "0.1"},
            )
            loss = Loss()
            try:
                killer = asyncio.create_task(
                    kill_primary(cluster, redis, tenants[0], calls / cps / 3, loss)
                )
                runs = asyncio.gather(
                    *(
                        simulate(
                            params=SimulationParams(
                                calls=calls,
                                calls_per_second=cps,
                                patience_mean_s=6,
                                answer_delay_s=0.05,
                                handle_mean_s=0.5,
                                no_answer_rate=0.0,
                                missed_recover_s=0.5,
                                seed=index,
                            ),
                            routing_urls=[r.url for r in replicas],
                            secret=SECRET,
                            dids=center.dids,
                            engine=engine,
                            tenant_id=center.tenant_id,
                            call_id_of=lambda _: str(uuid.uuid4()),
                        )
                        for index, center in enumerate(centers)
                    )
                )
                try:
                    async with asyncio.timeout(calls / cps + 90):
                        reports = await runs
                except TimeoutError:
                    await stuck(redis, centers)
                    raise
                await killer
                await asyncio.sleep(5)  # timers (ring timeouts, ACW) settle what they can
            finally:
                for replica in replicas:
                    replica.stop()
            await report(redis, centers, list(reports), loss)
        finally:
            await redis.aclose()
            cluster.stop()


CALL_STATES = {
    "call.enqueued": "queued",
    "call.reserved": "reserved",
    "call.agent_failed": "queued",
    "call.answered": "connected",
    "call.ended": "ended",
    "call.abandoned": "abandoned",
    "call.rejected": "rejected",
}
"""The call state each event leaves a call in (as tests/routing/invariants.py replays it)."""


async def report(
    redis: Redis, centers: list[DemoCenter], reports: list[SimulationReport], loss: Loss
) -> None:
    """Print the loss, then per shard: outcomes, log/state agreement and ghosts."""
    print(
        f"failover: {loss.failover_s:.2f} s from SIGKILL to the replica serving the slots; "
        f"victim stream lost {loss.events_lost} of {loss.events_before} events "
        f"({loss.reservations_lost} call.reserved)"
    )
    for shard, (center, sim) in enumerate(zip(centers, reports, strict=True)):
        tenant = center.tenant_id
        replayed: dict[str, str] = {}
        for _, fields in await redis.xrange(keys.events(tenant)):
            if fields.get("type") in CALL_STATES and fields.get("call_id") in sim.calls:
                replayed[fields["call_id"]] = CALL_STATES[fields["type"]]
        async with redis.pipeline(transaction=False) as pipe:
            for call_id in sim.calls:
                pipe.hget(keys.call(tenant, call_id), "state")
            stored = dict(zip(sim.calls, await pipe.execute(), strict=True))
        disagree = sum(1 for c in sim.calls if (replayed.get(c) or None) != (stored[c] or None))
        ghosts = sum(1 for state in stored.values() if state in {"queued", "reserved", "connected"})
        print(
            f"shard {shard}{' (failed over)' if shard == 0 else ''}: {len(sim.calls)} calls, "
            f"outcomes {dict(sim.outcomes) or dict(_outcomes(sim))}, "
            f"log/state disagree on {disagree}, ghosts (active, no end) {ghosts}, "
            f"caller retries to another replica {sim.failovers}"
        )


async def stuck(redis: Redis, centers: list[DemoCenter]) -> None:
    """Print what routing holds for calls still active when the run timed out."""
    for center in centers:
        active = await redis.smembers(keys.active_calls(center.tenant_id))
        print(f"tenant {center.tenant_id}: {len(active)} active calls")
        for call_id in sorted(active)[:5]:
            print("  ", call_id, await redis.hgetall(keys.call(center.tenant_id, call_id)))


def _outcomes(sim: SimulationReport) -> dict[str, int]:
    counts: dict[str, int] = {}
    for call in sim.calls.values():
        counts[call.outcome or "unfinished"] = counts.get(call.outcome or "unfinished", 0) + 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=150, help="calls per tenant")
    parser.add_argument("--cps", type=float, default=10.0, help="calls per second per tenant")
    args = parser.parse_args()
    asyncio.run(run(args.calls, args.cps))


if __name__ == "__main__":
    main()
