"""Per-queue music on hold: a music prompt or the default, published to Redis."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from redis.asyncio import Redis

from tests.conftest import GraphQL, TenantAccount, error_code
from tests.media_plane.prompts.test_prompts import DELETE, synth, tts, upload
from tests.routing.config.helpers import create_queue, ok, raw_id, tenant_uuid

SET = """mutation($q: ID!, $p: ID) {
  setQueueMusicOnHold(queueId: $q, promptId: $p) {
    queueId isDefault defaultLicence prompt { id name kind }
  }
}"""
GET = "query($q: ID!) { queueMusicOnHold(queueId: $q) { isDefault prompt { id } } }"


async def music_prompt(client: httpx.AsyncClient, account: TenantAccount, tmp_path: Path) -> str:
    data = synth(tmp_path, "music.wav", 2, "-r", "8000")
    response = await upload(client, account, "Jazz", data, kind="music")
    assert response.status_code == 200, response.text
    return str(response.json()["id"])


async def test_set_and_reset_a_queues_music(
    gql: GraphQL, tenant_a: TenantAccount, client: httpx.AsyncClient, redis: Redis, tmp_path: Path
) -> None:
    queue = await create_queue(gql, tenant_a)
    key = f"{{t:{tenant_uuid(tenant_a)}}}:queue:{raw_id(queue['id'])}:music"
    default = ok(await gql(GET, {"q": queue["id"]}, token=tenant_a.token))["queueMusicOnHold"]
    assert default == {"isDefault": True, "prompt": None}
    jazz = await music_prompt(client, tenant_a, tmp_path)
    chosen = ok(await gql(SET, {"q": queue["id"], "p": jazz}, token=tenant_a.token))
    assert chosen["setQueueMusicOnHold"]["prompt"] == {"id": jazz, "name": "Jazz", "kind": "MUSIC"}
    published = json.loads(await redis.get(key))
    assert published["prompt_id"] == raw_id(jazz)
    assert published["audio_key"].endswith(".wav")
    in_use = await gql(DELETE, {"id": jazz}, token=tenant_a.token)
    assert error_code(in_use) == "CONFLICT"
    spoken = await tts(gql, tenant_a, "Speech", "Not music.")
    not_music = await gql(SET, {"q": queue["id"], "p": spoken["id"]}, token=tenant_a.token)
    assert error_code(not_music) == "BAD_USER_INPUT"
    assert not_music["errors"][0]["extensions"]["field"] == "promptId"
    reset = ok(await gql(SET, {"q": queue["id"], "p": None}, token=tenant_a.token))
    assert reset["setQueueMusicOnHold"]["isDefault"] is True
    assert reset["setQueueMusicOnHold"]["defaultLicence"] == "CC0-1.0"
    assert await redis.get(key) is None


async def test_tenant_b_cannot_use_or_change_a_queues_music(
    gql: GraphQL,
    tenant_a: TenantAccount,
    tenant_b: TenantAccount,
    client: httpx.AsyncClient,
    tmp_path: Path,
) -> None:
    queue_a = await create_queue(gql, tenant_a)
    jazz = await music_prompt(client, tenant_a, tmp_path)
    ok(await gql(SET, {"q": queue_a["id"], "p": jazz}, token=tenant_a.token))
    b = tenant_b.token
    assert error_code(await gql(GET, {"q": queue_a["id"]}, token=b)) == "NOT_FOUND"
    assert error_code(await gql(SET, {"q": queue_a["id"], "p": None}, token=b)) == "NOT_FOUND"
    queue_b = await create_queue(gql, tenant_b)
    assert error_code(await gql(SET, {"q": queue_b["id"], "p": jazz}, token=b)) == "NOT_FOUND"
    kept = ok(await gql(GET, {"q": queue_a["id"]}, token=tenant_a.token))["queueMusicOnHold"]
    assert kept == {"isDefault": False, "prompt": {"id": jazz}}
