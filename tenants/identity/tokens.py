"""Signed, expiring access tokens (JWT, HS256)."""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from dataclasses import dataclass

import jwt

from tenants.errors import Unauthenticated
from tenants.identity.roles import Role

ALGORITHM = "HS256"
AUDIENCE = "hotline"
RESET_AUDIENCE = "hotline-password-reset"
"""Password-reset tokens have their own audience, so they never pass as access tokens."""
MAX_VERIFIED = 10_000
"""How many verified tokens a signer remembers (forgotten all at once when full)."""


@dataclass(frozen=True)
class ResetClaims:
    """What a password-reset token asserts: whose password, and which password it replaces."""

    user_id: uuid.UUID
    tenant_id: uuid.UUID
    password_fingerprint: str


@dataclass(frozen=True)
class TokenClaims:
    """What a token asserts about its holder."""

    user_id: uuid.UUID
    tenant_id: uuid.UUID
    role: Role


class TokenSigner:
    """Issues and verifies tokens with one HMAC key."""

    def __init__(self, key: str, *, ttl_seconds: int) -> None:
        self._key = key
        self._ttl = ttl_seconds
        self._verified: dict[str, tuple[float, TokenClaims]] = {}

    def issue(self, claims: TokenClaims) -> str:
        """A token for ``claims`` that expires after the configured TTL."""
        now = int(time.time())
        payload = {
            "sub": str(claims.user_id),
            "tid": str(claims.tenant_id),
            "role": claims.role.value,
            "aud": AUDIENCE,
            "iat": now,
            "exp": now + self._ttl,
        }
        return jwt.encode(payload, self._key, algorithm=ALGORITHM)

    @property
    def ttl_seconds(self) -> int:
        """How long an access token lives."""
        return self._ttl

    def mac(self, message: str) -> str:
        """A hex HMAC-SHA256 of ``message`` under this signer's key (CSRF tokens)."""
        return hmac.new(self._key.encode(), message.encode(), hashlib.sha256).hexdigest()

    def issue_reset(self, claims: ResetClaims, *, ttl_seconds: int) -> str:
        """A single-purpose password-reset token.

        It names the password it replaces (a fingerprint of its hash), so it stops working
        as soon as the password changes: a used link cannot be used again.
        """
        now = int(time.time())
        payload = {
            "sub": str(claims.user_id),
            "tid": str(claims.tenant_id),
            "pwf": claims.password_fingerprint,
            "aud": RESET_AUDIENCE,
            "iat": now,
            "exp": now + ttl_seconds,
        }
        return jwt.encode(payload, self._key, algorithm=ALGORITHM)

    def verify_reset(self, token: str) -> ResetClaims:
        """The claims of a valid reset token; UNAUTHENTICATED when bad or expired."""
        try:
            payload = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],
                audience=RESET_AUDIENCE,
                options={"require": ["exp", "sub", "tid", "pwf"]},
            )
            return ResetClaims(
                user_id=uuid.UUID(payload["sub"]),
                tenant_id=uuid.UUID(payload["tid"]),
                password_fingerprint=str(payload["pwf"]),
            )
        except jwt.ExpiredSignatureError as err:
            raise Unauthenticated("reset link expired") from err
        except (jwt.InvalidTokenError, ValueError, KeyError) as err:
            raise Unauthenticated("invalid reset link") from err

    def verify(self, token: str) -> TokenClaims:
        """The claims of a valid token; UNAUTHENTICATED when bad, tampered or expired.

        A client sends the same token on every request, and decoding it (base64, JSON,
        HMAC) is a good part of a small request's cost, so this signer remembers the
        claims of the exact token strings it verified, until their expiry. The key
        never changes for a signer, so a remembered signature stays valid; expiry is
        checked on every call.
        """
        known = self._verified.get(token)
        if known is not None:
            if time.time() < known[0]:
                return known[1]
            raise Unauthenticated("token expired")
        claims, expires = self._decode(token)
        if len(self._verified) >= MAX_VERIFIED:
            self._verified.clear()
        self._verified[token] = (expires, claims)
        return claims

    def _decode(self, token: str) -> tuple[TokenClaims, float]:
        try:
            payload = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                options={"require": ["exp", "sub", "tid", "role"]},
            )
            claims = TokenClaims(
                user_id=uuid.UUID(payload["sub"]),
                tenant_id=uuid.UUID(payload["tid"]),
                role=Role(payload["role"]),
            )
            return claims, float(payload["exp"])
        except jwt.ExpiredSignatureError as err:
            raise Unauthenticated("token expired") from err
        except (jwt.InvalidTokenError, ValueError, KeyError) as err:
            raise Unauthenticated("invalid token") from err
