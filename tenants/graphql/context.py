"""The per-request GraphQL context: one session, the caller, and the shared clients.

The kernel cannot name other rooms' clients (nothing here imports routing or the media
plane), so the context is generic over the process's client bundle: each room declares the
clients it reads as a ``Protocol`` of its own (``media_plane.graphql.MediaServices``,
``routing.graphql.RoutingServicesView``, ...) and annotates its context with it,
``RequestContext[MediaServices]``. The composition root's bundle (``api.clients.ApiServices``)
satisfies every one of them, which ``tests/api/test_services.py`` checks.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.fastapi import BaseContext

from tenants.crm.settings.regions import RegionCache
from tenants.errors import Forbidden, Unauthenticated
from tenants.identity import browser_session
from tenants.identity import service as identity_service
from tenants.identity.browser_session import BrowserSessions
from tenants.identity.principal import Principal
from tenants.identity.principal_cache import PrincipalCache
from tenants.identity.service import RateLimits
from tenants.identity.tokens import TokenSigner
from tenants.settings import Settings

log = logging.getLogger("hotline.graphql")

ServicesT = TypeVar("ServicesT", covariant=True)
"""The process's client bundle, as the reading room declares it."""


@dataclass
class RequestContext(BaseContext, Generic[ServicesT]):
    """What every resolver gets as ``info.context``."""

    session: AsyncSession
    settings: Settings
    browser_sessions: BrowserSessions
    """The process's list of logged-out browser sessions."""
    signer: TokenSigner
    rate_limits: RateLimits
    principals: PrincipalCache
    """The process's memory of confirmed bearer-token principals."""
    regions: RegionCache
    """The process's memory of tenants' default phone regions (CRM settings)."""
    client_ip: str
    credential: str | None
    services: ServicesT
    """The process's clients, seen through the reading room's ``Protocol``."""
    cookie_session: bool = False
    """The credential came from the browser's session cookie (not a header)."""
    csrf_valid: bool = False
    """The request presented the CSRF token of its session cookie."""
    browser: bool = False
    """A page of this server sent the request (same-origin ``Origin``): it gets cookies."""
    mutation: bool = field(default=False, init=False)
    """Set by the schema before execution: this operation is a mutation."""
    loaders: dict[Any, Any] = field(default_factory=dict, init=False)
    _principal: Principal | None = field(default=None, init=False)
    _auth_lock: asyncio.Lock = field(default_factory=asyncio.Lock, init=False)
    _after_commit: list[Callable[[], Awaitable[object]]] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        super().__init__()

    async def principal(self) -> Principal:
        """The authenticated caller; UNAUTHENTICATED without valid credentials."""
        async with self._auth_lock:
            if self._principal is None:
                if not self.credential:
                    raise Unauthenticated("authentication required")
                if self.cookie_session:
                    await self._check_browser_session(self.credential)
                self._principal = await identity_service.authenticate(
                    session=self.session,
                    credential=self.credential,
                    signer=self.signer,
                    principals=self.principals,
                    limits=self.rate_limits,
                )
        return self._principal

    async def _check_browser_session(self, token: str) -> None:
        if self.mutation and not self.csrf_valid:
            raise Forbidden("missing or wrong CSRF token: send the X-CSRF-Token header")
        if await self.browser_sessions.ended(token):
            raise Unauthenticated("this session was logged out")

    @property
    def public_base_url(self) -> str:
        """Where people reach the web app, for links in messages.

        Configured, never taken from the request's Host header (which a caller controls).
        """
        api = self.settings.api
        return (api.public_url or f"http://{api.host}:{api.port}").rstrip("/")

    @property
    def secure_cookies(self) -> bool:
        """Whether session cookies carry ``Secure`` (always outside dev and test)."""
        return self.settings.secure_cookies

    def start_browser_session(self, token: str) -> None:
        """Set the session and CSRF cookies on the response to one of this server's pages.

        API clients (no same-origin ``Origin`` header) get only the token in the body.
        """
        if not self.browser:
            return
        browser_session.set_session_cookies(
            self.response,
            signer=self.signer,
            token=token,
            max_age=self.signer.ttl_seconds,
            secure=self.secure_cookies,
        )

    async def end_browser_session(self) -> None:
        """Clear the cookies, and refuse this session's token from now on."""
        if self.cookie_session and self.credential:
            await self.browser_sessions.end(self.credential, ttl_seconds=self.signer.ttl_seconds)
        browser_session.clear_session_cookies(self.response, secure=self.secure_cookies)

    def after_commit(self, callback: Callable[[], Awaitable[object]]) -> None:
        """Run ``callback`` once the request's transaction has committed; never on rollback.

        For side effects outside PostgreSQL (such as publishing to Redis) that must not
        show a change the database later rolled back.
        """
        self._after_commit.append(callback)

    async def run_after_commit(self, *, committed: bool) -> None:
        """Run (``committed``) or drop the callbacks; a failing callback is logged."""
        callbacks, self._after_commit = self._after_commit, []
        if not committed:
            return
        for callback in callbacks:
            try:
                await callback()
            except Exception:
                log.exception("after-commit callback failed")

    @property
    def max_page_size(self) -> int:
        """The connection page-size cap."""
        return self.settings.api.max_page_size
