"""CRM classification at call ingress: the real CRM in PostgreSQL behind the HTTP API."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from redis.asyncio import Redis

from routing.call_control.app import create_routing_app
from routing.clients import RoutingServices
from routing.crm_classifier import CrmCallerClassifier
from tenants.graphql.relay import from_global_id
from tenants.settings import Settings
from tests.conftest import GraphQL, TenantAccount
from tests.routing.conftest import Center
from tests.routing.fake_node import running_node
from tests.routing.routing_config import publish_did, publish_tenant
from tests.tenants.crm.conftest import create_customer
from tests.tenants.tickets.conftest import create_ticket, make_workflow


@dataclass
class Ingress:
    http: httpx.AsyncClient
    services: RoutingServices
    node_url: str

    async def post_call(self, call_id: str, *, frm: str, to: str) -> httpx.Response:
        """Call ids are global: ``call_id`` is used as given, so tests pass unique ones."""
        return await self.http.post(
            "/v1/calls",
            json={
                "call_id": call_id,
                "node": "k1",
                "continue_url": f"{self.node_url}/continue/{call_id}",
                "tindex": 1,
                "tlabel": "2",
                "from": frm,
                "to": to,
            },
        )


@pytest.fixture
async def ingress(settings: Settings) -> AsyncIterator[Ingress]:
    services = RoutingServices.build(settings)  # no classifier injected: the CRM one
    assert isinstance(services.classifier, CrmCallerClassifier)
    app = create_routing_app(settings, services, run_timers=False)
    async with running_node() as node:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://routing.test",
            headers={"X-Hotline-Secret": services.secret},
        ) as http:
            yield Ingress(http, services, f"http://127.0.0.1:{node.port}")
        await services.close()


async def routed_center(
    redis: Redis, ingress: Ingress, account: TenantAccount, **queue: object
) -> tuple[Center, str, str]:
    """Publish a queue and a DID for the signed-up tenant: ``(center, queue_id, did)``."""
    _, tenant_uuid = from_global_id(account.tenant_id)
    center = Center(redis, ingress.services.engine, str(tenant_uuid))
    queue_id = await center.queue(**queue)
    await publish_tenant(redis, center.tenant_id, slug=account.slug)
    did = "+3319" + str(uuid.uuid4().int)[:8]
    await publish_did(redis, did, tenant_id=center.tenant_id, queue_id=queue_id)
    return center, queue_id, did


def cid(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:8]}"


def number() -> str:
    """A fresh French mobile number; the +33 6 12 range is valid in phonenumbers' metadata."""
    return "+33612" + str(uuid.uuid4().int)[:6]


async def test_blacklisted_caller_is_rejected_with_the_queue_code(
    gql: GraphQL, tenant_a: TenantAccount, redis: Redis, ingress: Ingress
) -> None:
    caller = number()
    await create_customer(gql, tenant_a, name="Troll", phones=[caller], category="blacklist")
    center, _, did = await routed_center(redis, ingress, tenant_a, blacklist_code=603)
    response = await ingress.post_call(cid("bl"), frm=caller, to=did)
    assert response.status_code == 200
    assert response.json() == {"status": "rejected", "code": 603, "reason": "blacklisted caller"}
    other = await ingress.post_call(cid("ok"), frm=number(), to=did)
    assert other.json()["status"] == "queued"
    assert "call.rejected" in await center.types()


async def test_vip_jumps_the_queue(
    gql: GraphQL, tenant_a: TenantAccount, redis: Redis, ingress: Ingress
) -> None:
    vip = number()
    customer = await create_customer(gql, tenant_a, name="Gold", phones=[vip], category="VIP")
    center, queue_id, did = await routed_center(redis, ingress, tenant_a, vip_boost=10)
    first, vip_call = cid("first"), cid("vip")
    assert (await ingress.post_call(first, frm=number(), to=did)).json()["status"] == "queued"
    assert (await ingress.post_call(vip_call, frm=vip, to=did)).json()["status"] == "queued"
    enqueued = {e["call_id"]: e for e in await center.events() if e["type"] == "call.enqueued"}
    _, customer_uuid = from_global_id(customer["id"])
    assert enqueued[vip_call]["customer_id"] == str(customer_uuid)
    assert enqueued[vip_call]["priority"] == "10" and enqueued[first]["priority"] == "0"
    agent = await center.agent([queue_id])
    assert (
        await center.engine.agent(tenant_id=center.tenant_id, agent_id=agent)
    ).call_id == vip_call


async def test_other_tenants_blacklist_does_not_apply(
    gql: GraphQL,
    tenant_a: TenantAccount,
    tenant_b: TenantAccount,
    redis: Redis,
    ingress: Ingress,
) -> None:
    shared = number()
    await create_customer(gql, tenant_b, name="Troll", phones=[shared], category="blacklist")
    await create_customer(gql, tenant_a, name="Friend", phones=[shared])
    _, _, did_a = await routed_center(redis, ingress, tenant_a)
    _, _, did_b = await routed_center(redis, ingress, tenant_b)
    assert (await ingress.post_call(cid("a"), frm=shared, to=did_a)).json()["status"] == "queued"
    refused = await ingress.post_call(cid("b"), frm=shared, to=did_b)
    assert refused.json()["status"] == "rejected" and refused.json()["code"] == 403


async def test_returning_caller_goes_to_their_ticket_assignee(
    gql: GraphQL, tenant_a: TenantAccount, redis: Redis, ingress: Ingress
) -> None:
    caller = number()
    customer = await create_customer(gql, tenant_a, name="Back again", phones=[caller])
    workflow = await make_workflow(gql, tenant_a, member_ids=[])
    await create_ticket(
        gql, tenant_a, workflow, customerId=customer["id"], assigneeId=tenant_a.owner_id
    )
    center, queue_id, did = await routed_center(redis, ingress, tenant_a, sticky_agent_s=30)
    _, owner_uuid = from_global_id(tenant_a.owner_id)
    from tests.routing.routing_config import publish_agent

    # The other agent has idled longer, so without stickiness they would get the call.
    other = await center.agent([queue_id])
    await publish_agent(redis, center.tenant_id, str(owner_uuid), queues=[queue_id])
    await center.engine.sign_in(
        tenant_id=center.tenant_id, agent_id=str(owner_uuid), queue_id=queue_id
    )
    await center.set_state(str(owner_uuid), "available")
    back, new = cid("back"), cid("new")
    assert (await ingress.post_call(back, frm=caller, to=did)).json()["status"] == "queued"
    enqueued = [e for e in await center.events() if e["type"] == "call.enqueued"]
    assert enqueued and enqueued[0]["call_id"] == back
    owner = await center.engine.agent(tenant_id=center.tenant_id, agent_id=str(owner_uuid))
    assert owner.call_id == back
    assert (await center.engine.agent(tenant_id=center.tenant_id, agent_id=other)).call_id != back
    # A stranger still reaches the other agent.
    assert (await ingress.post_call(new, frm=number(), to=did)).json()["status"] == "queued"
    assert (await center.engine.agent(tenant_id=center.tenant_id, agent_id=other)).call_id == new
