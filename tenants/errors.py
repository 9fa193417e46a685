"""Domain errors. Each carries the code the API maps to GraphQL and HTTP."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """The closed set of error codes clients can rely on (``extensions.code``)."""

    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    CONFLICT = "CONFLICT"
    RATE_LIMITED = "RATE_LIMITED"
    INTERNAL = "INTERNAL"


HTTP_STATUS = {
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.BAD_USER_INPUT: 422,
    ErrorCode.CONFLICT: 409,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.INTERNAL: 500,
}


class DomainError(Exception):
    """An expected failure with a client-facing message and a stable code."""

    code: ErrorCode = ErrorCode.INTERNAL

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def http_status(self) -> int:
        """The HTTP status for this error on REST endpoints."""
        return HTTP_STATUS[self.code]


class Unauthenticated(DomainError):
    """No valid credentials."""

    code = ErrorCode.UNAUTHENTICATED


class Forbidden(DomainError):
    """Authenticated, but the role may not do this."""

    code = ErrorCode.FORBIDDEN


class NotFound(DomainError):
    """No such object in the caller's tenant (another tenant's objects are not found)."""

    code = ErrorCode.NOT_FOUND


class BadUserInput(DomainError):
    """The input is invalid; nothing was written."""

    code = ErrorCode.BAD_USER_INPUT


class Conflict(DomainError):
    """The write would break a uniqueness or state rule."""

    code = ErrorCode.CONFLICT


class RateLimited(DomainError):
    """Too many attempts; retry after ``retry_after`` seconds."""

    code = ErrorCode.RATE_LIMITED

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
