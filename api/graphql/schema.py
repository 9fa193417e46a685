"""Composes the domains' GraphQL roots into one schema, with limits and error codes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext, Info

from analytics import graphql as analytics_graphql
from api.graphql.extensions import EdgeTransaction, ErrorCodes, MarkMutations
from media_plane import graphql as media_graphql
from media_plane.prompts import graphql as prompts_graphql
from media_plane.recordings import graphql as recordings_graphql
from routing.break_reasons import graphql as break_reasons_graphql
from routing.config import graphql as routing_config_graphql
from routing.dispositions import graphql as dispositions_graphql
from routing.flows import graphql as flows_graphql
from routing.live import graphql as routing_graphql
from routing.live import subscriptions as routing_subscriptions
from routing.pending_callbacks import graphql as pending_callbacks_graphql
from routing.wrapup import graphql as wrapup_graphql
from tenants.crm import graphql as crm_graphql
from tenants.errors import NotFound
from tenants.followups import graphql as followups_graphql
from tenants.graphql.context import RequestContext
from tenants.graphql.relay import Node, from_global_id
from tenants.identity import graphql as identity_graphql
from tenants.notifications import graphql as notifications_graphql
from tenants.screen_pop import graphql as screen_pop_graphql
from tenants.settings import Settings
from tenants.tickets import graphql as tickets_graphql
from tenants.worklists import graphql as worklists_graphql

NodeResolver = Callable[[RequestContext, Any], Awaitable[Node]]

DOMAINS = (
    identity_graphql,
    crm_graphql,
    tickets_graphql,
    notifications_graphql,
    screen_pop_graphql,
    routing_config_graphql,
    break_reasons_graphql,
    flows_graphql,
    prompts_graphql,
    dispositions_graphql,
    recordings_graphql,
    analytics_graphql,
    media_graphql,
    routing_graphql,
    followups_graphql,
    routing_subscriptions,
    wrapup_graphql,
    worklists_graphql,
    pending_callbacks_graphql,
)
"""Each domain's GraphQL module: ``Query``, ``Mutation``, ``Subscription``, ``TYPES``,
``NODE_RESOLVERS``."""

QUERIES: list[type] = [domain.Query for domain in DOMAINS if hasattr(domain, "Query")]
MUTATIONS: list[type] = [domain.Mutation for domain in DOMAINS if hasattr(domain, "Mutation")]
SUBSCRIPTIONS: list[type] = [
    domain.Subscription for domain in DOMAINS if hasattr(domain, "Subscription")
]
TYPES: list[type] = [t for domain in DOMAINS for t in getattr(domain, "TYPES", ())]
NODE_RESOLVERS: dict[str, NodeResolver] = {
    name: resolver
    for domain in DOMAINS
    for name, resolver in getattr(domain, "NODE_RESOLVERS", {}).items()
}


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Any object by its global id; another tenant's is NOT_FOUND.")
    async def node(self, info: Info[RequestContext, None], id: strawberry.ID) -> Node:
        type_name, row_id = from_global_id(id)
        resolver = NODE_RESOLVERS.get(type_name)
        if resolver is None:
            raise NotFound("no object with this id")
        return await resolver(info.context, row_id)


class HotlineSchema(strawberry.Schema):
    """The schema; error logging happens once, where errors get their codes."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        return None


def build_schema(settings: Settings) -> strawberry.Schema:
    """The public schema with every domain's roots merged in."""
    query = merge_types("Query", (NodeQuery, *QUERIES))
    mutation = merge_types("Mutation", tuple(MUTATIONS))
    subscription = merge_types("Subscription", tuple(SUBSCRIPTIONS))
    limit_rules = [
        *QueryDepthLimiter(max_depth=settings.api.max_query_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.api.max_aliases).validation_rules,
    ]
    return HotlineSchema(
        query=query,
        mutation=mutation,
        subscription=subscription,
        types=TYPES,
        extensions=[
            lambda: AddValidationRules(limit_rules),
            lambda: MaxTokensLimiter(max_token_count=settings.api.max_query_tokens),
            # Hot queries (the screen pop) repeat the same document: parse and validate it
            # once. The cache keys on the rule classes, hence the limits' rules built once.
            lambda: ParserCache(maxsize=1024),
            lambda: ValidationCache(maxsize=1024),
            MarkMutations,
            EdgeTransaction,
            ErrorCodes,
        ],
    )
