"""End to end through real Kamailio, rtpengine, sipp and the REAL routing process.

sipp callers dial DIDs that ``LiveCenter`` published for a tenant; routing (uvicorn
``routing.asgi`` on the suite's Valkey) queues them and continues them to agents, which are
sipp UASes REGISTERed as ``<sip_user>@<slug>.<base domain>``. Assertions read routing's own
event stream and agent states.
"""

from __future__ import annotations

import asyncio
import uuid
import wave
from array import array
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from api.clients import ApiServices
from media_plane.calls import MediaControl, call_of, end_call
from media_plane.kamailio.client import KamailioRpcClient
from media_plane.kamailio.errors import KamailioRpcError
from media_plane.recordings.agent import RecordingsAgent
from media_plane.recordings.local_store import LocalRecordingStore
from media_plane.rtpengine.client import RtpengineClient
from media_plane.sip.leg import SipLegClient
from tenants.graphql.relay import from_global_id
from tenants.settings import RecordingsSettings, Settings
from tests.conftest import TenantAccount
from tests.media_plane.conftest import SIP_AUTH_SECRET, SIP_DOMAIN, KamailioNode, RtpengineNode
from tests.media_plane.live_routing import LiveCenter, register_agent
from tests.media_plane.media_waits import media_flowing, media_released
from tests.media_plane.sipp import SCENARIOS, Sipp

pytestmark = pytest.mark.media


def call_id_of(run_messages: str) -> str:
    """The Call-ID of the first message in a sipp -trace_msg log."""
    for line in run_messages.splitlines():
        if line.lower().startswith("call-id:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError("no Call-ID in sipp log")


async def wait_for_call_id(caller: Sipp, limit: float = 10) -> str:
    """The caller's Call-ID, once its INVITE is in the message log."""
    path = caller.workdir / f"{caller.name}.msg"
    for _ in range(int(limit * 20)):
        if path.exists():
            try:
                return call_id_of(path.read_text(errors="replace"))
            except AssertionError:
                pass
        await asyncio.sleep(0.05)
    raise AssertionError(f"caller sent no INVITE: {caller.errors()}")


async def wait_acked(rpc: KamailioRpcClient, call_id: str, limit: float = 10) -> None:
    """Until the dialog is confirmed by the ACK (state 4), so a BYE cannot overtake it."""
    for _ in range(int(limit * 20)):
        if any(d.state == 4 for d in await rpc.dialogs_by_call_id(call_id)):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"dialog {call_id} never confirmed")


def render_rejected(workdir: Path, code: int) -> Path:
    """``uac_rejected.xml`` expecting final status ``code``."""
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / f"uac_rejected_{code}.xml"
    path.write_text((SCENARIOS / "uac_rejected.xml").read_text().replace("__CODE__", str(code)))
    return path


async def sipp_agent(
    center: LiveCenter,
    node: KamailioNode,
    sipp_dir: Path,
    queues: list[str],
    *,
    scenario: str = "uas.xml",
    pause_ms: int = 200,
) -> tuple[Sipp, str, str]:
    """A sipp UAS registered as a new agent of ``queues``, then made available.

    Returns ``(sipp, agent id, AOR)``; the sipp process is started."""
    agent = Sipp(scenario, workdir=sipp_dir, pause_ms=pause_ms)
    agent_id, sip_user = await center.agent(queues, available=False)
    aor = await register_agent(
        kamailio=(node.config.sip_host, node.config.sip_port),
        sip_user=sip_user,
        slug=center.slug,
        base_domain=SIP_DOMAIN,
        secret=SIP_AUTH_SECRET,
        contact_port=agent.port,
    )
    await agent.start()
    await center.set_state(agent_id, "available")
    return agent, agent_id, aor


async def connected_call(
    center: LiveCenter,
    node: KamailioNode,
    rpc: KamailioRpcClient,
    sipp_dir: Path,
    **queue: object,
) -> tuple[Sipp, Sipp, str, str]:
    """A caller (``uac_wait_bye``) answered by a registered agent, ACKed."""
    queue_id = await center.queue(**queue)
    number = await center.number(queue_id)
    agent, agent_id, _ = await sipp_agent(center, node, sipp_dir, [queue_id], pause_ms=100)
    caller = await Sipp(
        "uac_wait_bye.xml", workdir=sipp_dir, target=node.sip_target, service=number
    ).start()
    call_id = await wait_for_call_id(caller)
    await center.wait_event(call_id, "call.answered")
    await wait_acked(rpc, call_id)
    return caller, agent, call_id, agent_id


