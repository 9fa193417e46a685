"""Playing and downloading recordings are separate rights; every URL issued is logged."""

from __future__ import annotations

import uuid

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from api.clients import ApiServices
from media_plane.recordings import service
from media_plane.recordings.s3_store import S3RecordingStore
from media_plane.recordings.store import attachment, key_safe_call_id
from tenants.database.session import bind_tenant
from tenants.graphql.relay import from_global_id, to_global_id
from tenants.identity.principal import Principal
from tenants.identity.roles import Role
from tests.conftest import GraphQL, TenantAccount, error_code
from tests.media_plane.recordings.test_graphql import add_recording, s3_backed_api, user_token

__all__ = ["s3_backed_api"]

PLAY = "query($id: ID!) { recordingPlaybackUrl(id: $id) { url expiresAt } }"
DOWNLOAD = "query($id: ID!) { recordingDownloadUrl(id: $id) { url expiresAt } }"
SETTINGS = "{ recordingSettings { agentsMayPlayOwn viewerMayPlay viewerMayDownload } }"
UPDATE = """
mutation($on: Boolean!) { updateRecordingSettings(input: {agentsMayPlayOwn: $on}) {
  agentsMayPlayOwn viewerMayPlay viewerMayDownload } }"""
LOG = """
query($first: Int, $after: String, $recordingId: ID) {
  recordingAccessLog(first: $first, after: $after, recordingId: $recordingId) {
    edges { node { id recordingId callId action userId userName apiKeyId role clientIp at } }
    pageInfo { hasNextPage endCursor } } }"""
NODE = "query($id: ID!) { node(id: $id) { id ... on RecordingAccessEntry { callId } } }"


async def url_of(gql: GraphQL, query: str, gid: str, token: str) -> str:
    body = await gql(query, {"id": gid}, token=token)
    assert "errors" not in body, body
    return next(iter(body["data"].values()))["url"]


async def test_supervisors_play_and_download(
    gql: GraphQL, client: httpx.AsyncClient, services: ApiServices, tenant_a: TenantAccount
) -> None:
    content = b"RIFF" + uuid.uuid4().bytes * 4
    row = await add_recording(services, tenant_a, call_id="c/1@pbx", content=content)
    gid = to_global_id("Recording", row.id)
    for role in ("SUPERVISOR", "ADMIN"):
        token, _ = await user_token(gql, tenant_a, role)
        assert (await gql(SETTINGS, token=token))["data"]["recordingSettings"] == {
            "agentsMayPlayOwn": True,
            "viewerMayPlay": True,
            "viewerMayDownload": True,
        }
        played = await client.get(await url_of(gql, PLAY, gid, token))
        assert played.status_code == 200 and "content-disposition" not in played.headers
        download_url = await url_of(gql, DOWNLOAD, gid, token)
        downloaded = await client.get(download_url)
        assert downloaded.status_code == 200 and downloaded.content == content
        assert downloaded.headers["content-disposition"] == attachment(
            key_safe_call_id("c/1@pbx") + ".wav"
        )
    # A playback URL's signature does not cover a download: it cannot be turned into one.
    forged = await client.get(await url_of(gql, PLAY, gid, tenant_a.token) + "&download=x.wav")
    assert forged.status_code == 403


