"""Forgotten passwords: a signed, single-use, expiring link, delivered out of band.

No email is sent by Hotline itself yet: ``request_reset`` returns the link and the API logs
it (dev), where a mail relay would pick it up. Every request answers the same way whether or
not the account exists, so the form cannot be used to find accounts.
"""

from __future__ import annotations

import hashlib
import logging

from sqlalchemy.ext.asyncio import AsyncSession

from tenants.database.session import bind_tenant
from tenants.errors import BadUserInput, Unauthenticated
from tenants.identity import repository
from tenants.identity.passwords import hash_password
from tenants.identity.principal_cache import PrincipalCache
from tenants.identity.schemas import PasswordResetIn, PasswordResetRequestIn
from tenants.identity.service import RateLimits
from tenants.identity.tokens import ResetClaims, TokenSigner

log = logging.getLogger("hotline.identity.password_reset")

RESET_TTL_SECONDS = 30 * 60
RESET_PATH = "/reset-password"


def _fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


async def request_reset(
    *,
    session: AsyncSession,
    request_in: PasswordResetRequestIn,
    signer: TokenSigner,
    limits: RateLimits,
    client_ip: str,
) -> str | None:
    """The reset link path for an active user, or None; callers answer the same either way."""
    await limits.limiter.hit("reset-ip", client_ip, limit=limits.login_per_ip)
    account = f"{request_in.tenant_slug.lower()}:{request_in.email.lower()}"
    await limits.limiter.hit("reset-account", account, limit=limits.login_per_account)
    tenant = await repository.tenant_by_slug(session, request_in.tenant_slug)
    if tenant is None or tenant.status != "active":
        return None
    await bind_tenant(session, tenant.id)
    user = await repository.user_by_email(session, tenant_id=tenant.id, email=request_in.email)
    if user is None or not user.active:
        return None
    token = signer.issue_reset(
        ResetClaims(
            user_id=user.id,
            tenant_id=tenant.id,
            password_fingerprint=_fingerprint(user.password_hash),
        ),
        ttl_seconds=RESET_TTL_SECONDS,
    )
    return f"{RESET_PATH}?token={token}"


async def reset_password(
    *,
    session: AsyncSession,
    reset_in: PasswordResetIn,
    signer: TokenSigner,
    principals: PrincipalCache,
) -> None:
    """Set the new password; the link stops working once used or expired."""
    try:
        claims = signer.verify_reset(reset_in.token)
    except Unauthenticated as err:
        raise BadUserInput(f"{err.message}: ask for a new one", field="token") from err
    await bind_tenant(session, claims.tenant_id)
    user = await repository.user_by_id(session, tenant_id=claims.tenant_id, user_id=claims.user_id)
    if (
        user is None
        or not user.active
        or _fingerprint(user.password_hash) != claims.password_fingerprint
    ):
        raise BadUserInput("this reset link was already used: ask for a new one", field="token")
    user.password_hash = hash_password(reset_in.new_password)
    principals.forget(claims.tenant_id, user.id)
    await session.flush()
