"""Kamailio's edge: agent registration with ephemeral credentials, tenant domains, sanity."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path

import pytest

from media_plane.kamailio.client import KamailioRpcClient
from media_plane.rtpengine.client import RtpengineClient
from media_plane.sip.credentials import issue_credentials, tenant_sip_domain
from media_plane.sip.udp_client import register, send_raw, status_of
from tests.media_plane.conftest import SIP_AUTH_SECRET, SIP_DOMAIN, KamailioNode
from tests.media_plane.live_routing import LiveCenter
from tests.media_plane.media_waits import media_flowing
from tests.media_plane.sipp import Sipp
from tests.media_plane.test_call_flow import wait_for_call_id

pytestmark = pytest.mark.media


def target(node: KamailioNode) -> tuple[str, int]:
    return node.config.sip_host, node.config.sip_port


def creds(agent: str, slug: str, *, ttl: int = 600, secret: str = SIP_AUTH_SECRET):
    return issue_credentials(
        secret=secret,
        agent=agent,
        domain=tenant_sip_domain(slug=slug, base_domain=SIP_DOMAIN),
        ttl_seconds=ttl,
    )


async def test_register_needs_valid_ephemeral_credentials(kamailio_node: KamailioNode) -> None:
    agent = "a" + uuid.uuid4().hex[:8]
    domain = tenant_sip_domain(slug="acme", base_domain=SIP_DOMAIN)
    good = creds(agent, "acme")
    contact = f"sip:{agent}@127.0.0.1:5999"

    status, _ = await asyncio.to_thread(
        register, target(kamailio_node), aor_user=agent, domain=domain, contact=contact
    )
    assert status == 401  # no credentials: challenged

    status, _ = await asyncio.to_thread(
        register,
        target(kamailio_node),
        aor_user=agent,
        domain=domain,
        contact=contact,
        username=good.username,
        password="wrong",
    )
    assert status == 401

    expired = creds(agent, "acme", ttl=-10)
    status, _ = await asyncio.to_thread(
        register,
        target(kamailio_node),
        aor_user=agent,
        domain=domain,
        contact=contact,
        username=expired.username,
        password=expired.password,
    )
    assert status == 401

    status, reply = await asyncio.to_thread(
        register,
        target(kamailio_node),
        aor_user=agent,
        domain=domain,
        contact=contact,
        username=good.username,
        password=good.password,
    )
    assert status == 200, reply


async def test_credentials_are_bound_to_one_agent_of_one_tenant(
    kamailio_node: KamailioNode,
) -> None:
    alice = creds("alice", "tenant-a")
    # Alice's valid credentials used for Bob's AOR in her tenant: forbidden.
    status, _ = await asyncio.to_thread(
        register,
        target(kamailio_node),
        aor_user="bob",
        domain=tenant_sip_domain(slug="tenant-a", base_domain=SIP_DOMAIN),
        contact="sip:bob@127.0.0.1:5999",
        username=alice.username,
        password=alice.password,
    )
    assert status == 403
    # ... and for "alice" in tenant B's domain: forbidden too.
    status, _ = await asyncio.to_thread(
        register,
        target(kamailio_node),
        aor_user="alice",
        domain=tenant_sip_domain(slug="tenant-b", base_domain=SIP_DOMAIN),
        contact="sip:alice@127.0.0.1:5999",
        username=alice.username,
        password=alice.password,
    )
    assert status in (401, 403)  # realm differs, so the digest itself fails


async def test_register_outside_tenant_domains_is_refused(kamailio_node: KamailioNode) -> None:
    status, _ = await asyncio.to_thread(
        register,
        target(kamailio_node),
        aor_user="x",
        domain="evil.example.com",
        contact="sip:x@127.0.0.1:5999",
    )
    assert status == 403


async def test_call_reaches_agent_registered_in_tenant_domain(
    kamailio_node: KamailioNode,
    center: LiveCenter,
    ng: RtpengineClient,
    rpc: KamailioRpcClient,
    sipp_dir: Path,
) -> None:
    """Routing's destination is exactly the AOR the agent registered."""
    queue_id = await center.queue()
    number = await center.number(queue_id)
    agent_id, sip_user = await center.agent([queue_id], available=False)
    domain = tenant_sip_domain(slug=center.slug, base_domain=SIP_DOMAIN)
    agent = Sipp("uas.xml", workdir=sipp_dir, pause_ms=200)
    c = creds(sip_user, center.slug)
    status, reply = await asyncio.to_thread(
        register,
        target(kamailio_node),
        aor_user=sip_user,
        domain=domain,
        contact=f"sip:{sip_user}@127.0.0.1:{agent.port}",
        username=c.username,
        password=c.password,
    )
    assert status == 200, reply
    await agent.start()
    await center.set_state(agent_id, "available")
    caller = await Sipp(
        "uac.xml",
        workdir=sipp_dir,
        target=kamailio_node.sip_target,
        service=number,
        pause_ms=2500,
    ).start()
    call_id = await wait_for_call_id(caller)
    await center.wait_event(call_id, "call.answered")
    dialog = (await rpc.dialogs_by_call_id(call_id))[0]
    assert dialog.variables["agent"] == c.uri
    assert dialog.variables["agent_leg"] == "sip"
    assert dialog.variables["tenant"] == center.tenant_id
    info = await media_flowing(ng, call_id)
    assert len(info.legs) == 2 and all(leg.packets > 0 for leg in info.legs), info.legs
    assert (await caller.wait()).ok
    assert (await agent.wait()).ok
    await center.wait_event(call_id, "call.ended")