async def test_agents_play_their_own_only_if_allowed_and_never_download(
    gql: GraphQL, services: ApiServices, tenant_a: TenantAccount
) -> None:
    agent_token, agent_id = await user_token(gql, tenant_a, "AGENT")
    supervisor_token, _ = await user_token(gql, tenant_a, "SUPERVISOR")
    _, other_id = await user_token(gql, tenant_a, "AGENT")
    mine = to_global_id(
        "Recording", (await add_recording(services, tenant_a, call_id="m", agent_id=agent_id)).id
    )
    theirs = to_global_id(
        "Recording", (await add_recording(services, tenant_a, call_id="t", agent_id=other_id)).id
    )
    assert (await gql(SETTINGS, token=agent_token))["data"]["recordingSettings"] == {
        "agentsMayPlayOwn": True,
        "viewerMayPlay": True,
        "viewerMayDownload": False,
    }
    assert "errors" not in await gql(PLAY, {"id": mine}, token=agent_token)
    assert error_code(await gql(DOWNLOAD, {"id": mine}, token=agent_token)) == "FORBIDDEN"
    assert error_code(await gql(PLAY, {"id": theirs}, token=agent_token)) == "NOT_FOUND"
    assert error_code(await gql(DOWNLOAD, {"id": theirs}, token=agent_token)) == "NOT_FOUND"

    for token in (supervisor_token, agent_token):
        assert error_code(await gql(UPDATE, {"on": False}, token=token)) == "FORBIDDEN"
    off = await gql(UPDATE, {"on": False}, token=tenant_a.token)
    assert off["data"]["updateRecordingSettings"]["agentsMayPlayOwn"] is False
    body = await gql(PLAY, {"id": mine}, token=agent_token)
    assert error_code(body) == "FORBIDDEN", body
    assert (await gql(SETTINGS, token=agent_token))["data"]["recordingSettings"][
        "viewerMayPlay"
    ] is False
    assert "errors" not in await gql(PLAY, {"id": theirs}, token=supervisor_token)
    # Refused attempts leave no log entry; the supervisor's playback does.
    log = await gql(LOG, {"first": 10}, token=tenant_a.token)
    entries = [e["node"] for e in log["data"]["recordingAccessLog"]["edges"]]
    assert [(e["callId"], e["action"], e["role"]) for e in entries] == [
        ("t", "PLAY", "SUPERVISOR"),
        ("m", "PLAY", "AGENT"),
    ]
    on = await gql(UPDATE, {"on": True}, token=tenant_a.token)
    assert on["data"]["updateRecordingSettings"]["agentsMayPlayOwn"] is True
    assert "errors" not in await gql(PLAY, {"id": mine}, token=agent_token)


async def test_access_log_newest_first_for_admins_only(
    gql: GraphQL, services: ApiServices, tenant_a: TenantAccount
) -> None:
    one = await add_recording(services, tenant_a, call_id="one")
    two = await add_recording(services, tenant_a, call_id="two")
    one_id, two_id = to_global_id("Recording", one.id), to_global_id("Recording", two.id)
    supervisor_token, supervisor_id = await user_token(gql, tenant_a, "SUPERVISOR")
    admin_token, _ = await user_token(gql, tenant_a, "ADMIN")
    agent_token, _ = await user_token(gql, tenant_a, "AGENT")
    await url_of(gql, PLAY, one_id, supervisor_token)
    await url_of(gql, DOWNLOAD, two_id, supervisor_token)
    await url_of(gql, PLAY, two_id, tenant_a.token)

    for token in (admin_token, tenant_a.token):
        body = await gql(LOG, {"first": 2}, token=token)
        page = body["data"]["recordingAccessLog"]
        entries = [edge["node"] for edge in page["edges"]]
        assert [(e["callId"], e["action"]) for e in entries] == [
            ("two", "PLAY"),
            ("two", "DOWNLOAD"),
        ]
        assert entries[0]["userId"] == tenant_a.owner_id and entries[0]["role"] == "OWNER"
        assert entries[1]["userId"] == to_global_id("User", supervisor_id)
        assert entries[1]["userName"].startswith("supervisor-")
        assert entries[1]["clientIp"] == "127.0.0.1" and entries[1]["apiKeyId"] is None
        assert page["pageInfo"]["hasNextPage"] is True
        rest = await gql(LOG, {"first": 5, "after": page["pageInfo"]["endCursor"]}, token=token)
        tail = [e["node"] for e in rest["data"]["recordingAccessLog"]["edges"]]
        assert [(e["callId"], e["action"], e["recordingId"]) for e in tail] == [
            ("one", "PLAY", one_id)
        ]
    only_one = await gql(LOG, {"recordingId": one_id}, token=admin_token)
    assert len(only_one["data"]["recordingAccessLog"]["edges"]) == 1
    entry_id = only_one["data"]["recordingAccessLog"]["edges"][0]["node"]["id"]
    assert (await gql(NODE, {"id": entry_id}, token=admin_token))["data"]["node"]["callId"] == "one"
    for token in (supervisor_token, agent_token):
        assert error_code(await gql(LOG, {}, token=token)) == "FORBIDDEN"
        assert error_code(await gql(NODE, {"id": entry_id}, token=token)) == "FORBIDDEN"

    tenant = from_global_id(tenant_a.tenant_id)[1]
    async with services.database.transaction(tenant) as session:
        with pytest.raises(DBAPIError, match="append-only"):
            await session.execute(sa.text("UPDATE recording_access_log SET action = 'play'"))


