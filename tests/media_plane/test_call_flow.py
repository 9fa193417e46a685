"""End to end through real Kamailio, rtpengine and sipp, driven by the fake call control."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from media_plane.calls import MediaControl, call_of, end_call
from media_plane.kamailio.client import KamailioRpcClient
from media_plane.kamailio.errors import KamailioRpcError
from media_plane.rtpengine.client import RtpengineClient
from media_plane.sip_leg import SipLegClient
from tests.media_plane.conftest import KamailioNode, RtpengineNode
from tests.media_plane.fake_routing import FakeRoutingCallControl, Plan
from tests.media_plane.sipp import SCENARIOS, Sipp

pytestmark = pytest.mark.media


def did() -> str:
    """A DID unique to the test."""
    return "did" + uuid.uuid4().hex[:10]


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
    raise AssertionError("caller sent no INVITE")


async def wait_acked(rpc: KamailioRpcClient, call_id: str, limit: float = 10) -> None:
    """Until the dialog is confirmed by the ACK (state 4), so a BYE cannot overtake it."""
    for _ in range(int(limit * 20)):
        if any(d.state == 4 for d in await rpc.dialogs_by_call_id(call_id)):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"dialog {call_id} never confirmed")


async def test_answered_call_relays_media_and_reports_events(
    kamailio_node: KamailioNode,
    fake_routing: FakeRoutingCallControl,
    ng: RtpengineClient,
    sipp_dir: Path,
) -> None:
    agent = await Sipp("uas.xml", workdir=sipp_dir, pause_ms=300).start()
    number = did()
    fake_routing.plans[number] = Plan(dst=f"sip:agent@127.0.0.1:{agent.port}", delay=0.5)
    caller = await Sipp(
        "uac.xml", workdir=sipp_dir, target=kamailio_node.sip_target, service=number, pause_ms=3000
    ).start()
    call_id = await wait_for_call_id(caller)

    answered = fake_routing.wait_for_event(call_id, "answered", timeout=10)
    assert abs(answered["at"] - time.time() * 1000) < 60_000, answered  # epoch ms
    await asyncio.sleep(1.5)
    info = await ng.query(call_id)
    assert len(info.legs) == 2, info.raw
    assert all(leg.packets > 0 for leg in info.legs), info.legs

    caller_run = await caller.wait()
    agent_run = await agent.wait()
    assert caller_run.ok, caller_run.output + kamailio_node.log()
    assert agent_run.ok, agent_run.output
    ended = fake_routing.wait_for_event(call_id, "ended", timeout=10)
    assert ended["by"] == "caller"
    call = fake_routing.by_sip_call_id[call_id]
    assert call.continued == [200]
    assert [e["type"] for e in call.events] == ["answered", "ended"]
    assert call.body["node"] == "test-node"
    assert call.body["continue_url"] == kamailio_node.config.continue_url
    # dialog:end freed the media session
    await asyncio.sleep(0.3)
    assert call_id not in await ng.list_calls()


async def test_caller_abandons_while_queued(
    kamailio_node: KamailioNode, fake_routing: FakeRoutingCallControl, sipp_dir: Path
) -> None:
    number = did()
    fake_routing.plans[number] = Plan(dst=None)  # no agent: the call waits
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
    event = fake_routing.wait_for_event(call_id, "abandoned")
    assert event["by"] == "caller"
    assert event["reason"] == "queued"
    # a late continue for the gone transaction is answered 404
    call = fake_routing.by_sip_call_id[call_id]
    async with httpx.AsyncClient() as http:
        response = await http.get(
            call.body["continue_url"],
            params={"tindex": call.body["tindex"], "tlabel": call.body["tlabel"], "dst": "sip:x@y"},
        )
    assert response.status_code == 404
    assert [e["type"] for e in call.events] == ["abandoned"]


async def test_agent_not_answering_reports_agent_failed_and_next_agent_gets_the_call(
    kamailio_node: KamailioNode, fake_routing: FakeRoutingCallControl, sipp_dir: Path
) -> None:
    lazy = await Sipp("uas_noanswer.xml", workdir=sipp_dir).start()
    good = await Sipp("uas.xml", workdir=sipp_dir, pause_ms=200).start()
    number = did()
    fake_routing.plans[number] = Plan(
        dst=f"sip:lazy@127.0.0.1:{lazy.port}",
        ring=2,
        next_dst=[f"sip:good@127.0.0.1:{good.port}"],
    )
    caller = await Sipp(
        "uac.xml", workdir=sipp_dir, target=kamailio_node.sip_target, service=number, pause_ms=1000
    ).start()
    call_id = await wait_for_call_id(caller)
    failed = fake_routing.wait_for_event(call_id, "agent_failed", timeout=10)
    assert failed["reason"] == "408"
    assert failed["tindex"] == fake_routing.by_sip_call_id[call_id].body["tindex"]
    fake_routing.wait_for_event(call_id, "answered", timeout=10)
    assert (await caller.wait()).ok
    assert (await lazy.wait()).ok
    assert (await good.wait()).ok
    types = [e["type"] for e in fake_routing.by_sip_call_id[call_id].events]
    assert types[:2] == ["agent_failed", "answered"]


async def test_agent_failed_without_next_agent_answers_480(
    kamailio_node: KamailioNode, fake_routing: FakeRoutingCallControl, sipp_dir: Path
) -> None:
    lazy = await Sipp("uas_noanswer.xml", workdir=sipp_dir).start()
    number = did()
    fake_routing.plans[number] = Plan(dst=f"sip:lazy@127.0.0.1:{lazy.port}", ring=1)
    scenario = render_rejected(sipp_dir, 480)
    caller = Sipp(scenario, workdir=sipp_dir, target=kamailio_node.sip_target, service=number)
    run = await caller.run()
    assert run.ok, run.output
    assert (await lazy.wait()).ok


def render_rejected(workdir: Path, code: int) -> Path:
    """``uac_rejected.xml`` expecting final status ``code``."""
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / f"uac_rejected_{code}.xml"
    path.write_text((SCENARIOS / "uac_rejected.xml").read_text().replace("__CODE__", str(code)))
    return path


async def test_unknown_number_is_404(
    kamailio_node: KamailioNode, fake_routing: FakeRoutingCallControl, sipp_dir: Path
) -> None:
    caller = Sipp(
        render_rejected(sipp_dir, 404),
        workdir=sipp_dir,
        target=kamailio_node.sip_target,
        service="unknown" + uuid.uuid4().hex[:6],
    )
    run = await caller.run()
    assert run.ok, run.output + kamailio_node.log()


async def test_tenant_over_limit_gets_503_with_reason_header(
    kamailio_node: KamailioNode, fake_routing: FakeRoutingCallControl, sipp_dir: Path
) -> None:
    number = did()
    fake_routing.plans[number] = Plan(reject_code=503, reject_reason="concurrent call limit")
    caller = Sipp(
        render_rejected(sipp_dir, 503),
        workdir=sipp_dir,
        target=kamailio_node.sip_target,
        service=number,
    )
    run = await caller.run()
    assert run.ok, run.output
    assert 'Reason: SIP;cause=503;text="concurrent call limit"' in run.messages


async def test_routing_rejecting_on_continue_relays_its_code(
    kamailio_node: KamailioNode, fake_routing: FakeRoutingCallControl, sipp_dir: Path
) -> None:
    number = did()
    fake_routing.plans[number] = Plan(continue_reject=486, delay=0.2)
    caller = Sipp(
        render_rejected(sipp_dir, 486),
        workdir=sipp_dir,
        target=kamailio_node.sip_target,
        service=number,
    )
    run = await caller.run()
    assert run.ok, run.output
    assert "Reason: SIP;cause=486" in run.messages


async def test_supervisor_force_hangup_sends_bye_to_both_sides(
    kamailio_node: KamailioNode,
    fake_routing: FakeRoutingCallControl,
    rpc: KamailioRpcClient,
    ng: RtpengineClient,
    sipp_dir: Path,
) -> None:
    agent = await Sipp("uas.xml", workdir=sipp_dir, pause_ms=100).start()
    number = did()
    fake_routing.plans[number] = Plan(dst=f"sip:agent@127.0.0.1:{agent.port}", tenant="tenant-x")
    caller = await Sipp(
        "uac_wait_bye.xml", workdir=sipp_dir, target=kamailio_node.sip_target, service=number
    ).start()
    call_id = await wait_for_call_id(caller)
    fake_routing.wait_for_event(call_id, "answered")
    await wait_acked(rpc, call_id)
    dialogs = await rpc.dialogs_by_call_id(call_id)
    assert len(dialogs) == 1
    dialog = dialogs[0]
    assert dialog.confirmed
    assert dialog.variables["tenant"] == "tenant-x"
    assert dialog.variables["call"] == fake_routing.by_sip_call_id[call_id].id
    control = MediaControl(
        legs=SipLegClient(kamailio_node.config.sip_host, kamailio_node.config.sip_port)
    )
    assert await end_call(control, call_of(dialog, "test")) == (200, 200)
    caller_run = await caller.wait(20)
    agent_run = await agent.wait(20)
    assert caller_run.ok, caller_run.output
    assert agent_run.ok, agent_run.output
    ended = fake_routing.wait_for_event(call_id, "ended")
    assert ended["by"] == "supervisor"
    await asyncio.sleep(0.3)
    assert call_id not in await ng.list_calls()
    assert (await rpc.active_dialogs()).all == 0 or all(
        d.call_id != call_id for d in await rpc.dialogs() if not d.ended
    )


async def test_recorded_call_leaves_a_pcap_in_the_spool(
    kamailio_node: KamailioNode,
    fake_routing: FakeRoutingCallControl,
    rtpengine_node: RtpengineNode,
    sipp_dir: Path,
) -> None:
    agent = await Sipp("uas.xml", workdir=sipp_dir, pause_ms=100).start()
    number = did()
    fake_routing.plans[number] = Plan(dst=f"sip:agent@127.0.0.1:{agent.port}", record=True)
    caller = await Sipp(
        "uac.xml", workdir=sipp_dir, target=kamailio_node.sip_target, service=number, pause_ms=1500
    ).start()
    call_id = await wait_for_call_id(caller)
    assert (await caller.wait()).ok
    assert (await agent.wait()).ok
    fake_routing.wait_for_event(call_id, "ended")
    # rtpengine percent-escapes the Call-ID in file names ("@" -> "%40")
    escaped = quote(call_id, safe="")
    pcaps = list((rtpengine_node.recording_dir / "pcaps").glob(f"{escaped}-*.pcap"))
    assert len(pcaps) == 1 and pcaps[0].stat().st_size > 1000, pcaps
    metadata = list((rtpengine_node.recording_dir / "metadata").glob(f"*{escaped}-*"))
    assert metadata


async def test_rpc_end_dialog_sends_bye_to_the_caller(
    kamailio_node: KamailioNode,
    fake_routing: FakeRoutingCallControl,
    rpc: KamailioRpcClient,
    sipp_dir: Path,
) -> None:
    """``dlg.end_dlg`` through the typed client. Only the caller's BYE is certain: Kamailio
    5.6 may skip the agent's (see ``media_plane.calls.end_call``)."""
    agent = await Sipp("uas.xml", workdir=sipp_dir, pause_ms=100).start()
    number = did()
    fake_routing.plans[number] = Plan(dst=f"sip:agent@127.0.0.1:{agent.port}")
    caller = await Sipp(
        "uac_wait_bye.xml", workdir=sipp_dir, target=kamailio_node.sip_target, service=number
    ).start()
    call_id = await wait_for_call_id(caller)
    fake_routing.wait_for_event(call_id, "answered")
    await wait_acked(rpc, call_id)
    dialog = (await rpc.dialogs_by_call_id(call_id))[0]
    await rpc.end_dialog(h_entry=dialog.h_entry, h_id=dialog.h_id)
    caller_run = await caller.wait(20)
    assert caller_run.ok, caller_run.output
    agent.kill()
    with pytest.raises(KamailioRpcError) as gone:
        await rpc.end_dialog(h_entry=dialog.h_entry, h_id=dialog.h_id)
    assert gone.value.code == 404


async def test_hangup_marker_from_untrusted_source_is_ignored(
    kamailio_node: KamailioNode,
    fake_routing: FakeRoutingCallControl,
    rpc: KamailioRpcClient,
    sipp_dir: Path,
) -> None:
    agent = await Sipp("uas.xml", workdir=sipp_dir, pause_ms=100).start()
    number = did()
    fake_routing.plans[number] = Plan(dst=f"sip:agent@127.0.0.1:{agent.port}")
    caller = await Sipp(
        "uac_wait_bye.xml", workdir=sipp_dir, target=kamailio_node.sip_target, service=number
    ).start()
    call_id = await wait_for_call_id(caller)
    fake_routing.wait_for_event(call_id, "answered")
    await wait_acked(rpc, call_id)
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
    assert fake_routing.wait_for_event(call_id, "ended")["by"] == "caller"
