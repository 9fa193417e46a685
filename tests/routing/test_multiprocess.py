"""Three routing processes on one Valkey: every call ends once, no agent is double-booked,
and ``kill -9`` of one process mid-run loses nothing."""

from __future__ import annotations

import asyncio
import os
import signal
import uuid
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from redis.asyncio import Redis

from routing.engine import keys
from routing.engine.engine import AcdEngine
from routing.simulator.params import SimulationParams
from routing.simulator.replicas import start_replicas
from routing.simulator.run import simulate
from routing.simulator.seed import seed_demo_center
from tests.conftest import ServiceUrls

TERMINAL = {"call.ended", "call.abandoned", "call.rejected"}


async def settle(redis: Redis, tenant_id: str) -> None:
    """Wait (60 s at most) until no call is active: timers and orphaned decisions have run."""
    async with asyncio.timeout(60):
        while await redis.scard(keys.active_calls(tenant_id)):  # noqa: ASYNC110 - polls Redis
            await asyncio.sleep(0.2)


def check_agent_histories(events: list[dict[str, str]]) -> int:
    """Each agent's transitions chain up, and it is reserved only from available."""
    last: dict[str, str] = {}
    reservations = 0
    for event in events:
        if event["type"] != "agent.state_changed":
            continue
        agent = event["agent_id"]
        if agent in last:
            assert event["previous_state"] == last[agent], event
        if event["state"] == "reserved":
            assert event["previous_state"] == "available", event
            reservations += 1
        last[agent] = event["state"]
    assert all(state not in {"reserved", "on_contact"} for state in last.values()), last
    return reservations


def check_longest_idle(events: list[dict[str, str]]) -> None:
    """Every agent in the demo center qualifies for every queue, so each reservation must go
    to the agent idle the longest among those available at that moment."""
    idle_since: dict[str, int] = {}
    last_idle: dict[str, int] = {}
    for event in events:
        if event["type"] != "agent.state_changed":
            continue
        agent, at = event["agent_id"], int(event["at"])
        if event["state"] == "available":
            # A caller hanging up during the ring hands the agent back its place in line.
            keep = event.get("reason") == "caller_abandoned" and agent in last_idle
            idle_since[agent] = last_idle[agent] if keep else at
            last_idle[agent] = idle_since[agent]
        elif event["previous_state"] == "available":
            if event["state"] == "reserved":
                assert idle_since[agent] == min(idle_since.values()), event
            idle_since.pop(agent, None)


@pytest.mark.timeout(400)
async def test_three_processes_with_a_crash(
    redis: Redis, service_urls: ServiceUrls, tmp_path: Path
) -> None:
    engine = AcdEngine(redis)
    center = await seed_demo_center(
        redis,
        engine,
        tenant_id=str(uuid.uuid4()),
        queues=4,
        agents=50,
        wrapup_s=0,
        ring_timeout_s=5,
        did_prefix=f"+1999{uuid.uuid4().int % 10**5:05d}",
    )
    secret = "multiprocess-secret-" + "x" * 20
    replicas = start_replicas(
        3,
        redis_url=service_urls.redis_url,
        secret=secret,
        var_dir=tmp_path,
        extra_env={
            "HOTLINE_ROUTING_OUTBOX_LEASE_S": "2",
            "HOTLINE_ROUTING_TIMER_INTERVAL_S": "0.1",
        },
    )
    calls = 2000
    victim = replicas[1]

    async def kill_mid_run() -> None:
        stream = keys.events(center.tenant_id)
        while await redis.xlen(stream) < calls * 3:  # noqa: ASYNC110 - polls Redis
            await asyncio.sleep(0.2)
        os.kill(victim.process.pid, signal.SIGKILL)

    try:
        killer = asyncio.create_task(kill_mid_run())
        report = await simulate(
            params=SimulationParams(
                calls=calls,
                calls_per_second=70,
                patience_mean_s=8,
                answer_delay_s=0.05,
                handle_mean_s=0.4,
                no_answer_rate=0.03,
                missed_recover_s=0.5,
                seed=7,
            ),
            routing_urls=[r.url for r in replicas],
            secret=secret,
            dids=center.dids,
            engine=engine,
            tenant_id=center.tenant_id,
            call_prefix=f"mp-{uuid.uuid4().hex[:6]}",
        )
        assert killer.done(), "the crash never happened"
        assert victim.process.poll() is not None
        await settle(redis, center.tenant_id)
    finally:
        for replica in replicas:
            replica.stop()

    assert all(c.outcome in {"answered", "abandoned", "rejected"} for c in report.calls.values())
    events = [fields for _, fields in await redis.xrange(keys.events(center.tenant_id))]
    terminal: dict[str, list[str]] = defaultdict(list)
    for event in events:
        if event["type"] in TERMINAL:
            terminal[event["call_id"]].append(event["type"])
    assert set(terminal) == set(report.calls)
    assert {cid: kinds for cid, kinds in terminal.items() if len(kinds) != 1} == {}
    for call_id, call in report.calls.items():
        expected = {"answered": "call.ended", "abandoned": "call.abandoned"}.get(call.outcome)
        if expected:
            assert terminal[call_id] == [expected], (call_id, call.outcome, terminal[call_id])
    reservations = check_agent_histories(events)
    check_longest_idle(events)
    outcomes = Counter(c.outcome for c in report.calls.values())
    assert outcomes["answered"] > calls // 2, outcomes
    assert reservations >= outcomes["answered"]
    for queue_id in center.queue_ids:
        assert await redis.zcard(keys.waiting(center.tenant_id, queue_id)) == 0
    # Replaying the event log rebuilds the final state: each agent's last transition and
    # each call's terminal event agree with what Redis holds.
    replayed_agents = {}
    for event in events:
        if event["type"] == "agent.state_changed":
            replayed_agents[event["agent_id"]] = event["state"]
    for agent_id, state in replayed_agents.items():
        assert await redis.hget(keys.agent(center.tenant_id, agent_id), "state") == state
    final = {"call.ended": "ended", "call.abandoned": "abandoned", "call.rejected": "rejected"}
    for call_id, kinds in terminal.items():
        stored = await redis.hget(keys.call(center.tenant_id, call_id), "state")
        assert stored == final[kinds[0]], (call_id, stored, kinds)
    print(f"\noutcomes={dict(outcomes)} reservations={reservations} failovers={report.failovers}")
