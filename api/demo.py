"""The demo center of ``hotline up --simulate``: a real tenant with live virtual traffic."""

from __future__ import annotations

import contextlib
import logging

from redis.asyncio import Redis

from routing.config.demo import DemoTenant, seed_demo_tenant
from routing.engine.engine import AcdEngine
from routing.simulator.main import run_simulator
from routing.simulator.params import SimulationParams
from tenants.database.session import Database
from tenants.settings import Settings

log = logging.getLogger("hotline.demo")


async def prepare_demo_center(*, database: Database, redis: Redis) -> DemoTenant:
    """Seed (once) the demo tenant, publish its routing config and put its agents on duty."""
    demo = await seed_demo_tenant(database=database, redis=redis)
    engine = AcdEngine(redis, dispatches=False)
    for agent in demo.agents:
        for queue_id in agent.queue_ids:
            await engine.sign_in(
                tenant_id=str(demo.tenant_id), agent_id=str(agent.user_id), queue_id=str(queue_id)
            )
        # An agent already on a call or in ACW from a previous run keeps that state.
        with contextlib.suppress(Exception):
            await engine.set_agent_state(
                tenant_id=str(demo.tenant_id), agent_id=str(agent.user_id), state="available"
            )
    return demo


async def keep_demo_traffic(settings: Settings, demo: DemoTenant) -> None:
    """Virtual callers into the demo numbers until cancelled."""
    params = SimulationParams(
        calls=50,
        calls_per_second=0.5,
        patience_mean_s=60.0,
        answer_delay_s=2.0,
        handle_mean_s=25.0,
    )
    # One node name per demo tenant: a demo killed and started again on the same var/ comes
    # back as the same node with a new boot id, so routing ends the calls the dead run held.
    await run_simulator(
        settings,
        params,
        tenant_id=str(demo.tenant_id),
        dids=list(demo.numbers),
        rounds=None,
        node_name=f"demo-{demo.tenant_id}",
    )
