"""The analytics worker: events on real Valkey streams → facts in real PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import func, select

from analytics.models import (
    AgentSegment,
    AgentStateInterval,
    Contact,
    ProcessedEvent,
    QueueDefinition,
    QueueLeg,
)
from analytics.worker import EventWorker
from api.clients import ApiServices
from tenants.database.scoping import scoped
from tenants.redis_keys import events as stream_key
from tests.analytics.conftest import T0, Publisher, drain, tenant_uuid
from tests.conftest import TenantAccount


def s(seconds: float) -> timedelta:
    return timedelta(seconds=seconds)


def sip_call_id() -> str:
    """A call id as Kamailio hands it to routing: the SIP Call-ID, not a UUID."""
    return f"{uuid.uuid4().hex[:12]}@203.0.113.7"


async def answered_call(
    publish: Publisher,
    tenant: uuid.UUID,
    *,
    queue: uuid.UUID,
    agent: uuid.UUID,
    call: str | None = None,
    start: timedelta = timedelta(0),
    wait: float = 12,
    talk: float = 100,
    acw: float = 30,
    caller: str | None = None,
) -> str:
    """The events of one answered call, in order."""
    call = call or sip_call_id()
    t = T0 + start
    await publish(
        tenant, "call.enqueued", t, call_id=call, queue_id=queue, priority=0, **{"from": caller}
    )
    await publish(
        tenant, "call.reserved", t + s(wait - 2), call_id=call, queue_id=queue, agent_id=agent
    )
    await publish(
        tenant,
        "agent.state_changed",
        t + s(wait - 2),
        agent_id=agent,
        state="reserved",
        previous_state="available",
        call_id=call,
    )
    await publish(
        tenant,
        "call.dequeued",
        t + s(wait),
        call_id=call,
        queue_id=queue,
        outcome="answered",
        wait_ms=int(wait * 1000),
        agent_id=agent,
    )
    await publish(
        tenant,
        "call.answered",
        t + s(wait),
        call_id=call,
        queue_id=queue,
        agent_id=agent,
        wait_ms=int(wait * 1000),
    )
    await publish(
        tenant,
        "agent.state_changed",
        t + s(wait),
        agent_id=agent,
        state="on_contact",
        previous_state="reserved",
        call_id=call,
    )
    await publish(
        tenant,
        "call.ended",
        t + s(wait + talk),
        call_id=call,
        queue_id=queue,
        agent_id=agent,
        by="caller",
        talk_ms=int(talk * 1000),
    )
    await publish(
        tenant,
        "agent.state_changed",
        t + s(wait + talk),
        agent_id=agent,
        state="acw",
        previous_state="on_contact",
        call_id=call,
    )
    await publish(
        tenant,
        "agent.state_changed",
        t + s(wait + talk + acw),
        agent_id=agent,
        state="available",
        previous_state="acw",
    )
    return call


async def count(services: ApiServices, tenant: uuid.UUID, model: type) -> int:
    async with services.database.transaction(tenant) as session:
        rows = scoped(select(model.tenant_id), tenant).subquery()
        return await session.scalar(select(func.count()).select_from(rows)) or 0


async def test_answered_call_becomes_contact_leg_segment_and_intervals(
    services: ApiServices,
    tenant_a: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    tenant, queue, agent = tenant_uuid(tenant_a), uuid.uuid4(), uuid.uuid4()
    await publish(
        tenant,
        "agent.state_changed",
        T0 - s(60),
        agent_id=agent,
        state="available",
        previous_state="offline",
    )
    call = await answered_call(publish, tenant, queue=queue, agent=agent)
    assert await drain(make_worker()) == 10
    async with services.database.transaction(tenant) as session:
        leg = await session.scalar(scoped(select(QueueLeg), tenant))
        assert (leg.call_id, leg.queue_id, leg.outcome, leg.wait_ms) == (
            call,
            queue,
            "answered",
            12_000,
        )
        assert leg.enqueued_at == T0 and leg.dequeued_at == T0 + s(12)
        segment = await session.scalar(scoped(select(AgentSegment), tenant))
        assert (segment.talk_ms, segment.acw_ms, segment.ended_by) == (100_000, 30_000, "caller")
        assert segment.handled_at == T0 + s(142)
        contact = await session.scalar(scoped(select(Contact), tenant))
        assert (contact.arrived_at, contact.ended_at, contact.outcome) == (
            T0,
            T0 + s(112),
            "answered",
        )
        states = list(
            await session.scalars(
                scoped(select(AgentStateInterval), tenant).order_by(AgentStateInterval.started_at)
            )
        )
        assert [(i.state, i.ended_at) for i in states] == [
            ("available", T0 + s(10)),
            ("reserved", T0 + s(12)),
            ("on_contact", T0 + s(112)),
            ("acw", T0 + s(142)),
            ("available", None),
        ]
        definition = await session.scalar(scoped(select(QueueDefinition), tenant))
        assert (definition.answer_seconds, definition.short_abandon_seconds) == (20, 5)


async def test_redelivery_is_idempotent(
    services: ApiServices,
    tenant_a: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    tenant, queue, agent = tenant_uuid(tenant_a), uuid.uuid4(), uuid.uuid4()
    call = sip_call_id()
    event_id = await publish(tenant, "call.enqueued", T0, call_id=call, queue_id=queue)
    await publish(tenant, "agent.state_changed", T0, agent_id=agent, state="available")
    worker = make_worker()
    await drain(worker)
    # The same events delivered again (a producer retry, a replay).
    await publish(
        tenant, "call.enqueued", T0 + s(99), event_id=event_id, call_id=call, queue_id=queue
    )
    await drain(worker)
    assert await count(services, tenant, ProcessedEvent) == 2
    assert await count(services, tenant, QueueLeg) == 1
    async with services.database.transaction(tenant) as session:
        leg = await session.scalar(scoped(select(QueueLeg), tenant))
    assert leg.enqueued_at == T0  # the replay did not move the offer time


async def test_dead_consumer_entries_are_reclaimed_and_applied_once(
    services: ApiServices,
    tenant_a: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
    redis,
) -> None:
    tenant, queue = tenant_uuid(tenant_a), uuid.uuid4()
    for n in range(5):
        await publish(tenant, "call.enqueued", T0 + s(n), call_id=uuid.uuid4(), queue_id=queue)
    dead = make_worker("dead", claim_idle_ms=0)
    keys = await dead.streams()
    # "dead" reads the entries and dies before applying or acknowledging them.
    await redis.xreadgroup(dead.config.group, "dead", dict.fromkeys(keys, ">"), count=100)
    key = stream_key(tenant)
    assert (await redis.xpending(key, dead.config.group))["pending"] == 5
    survivor = make_worker("survivor", claim_idle_ms=0)
    await drain(survivor)
    assert (await redis.xpending(key, dead.config.group))["pending"] == 0
    assert await count(services, tenant, QueueLeg) == 5
    # A second reclaim pass finds nothing left and changes nothing.
    await drain(survivor)
    assert await count(services, tenant, ProcessedEvent) == 5


async def test_out_of_order_and_late_events_converge(
    services: ApiServices,
    tenant_a: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    tenant, queue, agent, call = tenant_uuid(tenant_a), uuid.uuid4(), uuid.uuid4(), sip_call_id()
    worker = make_worker()
    # The dequeue arrives before its enqueue.
    await publish(
        tenant,
        "call.dequeued",
        T0 + s(30),
        call_id=call,
        queue_id=queue,
        outcome="abandoned",
        wait_ms=29_500,
    )
    await publish(tenant, "agent.state_changed", T0, agent_id=agent, state="available")
    await publish(tenant, "agent.state_changed", T0 + s(600), agent_id=agent, state="offline")
    await drain(worker)
    async with services.database.transaction(tenant) as session:
        leg = await session.scalar(scoped(select(QueueLeg), tenant))
    assert leg.enqueued_at == T0 + s(0.5)  # derived from the wait meanwhile
    # Now the late ones: the enqueue, and a break in the middle of "available".
    await publish(tenant, "call.enqueued", T0, call_id=call, queue_id=queue)
    await publish(tenant, "agent.state_changed", T0 + s(200), agent_id=agent, state="break:lunch")
    await publish(tenant, "agent.state_changed", T0 + s(400), agent_id=agent, state="available")
    await drain(worker)
    async with services.database.transaction(tenant) as session:
        leg = await session.scalar(scoped(select(QueueLeg), tenant))
        states = list(
            await session.scalars(
                scoped(select(AgentStateInterval), tenant).order_by(AgentStateInterval.started_at)
            )
        )
    assert (leg.enqueued_at, leg.outcome, leg.wait_ms) == (T0, "abandoned", 29_500)
    assert [(i.state, i.started_at, i.ended_at) for i in states] == [
        ("available", T0, T0 + s(200)),
        ("break:lunch", T0 + s(200), T0 + s(400)),
        ("available", T0 + s(400), T0 + s(600)),
        ("offline", T0 + s(600), None),
    ]


async def test_acw_before_the_call_end_event_still_lands_on_the_segment(
    services: ApiServices,
    tenant_a: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    tenant, agent, call, queue = tenant_uuid(tenant_a), uuid.uuid4(), sip_call_id(), uuid.uuid4()
    await publish(
        tenant, "agent.state_changed", T0 + s(100), agent_id=agent, state="acw", call_id=call
    )
    await publish(tenant, "agent.state_changed", T0 + s(145), agent_id=agent, state="available")
    await drain(make_worker())
    await publish(tenant, "call.answered", T0, call_id=call, queue_id=queue, agent_id=agent)
    await publish(
        tenant,
        "call.ended",
        T0 + s(100),
        call_id=call,
        queue_id=queue,
        agent_id=agent,
        by="agent",
        talk_ms=100_000,
    )
    await drain(make_worker())
    async with services.database.transaction(tenant) as session:
        segment = await session.scalar(scoped(select(AgentSegment), tenant))
    assert (segment.acw_ms, segment.handled_at) == (45_000, T0 + s(145))


async def test_two_workers_in_one_group_split_the_work_without_duplicates(
    services: ApiServices,
    tenant_a: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
    redis,
) -> None:
    tenant, queue = tenant_uuid(tenant_a), uuid.uuid4()
    agents = [uuid.uuid4() for _ in range(4)]
    for n in range(40):
        await answered_call(publish, tenant, queue=queue, agent=agents[n % 4], start=s(n * 200))
    first, second = make_worker("w1", batch_size=25), make_worker("w2", batch_size=25)

    async def loop(worker: EventWorker) -> int:
        handled = 0
        for _ in range(100):
            got = await worker.run_once(block_ms=10)
            handled += got
            if got == 0:
                break
        return handled

    handled = await asyncio.gather(loop(first), loop(second))
    await drain(first, second)
    assert sum(handled) == 40 * 9
    assert min(handled) > 0  # both consumers took part
    assert await count(services, tenant, QueueLeg) == 40
    assert await count(services, tenant, AgentSegment) == 40
    assert await count(services, tenant, ProcessedEvent) == 40 * 9
    assert (await redis.xpending(stream_key(tenant), first.config.group))["pending"] == 0
    async with services.database.transaction(tenant) as session:
        unfinished = list(
            await session.scalars(
                scoped(select(AgentSegment), tenant).where(AgentSegment.acw_ms.is_(None))
            )
        )
    assert unfinished == []


async def test_malformed_entries_and_foreign_tenant_events_are_skipped(
    services: ApiServices,
    tenant_a: TenantAccount,
    tenant_b: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
    redis,
    streams_set: str,
) -> None:
    tenant_a_id, tenant_b_id = tenant_uuid(tenant_a), tenant_uuid(tenant_b)
    key = stream_key(tenant_a_id)
    await redis.sadd(streams_set, key)
    await redis.xadd(key, {"type": "call.enqueued", "at": "nope"})
    # An entry on A's stream that claims to be B's must not write B's facts.
    await redis.xadd(
        key,
        {
            "event_id": uuid.uuid4().hex,
            "tenant_id": str(tenant_b_id),
            "type": "call.enqueued",
            "at": "1",
            "v": "1",
            "call_id": str(uuid.uuid4()),
            "queue_id": str(uuid.uuid4()),
        },
    )
    await publish(
        tenant_a_id,
        "call.dequeued",
        T0,
        call_id=uuid.uuid4(),
        queue_id=uuid.uuid4(),
        outcome="teleported",
        wait_ms=1,
    )
    await publish(
        tenant_a_id,
        "call.ended",
        T0,
        call_id=uuid.uuid4(),
        queue_id=uuid.uuid4(),
        agent_id=uuid.uuid4(),
        talk_ms=1000,
        hold_ms=-5,
    )
    good = await publish(
        tenant_a_id, "call.enqueued", T0, call_id=uuid.uuid4(), queue_id=uuid.uuid4()
    )
    worker = make_worker()
    await drain(worker)
    assert (await redis.xpending(key, worker.config.group))["pending"] == 0
    assert await count(services, tenant_b_id, QueueLeg) == 0
    async with services.database.transaction(tenant_a_id) as session:
        ids = list(await session.scalars(scoped(select(ProcessedEvent.event_id), tenant_a_id)))
    assert ids == [good]


async def test_tenant_b_sees_none_of_tenant_a_facts(
    services: ApiServices,
    tenant_a: TenantAccount,
    tenant_b: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    tenant_a_id, tenant_b_id = tenant_uuid(tenant_a), tenant_uuid(tenant_b)
    await answered_call(publish, tenant_a_id, queue=uuid.uuid4(), agent=uuid.uuid4())
    await drain(make_worker())
    for model in (
        Contact,
        QueueLeg,
        AgentSegment,
        AgentStateInterval,
        ProcessedEvent,
        QueueDefinition,
    ):
        assert await count(services, tenant_a_id, model) > 0
        assert await count(services, tenant_b_id, model) == 0
        # The second wall: bound to B, even an unscoped read sees nothing of A's.
        async with services.database.transaction(tenant_b_id) as session:
            assert await session.scalar(select(func.count()).select_from(model)) == 0


async def test_serve_consumes_the_announced_streams_until_stopped(
    services: ApiServices, settings, tenant_a: TenantAccount, redis
) -> None:
    from analytics.worker import serve
    from tenants.redis_keys import EVENT_STREAMS as STREAMS_SET

    tenant, queue = tenant_uuid(tenant_a), uuid.uuid4()
    publish = Publisher(redis, STREAMS_SET)
    await publish(tenant, "call.enqueued", T0, call_id=uuid.uuid4(), queue_id=queue)
    stop = asyncio.Event()
    running = asyncio.create_task(serve(settings, stop=stop, install_signals=False))
    try:
        for _ in range(100):
            if await count(services, tenant, QueueLeg) == 1:
                break
            await asyncio.sleep(0.05)
        assert await count(services, tenant, QueueLeg) == 1
    finally:
        stop.set()
        await asyncio.wait_for(running, timeout=10)


async def test_an_event_the_database_refuses_is_skipped_not_retried_forever(
    services: ApiServices,
    tenant_a: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
    redis,
) -> None:
    tenant, queue = tenant_uuid(tenant_a), uuid.uuid4()
    await publish(tenant, "call.enqueued", T0, call_id=uuid.uuid4(), queue_id=queue)
    await publish(
        tenant, "call.enqueued", T0, call_id=uuid.uuid4(), queue_id=queue, **{"from": "9" * 500}
    )  # longer than any phone number column
    await publish(tenant, "call.enqueued", T0, call_id=uuid.uuid4(), queue_id=queue)
    worker = make_worker()
    await drain(worker)
    assert await count(services, tenant, QueueLeg) == 2
    assert (await redis.xpending(stream_key(tenant), worker.config.group))["pending"] == 0