async def test_unregistered_agent_is_agent_failed_at_once(
    kamailio_node: KamailioNode, center: LiveCenter, sipp_dir: Path
) -> None:
    queue_id = await center.queue()
    number = await center.number(queue_id)
    agent_id, _ = await center.agent([queue_id])  # available, but never REGISTERed
    caller = await Sipp(
        "uac_cancel.xml",
        workdir=sipp_dir,
        target=kamailio_node.sip_target,
        service=number,
        pause_ms=2000,
    ).start()
    call_id = await wait_for_call_id(caller)
    started = time.monotonic()
    event = await center.wait_event(call_id, "call.agent_failed", limit=5)
    assert event["reason"] == "unreachable" and event["agent_id"] == agent_id
    assert time.monotonic() - started < 2
    assert await center.agent_state(agent_id) == "not_ready:missed"
    caller.kill()


async def test_malformed_sip_stops_at_sanity_checks(kamailio_node: KamailioNode) -> None:
    host, port = target(kamailio_node)
    bad_cseq = (
        f"INVITE sip:123@{host}:{port} SIP/2.0\n"
        f"Via: SIP/2.0/UDP 127.0.0.1:5998;rport;branch=z9hG4bK{uuid.uuid4().hex}\n"
        "From: <sip:a@127.0.0.1>;tag=1\n"
        f"To: <sip:123@{host}>\n"
        f"Call-ID: {uuid.uuid4().hex}\n"
        "CSeq: 1 BYE\n"
        "Max-Forwards: 70\n"
        "Content-Length: 0\n\n"
    )
    reply = await asyncio.to_thread(send_raw, (host, port), bad_cseq)
    assert reply is not None and status_of(reply) == 400, reply
    # garbage is dropped, and the node still serves
    assert await asyncio.to_thread(send_raw, (host, port), "\x00\x01garbage\n\n", 0.5) is None
    options = (
        f"OPTIONS sip:{host}:{port} SIP/2.0\n"
        f"Via: SIP/2.0/UDP 127.0.0.1:5998;rport;branch=z9hG4bK{uuid.uuid4().hex}\n"
        "From: <sip:a@127.0.0.1>;tag=1\n"
        f"To: <sip:{host}>\n"
        f"Call-ID: {uuid.uuid4().hex}\n"
        "CSeq: 1 OPTIONS\n"
        "Max-Forwards: 70\n"
        "Content-Length: 0\n\n"
    )
    reply = await asyncio.to_thread(send_raw, (host, port), options)
    assert reply is not None and status_of(reply) == 200