async def test_answered_call_relays_media_and_routing_records_it(
    kamailio_node: KamailioNode,
    center: LiveCenter,
    ng: RtpengineClient,
    rpc: KamailioRpcClient,
    sipp_dir: Path,
) -> None:
    queue_id = await center.queue(wrapup_s=1)
    number = await center.number(queue_id)
    agent, agent_id, aor = await sipp_agent(center, kamailio_node, sipp_dir, [queue_id])
    caller = await Sipp(
        "uac.xml", workdir=sipp_dir, target=kamailio_node.sip_target, service=number, pause_ms=3000
    ).start()
    call_id = await wait_for_call_id(caller)

    answered = await center.wait_event(call_id, "call.answered", limit=10)
    assert answered["agent_id"] == agent_id and answered["queue_id"] == queue_id
    # routing continued the call to the AOR the agent registered
    dialog = (await rpc.dialogs_by_call_id(call_id))[0]
    assert dialog.variables["agent"] == aor and dialog.variables["tenant"] == center.tenant_id
    info = await media_flowing(ng, call_id)
    assert len(info.legs) == 2, info.raw
    assert all(leg.packets > 0 for leg in info.legs), info.legs
    assert await center.agent_state(agent_id) == "on_contact"

    caller_run = await caller.wait()
    agent_run = await agent.wait()
    assert caller_run.ok, caller_run.output + kamailio_node.log()
    assert agent_run.ok, agent_run.output
    ended = await center.wait_event(call_id, "call.ended", limit=10)
    assert ended["by"] == "caller" and ended["agent_id"] == agent_id
    assert int(ended["at"]) >= int(answered["at"])
    types = [e["type"] for e in await center.call_events(call_id)]
    assert types == [
        "call.enqueued",
        "agent.state_changed",  # reserved
        "call.reserved",
        "agent.state_changed",  # on_contact
        "call.dequeued",
        "call.answered",
        "call.ended",
        "agent.state_changed",  # acw
    ], types
    await center.wait_agent_state(agent_id, "available", limit=5)
    assert (await center.agent_states(agent_id))[-4:] == [
        "reserved",
        "on_contact",
        "acw",
        "available",
    ]
    call = await center.engine.call(tenant_id=center.tenant_id, call_id=call_id)
    assert call["node"] == "test-node"
    assert call["continue_url"] == kamailio_node.config.continue_url
    # dialog:end freed the media session
    await media_released(ng, call_id)


def sdp_media_ports(messages: str) -> list[int]:
    """The ``m=audio`` port of every SDP in a sipp message log, in order."""
    return [int(line.split()[1]) for line in messages.splitlines() if line.startswith("m=audio")]


async def test_hold_and_resume_are_anchored_in_rtpengine_and_timed_by_routing(
    kamailio_node: KamailioNode,
    center: LiveCenter,
    ng: RtpengineClient,
    sipp_dir: Path,
) -> None:
    queue_id = await center.queue(wrapup_s=1)
    number = await center.number(queue_id)
    agent, agent_id, _ = await sipp_agent(
        center, kamailio_node, sipp_dir, [queue_id], scenario="uas_hold.xml", pause_ms=100
    )
    caller = await Sipp(
        "uac_hold.xml", workdir=sipp_dir, target=kamailio_node.sip_target, service=number
    ).start()
    call_id = await wait_for_call_id(caller)
    held = await center.wait_event(call_id, "call.held", limit=10)
    assert (held["by"], held["agent_id"]) == ("caller", agent_id)
    caller_run, agent_run = await caller.wait(), await agent.wait()
    assert caller_run.ok, caller_run.output + kamailio_node.log()
    assert agent_run.ok, agent_run.output

    resumed = await center.wait_event(call_id, "call.resumed", limit=10)
    ended = await center.wait_event(call_id, "call.ended", limit=10)
    # The caller held for 1.5 s (sipp's pause), talked 0.8 s before and 0.5 s after.
    assert 1200 <= int(resumed["hold_ms"]) <= 3000, resumed
    assert ended["hold_ms"] == resumed["hold_ms"]
    assert 1000 <= int(ended["talk_ms"]) <= 3000, ended
    # Every answer the caller got, the first and both re-INVITEs', names rtpengine's port,
    # never the agent's own media port: the re-offers were anchored too.
    caller_ports = sdp_media_ports(caller_run.messages)
    answers = caller_ports[1::2]  # the caller's offers alternate with the answers it got
    assert len(answers) == 3 and len(set(answers)) == 1, caller_ports
    assert agent.media_port not in caller_ports
    # ... and every offer the agent got came from rtpengine, not from the caller's port.
    agent_ports = sdp_media_ports(agent_run.messages)
    assert caller.media_port not in agent_ports, agent_ports


