"""GraphQL recordings: reads and playback URLs for the tenant's authorised users only."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from api.clients import ApiServices
from media_plane.recordings import service
from media_plane.recordings.models import Recording
from media_plane.recordings.s3_store import S3RecordingStore
from tenants.graphql.relay import from_global_id, to_global_id
from tests.conftest import GraphQL, TenantAccount, error_code
from tests.media_plane.recordings.conftest import MotoS3

RECORDING = """
query($id: ID!) { recording(id: $id) { id callId format bytes sha256 durationSeconds channels
  agentId contentType } }"""
RECORDINGS = """
query($callId: String, $first: Int, $after: String) {
  recordings(callId: $callId, first: $first, after: $after) {
    edges { cursor node { id callId format } } pageInfo { hasNextPage endCursor } } }"""
PLAYBACK = """
query($id: ID!) { recordingPlaybackUrl(id: $id) { url expiresAt } }"""
NODE = """query($id: ID!) { node(id: $id) { id ... on Recording { callId } } }"""
CREATE_USER = """
mutation($input: CreateUserInput!) { createUser(input: $input) { id } }"""
LOG_IN = """
mutation($input: LogInInput!) { logIn(input: $input) { token user { id } } }"""


async def add_recording(
    services: ApiServices,
    account: TenantAccount,
    *,
    call_id: str,
    agent_id: uuid.UUID | None = None,
    content: bytes = b"RIFF-fake-wav",
    started_at: datetime | None = None,
) -> Recording:
    """A stored recording row, with its object in the API's store."""
    tenant = from_global_id(account.tenant_id)[1]
    key = f"{tenant}/recordings/2026/11/23/{call_id}.wav"
    source = Path(services.settings.var_dir) / f"{uuid.uuid4().hex}.wav"
    source.write_bytes(content)
    digest = hashlib.sha256(content).hexdigest()
    stored = services.recording_store.put_file(
        key=key, path=source, content_type="audio/wav", sha256=digest, metadata={}
    )
    async with services.database.transaction(tenant) as session:
        return await service.save_recording(
            session=session,
            tenant_id=tenant,
            call_id=call_id,
            agent_id=agent_id,
            storage=services.recording_store.name,
            key=stored.key,
            audio_format="wav",
            content_type="audio/wav",
            size_bytes=stored.size,
            sha256=digest,
            duration_ms=1500,
            channels=2,
            started_at=started_at,
        )


PASSWORD = "a long enough password"


async def user_token(gql: GraphQL, account: TenantAccount, role: str) -> tuple[str, uuid.UUID]:
    email = f"{role.lower()}-{uuid.uuid4().hex[:8]}@example.com"
    created = await gql(
        CREATE_USER,
        {"input": {"email": email, "password": PASSWORD, "role": role}},
        token=account.token,
    )
    assert "errors" not in created, created
    body = await gql(
        LOG_IN,
        {
            "input": {
                "tenantSlug": account.slug,
                "email": email,
                "password": "a long enough password",
            }
        },
    )
    assert "errors" not in body, body
    data = body["data"]["logIn"]
    return data["token"], from_global_id(data["user"]["id"])[1]


async def test_owner_reads_lists_and_plays_back(
    gql: GraphQL, client: httpx.AsyncClient, services: ApiServices, tenant_a: TenantAccount
) -> None:
    content = b"RIFF" + uuid.uuid4().bytes * 10
    row = await add_recording(services, tenant_a, call_id="c-1@pbx", content=content)
    await add_recording(services, tenant_a, call_id="c-2@pbx")
    gid = to_global_id("Recording", row.id)

    body = await gql(RECORDING, {"id": gid}, token=tenant_a.token)
    assert body["data"]["recording"] == {
        "id": gid,
        "callId": "c-1@pbx",
        "format": "wav",
        "bytes": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
        "durationSeconds": 1.5,
        "channels": 2,
        "agentId": None,
        "contentType": "audio/wav",
    }
    listed = await gql(RECORDINGS, {"callId": "c-1@pbx"}, token=tenant_a.token)
    assert [e["node"]["id"] for e in listed["data"]["recordings"]["edges"]] == [gid]
    first = await gql(RECORDINGS, {"first": 1}, token=tenant_a.token)
    page = first["data"]["recordings"]
    assert page["pageInfo"]["hasNextPage"] is True
    second = await gql(
        RECORDINGS, {"first": 1, "after": page["pageInfo"]["endCursor"]}, token=tenant_a.token
    )
    assert second["data"]["recordings"]["edges"][0]["node"]["callId"] == "c-2@pbx"
    node = await gql(NODE, {"id": gid}, token=tenant_a.token)
    assert node["data"]["node"]["callId"] == "c-1@pbx"

    playback = await gql(PLAYBACK, {"id": gid}, token=tenant_a.token)
    url = playback["data"]["recordingPlaybackUrl"]["url"]
    response = await client.get(url)
    assert response.status_code == 200
    assert response.content == content
    assert response.headers["content-type"] == "audio/wav"
    forged = await client.get(url.replace("c-1%40pbx", "c-2%40pbx"))
    assert forged.status_code == 403 and forged.json()["code"] == "FORBIDDEN"


