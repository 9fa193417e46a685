"""Routing fixtures: a Redis client on the suite's Valkey, an engine, a fresh tenant id."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from routing.engine.engine import AcdEngine, NewCall
from tenants import redis_keys as keys
from tests.conftest import ServiceUrls


@pytest.fixture(scope="session")
async def redis(service_urls: ServiceUrls) -> AsyncIterator[Redis]:
    """A client of the suite's Valkey (strings decoded)."""
    client = Redis.from_url(service_urls.redis_url, decode_responses=True)
    yield client
    await client.aclose()


class FakeClock:
    """A clock that stands still until a test moves it (``routing.engine.clock.Clock``).

    It starts at the wall clock's time, so stamps Kamailio would send stay comparable.
    """

    def __init__(self) -> None:
        self.ms = int(time.time() * 1000)

    def now_ms(self) -> int:
        """The time the test has set."""
        return self.ms

    def advance(self, seconds: float) -> None:
        """Move the clock forward, as waiting ``seconds`` would."""
        self.ms += int(seconds * 1000)


@pytest.fixture
def clock() -> FakeClock:
    """A test clock for the engines of one test."""
    return FakeClock()


@pytest.fixture
def engine(redis: Redis) -> AcdEngine:
    """The ACD engine on that client."""
    return AcdEngine(redis)


@pytest.fixture
def tenant_id() -> str:
    """A tenant id no other test uses."""
    return str(uuid.uuid4())


def new_call(queue_id: str, call_id: str | None = None, **extra: object) -> NewCall:
    """A call as Kamailio would hand it over."""
    return NewCall(
        call_id=call_id or uuid.uuid4().hex,
        queue_id=queue_id,
        from_number="+33612345678",
        to_number="+33199000000",
        node="kamailio-1",
        continue_url="http://127.0.0.1:9/continue",
        tindex="1",
        tlabel="2",
        **extra,  # type: ignore[arg-type]
    )


async def events(redis: Redis, tenant_id: str) -> list[dict[str, str]]:
    """Every event of the tenant's stream, oldest first."""
    return [fields for _, fields in await redis.xrange(keys.events(tenant_id))]


async def event_types(redis: Redis, tenant_id: str) -> list[str]:
    """The types of the tenant's events, oldest first."""
    return [e["type"] for e in await events(redis, tenant_id)]


class Center:
    """A tenant's routing configuration built step by step in a test."""

    def __init__(self, redis: Redis, engine: AcdEngine, tenant_id: str) -> None:
        self.redis = redis
        self.engine = engine
        self.tenant_id = tenant_id

    async def queue(self, **fields: object) -> str:
        from tests.routing.routing_config import publish_queue, publish_tenant

        await publish_tenant(self.redis, self.tenant_id)
        return await publish_queue(self.redis, self.tenant_id, **fields)  # type: ignore[arg-type]

    async def agent(
        self, queues: list[str], *, skills: dict[str, int] | None = None, available: bool = True
    ) -> str:
        from tests.routing.routing_config import publish_agent

        agent_id = await publish_agent(self.redis, self.tenant_id, queues=queues, skills=skills)
        for queue_id in queues:
            await self.engine.sign_in(
                tenant_id=self.tenant_id, agent_id=agent_id, queue_id=queue_id
            )
        if available:
            await self.set_state(agent_id, "available")
        return agent_id

    async def set_state(self, agent_id: str, state: str):  # type: ignore[no-untyped-def]
        return await self.engine.set_agent_state(
            tenant_id=self.tenant_id, agent_id=agent_id, state=state
        )

    async def call(self, queue_id: str, call_id: str | None = None, **extra: object):  # type: ignore[no-untyped-def]
        return await self.engine.enqueue(
            tenant_id=self.tenant_id, call=new_call(queue_id, call_id, **extra)
        )

    async def event(self, call_id: str, event_type: str, **extra: object):  # type: ignore[no-untyped-def]
        return await self.engine.call_event(
            tenant_id=self.tenant_id,
            call_id=call_id,
            event_type=event_type,
            **extra,  # type: ignore[arg-type]
        )

    async def state(self, agent_id: str) -> str:
        return (await self.engine.agent(tenant_id=self.tenant_id, agent_id=agent_id)).state

    async def call_state(self, call_id: str) -> dict[str, str]:
        return await self.engine.call(tenant_id=self.tenant_id, call_id=call_id)

    async def events(self) -> list[dict[str, str]]:
        return await events(self.redis, self.tenant_id)

    async def types(self) -> list[str]:
        return await event_types(self.redis, self.tenant_id)


@pytest.fixture
def center(redis: Redis, engine: AcdEngine, tenant_id: str) -> Center:
    """An empty contact center for one test."""
    return Center(redis, engine, tenant_id)
