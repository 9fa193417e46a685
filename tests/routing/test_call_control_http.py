"""The call-control HTTP contract (issue 4, section 5) against real Valkey and a fake node."""

from __future__ import annotations

import asyncio
import json
import socket
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from prometheus_client import generate_latest
from redis.asyncio import Redis

from media_plane.callbacks.bridge import CallbackRequest
from routing.call_control import timers
from routing.call_control.app import create_routing_app
from routing.classification import CallerCategory, CallerClass
from routing.clients import RoutingServices
from routing.engine.engine import AcdEngine
from tenants.settings import Settings
from tests.media_plane.sipp import free_udp_port
from tests.routing.conftest import Center, FakeClock
from tests.routing.fake_node import FakeKamailioNode, running_node
from tests.routing.routing_config import publish_did, publish_tenant
from tests.serving import until


class FakeCallerClassifier:
    """Classifies the numbers it was told about; everyone else is unknown."""

    def __init__(self) -> None:
        self.known: dict[tuple[str, str], CallerClass] = {}

    async def classify(self, *, tenant_id: str, number: str) -> CallerClass:
        return self.known.get((tenant_id, number), CallerClass())


@dataclass
class Harness:
    http: httpx.AsyncClient
    services: RoutingServices
    node: FakeKamailioNode
    classifier: FakeCallerClassifier
    center: Center
    did: str
    queue_id: str

    async def post_call(
        self, call_id: str, *, frm: str = "+33611111111", to: str = ""
    ) -> httpx.Response:
        return await self.http.post(
            "/v1/calls",
            json={
                "call_id": call_id,
                "node": "k1",
                "continue_url": self.node.url(call_id),
                "tindex": 12,
                "tlabel": "34",
                "from": frm,
                "to": to or self.did,
            },
        )

    async def event(self, call_id: str, **body: object) -> httpx.Response:
        return await self.http.post(f"/v1/calls/{call_id}/events", json=body)


@pytest.fixture
async def harness(settings: Settings, redis: Redis, tenant_id: str) -> AsyncIterator[Harness]:
    classifier = FakeCallerClassifier()
    services = RoutingServices.build(settings, classifier=classifier)
    app = create_routing_app(settings, services, run_timers=False)
    center = Center(redis, services.engine, tenant_id)
    queue_id = await center.queue()
    await publish_tenant(redis, tenant_id, slug="acme")
    did = "+3319" + str(uuid.uuid4().int)[:8]
    await publish_did(redis, did, tenant_id=tenant_id, queue_id=queue_id)
    async with running_node() as node:
        transport = httpx.ASGITransport(app=app)
        headers = {"X-Hotline-Secret": services.secret}
        async with httpx.AsyncClient(
            transport=transport, base_url="http://routing.test", headers=headers
        ) as http:
            yield Harness(http, services, node, classifier, center, did, queue_id)
        await services.dispatcher.drain()
    await services.close()


async def test_secret_is_required(harness: Harness) -> None:
    for headers in ({}, {"X-Hotline-Secret": "wrong"}):
        response = await harness.http.post(
            "/v1/calls", json={}, headers={"X-Hotline-Secret": ""} | headers
        )
        assert response.status_code == 401
        assert response.json()["code"] == "UNAUTHENTICATED"
    response = await harness.http.post(
        "/v1/calls/x/events", json={"type": "answered"}, headers={"X-Hotline-Secret": "nope"}
    )
    assert response.status_code == 401


async def test_unknown_number_is_rejected_404(harness: Harness) -> None:
    response = await harness.post_call("c-unknown", to="+10000000000")
    assert response.status_code == 200
    assert response.json() == {"status": "rejected", "code": 404, "reason": "unknown number"}


