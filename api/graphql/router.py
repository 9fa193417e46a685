"""The GraphQL HTTP router: every result leaves through one error-code map."""

from __future__ import annotations

from fastapi import Request
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from api.graphql.extensions import coded_error


class HotlineGraphQLRouter(GraphQLRouter):
    """A GraphQLRouter that codes errors raised outside the operation (e.g. by the parser cache)."""

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        if result.errors:
            result.errors = [coded_error(error) for error in result.errors]
        return await super().process_result(request, result)
