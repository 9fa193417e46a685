"""Where a reserved call is sent: the agent's SIP URI (the media plane may replace this)."""

from __future__ import annotations

from redis.asyncio import Redis

from routing.directory_reader import tenant_slug
from routing.engine import keys


def agent_sip_uri(*, tenant_slug: str, agent_id: str, sip_user: str, domain: str) -> str:
    """``sip:<sip_user or agent id>@<tenant slug>.<domain>``."""
    return f"sip:{sip_user or agent_id}@{tenant_slug}.{domain}"


async def agent_destination(redis: Redis, *, tenant_id: str, agent_id: str, domain: str) -> str:
    """The SIP URI Kamailio relays the call to, from the agent's published profile."""
    sip_user = await redis.hget(keys.agent_profile(tenant_id, agent_id), "sip_user") or ""
    slug = await tenant_slug(redis, tenant_id)
    return agent_sip_uri(tenant_slug=slug, agent_id=agent_id, sip_user=sip_user, domain=domain)