async def test_queued_then_continued_to_agent(harness: Harness) -> None:
    response = await harness.post_call("c1", to=f"sip:{harness.did}@carrier.example;user=phone")
    assert response.status_code == 202
    assert response.json() == {
        "call": "c1",
        "status": "queued",
        "tenant": harness.center.tenant_id,
    }
    agent = await harness.center.agent([harness.queue_id])
    # The agent's sign-in matched outside the HTTP path: dispatch what it decided.
    for member in await harness.center.redis.zrange(
        f"{{t:{harness.center.tenant_id}}}:rt:outbox", 0, -1
    ):
        await harness.services.dispatcher.dispatch(harness.center.tenant_id, member)
    sent = await harness.node.wait_for("c1")
    assert sent == {
        "call_id": "c1",
        "tindex": "12",
        "tlabel": "34",
        "dst": f"sip:{agent}@acme.sip.hotline.localhost",
        "tenant": harness.center.tenant_id,
        "ring": "18",
    }
    assert (await harness.event("c1", type="ringing")).json()["status"] == "ok"
    answered = await harness.event("c1", type="answered", at="2020-01-01T00:00:00Z")
    assert answered.status_code == 200 and answered.json()["status"] == "ok"
    again = await harness.event("c1", type="answered")
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    ended = await harness.event("c1", type="ended", by="caller")
    assert ended.json()["status"] == "ok"
    assert (await harness.event("c1", type="ended", by="caller")).json()["status"] == "duplicate"
    assert (await harness.center.call_state("c1"))["ended_by"] == "caller"


async def test_idle_agent_gets_continue_from_post(harness: Harness) -> None:
    agent = await harness.center.agent([harness.queue_id])
    await harness.center.redis.hset(
        f"{{t:{harness.center.tenant_id}}}:agent:{agent}:profile", "sip_user", "alice"
    )
    assert (await harness.post_call("c2")).status_code == 202
    sent = await harness.node.wait_for("c2")
    assert sent["dst"] == "sip:alice@acme.sip.hotline.localhost"
    outbox = f"{{t:{harness.center.tenant_id}}}:rt:outbox"
    await harness.services.dispatcher.drain()
    assert await harness.center.redis.zcard(outbox) == 0


async def test_duplicate_post_is_idempotent(harness: Harness) -> None:
    first = await harness.post_call("dup")
    second = await harness.post_call("dup")
    assert first.status_code == second.status_code == 202
    assert (await harness.center.types()).count("call.enqueued") == 1


async def test_node_404_means_abandoned(harness: Harness) -> None:
    agent = await harness.center.agent([harness.queue_id])
    harness.node.status_for_call["gone"] = 404
    await harness.post_call("gone")
    await harness.node.wait_for("gone")
    await harness.services.dispatcher.drain()
    assert (await harness.center.call_state("gone"))["state"] == "abandoned"
    assert await harness.center.state(agent) == "available"


async def test_blacklisted_and_vip_callers(harness: Harness) -> None:
    tenant = harness.center.tenant_id
    harness.classifier.known[(tenant, "+33600000001")] = CallerClass(CallerCategory.BLACKLISTED)
    harness.classifier.known[(tenant, "+33600000002")] = CallerClass(
        CallerCategory.VIP, customer_id="cust-9"
    )
    blocked = await harness.post_call("bl", frm="+33600000001")
    assert blocked.status_code == 200
    assert blocked.json()["code"] == 403 and blocked.json()["status"] == "rejected"
    assert (await harness.post_call("bl", frm="+33600000001")).json()["code"] == 403
    await harness.post_call("normal")
    await harness.post_call("vip", frm="+33600000002")
    enqueued = {
        e["call_id"]: e for e in await harness.center.events() if e["type"] == "call.enqueued"
    }
    assert enqueued["vip"]["priority"] == "10" and enqueued["vip"]["customer_id"] == "cust-9"
    rejected = [e for e in await harness.center.events() if e["type"] == "call.rejected"]
    assert [(e["call_id"], e["code"]) for e in rejected] == [("bl", "403")]
    agent = await harness.center.agent([harness.queue_id])
    assert (await harness.center.engine.agent(tenant_id=tenant, agent_id=agent)).call_id == "vip"


async def test_closed_queue_rejects_with_its_code(harness: Harness) -> None:
    await harness.center.redis.hset(
        f"{{t:{harness.center.tenant_id}}}:queue:{harness.queue_id}",
        mapping={"hours": '{"tz": "UTC", "windows": {}}', "closed_code": 480},
    )
    response = await harness.post_call("closed")
    assert response.json() == {"status": "rejected", "code": 480, "reason": "closed"}


