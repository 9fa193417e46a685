"""A real Kamailio killed with ``kill -9`` during calls and started again (issue 16, item 2).

One sipp caller is answered by a sipp agent, a second waits in the queue; Kamailio's whole
process group is killed with SIGKILL (a crash or a host losing power: killing only its main
PID leaves the worker processes holding the SIP sockets and still heartbeating, so the
node would not be down at all) and started again on the same config. Routing notices the
new boot id at its first heartbeat and ends both calls: the answered one with reason
``node_lost``, the waiting one abandoned; the agent goes to ACW. Then the agent registers
again (registrations live in Kamailio's memory) and a new call is answered.
"""

from __future__ import annotations

import os
import signal
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from redis.asyncio import Redis

from media_plane.kamailio.config import KamailioConfig
from media_plane.processes import start_kamailio
from routing.nodes.reconcile import live_dialogs
from routing.nodes.registry import NodeRecord
from tenants import redis_keys as keys
from tenants.embedded.process import ChildProcess, free_port
from tests.conftest import ServiceUrls
from tests.media_plane.conftest import (
    CALL_CONTROL_SECRET,
    SIP_AUTH_SECRET,
    SIP_DOMAIN,
    RtpengineNode,
)
from tests.media_plane.live_routing import (
    LiveCenter,
    RoutingProcess,
    register_agent,
    start_routing_process,
)
from tests.media_plane.sipp import Sipp, free_sip_port
from tests.routing.invariants import (
    check_agent_transitions,
    check_exactly_once,
    check_no_double_reservation,
)
from tests.serving import until

pytestmark = pytest.mark.media


def node_config(routing: RoutingProcess, rtpengine: RtpengineNode, runtime: Path) -> KamailioConfig:
    return KamailioConfig(
        sip_host="127.0.0.1",
        sip_port=free_sip_port(),
        ws_host="127.0.0.1",
        ws_port=free_port(),
        rpc_host="127.0.0.1",
        rpc_port=free_port(),
        routing_url=routing.url,
        call_control_secret=CALL_CONTROL_SECRET,
        sip_auth_secret=SIP_AUTH_SECRET,
        rtpengine_nodes=[f"udp:{rtpengine.host}:{rtpengine.port}"],
        sip_domain=SIP_DOMAIN,
        node=f"fault-{uuid.uuid4().hex[:8]}",
        dispatcher_file=str(runtime / "dispatcher.list"),
        children=2,
        tcp_children=2,
        queue_timeout_seconds=60,
        ring_timeout_seconds=10,
    )


async def registered_agent(
    center: LiveCenter, config: KamailioConfig, agent: Sipp, sip_user: str
) -> None:
    await register_agent(
        kamailio=(config.sip_host, config.sip_port),
        sip_user=sip_user,
        slug=center.slug,
        base_domain=SIP_DOMAIN,
        secret=SIP_AUTH_SECRET,
        contact_port=agent.port,
    )


def kill_group(process: ChildProcess) -> None:
    """``kill -9`` of every Kamailio process (it is the leader of its own session)."""
    assert process.pid is not None
    os.killpg(process.pid, signal.SIGKILL)


async def test_kamailio_killed_and_restarted_during_calls(
    routing_process: RoutingProcess,
    rtpengine_node: RtpengineNode,
    center: LiveCenter,
    sipp_dir: Path,
    tmp_path: Path,
) -> None:
    runtime = tmp_path / "kamailio"
    runtime.mkdir()
    (runtime / "dispatcher.list").write_text("# none\n")
    config = node_config(routing_process, rtpengine_node, runtime)
    target = f"127.0.0.1:{config.sip_port}"
    kamailio = start_kamailio(config, runtime)
    sipps: list[Sipp] = []
    try:
        queue_id = await center.queue(wrapup_s=2)
        number = await center.number(queue_id)
        agent_id, sip_user = await center.agent([queue_id], available=False)
        agent = await Sipp("uas.xml", workdir=sipp_dir, pause_ms=100, calls=5).start()
        sipps.append(agent)
        await registered_agent(center, config, agent, sip_user)
        await center.set_state(agent_id, "available")

        talking = await Sipp(
            "uac_wait_bye.xml", workdir=sipp_dir, target=target, service=number
        ).start()
        sipps.append(talking)

        async def answered() -> list[str]:
            return [e["call_id"] for e in await center.events() if e["type"] == "call.answered"]

        [talking_id] = await until(answered, limit_s=15, what="the first call answered")
        waiting = await Sipp(
            "uac_wait_bye.xml", workdir=sipp_dir, target=target, service=number
        ).start()
        sipps.append(waiting)

        async def enqueued() -> list[str]:
            ids = [e["call_id"] for e in await center.events() if e["type"] == "call.enqueued"]
            return ids if len(ids) == 2 else []

        calls = await until(enqueued, limit_s=15, what="the second call queued")
        await until(routing_heard_of(routing_process, config.node), limit_s=10, what="a beat")
        # What the sweep reads: both calls are among the node's live dialogs.
        record = NodeRecord(config.node, "", 0, True, "", rpc_url=config.rpc_url)
        async with httpx.AsyncClient() as http:
            assert set(calls) <= set(await live_dialogs(record, http) or [])

        kill_group(kamailio)
        killed = time.monotonic()
        kamailio = start_kamailio(config, runtime)
        restarted = time.monotonic() - killed

        async def both_ended() -> bool:
            kinds = {e["type"] for e in await center.events()}
            return {"call.ended", "call.abandoned"} <= kinds

        await until(both_ended, limit_s=15, what="the dead node's calls ended")
        took = time.monotonic() - killed
        print(f"\nkamailio kill -9: back in {restarted:.2f} s, its calls ended in {took:.2f} s")
        assert took < 15
        events = await center.events()
        ended = next(e for e in events if e["type"] == "call.ended")
        assert ended["call_id"] == talking_id
        assert (ended["by"], ended["reason"]) == ("system", "node_lost")
        abandoned = next(e for e in events if e["type"] == "call.abandoned")
        assert abandoned["reason"] == "node_lost"
        assert await center.agent_state(agent_id) in {"acw", "available"}
        await center.wait_agent_state(agent_id, "available", limit=10)

        # The restarted node takes new calls once the agent registers again.
        await registered_agent(center, config, agent, sip_user)
        fresh = await Sipp(
            "uac.xml", workdir=sipp_dir, target=target, service=number, pause_ms=500
        ).start()
        sipps.append(fresh)
        run = await fresh.wait(limit=30)
        assert run.ok, fresh.errors()

        async def three_ended() -> list[dict[str, str]]:
            events = await center.events()
            done = [e for e in events if e["type"] in {"call.ended", "call.abandoned"}]
            return events if len(done) == 3 else []

        events = await until(three_ended, limit_s=10, what="the new call ended in routing")
        all_calls = {e["call_id"] for e in events if e["type"] == "call.enqueued"}
        assert len(all_calls) == 3 and set(calls) < all_calls
        outcomes = check_exactly_once(events, all_calls)
        assert sorted(outcomes.values()) == ["abandoned", "answered", "answered"]
        check_agent_transitions(events)
        check_no_double_reservation(events)
    finally:
        for sipp in sipps:
            sipp.kill()
        if kamailio.running():
            kill_group(kamailio)


