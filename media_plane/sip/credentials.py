"""Ephemeral SIP credentials for WebRTC agents, checked by Kamailio's auth_ephemeral.

``user = "<expiry unix time>:<agent>@<tenant domain>"`` and
``password = base64(HMAC-SHA1(secret, user))``. Kamailio recomputes the password from the
username, refuses an expired timestamp, and ``autheph_check_to()`` requires the To URI to be
exactly ``<agent>@<tenant domain>``: a credential is bound to one agent of one tenant, so an
agent of tenant A cannot register into tenant B's domain. Nothing is stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
from dataclasses import dataclass

from tenants.secrets import sip_auth_secret
from tenants.settings import Settings

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_AGENT = re.compile(r"^[A-Za-z0-9._~-]{1,128}$")


@dataclass(frozen=True)
class SipCredentials:
    """What an agent's softphone needs to REGISTER."""

    username: str
    password: str
    uri: str
    domain: str
    expires_at: int


def tenant_sip_domain(*, slug: str, base_domain: str) -> str:
    """A tenant's own SIP domain, ``<slug>.<base domain>``."""
    if not _SLUG.match(slug):
        raise ValueError(f"tenant slug {slug!r} is not a valid DNS label")
    return f"{slug}.{base_domain}"


def ephemeral_password(secret: str, username: str) -> str:
    """``base64(HMAC-SHA1(secret, username))``, as auth_ephemeral computes it."""
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def issue_credentials(
    *, secret: str, agent: str, domain: str, ttl_seconds: int, now: float | None = None
) -> SipCredentials:
    """Credentials for ``sip:<agent>@<domain>`` valid for ``ttl_seconds``."""
    if not _AGENT.match(agent):
        raise ValueError(f"agent id {agent!r} is not a valid SIP user")
    expires_at = int(now if now is not None else time.time()) + ttl_seconds
    username = f"{expires_at}:{agent}@{domain}"
    return SipCredentials(
        username=username,
        password=ephemeral_password(secret, username),
        uri=f"sip:{agent}@{domain}",
        domain=domain,
        expires_at=expires_at,
    )


def credentials_for_agent(settings: Settings, *, agent: str, tenant_slug: str) -> SipCredentials:
    """Issue credentials for an agent of a tenant from the process settings."""
    return issue_credentials(
        secret=sip_auth_secret(settings),
        agent=agent,
        domain=tenant_sip_domain(slug=tenant_slug, base_domain=settings.kamailio.sip_domain),
        ttl_seconds=settings.kamailio.sip_credential_ttl_seconds,
    )
