"""GraphQL surface of routing configuration: skills, queues, numbers, agent profiles and
settings, each in its own package, merged here in the order the schema lists them."""

from __future__ import annotations

from strawberry.tools import merge_types

from routing.config.agents import graphql as agents
from routing.config.numbers import graphql as numbers
from routing.config.queues import graphql as queues
from routing.config.settings import graphql as settings
from routing.config.skills import graphql as skills

_AGGREGATES = (skills, queues, numbers, agents, settings)

Query = merge_types("Query", tuple(a.Query for a in _AGGREGATES))
Mutation = merge_types("Mutation", tuple(a.Mutation for a in _AGGREGATES))

NODE_RESOLVERS = {
    name: resolve
    for aggregate in _AGGREGATES
    for name, resolve in getattr(aggregate, "NODE_RESOLVERS", {}).items()
}
"""How ``node(id:)`` loads each routing-configuration type, through the services' checks."""

TYPES = [t for aggregate in _AGGREGATES for t in getattr(aggregate, "TYPES", [])]
