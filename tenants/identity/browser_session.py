"""The browser's session: an httpOnly cookie holding the access token, plus a CSRF token.

Integrators send ``Authorization: Bearer …``; the web app never sees a token. The server sets
``hotline_session`` (httpOnly, SameSite=Lax) when a person signs up or logs in, and
``hotline_csrf`` (readable by the page, SameSite=Strict), which the page echoes in the
``X-CSRF-Token`` header. The CSRF token is an HMAC of the session token, so it needs no
storage and cannot be forged for another session (the double-submit cookie pattern).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Protocol

from redis.asyncio import Redis
from starlette.requests import HTTPConnection

from tenants import redis_keys
from tenants.errors import Forbidden, Unauthenticated
from tenants.identity.tokens import TokenSigner

SESSION_COOKIE = "hotline_session"
CSRF_COOKIE = "hotline_csrf"
CSRF_HEADER = "x-csrf-token"


class CookieJar(Protocol):
    """What a response offers to set cookies (Starlette's ``Response``)."""

    def set_cookie(self, key: str, value: str = "", **options: object) -> None: ...

    def delete_cookie(self, key: str, **options: object) -> None: ...


def csrf_token(signer: TokenSigner, session_token: str) -> str:
    """The CSRF token bound to ``session_token``."""
    return signer.mac(f"csrf:{session_token}")[:40]


def csrf_matches(signer: TokenSigner, session_token: str, presented: str | None) -> bool:
    """Whether the page presented the CSRF token of this session."""
    if not presented:
        return False
    return hmac.compare_digest(csrf_token(signer, session_token), presented.strip())


def set_session_cookies(
    response: CookieJar, *, signer: TokenSigner, token: str, max_age: int, secure: bool
) -> None:
    """Start the browser session on ``response``."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
    )
    response.set_cookie(
        CSRF_COOKIE,
        csrf_token(signer, token),
        max_age=max_age,
        httponly=False,
        samesite="strict",
        secure=secure,
        path="/",
    )


def clear_session_cookies(response: CookieJar, *, secure: bool) -> None:
    """End the browser session on ``response``."""
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=secure)
    response.delete_cookie(CSRF_COOKIE, path="/", samesite="strict", secure=secure)


class BrowserSessions:
    """The list of logged-out browser sessions, kept in Redis until their tokens expire.

    A signed token stays valid until it expires, so log-out is remembered here; the
    composition root builds one per process and hands it to the request contexts.
    """

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    @staticmethod
    def _ended_key(token: str) -> str:
        return redis_keys.session_ended(hashlib.sha256(token.encode()).hexdigest()[:32])

    async def end(self, token: str, *, ttl_seconds: int) -> None:
        """Refuse ``token`` as a session from now on (log-out)."""
        await self._redis.set(self._ended_key(token), b"1", ex=max(ttl_seconds, 1))

    async def ended(self, token: str) -> bool:
        """Whether ``token``'s session was logged out."""
        return bool(await self._redis.exists(self._ended_key(token)))


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def http_credential(
    request: HTTPConnection, *, signer: TokenSigner, sessions: BrowserSessions
) -> str:
    """The credential of a REST request: a bearer header, else the session cookie.

    A cookie on a request that changes something must come with the session's CSRF token.
    """
    scheme, _, bearer = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and bearer.strip():
        return bearer.strip()
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise Unauthenticated("authentication required")
    method = request.scope.get("method", "GET")
    if method not in SAFE_METHODS and not csrf_matches(
        signer, cookie, request.headers.get(CSRF_HEADER)
    ):
        raise Forbidden("missing or wrong CSRF token: send the X-CSRF-Token header")
    if await sessions.ended(cookie):
        raise Unauthenticated("this session was logged out")
    return cookie
