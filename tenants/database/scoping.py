"""The one place that applies the tenant filter to a query (the first isolation wall).

Every repository query starts from ``scoped(select(Model), tenant_id)``; there is no
"all tenants" default. Cross-tenant reads (operators' tooling only) must pass the
explicit ``ALL_TENANTS`` sentinel.
"""

from __future__ import annotations

import enum
import uuid
from typing import Any, TypeVar

from sqlalchemy import Delete, Select, Update

Statement = TypeVar("Statement", Select[Any], Update, Delete)


class _AllTenants(enum.Enum):
    ALL_TENANTS = "all-tenants"


ALL_TENANTS = _AllTenants.ALL_TENANTS
"""Sentinel for the rare operator query that spans tenants; never a default."""

TenantFilter = uuid.UUID | _AllTenants


def scoped(statement: Statement, tenant_id: TenantFilter) -> Statement:
    """Restrict ``statement`` to one tenant's rows of every tenant table it touches."""
    if tenant_id is ALL_TENANTS:
        return statement
    if not isinstance(tenant_id, uuid.UUID):
        raise TypeError(f"tenant_id must be a UUID or ALL_TENANTS, not {type(tenant_id).__name__}")
    if isinstance(statement, Select):
        entities = [
            d["entity"] for d in statement.column_descriptions if d.get("entity") is not None
        ]
    else:
        entities = [statement.entity_description["entity"]]
    tables = {entity for entity in entities if getattr(entity, "__tenant_scoped__", False)}
    if not tables:
        raise TypeError("scoped() needs a statement on a tenant table")
    for entity in tables:
        statement = statement.where(entity.tenant_id == tenant_id)
    return statement