async def test_caller_abandons_while_queued_and_no_agent_is_touched(
    kamailio_node: KamailioNode, center: LiveCenter, sipp_dir: Path
) -> None:
    queue_id = await center.queue()
    bystander, _ = await center.agent([queue_id], available=False)
    number = await center.number(queue_id)
    caller = await Sipp(
        "uac_cancel.xml",
        workdir=sipp_dir,
        target=kamailio_node.sip_target,
        service=number,
        pause_ms=800,
    ).start()
    call_id = await wait_for_call_id(caller)
    run = await caller.wait()
    assert run.ok, run.output + kamailio_node.log()
    await center.wait_event(call_id, "call.abandoned")
    types = [e["type"] for e in await center.call_events(call_id)]
    assert types == ["call.enqueued", "call.dequeued", "call.abandoned", "missed_call.created"]
    assert await center.agent_states(bystander) == []
    call = await center.engine.call(tenant_id=center.tenant_id, call_id=call_id)
    assert call["state"] == "abandoned" and call["abandon_reason"] == "queued"
    # a late continue for the gone transaction is answered 404
    async with httpx.AsyncClient() as http:
        response = await http.get(
            call["continue_url"],
            params={"tindex": call["tindex"], "tlabel": call["tlabel"], "dst": "sip:x@y"},
        )
    assert response.status_code == 404


async def test_agent_not_answering_is_agent_failed_and_the_next_agent_gets_the_call(
    kamailio_node: KamailioNode, center: LiveCenter, sipp_dir: Path
) -> None:
    queue_id = await center.queue(ring_timeout_s=4)  # Kamailio rings each agent 2 s
    number = await center.number(queue_id)
    lazy, lazy_id, _ = await sipp_agent(
        center, kamailio_node, sipp_dir, [queue_id], scenario="uas_noanswer.xml"
    )
    await asyncio.sleep(0.05)  # the lazy agent has been idle longest: it rings first
    good, good_id, _ = await sipp_agent(center, kamailio_node, sipp_dir, [queue_id])
    caller = await Sipp(
        "uac.xml", workdir=sipp_dir, target=kamailio_node.sip_target, service=number, pause_ms=1000
    ).start()
    call_id = await wait_for_call_id(caller)
    failed = await center.wait_event(call_id, "call.agent_failed", limit=10)
    assert failed["agent_id"] == lazy_id and failed["reason"] == "408", (
        await center.call_events(call_id),
        await center.engine.call(tenant_id=center.tenant_id, call_id=call_id),
    )
    answered = await center.wait_event(call_id, "call.answered", limit=10)
    assert answered["agent_id"] == good_id
    assert (await caller.wait()).ok
    assert (await lazy.wait()).ok
    assert (await good.wait()).ok
    await center.wait_event(call_id, "call.ended")
    assert await center.agent_state(lazy_id) == "not_ready:missed"
    reserved = [
        e["agent_id"] for e in await center.call_events(call_id) if e["type"] == "call.reserved"
    ]
    assert reserved == [lazy_id, good_id]


async def test_agent_failed_with_nobody_free_answers_480_and_ends_the_call(
    kamailio_node: KamailioNode, center: LiveCenter, sipp_dir: Path
) -> None:
    queue_id = await center.queue(ring_timeout_s=3)
    number = await center.number(queue_id)
    lazy, lazy_id, _ = await sipp_agent(
        center, kamailio_node, sipp_dir, [queue_id], scenario="uas_noanswer.xml"
    )
    caller = Sipp(
        render_rejected(sipp_dir, 480),
        workdir=sipp_dir,
        target=kamailio_node.sip_target,
        service=number,
    )
    run = await caller.run()
    assert run.ok, run.output
    assert (await lazy.wait()).ok
    call_id = call_id_of(run.messages)
    await center.wait_event(call_id, "call.abandoned")
    call = await center.engine.call(tenant_id=center.tenant_id, call_id=call_id)
    assert call["state"] == "abandoned" and call["abandon_reason"] == "no_agent"
    ends = [
        e["type"]
        for e in await center.call_events(call_id)
        if e["type"] in {"call.ended", "call.abandoned", "call.rejected"}
    ]
    assert ends == ["call.abandoned"]  # ends exactly once
    assert await center.agent_state(lazy_id) == "not_ready:missed"


