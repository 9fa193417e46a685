"""The one error map of the Kamailio JSON-RPC client."""

from __future__ import annotations


class KamailioError(Exception):
    """Any failure talking to Kamailio."""


class KamailioRpcError(KamailioError):
    """Kamailio answered with a JSON-RPC error object (``{"error": {code, message}}``)."""

    def __init__(self, code: int, message: str, *, method: str = "") -> None:
        super().__init__(f"{method}: {code} {message}" if method else f"{code} {message}")
        self.code = code
        self.message = message
        self.method = method


class KamailioUnavailable(KamailioError):
    """The node did not answer (refused, timed out, or replied with something not JSON-RPC)."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"kamailio at {url} unavailable: {reason}")
        self.url = url
        self.reason = reason