def routing_heard_of(routing: RoutingProcess, node: str):  # type: ignore[no-untyped-def]
    """Whether the node's lease exists (its heartbeats reach routing)."""

    async def check() -> bool:
        redis = Redis.from_url(routing.redis_url, decode_responses=True)
        try:
            return bool(await redis.exists(keys.node_lease(node)))
        finally:
            await redis.aclose()

    return check


async def test_a_call_past_the_maximum_duration_is_hung_up_on_the_node(
    service_urls: ServiceUrls,
    rtpengine_node: RtpengineNode,
    sipp_dir: Path,
    tmp_path: Path,
) -> None:
    # A routing process of its own, on a logical database of its own: its 3 s maximum
    # duration must not end the calls of other tests.
    redis_url = urlunsplit(urlsplit(service_urls.redis_url)._replace(path="/2"))
    routing = start_routing_process(
        redis_url=redis_url,
        secret=CALL_CONTROL_SECRET,
        sip_domain=SIP_DOMAIN,
        workdir=tmp_path,
        env={"HOTLINE_ROUTING_MAX_CALL_DURATION_S": "3"},
    )
    runtime = tmp_path / "kamailio"
    runtime.mkdir()
    (runtime / "dispatcher.list").write_text("# none\n")
    config = node_config(routing, rtpengine_node, runtime)
    kamailio = start_kamailio(config, runtime)
    redis = Redis.from_url(redis_url, decode_responses=True)
    center = LiveCenter(redis)
    sipps: list[Sipp] = []
    try:
        queue_id = await center.queue(wrapup_s=0)
        number = await center.number(queue_id)
        agent_id, sip_user = await center.agent([queue_id], available=False)
        agent = await Sipp("uas.xml", workdir=sipp_dir, pause_ms=100).start()
        sipps.append(agent)
        await registered_agent(center, config, agent, sip_user)
        await center.set_state(agent_id, "available")
        await until(routing_heard_of(routing, config.node), limit_s=10, what="a heartbeat")
        caller = Sipp(
            "uac_wait_bye.xml",
            workdir=sipp_dir,
            target=f"127.0.0.1:{config.sip_port}",
            service=number,
        )
        sipps.append(caller)

        run = await caller.run(limit=30)  # it ends only when a BYE comes

        assert run.ok, caller.errors()
        events = await center.events()
        ended = next(e for e in events if e["type"] == "call.ended")
        assert (ended["by"], ended["reason"]) == ("system", "max_duration")
        answered = next(e for e in events if e["type"] == "call.answered")
        assert 3000 <= int(ended["at"]) - int(answered["at"]) < 5000
        await center.wait_agent_state(agent_id, "available", limit=5)
        # The BYE's own ``ended`` event comes back (answered ``duplicate``) and changes nothing.
        await until(
            lambda: routing_logged(routing, "after reconciliation ended the call"),
            limit_s=10,
            what="the node's late ended event",
        )
        assert [e["type"] for e in await center.events()].count("call.ended") == 1
    finally:
        for sipp in sipps:
            sipp.kill()
        if kamailio.running():
            kill_group(kamailio)
        routing.process.stop()
        await redis.aclose()


async def routing_logged(routing: RoutingProcess, text: str) -> bool:
    """Whether the routing process logged ``text``."""
    return text in routing.log()
