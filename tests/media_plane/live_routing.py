"""The REAL routing process for the media end-to-end tests, and a tenant configured in it.

``start_routing_process`` runs ``uvicorn routing.asgi:app`` on a free port against the suite's
Valkey. ``LiveCenter`` publishes one tenant's configuration (tenant, queue, DID, agent
profiles) through ``routing.config.directory.RoutingDirectory`` (the publisher routing-config uses),
moves agents' states with the same Lua scripts the GraphQL API runs, and reads routing's
event stream, so tests assert on what routing recorded.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from redis.asyncio import Redis

from media_plane.sip.credentials import issue_credentials, tenant_sip_domain
from media_plane.sip.udp_client import register
from routing.config.directory import RoutingDirectory
from routing.config.projection import AgentEntry, DidEntry, QueueEntry, TenantEntry
from routing.engine.engine import AcdEngine
from tenants import redis_keys as keys
from tenants.embedded.process import ChildProcess, free_port


@dataclass
class RoutingProcess:
    """A running ``routing.asgi`` process."""

    process: ChildProcess
    url: str
    redis_url: str

    def log(self) -> str:
        """The process's log so far."""
        return self.process.log_tail(200)


def start_routing_process(
    *,
    redis_url: str,
    secret: str,
    sip_domain: str,
    workdir: Path,
    timeout: float = 20.0,
    env: dict[str, str] | None = None,
) -> RoutingProcess:
    """Start routing on a free loopback port and wait for ``/readyz``; ``env`` adds settings."""
    port = free_port()
    env = {
        **os.environ,
        "HOTLINE_ENV": "test",
        "HOTLINE_VAR_DIR": str(workdir / "var"),
        "HOTLINE_REDIS_URL": redis_url,
        "HOTLINE_CALL_CONTROL_SECRET": secret,
        "HOTLINE_KAMAILIO_SIP_DOMAIN": sip_domain,
        "HOTLINE_ROUTING_TIMER_INTERVAL_S": "0.1",
        "HOTLINE_LOG_LEVEL": "INFO",
        **(env or {}),
    }
    process = ChildProcess(
        name="routing",
        argv=[
            sys.executable,
            "-m",
            "uvicorn",
            "routing.asgi:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
        ],
        log_path=workdir / "routing.log",
        env=env,
    )
    process.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.running():
            raise RuntimeError(f"routing exited:\n{process.log_tail()}")
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return RoutingProcess(process, url, redis_url)
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.stop()
    raise TimeoutError(f"routing not ready:\n{process.log_tail()}")


def queue_fields(**overrides: Any) -> dict[str, str]:
    """A queue's routing hash (``routing.config.projection.queue_entry`` layout)."""
    row: dict[str, Any] = {
        "name": "support",
        "priority": 0,
        "skills": "{}",
        "sl_threshold_s": 20,
        "short_abandon_s": 0,
        "max_wait_s": 0,
        "max_wait_action": "reject",
        "overflow_queue_id": "",
        "wrapup_s": 0,
        "ring_timeout_s": 20,
        "max_size": 0,
        "record": 0,
        "hours": "",
        "closed_action": "reject",
        "closed_code": 480,
        "blacklist_code": 403,
        "vip_boost": 10,
        "sticky_agent_s": 0,
    }
    row.update(overrides)
    return {k: str(v) for k, v in row.items()}


