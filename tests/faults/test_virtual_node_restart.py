"""A media node dies mid-traffic (issue 16, items 1 and 2): the simulator's virtual node is
killed with calls queued, ringing and connected, then either comes back at once with a new
boot id or stays away. Every call it held ends within 15 s, exactly once; no agent stays
on a call; the event log replays to what Redis holds.

The routing replica runs in-process with its real timer and reconciliation loops (real
time: the lease is real Valkey TTL), so each test is bounded by the lease (6 s) and the
calls' wrap-up, well under a minute.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from redis.asyncio import Redis

from routing.call_control.app import create_routing_app
from routing.clients import RoutingServices
from routing.engine.engine import AcdEngine
from routing.simulator.params import SimulationParams
from routing.simulator.run import simulate
from routing.simulator.seed import DemoCenter, seed_demo_center
from tenants import redis_keys as keys
from tenants.settings import Settings
from tests.routing.invariants import (
    check_agent_transitions,
    check_exactly_once,
    check_no_double_reservation,
    check_replay,
    replay,
    stored_state,
)
from tests.serving import served, until

TERMINAL = {"ended", "abandoned", "rejected", "callback_failed"}
LONG_CALLS = SimulationParams(
    calls=60, calls_per_second=20, patience_mean_s=120, answer_delay_s=0.2, handle_mean_s=120
)


@dataclass
class Routing:
    url: str
    services: RoutingServices
    engine: AcdEngine
    center: DemoCenter
    redis: Redis

    async def run(self, node_name: str, params: SimulationParams, prefix: str):  # type: ignore[no-untyped-def]
        return await simulate(
            params=params,
            routing_urls=[self.url],
            secret=self.services.secret,
            dids=self.center.dids,
            engine=self.engine,
            tenant_id=self.center.tenant_id,
            call_prefix=prefix,
            node_name=node_name,
        )

    async def calls(self, prefix: str) -> dict[str, str]:
        """The state of every call of ``prefix`` routing has seen."""
        tenant = self.center.tenant_id
        ids = {
            fields["call_id"]
            for _, fields in await self.redis.xrange(keys.events(tenant))
            if fields.get("call_id", "").startswith(prefix)
        }
        async with self.redis.pipeline(transaction=False) as pipe:
            for call_id in sorted(ids):
                pipe.hget(keys.call(tenant, call_id), "state")
            states = await pipe.execute()
        return dict(zip(sorted(ids), states, strict=True))

    async def check_invariants(self, call_ids: list[str]) -> None:
        tenant = self.center.tenant_id
        events = [fields for _, fields in await self.redis.xrange(keys.events(tenant))]
        check_exactly_once(events, call_ids)
        check_agent_transitions(events)
        check_no_double_reservation(events)
        stored = await stored_state(
            self.redis,
            tenant,
            agent_ids=self.center.agent_ids,
            call_ids=call_ids,
            queue_ids=self.center.queue_ids,
        )
        check_replay(replay(events, agent_ids=self.center.agent_ids, call_ids=call_ids), stored)


@pytest.fixture
async def routing(settings: Settings, redis: Redis) -> AsyncIterator[Routing]:
    services = RoutingServices.build(settings)
    engine = AcdEngine(redis, dispatches=False)
    center = await seed_demo_center(
        redis,
        engine,
        agents=6,
        queues=2,
        wrapup_s=2,
        slug=f"fault-{uuid.uuid4().hex[:6]}",
        did_prefix=f"+1777{uuid.uuid4().int % 10**4:04d}",
    )
    app = create_routing_app(settings, services)
    async with served(app) as server:
        yield Routing(server.url, services, engine, center, redis)
    await services.close()


async def kill_mid_traffic(routing: Routing, node: str, prefix: str) -> tuple[float, set[str]]:
    """Run long calls on ``node`` until some are connected and some wait, then kill it."""
    traffic = asyncio.create_task(routing.run(node, LONG_CALLS, prefix))

    async def busy() -> bool:
        states = set((await routing.calls(prefix)).values())
        return {"connected", "queued"} <= states

    await until(busy, limit_s=20, what="calls connected and waiting")
    traffic.cancel()  # the node dies: no heartbeat, no event, no BYE ever comes
    await asyncio.gather(traffic, return_exceptions=True)
    killed = time.monotonic()
    held = {c for c, s in (await routing.calls(prefix)).items() if s not in TERMINAL}
    return killed, held


async def ended_within(routing: Routing, prefix: str, killed: float) -> float:
    async def all_ended() -> bool:
        return all(s in TERMINAL for s in (await routing.calls(prefix)).values())

    await until(all_ended, limit_s=15, what="every call of the dead node ended")
    return time.monotonic() - killed


async def no_agent_on_a_call(routing: Routing) -> None:
    async def free() -> bool:
        agents = await routing.engine.agents(tenant_id=routing.center.tenant_id)
        return all(a.state not in {"on_contact", "reserved", "acw"} for a in agents)

    await until(free, limit_s=10, what="agents freed after ACW")


async def test_virtual_node_restarted_at_once(routing: Routing) -> None:
    node, old = f"virtual-{uuid.uuid4().hex[:8]}", "old-"
    killed, held = await kill_mid_traffic(routing, node, old)
    assert held

    # The node comes back before its lease ran out, with a new boot id, and takes calls.
    again = asyncio.create_task(
        routing.run(
            node,
            SimulationParams(calls=10, calls_per_second=5, answer_delay_s=0.1, handle_mean_s=0.5),
            "new-",
        )
    )
    took = await ended_within(routing, old, killed)
    report = await again
    print(f"\nrestart: {len(held)} calls of the old boot ended {took:.2f} s after the kill")
    assert took < 15
    assert set(report.outcomes) <= {"answered", "abandoned"} and report.outcomes["answered"]
    await no_agent_on_a_call(routing)
    old_calls = list(await routing.calls(old))
    await routing.check_invariants(old_calls + list(report.calls))
    reasons = {
        f.get("reason")
        for _, f in await routing.redis.xrange(keys.events(routing.center.tenant_id))
        if f["type"] in {"call.ended", "call.abandoned"} and f["call_id"] in held
    }
    # A continue in flight to the dead node may be refused first: lost either way.
    assert "node_lost" in reasons and reasons <= {"node_lost", "continue_failed"}


async def test_virtual_node_lost_for_good(routing: Routing) -> None:
    node, old = f"virtual-{uuid.uuid4().hex[:8]}", "gone-"
    killed, held = await kill_mid_traffic(routing, node, old)
    assert held

    took = await ended_within(routing, old, killed)
    print(f"\nloss: {len(held)} calls of the lost node ended {took:.2f} s after the kill")
    assert took < 15
    await no_agent_on_a_call(routing)
    await routing.check_invariants(list(await routing.calls(old)))
