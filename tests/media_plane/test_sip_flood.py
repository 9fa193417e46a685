"""The hardened SIP edge: per-source flood limits (pike), scanner user agents, the
authentication-failure ban and tenant isolation of agents' INVITEs.

On loopback every test client would be 127.0.0.1, which is one of Hotline's own sources
(``rpc_allowed_sources``) and so exempt from the limits, like any trusted carrier or SBC. The
tests therefore send from other loopback addresses (127.0.0.21 and up, one per test), which
the edge treats as the internet, against the session's Kamailio with the DEFAULT limits.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import socket
import uuid
from pathlib import Path

import httpx
import pytest

from media_plane.kamailio.client import KamailioRpcClient
from media_plane.sip.credentials import issue_credentials, tenant_sip_domain
from media_plane.sip.udp_client import register, send_raw, status_of
from tests.media_plane.conftest import SIP_AUTH_SECRET, SIP_DOMAIN, KamailioNode
from tests.media_plane.live_routing import RoutingProcess
from tests.media_plane.sipp import Sipp
from tests.serving import until

pytestmark = pytest.mark.media

BURST = 200
BURST_RATE = 100  # per second: 200 requests in 2 s
CUT_OFF_BY = 2.5
"""pike notices a new source a little late (its address tree grows one byte per hot
prefix): 76 REGISTERs and 95 INVITEs of the 200 were answered here with the limit at 60."""


async def edge_stats(rpc: KamailioRpcClient) -> dict[str, int]:
    """The edge's counters (Kamailio statistics ``script:edge_*``), without the group."""
    stats = await rpc.statistics("script:")
    return {name.removeprefix("script:"): value for name, value in stats.items()}


def target(node: KamailioNode) -> tuple[str, int]:
    return node.config.sip_host, node.config.sip_port


def _register_text(node: KamailioNode, source: str, *, user_agent: str | None = None) -> str:
    domain = tenant_sip_domain(slug="acme", base_domain=SIP_DOMAIN)
    ua = f"User-Agent: {user_agent}\n" if user_agent else ""
    return (
        f"REGISTER sip:{domain} SIP/2.0\n"
        f"Via: SIP/2.0/UDP {source}:5998;rport;branch=z9hG4bK{uuid.uuid4().hex}\n"
        f"From: <sip:probe@{domain}>;tag=1\n"
        f"To: <sip:probe@{domain}>\n"
        f"Call-ID: {uuid.uuid4().hex}\n"
        "CSeq: 1 REGISTER\n"
        f"{ua}"
        f"Contact: <sip:probe@{source}:5998>\n"
        "Max-Forwards: 70\n"
        "Content-Length: 0\n\n"
    )


async def _status(node: KamailioNode, source: str, **kwargs: str) -> int | None:
    reply = await asyncio.to_thread(
        send_raw, target(node), _register_text(node, source, **kwargs), 0.5, source=source
    )
    return None if reply is None else status_of(reply)


async def _burst(node: KamailioNode, sipp_dir: Path, scenario: str, source: str, service: str):
    """``BURST`` requests at ``BURST_RATE``/s from ``source``: how many were answered."""
    run = await Sipp(
        scenario,
        workdir=sipp_dir,
        target=node.sip_target,
        service=service,
        calls=BURST,
        rate=BURST_RATE,
        local_ip=source,
        extra=["-nr", "-l", str(BURST)],
        timeout_s=20,
    ).run(limit=30)
    return len(re.findall(r"^SIP/2\.0 [0-9]{3}", run.messages, re.MULTILINE)), run


async def test_register_flood_from_one_source_is_cut_off(
    kamailio_node: KamailioNode, rpc: KamailioRpcClient, sipp_dir: Path
) -> None:
    limit = kamailio_node.config.flood_max_requests
    before = await edge_stats(rpc)
    domain = tenant_sip_domain(slug="acme", base_domain=SIP_DOMAIN)
    answered, run = await _burst(
        kamailio_node, sipp_dir, "register_flood.xml", "127.0.0.21", domain
    )
    # The first requests are challenged, then the source is cut off: about one window's
    # worth of requests get an answer (pike counts per window of flood_window_seconds).
    # Unthrottled, all 200 would be (test_hotlines_own_sources_are_never_throttled).
    assert limit // 2 <= answered <= CUT_OFF_BY * limit, (answered, run.output)
    # Banned: this source gets nothing now, while another one is served normally.
    assert await _status(kamailio_node, "127.0.0.21") is None
    assert await _status(kamailio_node, "127.0.0.22") == 401
    after = await edge_stats(rpc)
    assert after["edge_flood_banned"] >= before.get("edge_flood_banned", 0) + 1
    assert after["edge_flood_dropped"] >= before.get("edge_flood_dropped", 0) + BURST - answered