class LiveCenter:
    """One tenant configured in the live routing process."""

    def __init__(
        self, redis: Redis, *, tenant_id: uuid.UUID | None = None, slug: str | None = None
    ) -> None:
        self.redis = redis
        self.directory = RoutingDirectory(redis)
        self.engine = AcdEngine(redis, dispatches=False, outbox_lease_s=0.05)
        self.tenant_uuid = tenant_id or uuid.uuid4()
        self.tenant_id = str(self.tenant_uuid)
        self.slug = slug or "t" + uuid.uuid4().hex[:8]

    async def publish_tenant(self, *, max_concurrent_calls: int = 0) -> None:
        """The tenant hash (slug, concurrent-call limit)."""
        await self.directory.put_tenant(
            self.tenant_uuid, TenantEntry(slug=self.slug, max_concurrent_calls=max_concurrent_calls)
        )

    async def queue(self, **fields: Any) -> str:
        """Publish a queue; returns its id."""
        await self.publish_tenant()
        queue_id = uuid.uuid4()
        await self.directory.put_queue(
            self.tenant_uuid, QueueEntry(queue_id=queue_id, fields=queue_fields(**fields))
        )
        return str(queue_id)

    async def number(self, queue_id: str) -> str:
        """A fresh DID routed to ``queue_id`` (sipp dials it as the request-URI user)."""
        e164 = "+3319" + str(uuid.uuid4().int)[:8]
        await self.directory.put_did(
            DidEntry(e164=e164, tenant_id=self.tenant_uuid, queue_id=uuid.UUID(queue_id))
        )
        return e164

    async def agent(
        self, queues: list[str], *, available: bool = True, user_id: uuid.UUID | None = None
    ) -> tuple[str, str]:
        """Publish an agent profile, sign it in; returns ``(agent id, sip user)``."""
        agent_uuid = user_id or uuid.uuid4()
        sip_user = f"agent-{agent_uuid.hex[:12]}"
        await self.directory.put_agent_profile(
            self.tenant_uuid,
            AgentEntry(
                user_id=agent_uuid,
                fields={
                    "skills": "{}",
                    "queues": json.dumps(sorted(queues)),
                    "display_name": sip_user,
                    "sip_user": sip_user,
                },
            ),
        )
        agent_id = str(agent_uuid)
        for queue_id in queues:
            await self.engine.sign_in(
                tenant_id=self.tenant_id, agent_id=agent_id, queue_id=queue_id
            )
        if available:
            await self.set_state(agent_id, "available")
        return agent_id, sip_user

    async def set_state(self, agent_id: str, state: str) -> None:
        """Move an agent (as ``setAgentState`` does)."""
        await self.engine.set_agent_state(tenant_id=self.tenant_id, agent_id=agent_id, state=state)

    async def agent_state(self, agent_id: str) -> str:
        """The agent's live state."""
        return (await self.engine.agent(tenant_id=self.tenant_id, agent_id=agent_id)).state

    async def events(self) -> list[dict[str, str]]:
        """Routing's event stream for this tenant, oldest first."""
        return [f for _, f in await self.redis.xrange(keys.events(self.tenant_id))]

    async def call_events(self, call_id: str) -> list[dict[str, str]]:
        """This call's events, oldest first."""
        return [e for e in await self.events() if e.get("call_id") == call_id]

    async def wait_event(self, call_id: str, etype: str, limit: float = 15.0) -> dict[str, str]:
        """Until routing recorded ``etype`` (e.g. ``call.answered``) for ``call_id``."""
        deadline = time.monotonic() + limit
        while True:
            for event in await self.call_events(call_id):
                if event["type"] == etype:
                    return event
            if time.monotonic() > deadline:
                seen = [e["type"] for e in await self.call_events(call_id)]
                raise AssertionError(f"no {etype} for {call_id}: {seen}")
            await asyncio.sleep(0.05)

    async def wait_agent_state(self, agent_id: str, state: str, limit: float = 15.0) -> None:
        """Until the agent is in ``state``."""
        deadline = time.monotonic() + limit
        while (current := await self.agent_state(agent_id)) != state:
            if time.monotonic() > deadline:
                raise AssertionError(f"agent {agent_id} is {current}, not {state}")
            await asyncio.sleep(0.05)

    async def agent_states(self, agent_id: str) -> list[str]:
        """Every state the agent went through, in order."""
        return [
            e["state"]
            for e in await self.events()
            if e["type"] == "agent.state_changed" and e.get("agent_id") == agent_id
        ]


async def register_agent(
    *,
    kamailio: tuple[str, int],
    sip_user: str,
    slug: str,
    base_domain: str,
    secret: str,
    contact_port: int,
) -> str:
    """REGISTER ``<sip_user>@<slug>.<base domain>`` at ``127.0.0.1:<contact_port>`` (a sipp
    UAS) with ephemeral credentials; returns the AOR URI."""
    domain = tenant_sip_domain(slug=slug, base_domain=base_domain)
    creds = issue_credentials(secret=secret, agent=sip_user, domain=domain, ttl_seconds=600)
    status, reply = await asyncio.to_thread(
        register,
        kamailio,
        aor_user=sip_user,
        domain=domain,
        contact=f"sip:{sip_user}@127.0.0.1:{contact_port}",
        username=creds.username,
        password=creds.password,
    )
    if status != 200:
        raise AssertionError(f"REGISTER {sip_user}@{domain}: {status}\n{reply}")
    return creds.uri
