"""Maps errors on REST endpoints to 4xx JSON with a message (never a traceback)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from tenants.errors import DomainError, RateLimited


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on ``app``."""

    @app.exception_handler(DomainError)
    async def domain_error(_: Request, err: DomainError) -> JSONResponse:
        headers = {"Retry-After": str(err.retry_after)} if isinstance(err, RateLimited) else None
        return JSONResponse(
            {"detail": err.message, "code": err.code.value},
            status_code=err.http_status,
            headers=headers,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, err: RequestValidationError) -> JSONResponse:
        problems = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in err.errors()
        ]
        first = problems[0] if problems else {"loc": [], "msg": "invalid request"}
        message = f"{'.'.join(first['loc'])}: {first['msg']}".strip(": ")
        return JSONResponse(
            {"detail": message, "code": "BAD_USER_INPUT", "errors": problems}, status_code=422
        )
