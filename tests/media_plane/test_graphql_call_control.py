"""Supervisor call control through GraphQL against a real Kamailio carrying real calls."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from api.clients import ApiServices
from media_plane.calls import MediaControl
from media_plane.kamailio.client import KamailioRpcClient
from media_plane.sip.leg import SipLegClient
from tenants.embedded.process import free_port
from tenants.graphql.relay import from_global_id
from tenants.settings import Settings
from tests.conftest import GraphQL, TenantAccount, error_code, sign_up
from tests.media_plane.conftest import KamailioNode
from tests.media_plane.live_routing import LiveCenter
from tests.media_plane.sipp import Sipp
from tests.media_plane.test_call_flow import sipp_agent, wait_acked, wait_for_call_id

pytestmark = pytest.mark.media

LIVE_CALLS = "{ liveCalls { callId sipCallId agent answered startedAt } }"
HANG_UP = """
mutation($id: ID!) { hangUpCall(callId: $id) { call { callId sipCallId } } }"""
CREATE_USER = """
mutation($input: CreateUserInput!) { createUser(input: $input) { id role } }"""
LOG_IN = """
mutation($input: LogInInput!) { logIn(input: $input) { token } }"""


@pytest.fixture
async def media_gql(settings: Settings, kamailio_node: KamailioNode) -> AsyncIterator[GraphQL]:
    """The real app whose media clients point at the test Kamailio."""
    services = ApiServices.build(settings)
    await services.media.aclose()
    services.media = MediaControl(
        kamailio=[KamailioRpcClient(kamailio_node.config.rpc_url)],
        legs=SipLegClient(kamailio_node.config.sip_host, kamailio_node.config.sip_port),
    )
    app = create_app(settings, services)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://hotline.test"
    ) as http:
        yield GraphQL(http)
    await services.close()


async def user_token(gql: GraphQL, owner: TenantAccount, role: str) -> str:
    email = f"{role.lower()}-{uuid.uuid4().hex[:8]}@example.com"
    password = "correct horse battery staple"
    body = await gql(
        CREATE_USER,
        {"input": {"email": email, "password": password, "role": role}},
        token=owner.token,
    )
    assert "errors" not in body, body
    body = await gql(
        LOG_IN, {"input": {"tenantSlug": owner.slug, "email": email, "password": password}}
    )
    assert "errors" not in body, body
    return body["data"]["logIn"]["token"]


async def test_supervisor_lists_and_hangs_up_only_own_tenant_calls(
    media_gql: GraphQL,
    kamailio_node: KamailioNode,
    center: LiveCenter,
    sipp_dir: Path,
) -> None:
    """The call is routed by the real routing process, whose 202 names tenant A: that is
    what scopes supervisors' call control."""
    tenant_a = await sign_up(media_gql)
    tenant_b = await sign_up(media_gql)
    supervisor_a = await user_token(media_gql, tenant_a, "SUPERVISOR")
    agent_a = await user_token(media_gql, tenant_a, "AGENT")
    tenant_a_uuid = str(from_global_id(tenant_a.tenant_id)[1])

    routing_a = LiveCenter(center.redis, tenant_id=uuid.UUID(tenant_a_uuid), slug=tenant_a.slug)
    queue_id = await routing_a.queue()
    number = await routing_a.number(queue_id)
    agent, agent_id, _ = await sipp_agent(
        routing_a, kamailio_node, sipp_dir, [queue_id], pause_ms=100
    )
    caller = await Sipp(
        "uac_wait_bye.xml", workdir=sipp_dir, target=kamailio_node.sip_target, service=number
    ).start()
    sip_call_id = await wait_for_call_id(caller)
    await routing_a.wait_event(sip_call_id, "call.answered")
    rpc = KamailioRpcClient(kamailio_node.config.rpc_url)
    await wait_acked(rpc, sip_call_id)
    await rpc.aclose()
    routing_id = sip_call_id  # routing names a call by the SIP Call-ID it was announced with

    # tenant A's supervisor sees the call; tenant B's owner sees nothing
    body = await media_gql(LIVE_CALLS, token=supervisor_a)
    assert [c["callId"] for c in body["data"]["liveCalls"]] == [routing_id], body
    assert body["data"]["liveCalls"][0]["answered"] is True
    body = await media_gql(LIVE_CALLS, token=tenant_b.token)
    assert body["data"]["liveCalls"] == []

    # agents may not, another tenant gets NOT_FOUND, and the call survives both
    assert error_code(await media_gql(LIVE_CALLS, token=agent_a)) == "FORBIDDEN"
    body = await media_gql(HANG_UP, {"id": routing_id}, token=agent_a)
    assert error_code(body) == "FORBIDDEN"
    body = await media_gql(HANG_UP, {"id": routing_id}, token=tenant_b.token)
    assert error_code(body) == "NOT_FOUND"
    body = await media_gql(HANG_UP, {"id": "no-such-call"}, token=supervisor_a)
    assert error_code(body) == "NOT_FOUND"
    body = await media_gql(LIVE_CALLS, token=supervisor_a)
    assert len(body["data"]["liveCalls"]) == 1

    body = await media_gql(HANG_UP, {"id": routing_id}, token=supervisor_a)
    assert "errors" not in body, body
    assert body["data"]["hangUpCall"]["call"]["sipCallId"] == sip_call_id
    caller_run = await caller.wait(20)
    assert caller_run.ok, caller_run.output  # sipp saw the BYE and answered it
    assert (await agent.wait(20)).ok
    ended = await routing_a.wait_event(sip_call_id, "call.ended")
    assert ended["by"] == "supervisor" and ended["agent_id"] == agent_id
    await routing_a.wait_agent_state(agent_id, "available")


