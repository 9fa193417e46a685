"""Signed, expiring access tokens (JWT, HS256)."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

import jwt

from tenants.errors import Unauthenticated
from tenants.identity.roles import Role

ALGORITHM = "HS256"
AUDIENCE = "hotline"


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

    def verify(self, token: str) -> TokenClaims:
        """The claims of a valid token; UNAUTHENTICATED when bad, tampered or expired."""
        try:
            payload = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                options={"require": ["exp", "sub", "tid", "role"]},
            )
            return TokenClaims(
                user_id=uuid.UUID(payload["sub"]),
                tenant_id=uuid.UUID(payload["tid"]),
                role=Role(payload["role"]),
            )
        except jwt.ExpiredSignatureError as err:
            raise Unauthenticated("token expired") from err
        except (jwt.InvalidTokenError, ValueError, KeyError) as err:
            raise Unauthenticated("invalid token") from err
