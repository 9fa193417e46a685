"""Whose call a recording is: rtpengine metadata first, then routing's call index."""

from __future__ import annotations

import uuid
from pathlib import Path

from api.clients import ApiServices
from media_plane.recordings.rtpengine_meta import parse_metadata_file, parse_metadata_pairs
from media_plane.recordings.tenancy import CallOwner, resolve_call_owner
from tenants import redis_keys
from tests.media_plane.recordings import synthetic


def test_metadata_pairs_accept_several_separators() -> None:
    assert parse_metadata_pairs("tenant=a|agent=b") == {"tenant": "a", "agent": "b"}
    assert parse_metadata_pairs("Tenant: a; agent_id = b\ncall=c") == {
        "tenant": "a",
        "agent_id": "b",
        "call": "c",
    }
    assert parse_metadata_pairs("free text without pairs") == {}


async def test_metadata_wins_over_redis(tmp_path: Path, services: ApiServices) -> None:
    tenant, agent, other = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    call_id = f"t-{uuid.uuid4().hex}"
    await services.redis.set(redis_keys.call_index(call_id), str(other))
    _, meta = synthetic.two_party_call(
        tmp_path, call_id, seconds=0.1, metadata=f"tenant_id={tenant}|agent_id={agent}|call=x"
    )
    owner = await resolve_call_owner(parse_metadata_file(meta), services.redis)
    assert owner == CallOwner(tenant_id=tenant, agent_id=agent, call_id="x")


async def test_call_index_and_missing(tmp_path: Path, services: ApiServices) -> None:
    tenant = uuid.uuid4()
    call_id = f"t-{uuid.uuid4().hex}"
    _, meta = synthetic.two_party_call(tmp_path, call_id, seconds=0.1)
    metadata = parse_metadata_file(meta)
    assert await resolve_call_owner(metadata, services.redis) is None
    await services.redis.set(redis_keys.call_index(call_id), str(tenant))
    assert await resolve_call_owner(metadata, services.redis) == CallOwner(tenant_id=tenant)
    await services.redis.set(redis_keys.call_index(call_id), "not-a-uuid")
    assert await resolve_call_owner(metadata, services.redis) is None