async def test_an_issued_url_stays_logged_when_the_request_rolls_back(
    gql: GraphQL, services: ApiServices, tenant_a: TenantAccount
) -> None:
    row = await add_recording(services, tenant_a, call_id="rolled-back")
    tenant = from_global_id(tenant_a.tenant_id)[1]
    owner = Principal(
        tenant_id=tenant, role=Role.OWNER, user_id=from_global_id(tenant_a.owner_id)[1]
    )
    async with services.database.sessions() as session:
        await session.begin()
        await bind_tenant(session, tenant)
        issued = await service.playback_url(
            session=session,
            principal=owner,
            recording_id=row.id,
            store=services.recording_store,
            database=services.database,
            ttl_seconds=60,
            client_ip="10.1.2.3",
        )
        assert issued.url
        await session.rollback()  # as the edge does when another field of the request failed
    log = await gql(LOG, {"recordingId": to_global_id("Recording", row.id)}, token=tenant_a.token)
    entries = [e["node"] for e in log["data"]["recordingAccessLog"]["edges"]]
    assert [(e["action"], e["clientIp"], e["userId"]) for e in entries] == [
        ("PLAY", "10.1.2.3", tenant_a.owner_id)
    ]


async def test_other_tenant_sees_and_changes_nothing(
    gql: GraphQL, services: ApiServices, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    row = await add_recording(services, tenant_a, call_id="a-secret")
    gid = to_global_id("Recording", row.id)
    await url_of(gql, PLAY, gid, tenant_a.token)
    assert "errors" not in await gql(UPDATE, {"on": True}, token=tenant_a.token)
    for query in (PLAY, DOWNLOAD):
        assert error_code(await gql(query, {"id": gid}, token=tenant_b.token)) == "NOT_FOUND"
    log_b = await gql(LOG, {"recordingId": gid}, token=tenant_b.token)
    assert log_b["data"]["recordingAccessLog"]["edges"] == []
    assert (await gql(LOG, {}, token=tenant_b.token))["data"]["recordingAccessLog"]["edges"] == []
    log_a = await gql(LOG, {}, token=tenant_a.token)
    entry_id = log_a["data"]["recordingAccessLog"]["edges"][0]["node"]["id"]
    assert error_code(await gql(NODE, {"id": entry_id}, token=tenant_b.token)) == "NOT_FOUND"
    # Row-level security: B's bound session sees none of A's rows, even unfiltered.
    async with services.database.transaction(from_global_id(tenant_b.tenant_id)[1]) as session:
        for table in ("recording_access_log", "recording_settings"):
            count = await session.scalar(sa.text(f"SELECT count(*) FROM {table}"))
            assert count == 0
    # B's settings change stays B's.
    assert "errors" not in await gql(UPDATE, {"on": False}, token=tenant_b.token)
    agent_token, agent_id = await user_token(gql, tenant_a, "AGENT")
    own = await add_recording(services, tenant_a, call_id="a-own", agent_id=agent_id)
    assert "errors" not in await gql(
        PLAY, {"id": to_global_id("Recording", own.id)}, token=agent_token
    )
    assert (
        len((await gql(LOG, {}, token=tenant_a.token))["data"]["recordingAccessLog"]["edges"]) == 2
    )


async def test_s3_download_url_is_an_attachment(
    gql: GraphQL, services: ApiServices, tenant_a: TenantAccount, s3_backed_api: S3RecordingStore
) -> None:
    content = b"RIFF" + uuid.uuid4().bytes * 50
    row = await add_recording(services, tenant_a, call_id="s3-down", content=content)
    url = await url_of(gql, DOWNLOAD, to_global_id("Recording", row.id), tenant_a.token)
    assert "response-content-disposition=" in url
    async with httpx.AsyncClient() as http:
        response = await http.get(url)
    assert response.status_code == 200 and response.content == content
    assert response.headers["content-disposition"] == 'attachment; filename="s3-down.wav"'
