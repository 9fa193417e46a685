"""Per-request DataLoaders, each bound to one tenant so a batch never crosses tenants."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from tenants.graphql.context import RequestContext

Key = TypeVar("Key")
Value = TypeVar("Value")

BatchById = Callable[[uuid.UUID, Sequence[Key]], Awaitable[dict[Key, Value]]]


def tenant_loader(
    ctx: RequestContext, name: str, tenant_id: uuid.UUID, fetch: BatchById[Key, Value]
) -> DataLoader[Key, Value | None]:
    """The request's loader ``name`` for ``tenant_id``, created on first use.

    ``fetch(tenant_id, keys)`` returns a mapping; keys it leaves out load as None.
    Loaders live in the request context, so nothing is cached across requests.
    """
    cache_key = (name, tenant_id)
    existing: Any = ctx.loaders.get(cache_key)
    if existing is None:

        async def load(keys: list[Key]) -> list[Value | None]:
            found = await fetch(tenant_id, keys)
            return [found.get(key) for key in keys]

        existing = DataLoader(load_fn=load)
        ctx.loaders[cache_key] = existing
    return existing
