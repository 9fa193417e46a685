"""The GraphQL HTTP router: every result leaves through one error-code map."""

from __future__ import annotations

from fastapi import Request
from starlette.websockets import WebSocket
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

    def is_websocket_origin_allowed(self, request: WebSocket, origin: str) -> bool:
        """Any page may open the subscription socket (the agent desktop is served elsewhere).

        Strawberry refuses cross-origin handshakes to stop pages riding on cookies; Hotline
        authenticates only with an explicit bearer token or API key, so a foreign page gains
        nothing it does not already hold.
        """
        return True