async def test_dead_media_node_is_a_mapped_error(settings: Settings) -> None:
    services = ApiServices.build(settings)
    await services.media.aclose()
    services.media = MediaControl(
        kamailio=[KamailioRpcClient(f"http://127.0.0.1:{free_port()}/RPC", retries=0)]
    )
    app = create_app(settings, services)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://hotline.test"
    ) as http:
        gql = GraphQL(http)
        owner = await sign_up(gql)
        body = await gql(LIVE_CALLS, token=owner.token)
        assert body["data"]["liveCalls"] == []
        body = await gql(HANG_UP, {"id": "x"}, token=owner.token)
        assert error_code(body) == "INTERNAL"
        assert "media node" in body["errors"][0]["message"]
    await services.close()


async def test_sip_credentials_for_signed_in_user(media_gql: GraphQL) -> None:
    owner = await sign_up(media_gql)
    body = await media_gql(
        "{ sipCredentials { username password uri domain websocketUrl expiresAt } }",
        token=owner.token,
    )
    assert "errors" not in body, body
    creds = body["data"]["sipCredentials"]
    assert creds["domain"].startswith(f"{owner.slug}.")
    assert creds["username"].endswith(creds["uri"].removeprefix("sip:"))
    assert error_code(await media_gql("{ sipCredentials { uri } }")) == "UNAUTHENTICATED"


async def test_sip_credentials_use_the_published_sip_user(
    media_gql: GraphQL, services: ApiServices
) -> None:
    owner, other = await sign_up(media_gql), await sign_up(media_gql)
    tenant = from_global_id(owner.tenant_id)[1]
    user = from_global_id(owner.owner_id)[1]
    profile = f"{{t:{tenant}}}:agent:{user}:profile"
    await services.redis.hset(profile, mapping={"sip_user": "alice", "skills": "{}"})
    try:
        body = await media_gql("{ sipCredentials { uri username } }", token=owner.token)
        assert body["data"]["sipCredentials"]["uri"].startswith(f"sip:alice@{owner.slug}.")
        # Another tenant's user never gets that identity.
        body = await media_gql("{ sipCredentials { uri } }", token=other.token)
        assert "alice" not in body["data"]["sipCredentials"]["uri"]
        assert body["data"]["sipCredentials"]["uri"].startswith(
            f"sip:{from_global_id(other.owner_id)[1].hex}@{other.slug}."
        )
    finally:
        await services.redis.delete(profile)
