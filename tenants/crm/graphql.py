"""GraphQL surface of the CRM: customers, categories, custom fields, imports and settings,
each in its own package, merged here in the order the schema lists them."""

from __future__ import annotations

from strawberry.tools import merge_types

from tenants.crm.categories import graphql as categories
from tenants.crm.custom_fields import graphql as custom_fields
from tenants.crm.customers import graphql as customers
from tenants.crm.imports import graphql as imports
from tenants.crm.settings import graphql as settings

_AGGREGATES = (customers, categories, custom_fields, imports, settings)

Query = merge_types("Query", tuple(a.Query for a in _AGGREGATES if hasattr(a, "Query")))
Mutation = merge_types("Mutation", tuple(a.Mutation for a in _AGGREGATES))

NODE_RESOLVERS = {
    name: resolve
    for aggregate in _AGGREGATES
    for name, resolve in getattr(aggregate, "NODE_RESOLVERS", {}).items()
}
"""How ``node(id:)`` loads each CRM type, always through the service's tenant checks."""

TYPES = [t for aggregate in _AGGREGATES for t in getattr(aggregate, "TYPES", [])]