async def test_invite_flood_from_one_source_is_cut_off(
    kamailio_node: KamailioNode, sipp_dir: Path
) -> None:
    limit = kamailio_node.config.flood_max_requests
    answered, run = await _burst(
        kamailio_node, sipp_dir, "invite_flood.xml", "127.0.0.23", "5550100"
    )
    assert limit // 2 <= answered <= CUT_OFF_BY * limit, (answered, run.output)
    assert await _status(kamailio_node, "127.0.0.23") is None
    assert await _status(kamailio_node, "127.0.0.24") == 401


async def test_hotlines_own_sources_are_never_throttled(
    kamailio_node: KamailioNode, sipp_dir: Path
) -> None:
    """127.0.0.1 is in rpc_allowed_sources: the suite's own traffic (and a trusted carrier's)
    passes a burst far above the per-source limit untouched."""
    assert "127.0.0.1" in kamailio_node.config.rpc_allowed_sources
    domain = tenant_sip_domain(slug="acme", base_domain=SIP_DOMAIN)
    answered, run = await _burst(kamailio_node, sipp_dir, "register_flood.xml", "127.0.0.1", domain)
    assert answered == BURST, run.output


async def test_scanner_user_agents_get_no_answer(
    kamailio_node: KamailioNode, rpc: KamailioRpcClient
) -> None:
    before = (await edge_stats(rpc)).get("edge_scanner_dropped", 0)
    # From anywhere, Hotline's own address included, and whatever the letter case.
    for source in ("127.0.0.1", "127.0.0.25"):
        assert await _status(kamailio_node, source, user_agent="friendly-scanner") is None
        assert await _status(kamailio_node, source, user_agent="SIPVicious 0.3.4") is None
        assert await _status(kamailio_node, source, user_agent="sipcli/v1.8") is None
        assert await _status(kamailio_node, source, user_agent="VaxSIPUserAgent/3.1") is None
        assert await _status(kamailio_node, source, user_agent="Zoiper rv2.10") == 401
    after = (await edge_stats(rpc))["edge_scanner_dropped"]
    assert after == before + 8


async def test_routing_exports_the_edge_counters(
    kamailio_node: KamailioNode, routing_process: RoutingProcess, rpc: KamailioRpcClient
) -> None:
    """Kamailio's counters reach Prometheus through routing (its live-gauge refresh)."""
    assert await _status(kamailio_node, "127.0.0.26", user_agent="friendly-scanner") is None
    dropped = (await edge_stats(rpc))["edge_scanner_dropped"]
    sample = re.compile(
        r'^hotline_sip_edge_events_total\{kind="scanner_dropped",node="test-node"\} ([0-9.]+)$',
        re.MULTILINE,
    )

    async def exported() -> float | None:
        async with httpx.AsyncClient() as http:
            found = sample.search((await http.get(f"{routing_process.url}/metrics")).text)
        return float(found.group(1)) if found and float(found.group(1)) >= dropped else None

    assert await until(exported, limit_s=15, what="hotline_sip_edge_events_total") >= dropped


def creds(agent: str, slug: str):
    return issue_credentials(
        secret=SIP_AUTH_SECRET,
        agent=agent,
        domain=tenant_sip_domain(slug=slug, base_domain=SIP_DOMAIN),
        ttl_seconds=600,
    )


async def test_failed_authentications_are_counted_and_ban_the_source(
    kamailio_node: KamailioNode, rpc: KamailioRpcClient
) -> None:
    config = kamailio_node.config
    agent = "a" + uuid.uuid4().hex[:8]
    domain = tenant_sip_domain(slug="acme", base_domain=SIP_DOMAIN)
    good = creds(agent, "acme")
    before = await edge_stats(rpc)

    async def attempt(source: str, password: str) -> tuple[int, str]:
        return await asyncio.to_thread(
            register,
            target(kamailio_node),
            aor_user=agent,
            domain=domain,
            contact=f"sip:{agent}@{source}:5999",
            username=good.username,
            password=password,
            source=source,
        )

    for _ in range(config.auth_fail_max):
        status, _ = await attempt("127.0.0.31", "guessed")
        assert status == 401
    # Banned: even the right password is refused from there, without a challenge.
    status, reply = await attempt("127.0.0.31", good.password)
    assert status == 403 and "Too Many Failed Authentications" in reply, reply
    status, reply = await attempt("127.0.0.32", good.password)
    assert status == 200, reply
    after = await edge_stats(rpc)
    assert after["edge_auth_failed"] >= before.get("edge_auth_failed", 0) + config.auth_fail_max
    assert after["edge_auth_banned"] == before.get("edge_auth_banned", 0) + 1
    assert after["edge_auth_refused"] >= before.get("edge_auth_refused", 0) + 1


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 - SIP digest is MD5


