"""The CRM's DataLoaders (customers, phones, categories), per request and tenant.

``users`` is identity's loader, re-exported for the CRM's owner and author fields.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from tenants.crm.categories import repository as categories_repository
from tenants.crm.customers import repository as customers_repository
from tenants.crm.models import Customer, CustomerCategory, CustomerPhone
from tenants.graphql.context import RequestContext
from tenants.graphql.loaders import tenant_loader
from tenants.identity.loaders import users


def customers(ctx: RequestContext, tenant_id: uuid.UUID) -> DataLoader[uuid.UUID, Customer | None]:
    """Customers by id."""

    async def fetch(tenant: uuid.UUID, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Customer]:
        return await customers_repository.customers_by_ids(ctx.session, tenant_id=tenant, ids=ids)

    return tenant_loader(ctx, "crm.customers", tenant_id, fetch)


def phones(
    ctx: RequestContext, tenant_id: uuid.UUID
) -> DataLoader[uuid.UUID, list[CustomerPhone] | None]:
    """Each customer's phones."""

    async def fetch(
        tenant: uuid.UUID, ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[CustomerPhone]]:
        return await customers_repository.phones_of(ctx.session, tenant_id=tenant, customer_ids=ids)

    return tenant_loader(ctx, "crm.phones", tenant_id, fetch)


def categories(
    ctx: RequestContext, tenant_id: uuid.UUID
) -> DataLoader[uuid.UUID, CustomerCategory | None]:
    """Categories by id."""

    async def fetch(
        tenant: uuid.UUID, ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, CustomerCategory]:
        return await categories_repository.categories_by_ids(ctx.session, tenant_id=tenant, ids=ids)

    return tenant_loader(ctx, "crm.categories", tenant_id, fetch)


__all__ = ["categories", "customers", "phones", "users"]
