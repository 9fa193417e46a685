"""Composes the domains' GraphQL roots into one schema, with limits and error codes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext, Info

from api.graphql.extensions import EdgeTransaction, ErrorCodes
from routing import graphql as routing_graphql
from tenants.errors import NotFound
from tenants.graphql.context import RequestContext
from tenants.graphql.relay import Node, from_global_id
from tenants.identity import graphql as identity_graphql
from tenants.settings import Settings

NodeResolver = Callable[[RequestContext, Any], Awaitable[Node]]

QUERIES: list[type] = [identity_graphql.Query, routing_graphql.Query]
MUTATIONS: list[type] = [identity_graphql.Mutation, routing_graphql.Mutation]
TYPES: list[type] = [*identity_graphql.TYPES, *routing_graphql.TYPES]
NODE_RESOLVERS: dict[str, NodeResolver] = {
    **identity_graphql.NODE_RESOLVERS,
    **routing_graphql.NODE_RESOLVERS,
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
    return HotlineSchema(
        query=query,
        mutation=mutation,
        types=TYPES,
        extensions=[
            lambda: QueryDepthLimiter(max_depth=settings.api.max_query_depth),
            lambda: MaxTokensLimiter(max_token_count=settings.api.max_query_tokens),
            lambda: MaxAliasesLimiter(max_alias_count=settings.api.max_aliases),
            EdgeTransaction,
            ErrorCodes,
        ],
    )
