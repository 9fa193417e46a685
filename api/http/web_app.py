"""The web app: Vite's build (``web/dist``) served at ``/``, with the browser's security headers.

Hashed files under ``/assets/`` never change, so they are cached for a year (``immutable``);
``index.html`` names them, so it is revalidated on every load (``no-cache``). Any other GET
that no API route matches, from a browser (``Accept: text/html``), is a client-side route and
answers with ``index.html``; API clients get a JSON 404 (and the metrics say ``unmatched``).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "connect-src 'self' ws: wss:",
        "font-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    )
)
"""Everything the app runs comes from this server: no CDN, no inline script or style."""

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "microphone=(self), camera=(), geolocation=(), payment=()",
}
"""Sent on every response of the API."""

HSTS = "max-age=31536000; includeSubDomains"

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"

API_PREFIXES = (
    "/graphql",
    "/v1/",
    "/metrics",
    "/healthz",
    "/readyz",
    "/docs",
    "/openapi.json",
    "/assets/",
)
"""Paths that are never client-side routes: a miss there is a 404, not ``index.html``."""

NOT_BUILT = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Hotline</title></head><body><h1>The Hotline web app is not built</h1>
<p>Install Node.js 20 or newer, then run <code>make run</code> again: it builds the app in
<code>web/</code>. The API is up: GraphQL answers at <a href="/graphql">/graphql</a>.</p>
</body></html>"""


class SecurityHeadersMiddleware:
    """Adds ``SECURITY_HEADERS`` (and HSTS when cookies are ``Secure``) to every response."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        extra = dict(SECURITY_HEADERS)
        if hsts:
            extra["Strict-Transport-Security"] = HSTS
        self._headers = [(k.lower().encode(), v.encode()) for k, v in extra.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                headers = list(message.get("headers", []))
                headers.extend(h for h in self._headers if h[0] not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _inside(root: Path, relative: str) -> Path | None:
    """``root/relative`` if it is a file inside ``root`` (no ``..`` escapes)."""
    try:
        candidate = (root / relative).resolve()
    except (OSError, ValueError):
        return None
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


def mount_web_app(app: FastAPI, web_dir: Path) -> None:
    """Serve the built app from ``web_dir``; register after every API route."""
    root = web_dir.resolve()
    page_headers = {"Cache-Control": REVALIDATE, "Content-Security-Policy": CONTENT_SECURITY_POLICY}

    def index() -> Response:
        page = root / "index.html"
        if not page.is_file():
            return HTMLResponse(NOT_BUILT, status_code=503, headers={"Cache-Control": "no-store"})
        return FileResponse(page, media_type="text/html", headers=page_headers)

    @app.get("/assets/{path:path}", include_in_schema=False)
    async def asset(path: str) -> Response:
        found = _inside(root / "assets", path)
        if found is None:
            return JSONResponse({"detail": f"no asset {path}"}, status_code=404)
        return FileResponse(found, headers={"Cache-Control": IMMUTABLE})

    @app.get("/", include_in_schema=False)
    async def home() -> Response:
        return index()

    async def client_route(request: Request, exc: StarletteHTTPException) -> Response:
        """No API route matched: a browser navigating to a client route gets the app."""
        url_path = request.url.path
        path = url_path.lstrip("/")
        wants_page = request.method in {"GET", "HEAD"} and "text/html" in request.headers.get(
            "accept", ""
        )
        if exc.status_code == 404 and not url_path.startswith(API_PREFIXES):
            found = _inside(root, path) if path else None
            if found is not None and found.name != "index.html":
                # Unhashed files of the build's public/ folder (icons, robots.txt).
                return FileResponse(found, headers={"Cache-Control": REVALIDATE})
            if wants_page and "." not in path.rsplit("/", 1)[-1]:
                return index()
        return JSONResponse(
            {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
        )

    app.add_exception_handler(StarletteHTTPException, client_route)  # type: ignore[arg-type]
