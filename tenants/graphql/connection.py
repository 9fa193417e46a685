"""The GraphQL context of one WebSocket connection (subscriptions).

A subscription lives for minutes or hours, so it must not hold a database session (and a
pooled connection) for its whole life the way an HTTP request does. Instead each event a
subscription yields runs in its own short transaction: the subscription opens it with
``event_session`` around its ``yield``, and the fields resolved for that event (the screen
pop's tickets and calls, DataLoaders) find it as ``info.context.session``.

The event scope is a ``ContextVar``: each operation of a connection runs in its own task
(both WebSocket protocols), and graphql-core resolves an event's fields in the task that
pulled it from the generator, so concurrent subscriptions of one connection never share a
session.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.fastapi import BaseContext

from tenants.crm.settings.regions import RegionCache
from tenants.database.session import Database, bind_tenant
from tenants.errors import Unauthenticated
from tenants.graphql.context import RequestContext, ServicesT
from tenants.identity import service as identity_service
from tenants.identity.browser_session import BrowserSessions
from tenants.identity.principal import Principal
from tenants.identity.principal_cache import PrincipalCache
from tenants.identity.service import RateLimits
from tenants.identity.tokens import TokenSigner
from tenants.settings import Settings


@dataclass
class _EventScope:
    session: AsyncSession
    loaders: dict[Any, Any] = field(default_factory=dict)


_EVENT_SCOPE: ContextVar[_EventScope | None] = ContextVar("hotline_event_scope", default=None)


def bearer_credential(value: object) -> str | None:
    """The credential of an ``Authorization`` value: ``Bearer <x>`` (or a bare ``<x>``)."""
    if not isinstance(value, str):
        return None
    scheme, _, credential = value.strip().partition(" ")
    if not credential:
        return scheme or None  # a bare token, as some WebSocket clients send it
    if scheme.lower() == "bearer" and credential.strip():
        return credential.strip()
    return None


class ConnectionContext(RequestContext[ServicesT]):
    """``info.context`` of every operation on one WebSocket connection.

    Credentials come from the ``connection_init`` payload (``{"Authorization": "Bearer …"}``,
    any case), because browsers cannot set headers on a WebSocket, else from the upgrade
    request's ``Authorization`` header. The principal is resolved once per connection.
    """

    def __init__(
        self,
        *,
        database: Database,
        settings: Settings,
        browser_sessions: BrowserSessions,
        signer: TokenSigner,
        rate_limits: RateLimits,
        principals: PrincipalCache,
        regions: RegionCache,
        client_ip: str,
        header_credential: str | None,
        services: ServicesT,
        cookie_session: bool = False,
    ) -> None:
        # RequestContext's generated __init__ would assign ``session``, a property here.
        BaseContext.__init__(self)
        self.database = database
        self.settings = settings
        self.browser_sessions = browser_sessions
        self.signer = signer
        self.rate_limits = rate_limits
        self.principals = principals
        self.regions = regions
        self.client_ip = client_ip
        self.services = services
        self._header_credential = header_credential
        self._cookie_credential = cookie_session
        self._principal: Principal | None = None
        self._auth_lock = asyncio.Lock()
        self._after_commit: list[Callable[[], Awaitable[object]]] = []

    def __repr__(self) -> str:
        return f"ConnectionContext(client_ip={self.client_ip!r})"

    @property
    def credential(self) -> str | None:  # type: ignore[override]
        """The bearer token or API key of the connection, if any."""
        params = self.connection_params if isinstance(self.connection_params, dict) else {}
        for name, value in params.items():
            if isinstance(name, str) and name.lower() == "authorization":
                return bearer_credential(value)
        return self._header_credential

    @property
    def session(self) -> AsyncSession:  # type: ignore[override]
        """The current event's session (only inside ``event_session``)."""
        scope = _EVENT_SCOPE.get()
        if scope is None:
            raise RuntimeError("no event session: open one with ConnectionContext.event_session")
        return scope.session

    @property
    def loaders(self) -> dict[Any, Any]:  # type: ignore[override]
        """DataLoaders of the current event, so nothing is cached from one event to the next."""
        scope = _EVENT_SCOPE.get()
        if scope is None:
            raise RuntimeError("no event session: open one with ConnectionContext.event_session")
        return scope.loaders

    async def principal(self) -> Principal:
        """The authenticated caller; UNAUTHENTICATED without valid credentials."""
        async with self._auth_lock:
            if self._principal is None:
                credential = self.credential
                if not credential:
                    raise Unauthenticated("authentication required")
                if (
                    self._cookie_credential
                    and credential == self._header_credential
                    and await self.browser_sessions.ended(credential)
                ):
                    raise Unauthenticated("this session was logged out")
                async with self.database.transaction() as session:
                    self._principal = await identity_service.authenticate(
                        session=session,
                        credential=credential,
                        signer=self.signer,
                        principals=self.principals,
                        limits=self.rate_limits,
                    )
        return self._principal

    @asynccontextmanager
    async def event_session(self, tenant_id: uuid.UUID) -> AsyncIterator[AsyncSession]:
        """A transaction bound to ``tenant_id`` for resolving one event; rolled back after.

        Events only read; closing the session rolls the transaction back.
        """
        async with self.database.sessions() as session:
            await session.begin()
            await bind_tenant(session, tenant_id)
            previous = _EVENT_SCOPE.get()
            # set() rather than reset(token): a generator finalised by the event loop closes
            # in another context, where the token would not be valid.
            _EVENT_SCOPE.set(_EventScope(session))
            try:
                yield session
            finally:
                _EVENT_SCOPE.set(previous)
