"""Where a reserved call is sent, and what Kamailio's ``/continue`` is told with it.

Agents register as ``<sip_user>@<tenant slug>.<base SIP domain>`` (``media_plane.sip.credentials``,
``infra/kamailio/hotline.cfg``), so the destination is exactly that AOR: Kamailio looks it up
among registrations.
"""

from __future__ import annotations

from redis.asyncio import Redis

from routing.directory_reader import tenant_slug
from routing.engine.results import Reservation
from tenants import redis_keys as keys

NODE_RING_MARGIN_S = 2
"""Kamailio rings an agent this much shorter than routing's ring timer, so the node's own
``agent_failed`` (which can name the next agent) always comes before routing's safety net."""


def agent_sip_uri(*, tenant_slug: str, agent_id: str, sip_user: str, domain: str) -> str:
    """``sip:<sip_user or agent id>@<tenant slug>.<domain>``."""
    return f"sip:{sip_user or agent_id}@{tenant_slug}.{domain}"


def node_ring_s(ring_s: int) -> int:
    """The ring time Kamailio gets for a queue whose ring timeout is ``ring_s``."""
    return max(1, ring_s - NODE_RING_MARGIN_S)


def leg_params(*, tenant_id: str, ring_s: int, record: bool) -> dict[str, str]:
    """``tenant=``, ``ring=`` and (for a recorded queue) ``record=1`` of a continue."""
    params = {"tenant": tenant_id, "ring": str(node_ring_s(ring_s))}
    if record:
        params["record"] = "1"
    return params


def reservation_params(reservation: Reservation, *, tenant_id: str, domain: str) -> dict[str, str]:
    """``dst`` plus the leg options of a fresh reservation."""
    dst = agent_sip_uri(
        tenant_slug=reservation.tenant_slug or tenant_id,
        agent_id=reservation.agent_id,
        sip_user=reservation.sip_user,
        domain=domain,
    )
    return {"dst": dst} | leg_params(
        tenant_id=tenant_id, ring_s=reservation.ring_s, record=reservation.record
    )


async def agent_destination(redis: Redis, *, tenant_id: str, agent_id: str, domain: str) -> str:
    """The SIP URI Kamailio relays the call to, from the agent's published profile."""
    sip_user = await redis.hget(keys.agent_profile(tenant_id, agent_id), "sip_user") or ""
    slug = await tenant_slug(redis, tenant_id)
    return agent_sip_uri(tenant_slug=slug, agent_id=agent_id, sip_user=sip_user, domain=domain)


async def queue_leg_params(redis: Redis, *, tenant_id: str, queue_id: str) -> dict[str, str]:
    """The leg options of a queue, read back from its published config."""
    ring, record = await redis.hmget(keys.queue(tenant_id, queue_id), "ring_timeout_s", "record")
    try:
        ring_s = int(ring or 20)
    except ValueError:
        ring_s = 20
    return leg_params(
        tenant_id=tenant_id, ring_s=ring_s if ring_s > 0 else 20, record=record == "1"
    )
