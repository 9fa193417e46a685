"""The GraphQL router (HTTP and WebSocket): every result leaves through one error-code map."""

from __future__ import annotations

import logging

from fastapi import Request
from starlette.websockets import WebSocket
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.types import ExecutionResult

from api.graphql.extensions import coded_error

log = logging.getLogger("hotline.api.graphql")


class TransportWSHandler(BaseGraphQLTransportWSHandler):
    """graphql-transport-ws; a client leaving while an event is sent is no server error."""

    async def handle_task_exception(self, error: Exception) -> None:
        if isinstance(error, WebSocketDisconnected):
            log.debug("subscriber left while an event was being sent")
            return
        await super().handle_task_exception(error)


class HotlineGraphQLRouter(GraphQLRouter):
    """A GraphQLRouter that codes errors raised outside the operation (e.g. by the parser cache)."""

    graphql_transport_ws_handler_class = TransportWSHandler

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
