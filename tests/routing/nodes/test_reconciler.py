"""Node leases over the call-control API and the reconciler's passes (issue 16, item 1),
against real Valkey: heartbeats, a restart noticed by its boot id, a lease running out, the
sweep against a node's dialog list, and continue requests given up."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis

from routing.call_control.app import create_routing_app
from routing.clients import RoutingServices
from routing.nodes.reconcile import Reconciler
from tenants.embedded.process import free_port
from tenants.settings import Settings
from tests.routing.conftest import Center
from tests.routing.routing_config import publish_did, publish_tenant
from tests.serving import served, until


@dataclass
class Rig:
    http: httpx.AsyncClient
    services: RoutingServices
    reconciler: Reconciler
    center: Center
    did: str
    queue_id: str
    node: str

    async def beat(self, boot: str, **extra: str) -> httpx.Response:
        body = {"boot": boot, **extra}
        return await self.http.post(f"/v1/nodes/{self.node}/heartbeat", json=body)

    async def post_call(self, call_id: str, *, boot: str, continue_url: str = "") -> None:
        response = await self.http.post(
            "/v1/calls",
            json={
                "call_id": call_id,
                "node": self.node,
                "boot": boot,
                "continue_url": continue_url or "http://127.0.0.1:9/continue",
                "tindex": 1,
                "tlabel": 2,
                "from": "+33611111111",
                "to": self.did,
            },
        )
        assert response.status_code == 202, response.text

    async def state(self, call_id: str) -> str:
        return (await self.center.call_state(call_id)).get("state", "")


def quick(settings: Settings, **routing: object) -> Settings:
    return settings.model_copy(update={"routing": settings.routing.model_copy(update=routing)})


@pytest.fixture
async def rig(settings: Settings, redis: Redis, tenant_id: str) -> AsyncIterator[Rig]:
    settings = quick(
        settings, node_lease_s=1.0, continue_attempts=2, continue_backoff_s=0.05, outbox_lease_s=3
    )
    services = RoutingServices.build(settings)
    app = create_routing_app(settings, services, run_timers=False)
    center = Center(redis, services.engine, tenant_id)
    queue_id = await center.queue(wrapup_s=0)
    await publish_tenant(redis, tenant_id, slug="acme")
    did = "+3319" + str(uuid.uuid4().int)[:8]
    await publish_did(redis, did, tenant_id=tenant_id, queue_id=queue_id)
    transport = httpx.ASGITransport(app=app)
    headers = {"X-Hotline-Secret": services.secret}
    async with httpx.AsyncClient(
        transport=transport, base_url="http://routing.test", headers=headers
    ) as http:
        yield Rig(
            http,
            services,
            Reconciler(services),
            center,
            did,
            queue_id,
            node=f"node-{uuid.uuid4().hex[:8]}",
        )
    await services.dispatcher.drain()
    await services.close()


async def test_heartbeat_statuses_and_bad_input(rig: Rig) -> None:
    assert (await rig.beat("b1")).json()["status"] == "new"
    assert (await rig.beat("b1")).json()["status"] == "renewed"
    assert (await rig.beat("b2")).json()["status"] == "restarted"
    # Boot b1 beating again: a second node under the same name. Refused, and b2 stays.
    clash = await rig.beat("b1")
    assert clash.status_code == 409 and clash.json()["code"] == "CONFLICT"
    assert (await rig.reconciler.registry.get(rig.node)).boot == "b2"  # type: ignore[union-attr]
    assert (await rig.beat("b2")).json()["status"] == "renewed"
    assert (await rig.beat("b3")).json()["status"] == "restarted"
    bad = await rig.http.post("/v1/nodes/{bad}/heartbeat", json={"boot": "b"})
    assert bad.status_code == 422 and bad.json()["code"] == "BAD_USER_INPUT"
    for body in ({}, {"boot": ""}, {"boot": "b", "rpc_url": "file:///etc/passwd"}):
        response = await rig.http.post(f"/v1/nodes/{rig.node}/heartbeat", json=body)
        assert response.status_code == 422, body
    unauthenticated = await rig.http.post(
        f"/v1/nodes/{rig.node}/heartbeat", json={"boot": "b"}, headers={"X-Hotline-Secret": "no"}
    )
    assert unauthenticated.status_code == 401


async def test_a_restart_before_the_lease_ends_is_noticed_by_the_boot_id(rig: Rig) -> None:
    await rig.beat("first")
    agent = await rig.center.agent([rig.queue_id])
    await rig.post_call("old-talk", boot="first")
    await rig.http.post("/v1/calls/old-talk/events", json={"type": "answered", "node": rig.node})
    await rig.post_call("old-wait", boot="first")
    assert await rig.reconciler.check() == 0

    # The node comes back at once: a call it takes before its first heartbeat is kept.
    await rig.post_call("new-wait", boot="second")
    started = time.monotonic()
    await rig.beat("second")
    ended = await rig.reconciler.check()
    took = time.monotonic() - started

    assert ended == 2 and took < 15
    assert await rig.state("old-talk") == "ended"
    assert await rig.state("old-wait") == "abandoned"
    # The freed agent (no wrap-up in this queue) takes the new boot's call.
    assert await rig.state("new-wait") == "reserved"
    assert (await rig.center.engine.agent(tenant_id=rig.center.tenant_id, agent_id=agent)).call_id
    assert await rig.reconciler.check() == 0
    # The lost node's late event is answered, and changes nothing.
    late = await rig.http.post(
        "/v1/calls/old-talk/events", json={"type": "ended", "by": "caller", "node": rig.node}
    )
    assert late.status_code == 200 and late.json()["status"] == "duplicate"
    refused = await rig.http.post(
        "/v1/calls/new-wait/events", json={"type": "answered", "node": "someone-else"}
    )
    assert refused.status_code == 409 and refused.json()["code"] == "CONFLICT"
    assert await rig.state("new-wait") == "reserved"
    metrics = rig.services.metrics.reconcile
    assert metrics.nodes_lost.labels("restarted")._value.get() >= 1


async def test_a_node_whose_lease_runs_out_is_lost(rig: Rig) -> None:
    await rig.beat("only")
    await rig.center.agent([rig.queue_id])
    await rig.post_call("talk", boot="only")
    await rig.http.post("/v1/calls/talk/events", json={"type": "answered"})
    await rig.post_call("wait", boot="only")
    lost_at = time.monotonic()  # the last heartbeat: the node dies now

    await until(rig.reconciler.check, limit_s=5, what="the lease ran out")
    took = time.monotonic() - lost_at

    assert took < 15
    assert await rig.state("talk") == "ended"
    assert await rig.state("wait") == "abandoned"
    events = await rig.center.events()
    ended = next(e for e in events if e["type"] == "call.ended")
    assert (ended["by"], ended["reason"]) == ("system", "node_lost")
    assert await rig.reconciler.check() == 0


async def test_sweep_compares_with_the_nodes_dialog_list(rig: Rig) -> None:
    live: list[str] = []
    app = FastAPI()

    @app.get("/dialogs")
    async def dialogs() -> dict[str, list[str]]:
        return {"calls": live}

    port = free_port()
    async with served(app, port=port):
        await rig.beat("b", dialogs_url=f"http://127.0.0.1:{port}/dialogs")
        await rig.post_call("kept", boot="b")
        await rig.post_call("dropped", boot="b")
        live[:] = ["kept", "stranger"]
        node = await rig.reconciler.registry.get(rig.node)
        assert node is not None
        young = await rig.reconciler.sweep(node)
        assert (young.ended, young.unknown) == (0, ["stranger"])  # within the grace

        rig.reconciler.settings = rig.reconciler.settings.model_copy(
            update={"node_sweep_grace_s": 0}
        )
        missed_once = await rig.reconciler.sweep(node)
        assert missed_once.ended == 0
        report = await rig.reconciler.sweep(node)

    assert report.ended == 1 and report.unknown == ["stranger"]
    assert await rig.state("dropped") == "abandoned"
    assert await rig.state("kept") == "queued"


async def test_an_unreachable_continue_target_is_a_lost_call(rig: Rig) -> None:
    agent = await rig.center.agent([rig.queue_id])
    refused = f"http://127.0.0.1:{free_port()}/continue"  # nobody listens there
    before = rig.services.metrics.reconcile.give_ups.labels("unreachable")._value.get()

    await rig.post_call("nowhere", boot="b", continue_url=refused)

    async def abandoned() -> bool:
        return await rig.state("nowhere") == "abandoned"

    await until(abandoned, limit_s=5, what="the call given up")
    call = await rig.center.call_state("nowhere")
    assert call["abandon_reason"] == "continue_failed"
    assert await rig.center.state(agent) == "available"
    after = rig.services.metrics.reconcile.give_ups.labels("unreachable")._value.get()
    assert after == before + 1