async def test_other_tenant_sees_nothing(
    gql: GraphQL,
    client: httpx.AsyncClient,
    services: ApiServices,
    tenant_a: TenantAccount,
    tenant_b: TenantAccount,
) -> None:
    row = await add_recording(services, tenant_a, call_id="secret@pbx")
    gid = to_global_id("Recording", row.id)
    for query in (RECORDING, PLAYBACK, NODE):
        body = await gql(query, {"id": gid}, token=tenant_b.token)
        assert error_code(body) == "NOT_FOUND", body
    listed = await gql(RECORDINGS, {"callId": "secret@pbx"}, token=tenant_b.token)
    assert listed["data"]["recordings"]["edges"] == []
    everything = await gql(RECORDINGS, {"first": 100}, token=tenant_b.token)
    assert everything["data"]["recordings"]["edges"] == []
    # Tenant A still sees it, unchanged.
    mine = await gql(RECORDING, {"id": gid}, token=tenant_a.token)
    assert mine["data"]["recording"]["callId"] == "secret@pbx"


async def test_agents_see_only_their_own_calls(
    gql: GraphQL, services: ApiServices, tenant_a: TenantAccount
) -> None:
    agent_token, agent_id = await user_token(gql, tenant_a, "AGENT")
    other_token, other_id = await user_token(gql, tenant_a, "AGENT")
    supervisor_token, _ = await user_token(gql, tenant_a, "SUPERVISOR")
    mine = await add_recording(services, tenant_a, call_id="mine", agent_id=agent_id)
    theirs = await add_recording(services, tenant_a, call_id="theirs", agent_id=other_id)
    unassigned = await add_recording(services, tenant_a, call_id="nobody")
    mine_id, theirs_id = to_global_id("Recording", mine.id), to_global_id("Recording", theirs.id)

    body = await gql(RECORDING, {"id": mine_id}, token=agent_token)
    assert body["data"]["recording"]["agentId"] == to_global_id("User", agent_id)
    assert (await gql(PLAYBACK, {"id": mine_id}, token=agent_token))["data"] is not None
    for query in (RECORDING, PLAYBACK):
        assert error_code(await gql(query, {"id": theirs_id}, token=agent_token)) == "NOT_FOUND"
    listed = await gql(RECORDINGS, {"first": 100}, token=agent_token)
    assert [e["node"]["callId"] for e in listed["data"]["recordings"]["edges"]] == ["mine"]
    other = await gql(RECORDINGS, {"first": 100}, token=other_token)
    assert [e["node"]["callId"] for e in other["data"]["recordings"]["edges"]] == ["theirs"]

    everything = await gql(RECORDINGS, {"first": 100}, token=supervisor_token)
    assert {e["node"]["callId"] for e in everything["data"]["recordings"]["edges"]} == {
        "mine",
        "theirs",
        "nobody",
    }
    body = await gql(
        RECORDING, {"id": to_global_id("Recording", unassigned.id)}, token=supervisor_token
    )
    assert body["data"]["recording"]["callId"] == "nobody"


async def test_bad_input_and_no_credentials(gql: GraphQL, tenant_a: TenantAccount) -> None:
    assert error_code(await gql(RECORDING, {"id": "not-an-id"}, token=tenant_a.token)) == (
        "NOT_FOUND"
    )
    user_gid = tenant_a.owner_id
    assert error_code(await gql(RECORDING, {"id": user_gid}, token=tenant_a.token)) == "NOT_FOUND"
    assert error_code(await gql(RECORDINGS, {"first": -1}, token=tenant_a.token)) == (
        "BAD_USER_INPUT"
    )
    assert error_code(await gql(RECORDINGS, {"after": "garbage!"}, token=tenant_a.token)) == (
        "BAD_USER_INPUT"
    )
    assert error_code(await gql(RECORDINGS, {})) == "UNAUTHENTICATED"


async def test_local_playback_url_expires(client: httpx.AsyncClient, services: ApiServices) -> None:
    expired = await client.get(
        "/v1/recordings/playback", params={"key": "x/y.wav", "expires": 1, "signature": "00"}
    )
    assert expired.status_code == 403
    missing = await client.get("/v1/recordings/playback")
    assert missing.status_code == 422


@pytest.fixture
def s3_backed_api(services: ApiServices, running_moto: MotoS3) -> Iterator[S3RecordingStore]:
    """The API's store switched to S3 (moto over HTTP) for one test."""
    previous = services.recording_store
    store = S3RecordingStore(running_moto.settings())
    services.recording_store = store
    yield store
    services.recording_store = previous


async def test_s3_presigned_playback_url(
    gql: GraphQL, services: ApiServices, tenant_a: TenantAccount, s3_backed_api: S3RecordingStore
) -> None:
    content = b"RIFF" + uuid.uuid4().bytes * 100
    row = await add_recording(services, tenant_a, call_id="s3-play", content=content)
    body = await gql(PLAYBACK, {"id": to_global_id("Recording", row.id)}, token=tenant_a.token)
    url = body["data"]["recordingPlaybackUrl"]["url"]
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=300" in url
    async with httpx.AsyncClient() as http:
        response = await http.get(url)
    assert response.status_code == 200 and response.content == content
