"""Identity's DataLoaders: users by id, per request and tenant."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from tenants.graphql.context import RequestContext
from tenants.graphql.loaders import tenant_loader
from tenants.identity import repository
from tenants.identity.models import User


def users(ctx: RequestContext, tenant_id: uuid.UUID) -> DataLoader[uuid.UUID, User | None]:
    """Users by id (owners, assignees, agents)."""

    async def fetch(tenant: uuid.UUID, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, User]:
        return await repository.users_by_ids(ctx.session, tenant_id=tenant, ids=ids)

    return tenant_loader(ctx, "identity.users", tenant_id, fetch)
