"""The per-request GraphQL context: one session, the caller, and the shared clients."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.fastapi import BaseContext

from tenants.errors import Unauthenticated
from tenants.identity import service as identity_service
from tenants.identity.principal import Principal
from tenants.identity.service import RateLimits
from tenants.identity.tokens import TokenSigner
from tenants.settings import Settings

log = logging.getLogger("hotline.graphql")


@dataclass
class RequestContext(BaseContext):
    """What every resolver gets as ``info.context``."""

    session: AsyncSession
    settings: Settings
    redis: Redis
    signer: TokenSigner
    rate_limits: RateLimits
    client_ip: str
    credential: str | None
    services: Any = None
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
                self._principal = await identity_service.authenticate(
                    session=self.session,
                    credential=self.credential,
                    signer=self.signer,
                    limits=self.rate_limits,
                )
        return self._principal

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
