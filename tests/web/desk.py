"""The agent desktop's end-to-end stack: the console on the media plane's Valkey, Kamailio
and rtpengine, a tenant with a queue, a number, an agent and a known caller, and the far
end of the call as the test itself (an RTP socket that reads what the agent sends)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis

from tenants import redis_keys as keys
from tenants.graphql.relay import from_global_id
from tests.routing.config.helpers import CREATE_NUMBER, CREATE_PROFILE, CREATE_QUEUE, fresh_number
from tests.web.helpers import Account, Console, create_user, sign_up_tenant

PCMA = 8
TELEPHONE_EVENT = 101
PCMA_SILENCE = {0xD5, 0x55}  # A-law codes of (almost) zero
DTMF_EVENTS = "0123456789*#"


def ok(body: dict[str, Any]) -> dict[str, Any]:
    assert "errors" not in body, body
    return body["data"]


@dataclass
class Tenant:
    """A tenant with queue "Support" (its number), agent Ada, caller Grace Caller of Navy."""

    admin: Account
    agent: Account
    queue_id: str
    number: str
    caller: str
    tenant_uuid: str


async def desk_tenant(console: Console) -> Tenant:
    admin = await sign_up_tenant(console)
    gql = console.gql
    queue = ok(
        await gql(
            CREATE_QUEUE,
            {"input": {"name": "Support", "slThresholdS": 20, "wrapupS": 1}},
            token=admin.token,
        )
    )["createQueue"]["id"]
    number = fresh_number()
    ok(await gql(CREATE_NUMBER, {"input": {"number": number, "queueId": queue}}, token=admin.token))
    agent = await create_user(console, admin, "AGENT")
    ok(
        await gql(
            CREATE_PROFILE,
            {"input": {"userId": agent.user_id, "queueIds": [queue]}},
            token=admin.token,
        )
    )
    caller = fresh_number()
    ok(
        await gql(
            """mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }""",
            {"input": {"name": "Grace Caller", "company": "Navy", "phones": [caller]}},
            token=admin.token,
        )
    )
    ok(
        await gql(
            """mutation { createTicketCategory(input: {name: "Repairs",
                 fields: [{key: "device", label: "Device", type: TEXT, required: true}],
                 steps: [{name: "Triage", slaSeconds: 600, role: AGENT},
                         {name: "Fix", slaSeconds: 3600, role: AGENT}]})
               { id } }""",
            token=admin.token,
        )
    )
    tenant_uuid = str(from_global_id(admin.tenant_id)[1])
    return Tenant(admin, agent, queue, number, caller, tenant_uuid)


async def call_events(redis: Redis, tenant_uuid: str, call_id: str) -> list[dict[str, str]]:
    """Routing's events of one call, oldest first."""
    return [
        f for _, f in await redis.xrange(keys.events(tenant_uuid)) if f.get("call_id") == call_id
    ]


@dataclass
class RtpSink:
    """The caller's media socket: records what arrives, answers with a PCMA tone."""

    sock: socket.socket
    packets: list[tuple[int, bytes]] = field(default_factory=list)
    """(payload type, payload) of every RTP packet received, in order."""
    peer: tuple[str, int] | None = None

    @property
    def port(self) -> int:
        return int(self.sock.getsockname()[1])

    def audio(self) -> list[bytes]:
        return [p for pt, p in self.packets if pt == PCMA]

    def events(self) -> set[str]:
        """The RFC 4733 events received (digits, * and #)."""
        return {DTMF_EVENTS[p[0]] for pt, p in self.packets if pt == TELEPHONE_EVENT and p[0] < 12}

    def recent_audio_silent(self, count: int = 10) -> bool | None:
        """Whether the last ``count`` audio packets carried only silence (None: too few)."""
        recent = self.audio()[-count:]
        if len(recent) < count:
            return None
        return all(set(p) <= PCMA_SILENCE for p in recent)


@contextlib.asynccontextmanager
async def rtp_sink() -> AsyncIterator[RtpSink]:
    """A UDP socket on 127.0.0.1 read in the background; once rtpengine sends it media it
    answers 50 packets a second of a 400 Hz PCMA tone, so the agent hears the caller."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.setblocking(False)
    sink = RtpSink(sock)
    loop = asyncio.get_running_loop()
    tone = bytes([0x2A, 0xA8, 0x2A, 0xAA, 0xAA, 0x2A, 0xA8, 0x2A] * 20)  # 160 A-law samples

    async def receive() -> None:
        while True:
            data, peer = await loop.sock_recvfrom(sock, 2048)
            if len(data) > 12:
                sink.packets.append((data[1] & 0x7F, data[12:]))
                sink.peer = peer

    async def send() -> None:
        seq, ts, ssrc = 0, 0, 0x12345678
        while True:
            await asyncio.sleep(0.02)
            if sink.peer is None:
                continue
            header = struct.pack("!BBHII", 0x80, PCMA, seq & 0xFFFF, ts & 0xFFFFFFFF, ssrc)
            with contextlib.suppress(OSError):
                sock.sendto(header + tone, sink.peer)
            seq, ts = seq + 1, ts + 160

    tasks = [asyncio.create_task(receive()), asyncio.create_task(send())]
    try:
        yield sink
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        sock.close()


def unique_call_tag() -> str:
    return uuid.uuid4().hex[:8]


async def agent_states(redis: Redis, tenant_uuid: str, agent_id: str) -> list[str]:
    """Every state routing moved the agent through, in order."""
    return [
        f["state"]
        for _, f in await redis.xrange(keys.events(tenant_uuid))
        if f.get("type") == "agent.state_changed" and f.get("agent_id") == agent_id
    ]
