"""Schema extensions: the edge transaction and the error-code map."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.execution import StreamExecutionResult
from strawberry.types.graphql import OperationType

from tenants.errors import BadUserInput, DomainError, ErrorCode, RateLimited
from tenants.graphql.connection import ConnectionContext

log = logging.getLogger("hotline.api.graphql")


def _with_code(
    error: GraphQLError, code: ErrorCode, message: str | None = None, **extra: object
) -> GraphQLError:
    return GraphQLError(
        message=message or error.message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions={**(error.extensions or {}), "code": code.value, **extra},
    )


def coded_error(error: GraphQLError) -> GraphQLError:
    """``error`` with ``extensions.code`` set; unexpected failures are masked as INTERNAL."""
    if (error.extensions or {}).get("code"):
        return error  # already coded (errors pass here and through the router's hook)
    original = error.original_error
    if isinstance(original, RateLimited):
        return _with_code(error, original.code, original.message, retryAfter=original.retry_after)
    if isinstance(original, DomainError):
        extra = {"field": original.field} if original.field else {}
        return _with_code(error, original.code, original.message, **extra)
    if original is None or isinstance(original, GraphQLError):
        # Syntax, validation, depth and size-limit errors: the document is at fault.
        return _with_code(error, ErrorCode.BAD_USER_INPUT)
    log.error("unexpected error in %s", error.path, exc_info=original)
    return _with_code(error, ErrorCode.INTERNAL, "internal error")


class ErrorCodes(SchemaExtension):
    """Gives every error a code from the closed set in DESIGN.md."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [coded_error(error) for error in result.errors]

    def on_stream_result(self, result: StreamExecutionResult) -> Iterator[None]:
        # Subscriptions (WebSocket) send each result before the operation ends.
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = [coded_error(error) for error in errors]  # type: ignore[union-attr]
        yield


class MarkMutations(SchemaExtension):
    """Tells the request context whether it runs a mutation (the browser session's CSRF check).

    A cookie-authenticated mutation must carry the session's CSRF token; queries need not,
    since another site can send them but never read their answers.
    """

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context.context
        if hasattr(context, "mutation"):
            context.mutation = self.execution_context.operation_type is OperationType.MUTATION
        yield


class EdgeTransaction(SchemaExtension):
    """Commits the request's transaction when the operation succeeded, else rolls back.

    One failing field rolls back the whole request, so a mutation either happens
    entirely or leaves no trace. The context dependency closes the session, which
    rolls back whatever was not committed here. After a successful commit it runs the
    context's after-commit callbacks (Redis publications), and drops them otherwise.
    """

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context.context
        if isinstance(context, ConnectionContext):
            # No request transaction on a WebSocket: each subscription event opens its own.
            if self.execution_context.operation_type is not OperationType.SUBSCRIPTION:
                raise BadUserInput(
                    "the WebSocket carries subscriptions; send queries and mutations over HTTP"
                )
            yield
            return
        yield
        session = getattr(context, "session", None)
        result = self.execution_context.result
        if session is None or result is None or not session.in_transaction():
            return
        run_after_commit = getattr(context, "run_after_commit", None)
        if getattr(result, "errors", None):
            await session.rollback()
            if run_after_commit is not None:
                await run_after_commit(committed=False)
            return
        try:
            await session.commit()
        except Exception as err:
            await session.rollback()
            if run_after_commit is not None:
                await run_after_commit(committed=False)
            log.exception("commit failed")
            result.data = None
            result.errors = [
                GraphQLError(
                    "the change could not be saved",
                    original_error=err,
                    extensions={"code": ErrorCode.CONFLICT.value},
                )
            ]
            return
        if run_after_commit is not None:
            await run_after_commit(committed=True)