async def test_unknown_call_and_malformed_events(harness: Harness) -> None:
    missing = await harness.event("nope", type="answered")
    assert missing.status_code == 404 and missing.json()["detail"] == "unknown call"
    await harness.post_call("c3")
    bad = await harness.event("c3", type="exploded")
    assert bad.status_code == 422 and "type" in bad.json()["detail"]
    raw = await harness.http.post(
        "/v1/calls/c3/events", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert raw.status_code == 422 and raw.json()["detail"]
    bad_call = await harness.http.post("/v1/calls", json={"call_id": "x"})
    assert bad_call.status_code == 422 and bad_call.json()["code"] == "BAD_USER_INPUT"
    assert (await harness.center.call_state("c3"))["state"] == "queued"


async def test_other_tenant_call_ids_do_not_mix(harness: Harness, redis: Redis) -> None:
    await harness.post_call("mine")
    other = Center(redis, harness.services.engine, str(uuid.uuid4()))
    other_q = await other.queue()
    other_did = "+4420" + str(uuid.uuid4().int)[:8]
    await publish_did(redis, other_did, tenant_id=other.tenant_id, queue_id=other_q)
    # The same call id arriving for another tenant's number is a duplicate, never a crossing.
    clash = await harness.post_call("mine", to=other_did)
    assert clash.json()["code"] == 503
    assert await other.types() == []
    assert (await harness.event("mine", type="abandoned")).json()["status"] == "ok"


async def test_ops_endpoints_and_metrics(harness: Harness) -> None:
    assert (await harness.http.get("/healthz")).json() == {"status": "ok"}
    assert (await harness.http.get("/readyz")).status_code == 200
    await harness.center.agent([harness.queue_id])
    await harness.post_call("m1")
    await harness.event("m1", type="answered")
    await harness.event("m1", type="ended", by="agent")
    await harness.post_call("m2")
    await harness.event("m2", type="abandoned")
    await harness.services.metrics.refresh()
    own = generate_latest(harness.services.metrics.registry).decode()
    for name in (
        "hotline_routing_decision_seconds_bucket",
        "hotline_agents{",
        "hotline_queue_contacts_waiting{",
    ):
        assert name in own, name
    # The contract counters and the wait histogram have one exporter, the analytics
    # worker: routing counting them too would make every sum over processes double.
    for name in (
        "hotline_contacts_offered",
        "hotline_contacts_handled",
        "hotline_queue_wait_seconds",
        "hotline_agent_state_seconds",
        "hotline_handle_seconds",
        "hotline_queue_config_info",
    ):
        assert name not in own, name
    text = (await harness.http.get("/metrics")).text
    assert own.splitlines()[0] in text and "hotline_http_request_duration_seconds" in text
    await asyncio.sleep(0)


async def test_http_latency_is_labelled_by_path_template(harness: Harness) -> None:
    await harness.center.agent([harness.queue_id])
    await harness.post_call("tpl-1")
    await harness.event("tpl-1", type="answered")
    text = (await harness.http.get("/metrics")).text
    assert 'hotline_http_request_duration_seconds_count{method="POST",route="/v1/calls"' in text
    events = 'route="/v1/calls/{call_id}/events",status="200"'
    assert events in text
    assert "tpl-1" not in text  # the raw path never becomes a label value


async def test_a_timer_burst_fires_whole_in_short_batches(harness: Harness) -> None:
    calls = [f"burst-{i}-{uuid.uuid4().hex[:6]}" for i in range(timers.TIMER_BATCH + 5)]
    for call_id in calls:
        await harness.center.agent([harness.queue_id])
        assert (await harness.post_call(call_id)).status_code == 202
    tenant_id = harness.center.tenant_id
    timers_key = f"{{t:{tenant_id}}}:rt:timers"
    rings = [m for m in await harness.center.redis.zrange(timers_key, 0, -1) if "ring|" in m]
    assert len(rings) == len(calls)
    await harness.center.redis.zadd(timers_key, dict.fromkeys(rings, 1))  # all due at once
    await timers.tick(harness.services)
    states = {(await harness.center.call_state(c))["state"] for c in calls}
    assert states == {"queued"}  # every ring timed out in one tick, not just the first batch
    assert not await harness.center.redis.zrangebyscore(timers_key, 0, 1)


class FakeBrokenClassifier:
    """A CRM that is down."""

    async def classify(self, *, tenant_id: str, number: str) -> CallerClass:
        raise ConnectionError("crm unreachable")


async def test_crm_failure_routes_the_call_anyway(harness: Harness) -> None:
    harness.services.classifier = FakeBrokenClassifier()
    response = await harness.post_call("crm-down")
    assert response.status_code == 202
    assert (await harness.center.call_state("crm-down"))["state"] == "queued"


async def test_redis_down_is_503_not_500(settings: Settings) -> None:
    from tenants.settings import RedisSettings

    down = settings.model_copy(update={"redis": RedisSettings(url="redis://127.0.0.1:1/0")})
    services = RoutingServices.build(down)
    app = create_routing_app(down, services, run_timers=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://routing.test",
        headers={"X-Hotline-Secret": services.secret},
    ) as http:
        response = await http.post(
            "/v1/calls",
            json={
                "call_id": "x",
                "continue_url": "http://127.0.0.1:9/",
                "tindex": 1,
                "tlabel": 1,
                "from": "+1",
                "to": "+2",
            },
        )
        assert response.status_code == 503
        assert response.json()["detail"]
        assert (await http.get("/readyz")).status_code == 503
    await services.close()


class FakeOriginator:
    """Records the callbacks routing asks it to dial."""

    def __init__(self, placed: bool) -> None:
        self.placed = placed
        self.calls: list[dict[str, str]] = []
        self.legs: list[dict[str, object]] = []

    async def originate(self, request: CallbackRequest) -> bool:
        self.calls.append(
            {"call_id": request.call_id, "number": request.number, "dst": request.agent_uri}
        )
        self.legs.append(
            {"ring_s": request.ring_s, "record": request.record, "caller_id": request.caller_id}
        )
        return self.placed


async def _callback_waiting(harness: Harness) -> tuple[str, FakeClock]:
    """A call whose max wait offered a callback; the engine now reads the returned clock."""
    clock = FakeClock()
    harness.services.engine.clock = clock
    await harness.center.redis.hset(
        f"{{t:{harness.center.tenant_id}}}:queue:{harness.queue_id}",
        mapping={"max_wait_s": 1, "max_wait_action": "callback"},
    )
    cb = f"cb-{uuid.uuid4().hex[:8]}"
    await harness.post_call(cb, frm="+33655555555")
    clock.advance(1.1)
    fired = await harness.services.engine.fire_timers(tenant_id=harness.center.tenant_id)
    harness.services.dispatcher.submit(fired)
    released = await harness.node.wait_for(cb)
    assert (released["dst"], released["code"]) == ("reject", "480")
    return cb, clock


async def test_callback_is_dialled_when_an_agent_is_free(harness: Harness) -> None:
    originator = FakeOriginator(placed=True)
    harness.services.dispatcher.originator = originator
    cb, _ = await _callback_waiting(harness)
    agent = await harness.center.agent([harness.queue_id])
    # Becoming available reserved the agent for the callback; dispatch it as a replica would.
    call = await harness.center.call_state(cb)
    assert call["state"] == "reserved"
    reservation_events = [e for e in await harness.center.events() if e["type"] == "call.reserved"]
    assert reservation_events[-1]["agent_id"] == agent
    from routing.engine.results import Reservation

    await harness.services.dispatcher.dispatch(
        harness.center.tenant_id,
        f"{cb}|{call['attempt']}",
        Reservation(
            call_id=cb,
            agent_id=agent,
            queue_id=harness.queue_id,
            attempt=int(call["attempt"]),
            callback=True,
            number="+33655555555",
            tenant_slug="acme",
        ),
    )
    assert originator.calls == [
        {"call_id": cb, "number": "+33655555555", "dst": f"sip:{agent}@acme.sip.hotline.localhost"}
    ]
    assert (await harness.event(cb, type="answered")).json()["status"] == "ok"
    assert "callback.connected" in await harness.center.types()


async def test_callback_without_originator_frees_the_agent(harness: Harness) -> None:
    harness.services.dispatcher.originator = FakeOriginator(placed=False)
    cb, _ = await _callback_waiting(harness)
    agent = await harness.center.agent([harness.queue_id])
    call = await harness.center.call_state(cb)
    from routing.engine.results import Reservation

    await harness.services.dispatcher.dispatch(
        harness.center.tenant_id,
        f"{cb}|{call['attempt']}",
        Reservation(
            call_id=cb,
            agent_id=agent,
            queue_id=harness.queue_id,
            attempt=int(call["attempt"]),
            callback=True,
            number="+33655555555",
        ),
    )
    assert (await harness.center.call_state(cb))["state"] == "callback_failed"
    assert await harness.center.state(agent) == "available"
    events = {e["type"]: e for e in await harness.center.events() if e.get("call_id") == cb}
    assert events["callback.failed"]["reason"] == "callback_not_placed"
    assert events["callback.failed"]["agent_id"] == agent
    # Nobody reached the customer: the number gets a follow-up task.
    assert events["missed_call.created"]["number"] == "+33655555555"
    assert "callback.connected" not in events


async def test_a_callback_an_api_process_reserved_is_dialled_once_by_a_replica(
    harness: Harness,
) -> None:
    """An agent made available through the API (which never dials) is reserved for the
    callback there; a routing replica claims the decision from the outbox and dials it, and
    a second claim of the same attempt does not ring the customer again."""
    originator = FakeOriginator(placed=True)
    harness.services.dispatcher.originator = originator
    await harness.center.redis.hset(
        f"{{t:{harness.center.tenant_id}}}:queue:{harness.queue_id}",
        mapping={"ring_timeout_s": 25, "record": 1},
    )
    cb, clock = await _callback_waiting(harness)
    api_engine = AcdEngine(harness.center.redis, dispatches=False, clock=clock)
    api = Center(harness.center.redis, api_engine, harness.center.tenant_id)
    agent = await api.agent([harness.queue_id])
    call = await harness.center.call_state(cb)
    assert call["state"] == "reserved" and call["agent_id"] == agent
    await timers.tick(harness.services)
    await harness.services.dispatcher.drain()
    assert originator.calls == [
        {"call_id": cb, "number": "+33655555555", "dst": f"sip:{agent}@acme.sip.hotline.localhost"}
    ]
    assert originator.legs == [{"ring_s": 23, "record": True, "caller_id": harness.did}]
    member = f"{cb}|{call['attempt']}"
    await harness.services.dispatcher.dispatch(harness.center.tenant_id, member)
    assert len(originator.calls) == 1
    claim = await harness.services.engine.claim_dial(
        tenant_id=harness.center.tenant_id, call_id=cb, attempt=call["attempt"]
    )
    assert claim.status == "taken"


async def test_ringing_restarts_a_callbacks_ring_timer_once(harness: Harness) -> None:
    """The customer rings only after the agent took the leg: ``ringing`` gives the customer
    the queue's whole ring time from then on, once."""
    harness.services.dispatcher.originator = FakeOriginator(placed=True)
    cb, clock = await _callback_waiting(harness)
    await harness.center.agent([harness.queue_id])
    call = await harness.center.call_state(cb)
    timers_key = f"{{t:{harness.center.tenant_id}}}:rt:timers"
    member = f"ring|{cb}|{call['attempt']}"
    before = await harness.center.redis.zscore(timers_key, member)
    clock.advance(0.05)
    assert (await harness.event(cb, type="ringing")).json()["status"] == "ok"
    after = await harness.center.redis.zscore(timers_key, member)
    assert before is not None and after is not None and after > before
    clock.advance(0.05)
    await harness.event(cb, type="ringing")
    assert await harness.center.redis.zscore(timers_key, member) == after


async def test_agent_failed_names_the_next_agent_in_its_reply(harness: Harness) -> None:
    """Kamailio cannot re-suspend a call: the reply carries the next reservation."""
    tenant = harness.center.tenant_id
    await harness.center.redis.hset(
        f"{{t:{tenant}}}:queue:{harness.queue_id}", mapping={"record": 1, "ring_timeout_s": 9}
    )
    first = await harness.center.agent([harness.queue_id])
    assert (await harness.post_call("af")).status_code == 202
    sent = await harness.node.wait_for("af")
    assert sent["record"] == "1" and sent["ring"] == "7" and sent["tenant"] == tenant
    second = await harness.center.agent([harness.queue_id], available=False)
    await harness.center.redis.hset(f"{{t:{tenant}}}:agent:{second}:profile", "sip_user", "bob")
    await harness.center.set_state(second, "available")  # the call is reserved: bob stays idle
    failed = await harness.event("af", type="agent_failed", by="agent", reason="408", tindex=1)
    assert failed.status_code == 200
    assert failed.json() | {"notes": []} == {
        "call": "af",
        "status": "ok",
        "notes": [],
        "dst": "sip:bob@acme.sip.hotline.localhost",
        "tenant": tenant,
        "ring": "7",
        "record": "1",
    }
    assert await harness.center.state(first) == "not_ready:missed"
    assert await harness.center.state(second) == "reserved"
    # the reply is the continue: nothing is left in the outbox and no second GET is sent
    await harness.services.dispatcher.drain()
    assert await harness.center.redis.zcard(f"{{t:{tenant}}}:rt:outbox") == 0
    assert len([c for c in harness.node.continues if c["call_id"] == "af"]) == 1
    answered = await harness.event("af", type="answered", by="agent", at=1_700_000_000_000)
    assert answered.json()["status"] == "ok"


async def test_agent_failed_with_nobody_free_ends_the_call_once(harness: Harness) -> None:
    agent = await harness.center.agent([harness.queue_id])
    await harness.post_call("lonely")
    await harness.node.wait_for("lonely")
    failed = await harness.event("lonely", type="agent_failed", by="agent", reason="408")
    assert failed.status_code == 200 and "dst" not in failed.json()
    call = await harness.center.call_state("lonely")
    assert call["state"] == "abandoned" and call["abandon_reason"] == "no_agent"
    assert await harness.center.state(agent) == "not_ready:missed"
    again = await harness.event("lonely", type="agent_failed", by="agent", reason="408")
    assert again.json()["status"] == "duplicate" and "dst" not in again.json()
    types = await harness.center.types()
    assert types.count("call.abandoned") == 1 and types.count("call.agent_failed") == 1
    assert (
        await harness.center.engine.queue_status(
            tenant_id=harness.center.tenant_id, queue_id=harness.queue_id
        )
    ).waiting == 0


async def test_event_at_is_epoch_milliseconds(harness: Harness) -> None:
    clock = FakeClock()
    harness.services.engine.clock = clock
    await harness.center.agent([harness.queue_id])
    await harness.post_call("ms")
    await harness.node.wait_for("ms")
    clock.advance(0.3)
    at = clock.ms - 100  # after the enqueue, before routing's clock
    assert (await harness.event("ms", type="answered", at=at)).json()["status"] == "ok"
    assert (await harness.center.call_state("ms"))["answered_ms"] == str(at)


async def test_dtmf_event_is_published_for_a_live_call(harness: Harness, redis: Redis) -> None:
    await harness.post_call("keys")
    pressed = await harness.event("keys", type="dtmf", digits="1#", by="caller")
    assert pressed.status_code == 200 and pressed.json()["status"] == "ok"
    [event] = [e for e in await harness.center.events() if e["type"] == "call.dtmf"]
    assert event["call_id"] == "keys" and event["digits"] == "1#" and event["by"] == "caller"
    assert event["state"] == "queued" and event["queue_id"] == harness.queue_id
    assert event["event_id"] and event["tenant_id"] == harness.center.tenant_id
    # The call's state does not move.
    assert (await harness.center.call_state("keys"))["state"] == "queued"
    # Bad input: no digits, a non-DTMF key, an unknown call; none publishes anything.
    for body in ({"type": "dtmf"}, {"type": "dtmf", "digits": "9x"}):
        bad = await harness.event("keys", **body)
        assert bad.status_code == 422 and bad.json()["code"] == "BAD_USER_INPUT", bad.json()
    missing = await harness.event("nope", type="dtmf", digits="1")
    assert missing.status_code == 404
    # Another tenant's call id is unknown here, and its stream stays empty.
    other = Center(redis, harness.services.engine, str(uuid.uuid4()))
    await other.queue()
    assert (await harness.event("keys-of-b", type="dtmf", digits="1")).status_code == 404
    assert await other.types() == []
    # After the call ended, a late digit changes nothing.
    await harness.event("keys", type="abandoned", by="caller")
    late = await harness.event("keys", type="dtmf", digits="2")
    assert late.json()["status"] == "ignored"
    assert len([e for e in await harness.center.events() if e["type"] == "call.dtmf"]) == 1


async def test_pressing_1_takes_the_callback_in_a_queue_that_offers_callbacks(
    harness: Harness,
) -> None:
    offering = await harness.center.queue(max_wait_s=600, max_wait_action="callback")
    did = "+3319" + str(uuid.uuid4().int)[:8]
    await publish_did(
        harness.center.redis, did, tenant_id=harness.center.tenant_id, queue_id=offering
    )
    await harness.post_call("cb-by-key", to=did)
    # Another digit, or the agent's key, is only an event.
    await harness.event("cb-by-key", type="dtmf", digits="2", by="caller")
    assert (await harness.center.call_state("cb-by-key")).get("callback") != "1"
    taken = await harness.event("cb-by-key", type="dtmf", digits="1", by="caller")
    assert (
        taken.json()["status"] == "ok" and "callback offer taken by DTMF" in taken.json()["notes"]
    )
    types = await harness.center.types()
    assert "callback.requested" in types
    dequeued = [e for e in await harness.center.events() if e["type"] == "call.dequeued"]
    assert dequeued[-1]["outcome"] == "callback"
    # The caller is released with 480 and keeps their place as a callback.
    released = await harness.node.wait_for("cb-by-key")
    assert released["dst"] == "reject" and released["code"] == "480"
    assert (await harness.center.call_state("cb-by-key"))["callback"] == "1"
    # Pressing 1 again changes nothing; in a queue without callbacks, 1 is just a digit.
    again = await harness.event("cb-by-key", type="dtmf", digits="1", by="caller")
    assert again.status_code == 200
    assert (await harness.center.types()).count("callback.requested") == 1
    await harness.post_call("plain-1")
    await harness.event("plain-1", type="dtmf", digits="1", by="caller")
    assert (await harness.center.call_state("plain-1"))["state"] == "queued"


def _with_dtmf_port(settings: Settings, port: int) -> Settings:
    rtpengine = settings.rtpengine.model_copy(update={"dtmf_log_port": port})
    return settings.model_copy(update={"rtpengine": rtpengine})


async def test_rtpengine_dtmf_datagrams_become_call_events(
    settings: Settings, redis: Redis, tenant_id: str
) -> None:
    """The routing app's DTMF listener (lifespan) turns rtpengine's JSON into call.dtmf: the
    caller's digit when the hold subscriber names its tag, the agent's otherwise."""
    port = free_udp_port()
    configured = _with_dtmf_port(settings, port)
    services = RoutingServices.build(configured, classifier=FakeCallerClassifier())
    app = create_routing_app(configured, services, run_timers=False)
    center = Center(redis, services.engine, tenant_id)
    queue_id = await center.queue()
    await publish_tenant(redis, tenant_id, slug="acme")
    did = "+3319" + str(uuid.uuid4().int)[:8]
    await publish_did(redis, did, tenant_id=tenant_id, queue_id=queue_id)
    async with app.router.lifespan_context(app), running_node() as node:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://routing",
            headers={"X-Hotline-Secret": services.secret},
        ) as http:
            await http.post(
                "/v1/calls",
                json={"call_id": "dg", "node": "k1", "continue_url": node.url("dg"), "tindex": 1,
                      "tlabel": 2, "from": "+33611111111", "to": did},
            )  # fmt: skip
        datagram = {
            "callid": "dg", "source_tag": "c1", "tags": ["hl-dtmf-c1", "c1"], "type": "DTMF",
            "timestamp": 1, "source_ip": "127.0.0.1", "event": 11, "duration": 80, "volume": 10,
        }  # fmt: skip
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.sendto(json.dumps(datagram).encode(), ("127.0.0.1", port))
            sock.sendto(
                json.dumps(datagram | {"source_tag": "a1", "event": 3}).encode(),
                ("127.0.0.1", port),
            )
            sock.sendto(json.dumps(datagram | {"callid": "unknown"}).encode(), ("127.0.0.1", port))

        async def two() -> list[dict[str, str]] | None:
            found = [e for e in await center.events() if e["type"] == "call.dtmf"]
            return found if len(found) >= 2 else None

        events = await until(two, limit_s=5, what="two call.dtmf")
    assert [(e["digits"], e["by"]) for e in events] == [("#", "caller"), ("3", "agent")]
    await services.close()


async def test_routing_starts_when_another_process_has_the_dtmf_port(settings: Settings) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as taken:
        taken.bind(("127.0.0.1", 0))
        configured = _with_dtmf_port(settings, taken.getsockname()[1])
        services = RoutingServices.build(configured)
        app = create_routing_app(configured, services, run_timers=False)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://routing") as http:
                assert (await http.get("/healthz")).status_code == 200
        await services.close()
