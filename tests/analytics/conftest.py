"""Event publishing and worker helpers for the analytics tests."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from redis.asyncio import Redis

from analytics.worker import EventWorker, WorkerConfig
from api.clients import ApiServices
from tenants.graphql.relay import from_global_id
from tenants.redis_keys import events as stream_key
from tests.conftest import TenantAccount


def tenant_uuid(account: TenantAccount) -> uuid.UUID:
    """The tenant's row id from its global id."""
    return from_global_id(account.tenant_id)[1]


def ms(moment: datetime) -> int:
    """Epoch milliseconds of an aware datetime."""
    return int(moment.timestamp() * 1000)


@dataclass
class Publisher:
    """XADDs contract events to tenant streams, as the routing tier does."""

    redis: Redis
    streams_set: str
    published: list[str] = field(default_factory=list)

    async def __call__(
        self,
        tenant_id: uuid.UUID,
        type_: str,
        at: datetime,
        *,
        event_id: str | None = None,
        **fields: object,
    ) -> str:
        event_id = event_id or uuid.uuid4().hex
        key = stream_key(tenant_id)
        await self.redis.sadd(self.streams_set, key)
        entry = {
            "event_id": event_id,
            "tenant_id": str(tenant_id),
            "type": type_,
            "at": str(ms(at)),
            "v": "1",
            **{name: str(value) for name, value in fields.items() if value is not None},
        }
        await self.redis.xadd(key, entry)
        self.published.append(event_id)
        return event_id


@pytest.fixture
async def redis(services: ApiServices) -> Redis:
    return services.redis


@pytest.fixture
def streams_set() -> str:
    """A stream registry only this test's workers read."""
    return f"test:event-streams:{uuid.uuid4().hex}"


@pytest.fixture
def publish(redis: Redis, streams_set: str) -> Publisher:
    return Publisher(redis, streams_set)


@pytest.fixture
def make_worker(services: ApiServices, streams_set: str) -> Callable[..., EventWorker]:
    """Workers of one consumer group, reading this test's streams."""
    group = f"analytics-{uuid.uuid4().hex[:8]}"

    def build(consumer: str = "w1", **config: object) -> EventWorker:
        return EventWorker(
            database=services.database,
            redis=services.redis,
            config=WorkerConfig(
                group=group, streams_set=streams_set, consumer=consumer, block_ms=10, **config
            ),
        )

    return build


async def drain(*workers: EventWorker, rounds: int = 50) -> int:
    """Run the workers until a round finds nothing new; returns entries handled."""
    total = 0
    for _ in range(rounds):
        handled = 0
        for worker in workers:
            handled += await worker.run_once(block_ms=10)
        total += handled
        if handled == 0:
            return total
    raise AssertionError("the workers never drained the streams")


T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
