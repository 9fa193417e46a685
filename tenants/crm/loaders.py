"""The CRM's DataLoaders (customers, phones, categories, users), per request and tenant."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from tenants.crm import repository
from tenants.crm.models import Customer, CustomerCategory, CustomerPhone
from tenants.graphql.context import RequestContext
from tenants.graphql.loaders import tenant_loader
from tenants.identity import repository as identity_repository
from tenants.identity.models import User


def customers(ctx: RequestContext, tenant_id: uuid.UUID) -> DataLoader[uuid.UUID, Customer | None]:
    """Customers by id."""

    async def fetch(tenant: uuid.UUID, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Customer]:
        return await repository.customers_by_ids(ctx.session, tenant_id=tenant, ids=ids)

    return tenant_loader(ctx, "crm.customers", tenant_id, fetch)


def phones(
    ctx: RequestContext, tenant_id: uuid.UUID
) -> DataLoader[uuid.UUID, list[CustomerPhone] | None]:
    """Each customer's phones."""

    async def fetch(
        tenant: uuid.UUID, ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[CustomerPhone]]:
        return await repository.phones_of(ctx.session, tenant_id=tenant, customer_ids=ids)

    return tenant_loader(ctx, "crm.phones", tenant_id, fetch)


def categories(
    ctx: RequestContext, tenant_id: uuid.UUID
) -> DataLoader[uuid.UUID, CustomerCategory | None]:
    """Categories by id."""

    async def fetch(
        tenant: uuid.UUID, ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, CustomerCategory]:
        return await repository.categories_by_ids(ctx.session, tenant_id=tenant, ids=ids)

    return tenant_loader(ctx, "crm.categories", tenant_id, fetch)


def users(ctx: RequestContext, tenant_id: uuid.UUID) -> DataLoader[uuid.UUID, User | None]:
    """Users by id (owners, assignees)."""

    async def fetch(tenant: uuid.UUID, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, User]:
        return await identity_repository.users_by_ids(ctx.session, tenant_id=tenant, ids=ids)

    return tenant_loader(ctx, "identity.users", tenant_id, fetch)