def invite(
    node: KamailioNode, *, source: str, from_uri: str, to_uri: str, creds_=None
) -> list[int]:
    """An INVITE (no SDP) from ``source``; answers a 407 with digest when credentials are
    given. The final status of each round."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((source, 0))
        sock.settimeout(2)
        port = sock.getsockname()[1]
        call_id, tag = uuid.uuid4().hex, uuid.uuid4().hex[:8]

        def exchange(cseq: int, auth: str = "") -> str:
            message = (
                f"INVITE {to_uri} SIP/2.0\r\n"
                f"Via: SIP/2.0/UDP {source}:{port};rport;branch=z9hG4bK{uuid.uuid4().hex}\r\n"
                f"From: <{from_uri}>;tag={tag}\r\n"
                f"To: <{to_uri}>\r\n"
                f"Call-ID: {call_id}\r\n"
                f"CSeq: {cseq} INVITE\r\n"
                f"Contact: <sip:agent@{source}:{port}>\r\n"
                f"{auth}"
                "Max-Forwards: 70\r\n"
                "Content-Length: 0\r\n\r\n"
            )
            sock.sendto(message.encode(), target(node))
            while True:
                text = sock.recv(65535).decode(errors="replace")
                if status_of(text) >= 200:
                    return text

        reply = exchange(1)
        statuses = [status_of(reply)]
        if statuses[0] != 407 or creds_ is None:
            return statuses
        challenge = re.search(r"Proxy-Authenticate:\s*Digest\s+(.*)", reply, re.IGNORECASE)
        assert challenge, reply
        fields = dict(re.findall(r'(\w+)="?([^",]+)"?', challenge.group(1)))
        ha1 = _md5(f"{creds_.username}:{fields['realm']}:{creds_.password}")
        ha2 = _md5(f"INVITE:{to_uri}")
        nc, cnonce = "00000001", uuid.uuid4().hex[:8]
        if fields.get("qop"):
            response = _md5(f"{ha1}:{fields['nonce']}:{nc}:{cnonce}:auth:{ha2}")
            extra = f', qop=auth, nc={nc}, cnonce="{cnonce}"'
        else:
            response = _md5(f"{ha1}:{fields['nonce']}:{ha2}")
            extra = ""
        auth = (
            f'Proxy-Authorization: Digest username="{creds_.username}", '
            f'realm="{fields["realm"]}", nonce="{fields["nonce"]}", uri="{to_uri}", '
            f'response="{response}", algorithm=MD5{extra}\r\n'
        )
        statuses.append(status_of(exchange(2, auth)))
        return statuses


async def test_an_agent_reaches_only_its_own_tenants_domain(
    kamailio_node: KamailioNode, rpc: KamailioRpcClient
) -> None:
    a = tenant_sip_domain(slug="tenant-a", base_domain=SIP_DOMAIN)
    b = tenant_sip_domain(slug="tenant-b", base_domain=SIP_DOMAIN)
    alice = creds("alice", "tenant-a")
    before = (await edge_stats(rpc)).get("edge_cross_tenant_refused", 0)

    def send(**kwargs) -> list[int]:
        return invite(kamailio_node, source="127.0.0.41", **kwargs)

    # An agent identity must authenticate: challenged, and wrong credentials fail.
    assert await asyncio.to_thread(send, from_uri=f"sip:alice@{a}", to_uri=f"sip:bob@{b}") == [407]
    # Authenticated Alice of tenant A toward tenant B's domain: refused.
    statuses = await asyncio.to_thread(
        send, from_uri=f"sip:alice@{a}", to_uri=f"sip:bob@{b}", creds_=alice
    )
    assert statuses == [407, 403], statuses
    # Toward her own tenant she passes the edge (and this INVITE, without SDP, stops at 488).
    statuses = await asyncio.to_thread(
        send, from_uri=f"sip:alice@{a}", to_uri=f"sip:bob@{a}", creds_=alice
    )
    assert statuses == [407, 488], statuses
    # Alice's credentials cannot speak for Carol.
    statuses = await asyncio.to_thread(
        send, from_uri=f"sip:carol@{a}", to_uri=f"sip:bob@{a}", creds_=alice
    )
    assert statuses == [407, 403], statuses
    # Outsiders cannot dial an agent's AOR directly: calls reach agents through queues.
    statuses = await asyncio.to_thread(
        send, from_uri="sip:someone@127.0.0.41", to_uri=f"sip:bob@{a}"
    )
    assert statuses == [403], statuses
    after = (await edge_stats(rpc))["edge_cross_tenant_refused"]
    assert after == before + 2