async def test_unknown_number_is_404(kamailio_node: KamailioNode, sipp_dir: Path) -> None:
    caller = Sipp(
        render_rejected(sipp_dir, 404),
        workdir=sipp_dir,
        target=kamailio_node.sip_target,
        service="+9990" + str(uuid.uuid4().int)[:8],
    )
    run = await caller.run()
    assert run.ok, run.output + kamailio_node.log()


async def test_tenant_over_limit_gets_503_with_reason_header(
    kamailio_node: KamailioNode, center: LiveCenter, sipp_dir: Path
) -> None:
    queue_id = await center.queue()
    await center.publish_tenant(max_concurrent_calls=1)
    number = await center.number(queue_id)
    waiting = await Sipp(
        "uac_cancel.xml",
        workdir=sipp_dir,
        target=kamailio_node.sip_target,
        service=number,
        pause_ms=3000,
    ).start()
    first = await wait_for_call_id(waiting)
    await center.wait_event(first, "call.enqueued")
    caller = Sipp(
        render_rejected(sipp_dir, 503),
        workdir=sipp_dir,
        target=kamailio_node.sip_target,
        service=number,
    )
    run = await caller.run()
    assert run.ok, run.output
    assert 'Reason: SIP;cause=503;text="tenant concurrent call limit reached"' in run.messages
    assert (await waiting.wait()).ok


async def test_max_wait_reject_is_relayed_through_continue(
    kamailio_node: KamailioNode, center: LiveCenter, sipp_dir: Path
) -> None:
    queue_id = await center.queue(max_wait_s=1, max_wait_action="reject")
    number = await center.number(queue_id)
    caller = Sipp(
        render_rejected(sipp_dir, 480),
        workdir=sipp_dir,
        target=kamailio_node.sip_target,
        service=number,
    )
    run = await caller.run()
    assert run.ok, run.output
    assert "Reason: SIP;cause=480" in run.messages
    rejected = await center.wait_event(call_id_of(run.messages), "call.rejected")
    assert rejected["reason"] == "max wait reached"


async def test_supervisor_force_hangup_sends_bye_to_both_sides(
    kamailio_node: KamailioNode,
    center: LiveCenter,
    rpc: KamailioRpcClient,
    ng: RtpengineClient,
    sipp_dir: Path,
) -> None:
    caller, agent, call_id, agent_id = await connected_call(center, kamailio_node, rpc, sipp_dir)
    dialogs = await rpc.dialogs_by_call_id(call_id)
    assert len(dialogs) == 1
    dialog = dialogs[0]
    assert dialog.confirmed
    assert dialog.variables["tenant"] == center.tenant_id
    assert dialog.variables["call"] == call_id  # routing's call id is the SIP Call-ID
    control = MediaControl(
        legs=SipLegClient(kamailio_node.config.sip_host, kamailio_node.config.sip_port)
    )
    assert await end_call(control, call_of(dialog, "test")) == (200, 200)
    caller_run = await caller.wait(20)
    agent_run = await agent.wait(20)
    assert caller_run.ok, caller_run.output
    assert agent_run.ok, agent_run.output
    ended = await center.wait_event(call_id, "call.ended")
    assert ended["by"] == "supervisor"
    await center.wait_agent_state(agent_id, "available")
    await media_released(ng, call_id)