async def test_routing_sees_secret_and_continue_checks_input(
    kamailio_node: KamailioNode, center: LiveCenter
) -> None:
    import httpx

    # Kamailio's secret is routing's: its POST /v1/calls is queued, not a 401
    queue_id = await center.queue()
    number = await center.number(queue_id)
    async with httpx.AsyncClient() as http:
        r = await http.post(
            f"{kamailio_node.config.routing_url}/v1/calls",
            headers={"X-Hotline-Secret": kamailio_node.config.call_control_secret},
            json={
                "call_id": uuid.uuid4().hex,
                "continue_url": kamailio_node.config.continue_url,
                "tindex": 1,
                "tlabel": 1,
                "from": "sip:a@b",
                "to": f"sip:{number}@x",
            },
        )
        assert r.status_code == 202 and r.json()["tenant"] == center.tenant_id
    async with httpx.AsyncClient() as http:
        r = await http.get(kamailio_node.config.continue_url, params={"tindex": 1})
        assert r.status_code == 422
        r = await http.get(
            kamailio_node.config.continue_url,
            params={"tindex": 1, "tlabel": 2, "dst": "http://evil"},
        )
        assert r.status_code == 422
        r = await http.get(
            kamailio_node.config.continue_url,
            params={"tindex": 99999, "tlabel": 1, "dst": "sip:a@b"},
        )
        assert r.status_code == 404
        assert r.json()["detail"]


async def test_rpc_and_continue_refuse_other_sources(kamailio_node: KamailioNode) -> None:
    import httpx

    # 127.0.0.2 is loopback too, but not in rpc_allowed_sources
    transport = httpx.AsyncHTTPTransport(local_address="127.0.0.2")
    async with httpx.AsyncClient(transport=transport) as http:
        r = await http.post(
            kamailio_node.config.rpc_url,
            json={"jsonrpc": "2.0", "method": "dlg.list", "params": [], "id": 1},
        )
        assert r.status_code == 403
        r = await http.get(
            kamailio_node.config.continue_url,
            params={"tindex": 1, "tlabel": 1, "dst": "sip:a@b"},
        )
        assert r.status_code == 403


async def test_internal_legs_only_from_allowed_sources(kamailio_node: KamailioNode) -> None:
    import socket as sock_module

    host, port = target(kamailio_node)
    invite = (
        f"INVITE sip:someone@acme.{SIP_DOMAIN} SIP/2.0\n"
        f"Via: SIP/2.0/UDP 127.0.0.2:5998;rport;branch=z9hG4bK{uuid.uuid4().hex}\n"
        "From: <sip:x@127.0.0.2>;tag=1\n"
        f"To: <sip:someone@acme.{SIP_DOMAIN}>\n"
        f"Call-ID: {uuid.uuid4().hex}\n"
        "CSeq: 1 INVITE\n"
        "X-Hotline-Leg: listen\n"
        "Max-Forwards: 70\n"
        "Content-Length: 0\n\n"
    )

    def send_from_other_loopback() -> str | None:
        with sock_module.socket(sock_module.AF_INET, sock_module.SOCK_DGRAM) as sock:
            sock.bind(("127.0.0.2", 0))
            sock.settimeout(2)
            sock.sendto(invite.replace("\n", "\r\n").encode(), (host, port))
            while True:
                text = sock.recv(65535).decode(errors="replace")
                if status_of(text) >= 200:
                    return text

    reply = await asyncio.to_thread(send_from_other_loopback)
    assert reply is not None and status_of(reply) == 403, reply
