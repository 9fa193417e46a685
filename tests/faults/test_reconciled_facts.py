"""Facts equal events when reconciliation ends a lost node's calls (issue 16, item 1): the
analytics worker turns routing's ``node_lost`` events into one contact per call, once, and
the node's late events add nothing."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from analytics.models import AgentSegment, Contact, ProcessedEvent
from analytics.worker import EventWorker, WorkerConfig
from api.clients import ApiServices
from routing.engine.engine import AcdEngine
from tenants.database.scoping import scoped
from tenants.graphql.relay import from_global_id
from tests.analytics.conftest import drain
from tests.conftest import TenantAccount
from tests.routing.conftest import Center


async def test_a_lost_nodes_calls_become_facts_once(
    services: ApiServices, tenant_a: TenantAccount
) -> None:
    tenant = from_global_id(tenant_a.tenant_id)[1]
    redis = services.redis
    center = Center(redis, AcdEngine(redis), str(tenant))
    streams = f"test:event-streams:{uuid.uuid4().hex}"
    await redis.sadd(streams, f"{{t:{tenant}}}:events")
    worker = EventWorker(
        database=services.database,
        redis=redis,
        config=WorkerConfig(
            group=f"faults-{uuid.uuid4().hex[:8]}", streams_set=streams, consumer="w1", block_ms=10
        ),
    )
    queue = await center.queue(wrapup_s=5)
    agent = await center.agent([queue])
    talk, wait = f"talk-{uuid.uuid4().hex[:8]}", f"wait-{uuid.uuid4().hex[:8]}"
    await center.call(queue, talk)
    await center.event(talk, "answered")
    await center.call(queue, wait)
    lost = await center.engine.node_lost(
        tenant_id=str(tenant), node="kamailio-1", boot="", restarted=False
    )
    assert lost.extra["ended"] == 2

    events = await center.events()
    assert await drain(worker) == len(events)
    # Reconciliation again, then the dead node's late events: nothing new anywhere.
    again = await center.engine.node_lost(
        tenant_id=str(tenant), node="kamailio-1", boot="", restarted=False
    )
    assert again.extra["ended"] == 0
    await center.event(talk, "ended", by="caller")
    await center.event(wait, "abandoned", by="caller")
    assert len(await center.events()) == len(events)
    assert await drain(worker) == 0

    async with services.database.transaction(tenant) as session:
        contacts = {
            c.call_id: c.outcome for c in await session.scalars(scoped(select(Contact), tenant))
        }
        # The waiting caller was cut off within the queue's short-abandon time: counted as
        # any abandon of that length is.
        assert contacts == {talk: "answered", wait: "short_abandoned"}
        segment = await session.scalar(scoped(select(AgentSegment), tenant))
        assert (segment.call_id, segment.agent_id, segment.ended_by) == (
            talk,
            uuid.UUID(agent),
            "system",
        )
        processed = list(await session.scalars(scoped(select(ProcessedEvent), tenant)))
        assert sorted(e.event_id for e in processed) == sorted(e["event_id"] for e in events)