async def test_recorded_queue_yields_a_stereo_recording_with_its_row(
    kamailio_node: KamailioNode,
    center: LiveCenter,
    rpc: KamailioRpcClient,
    rtpengine_node: RtpengineNode,
    sipp_dir: Path,
    tmp_path: Path,
    settings: Settings,
    services: ApiServices,
    tenant_a: TenantAccount,
) -> None:
    """A queue with ``record`` on: routing continues with ``record=1``, rtpengine writes the
    pcap, and the recordings agent (tenant from routing's call index) stores stereo audio
    in the local store with its row."""
    tenant = uuid.UUID(str(from_global_id(tenant_a.tenant_id)[1]))
    routing = LiveCenter(center.redis, tenant_id=tenant, slug=tenant_a.slug)
    queue_id = await routing.queue(record=1)
    number = await routing.number(queue_id)
    agent, _, _ = await sipp_agent(routing, kamailio_node, sipp_dir, [queue_id])
    caller = await Sipp(
        "uac.xml", workdir=sipp_dir, target=kamailio_node.sip_target, service=number, pause_ms=1500
    ).start()
    call_id = await wait_for_call_id(caller)
    await routing.wait_event(call_id, "call.answered")
    dialog = (await rpc.dialogs_by_call_id(call_id))[0]
    assert dialog.variables.get("recorded") == "1"
    assert (await caller.wait()).ok
    assert (await agent.wait()).ok
    await routing.wait_event(call_id, "call.ended")
    # rtpengine percent-escapes the Call-ID in file names ("@" -> "%40")
    escaped = quote(call_id, safe="")
    spool = rtpengine_node.recording_dir
    assert len(list((spool / "pcaps").glob(f"{escaped}-*.pcap"))) == 1

    store = LocalRecordingStore(tmp_path / "store", signing_key=b"k" * 32)
    recorder = RecordingsAgent(
        settings=settings.model_copy(update={"recordings": RecordingsSettings(spool_dir=spool)}),
        database=services.database,
        redis=center.redis,  # routing's Redis: its call index names the tenant
        store=store,
    )
    rows = []
    for _ in range(40):  # rtpengine finishes the metadata file a moment after the BYE
        rows += [r for r in await recorder.scan_once() if r.call_id == call_id]
        if rows:
            break
        await asyncio.sleep(0.25)
    [row] = rows
    assert row.tenant_id == tenant and row.channels == 2 and row.format == "wav"
    with wave.open(str(store.path_of(row.key))) as wav:
        assert wav.getnchannels() == 2
        frames = array("h", wav.readframes(wav.getnframes()))
    left, right = frames[0::2], frames[1::2]
    assert max(map(abs, left)) > 1000 and max(map(abs, right)) > 1000  # both parties heard


async def test_rpc_end_dialog_sends_bye_to_the_caller(
    kamailio_node: KamailioNode, center: LiveCenter, rpc: KamailioRpcClient, sipp_dir: Path
) -> None:
    """``dlg.end_dlg`` through the typed client. Only the caller's BYE is certain: Kamailio
    5.6 may skip the agent's (see ``media_plane.calls.end_call``)."""
    caller, agent, call_id, _ = await connected_call(center, kamailio_node, rpc, sipp_dir)
    dialog = (await rpc.dialogs_by_call_id(call_id))[0]
    await rpc.end_dialog(h_entry=dialog.h_entry, h_id=dialog.h_id)
    caller_run = await caller.wait(20)
    assert caller_run.ok, caller_run.output
    agent.kill()
    with pytest.raises(KamailioRpcError) as gone:
        await rpc.end_dialog(h_entry=dialog.h_entry, h_id=dialog.h_id)
    assert gone.value.code == 404
    # No assertion on routing's `ended` here: 5.6's dlg.end_dlg may skip dialog:end, which is
    # why supervisor hang-ups send BYEs instead (media_plane.calls.end_call).


async def test_hangup_marker_from_untrusted_source_is_ignored(
    kamailio_node: KamailioNode, center: LiveCenter, rpc: KamailioRpcClient, sipp_dir: Path
) -> None:
    caller, agent, call_id, _ = await connected_call(center, kamailio_node, rpc, sipp_dir)
    dialog = (await rpc.dialogs_by_call_id(call_id))[0]
    # 127.0.0.2 is not in rpc_allowed_sources: the BYEs still work, the marker does not
    untrusted = MediaControl(
        legs=SipLegClient(
            kamailio_node.config.sip_host, kamailio_node.config.sip_port, local_host="127.0.0.2"
        )
    )
    await end_call(untrusted, call_of(dialog, "test"))
    assert (await caller.wait(20)).ok
    assert (await agent.wait(20)).ok
    assert (await center.wait_event(call_id, "call.ended"))["by"] == "caller"
