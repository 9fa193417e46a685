"""The HTTP client that sends continue requests (``GET <continue_url>?...``) to the nodes.

aiohttp rather than httpx: a routing replica sends one continue per decision, and httpx's
per-request cost (its pool scans every kept-alive connection per request) was about half of
a replica's CPU under load. The query is encoded as httpx encoded it (``urlencode``: spaces
as ``+``, everything else reserved percent-encoded), so nodes see the same query strings;
building it through ``httpx.URL`` cost about 75 us per decision, a tenth of the replica's
CPU at full load.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import aiohttp
from yarl import URL


def with_params(url: str, params: dict[str, str]) -> str:
    """``url`` with ``params`` merged into its query (a param already there is replaced)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update(params)
    return urlunsplit(parts._replace(query=urlencode(query)))


class ContinueFailed(Exception):
    """The node could not be reached or did not answer in time.

    ``refused``: no connection could be made at all (nobody listens there any more), as
    opposed to a slow or overloaded node.
    """

    def __init__(self, message: str, *, refused: bool = False) -> None:
        super().__init__(message)
        self.refused = refused


class ContinueClient:
    """Kept-alive connections to the nodes; the session opens on first use (inside the loop)."""

    def __init__(self, *, max_connections: int = 32) -> None:
        self.max_connections = max_connections
        self._session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                # Idle connections go after 4 s (httpx kept them 5 s): below common server
                # idle timeouts, so a continue seldom races the node closing its connection.
                connector=aiohttp.TCPConnector(limit=self.max_connections, keepalive_timeout=4),
                # No environment proxies or .netrc: nodes are addressed directly.
                trust_env=False,
                auto_decompress=False,
            )
        return self._session

    async def get(self, url: str, *, params: dict[str, str], timeout_s: float) -> int:
        """GET ``url`` with ``params`` merged into its query; the response's status code."""
        target = URL(with_params(url, params), encoded=True)
        try:
            async with self._open().get(
                target, timeout=aiohttp.ClientTimeout(total=timeout_s), allow_redirects=False
            ) as response:
                await response.read()
                return response.status
        except (aiohttp.ClientError, TimeoutError, ValueError) as err:
            refused = isinstance(err, aiohttp.ClientConnectorError)
            raise ContinueFailed(f"{type(err).__name__}: {err}", refused=refused) from err

    async def aclose(self) -> None:
        """Close every connection."""
        if self._session is not None:
            await self._session.close()
