"""A typed async client for Kamailio's JSON-RPC over HTTP (jsonrpcs + xhttp).

Kamailio answers errors as ``{"error": {"code", "message"}}`` with the HTTP status equal to
the code, so the body is parsed whatever the status. Params are positional: jsonrpcs
ignores named ones. Call sites never build payloads; they call the typed methods below.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from dataclasses import dataclass, field
from typing import Any

import httpx

from media_plane.kamailio.errors import KamailioRpcError, KamailioUnavailable
from media_plane.metrics import observe_rpc

log = logging.getLogger(__name__)

# Read-only methods may be retried after a read timeout; the rest only when the request
# provably never left (connect errors), so a BYE is never sent twice.
_IDEMPOTENT = frozenset(
    {
        "dlg.list",
        "dlg.list_match",
        "dlg.stats_active",
        "stats.get_statistics",
        "ws.dump",
        "rtpengine.show",
        "rtpengine.enable",
        "dispatcher.list",
        "dispatcher.set_state",
        "core.version",
        "core.uptime",
    }
)


@dataclass(frozen=True)
class Dialog:
    """One dialog as ``dlg.list`` reports it; ``variables`` are the ``$dlg_var`` values."""

    h_entry: int
    h_id: int
    call_id: str
    from_uri: str
    to_uri: str
    state: int
    from_tag: str
    to_tag: str
    start_ts: int
    variables: dict[str, str] = field(default_factory=dict)
    caller_cseq: int = 0
    callee_cseq: int = 0
    caller_contact: str = ""
    callee_contact: str = ""

    @property
    def confirmed(self) -> bool:
        """Answered: 3 (200 sent, ACK pending) or 4 (confirmed); 5 is deleted."""
        return self.state in (3, 4)

    @property
    def ended(self) -> bool:
        """Ended dialogs linger in ``dlg.list`` with state 5."""
        return self.state >= 5

    @classmethod
    def from_rpc(cls, raw: dict[str, Any]) -> Dialog:
        """Parse one entry of ``dlg.list``."""
        variables: dict[str, str] = {}
        for item in raw.get("variables") or []:
            if isinstance(item, dict):
                variables.update({str(k): str(v) for k, v in item.items()})
        caller = raw.get("caller") or {}
        callee = raw.get("callee") or {}
        return cls(
            h_entry=int(raw.get("h_entry", 0)),
            h_id=int(raw.get("h_id", 0)),
            call_id=str(raw.get("call-id", "")),
            from_uri=str(raw.get("from_uri", "")),
            to_uri=str(raw.get("to_uri", "")),
            state=int(raw.get("state", 0)),
            from_tag=str(caller.get("tag", "")),
            to_tag=str(callee.get("tag", "")),
            start_ts=int(raw.get("start_ts", 0)),
            variables=variables,
            caller_cseq=_int(caller.get("cseq")),
            callee_cseq=_int(callee.get("cseq")),
            caller_contact=str(caller.get("contact", "")),
            callee_contact=str(callee.get("contact", "")),
        )


def _int(value: Any) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return 0


@dataclass(frozen=True)
class ActiveDialogStats:
    """``dlg.stats_active``: live dialogs by state."""

    starting: int
    connecting: int
    answering: int
    ongoing: int
    all: int


@dataclass(frozen=True)
class RtpengineNodeStatus:
    """One rtpengine socket as Kamailio's rtpengine module sees it."""

    url: str
    set: int
    weight: int
    disabled: bool


@dataclass(frozen=True)
class DispatcherTarget:
    """One dispatcher destination; ``flags`` like ``AP`` (active, probing) or ``IX``."""

    set_id: int
    uri: str
    flags: str
    priority: int

    @property
    def active(self) -> bool:
        """``A`` is active; ``I`` inactive, ``D`` disabled."""
        return self.flags.startswith("A")


class KamailioRpcClient:
    """JSON-RPC to one Kamailio node. One instance per node, built by the composition root."""

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 2.0,
        retries: int = 2,
        backoff: float = 0.05,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        self.url = url
        self.retries = retries
        self.backoff = backoff
        self._own_http = http is None
        self._http = http or httpx.AsyncClient(timeout=timeout)
        self._ids = itertools.count(1)

    async def aclose(self) -> None:
        """Release the HTTP connection pool (when this client created it)."""
        if self._own_http:
            await self._http.aclose()

    async def __aenter__(self) -> KamailioRpcClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def call(self, method: str, *params: Any) -> Any:
        """Invoke ``method`` with positional ``params``; returns ``result`` or raises."""
        payload = {"jsonrpc": "2.0", "method": method, "params": list(params), "id": 0}
        attempt = 0
        with observe_rpc("kamailio", method):
            while True:
                payload["id"] = next(self._ids)
                try:
                    response = await self._http.post(self.url, json=payload)
                    break
                except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                    failure: Exception = exc
                except httpx.TimeoutException as exc:
                    if method not in _IDEMPOTENT:
                        raise KamailioUnavailable(self.url, f"timeout: {exc!r}") from exc
                    failure = exc
                except httpx.HTTPError as exc:
                    raise KamailioUnavailable(self.url, repr(exc)) from exc
                attempt += 1
                if attempt > self.retries:
                    raise KamailioUnavailable(self.url, repr(failure)) from failure
                await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
        return self._result(method, response)

    def _result(self, method: str, response: httpx.Response) -> Any:
        try:
            body = response.json()
        except ValueError as exc:
            raise KamailioUnavailable(
                self.url, f"HTTP {response.status_code} without a JSON-RPC body"
            ) from exc
        if not isinstance(body, dict):
            raise KamailioUnavailable(self.url, "JSON-RPC body is not an object")
        error = body.get("error")
        if error is not None:
            if isinstance(error, dict):
                code = int(error.get("code", response.status_code))
                message = str(error.get("message", ""))
            else:
                code, message = response.status_code, str(error)
            raise KamailioRpcError(code, message, method=method)
        if "result" not in body:
            if response.status_code >= 400:
                raise KamailioRpcError(response.status_code, response.reason_phrase, method=method)
            return None
        return body["result"]

    # dialogs

    async def dialogs(self) -> list[Dialog]:
        """Every dialog Kamailio holds, including recently ended ones (state 5)."""
        result = await self.call("dlg.list")
        return [Dialog.from_rpc(item) for item in result or []]

    async def dialogs_by_call_id(self, call_id: str) -> list[Dialog]:
        """``dlg.list_match callid eq``; an empty list when there is none."""
        try:
            result = await self.call("dlg.list_match", "callid", "eq", call_id)
        except KamailioRpcError as exc:
            if exc.code == 404:
                return []
            raise
        return [Dialog.from_rpc(item) for item in result or []]

    async def end_dialog(self, *, h_entry: int, h_id: int) -> None:
        """``dlg.end_dlg``: BYE to both sides. A gone dialog is ``KamailioRpcError(404)``."""
        await self.call("dlg.end_dlg", h_entry, h_id)

    async def terminate_dialog(self, *, call_id: str, from_tag: str, to_tag: str) -> None:
        """``dlg.terminate_dlg``: BYE to both sides, addressed by SIP identifiers."""
        await self.call("dlg.terminate_dlg", call_id, from_tag, to_tag)

    async def active_dialogs(self) -> ActiveDialogStats:
        """``dlg.stats_active``: count live calls (ended ones linger in ``dlg.list``)."""
        r = await self.call("dlg.stats_active")
        return ActiveDialogStats(
            starting=int(r.get("starting", 0)),
            connecting=int(r.get("connecting", 0)),
            answering=int(r.get("answering", 0)),
            ongoing=int(r.get("ongoing", 0)),
            all=int(r.get("all", 0)),
        )

    # statistics and transports

    async def statistics(self, group: str = "all") -> dict[str, int]:
        """``stats.get_statistics``, parsed from its ``"name = value"`` lines."""
        result = await self.call("stats.get_statistics", group)
        stats: dict[str, int] = {}
        for line in result or []:
            name, _, value = str(line).partition(" = ")
            try:
                stats[name.strip()] = int(value.strip())
            except ValueError:
                continue
        return stats

    async def websockets(self) -> list[dict[str, Any]]:
        """``ws.dump``: open WebSocket connections (agents' browsers)."""
        result = await self.call("ws.dump")
        return list((result or {}).get("connections") or [])

    # rtpengine as Kamailio's rtpengine module sees it

    async def rtpengine_nodes(self) -> list[RtpengineNodeStatus]:
        """``rtpengine.show all``."""
        result = await self.call("rtpengine.show", "all")
        return [
            RtpengineNodeStatus(
                url=str(r.get("url", "")),
                set=int(r.get("set", 0)),
                weight=int(r.get("weight", 1)),
                disabled=bool(r.get("disabled", 0)),
            )
            for r in result or []
        ]

    async def rtpengine_enable(self, url: str, enabled: bool) -> bool:
        """``rtpengine.enable``; True when Kamailio reached the node (``status`` != fail)."""
        result = await self.call("rtpengine.enable", url, 1 if enabled else 0)
        return str((result or {}).get("status", "")).lower() != "fail"

    # dispatcher

    async def dispatcher_targets(self) -> list[DispatcherTarget]:
        """``dispatcher.list`` flattened to one row per destination (none: empty list)."""
        try:
            result = await self.call("dispatcher.list")
        except KamailioRpcError as exc:
            if exc.message == "No Destination Sets":
                return []
            raise
        targets: list[DispatcherTarget] = []
        for record in (result or {}).get("RECORDS") or []:
            group = record.get("SET") or {}
            for target in group.get("TARGETS") or []:
                dest = target.get("DEST") or {}
                targets.append(
                    DispatcherTarget(
                        set_id=int(group.get("ID", 0)),
                        uri=str(dest.get("URI", "")),
                        flags=str(dest.get("FLAGS", "")),
                        priority=int(dest.get("PRIORITY", 0)),
                    )
                )
        return targets

    async def dispatcher_set_state(self, *, set_id: int, uri: str, state: str) -> None:
        """``dispatcher.set_state``: ``state`` is ``a`` (active), ``i`` (inactive), ``d``."""
        if state not in {"a", "i", "d", "ap", "ip"}:
            raise ValueError(f"unknown dispatcher state {state!r}")
        await self.call("dispatcher.set_state", state, set_id, uri)

    # originate

    async def originate(
        self,
        *,
        request_uri: str,
        from_uri: str,
        to_uri: str,
        headers: str = "",
        body: str = "",
        method: str = "INVITE",
    ) -> Any:
        """``tm.t_uac_start``: send a new request (callbacks). ``headers`` are CRLF-ended."""
        extra = f"From: <{from_uri}>\r\nTo: <{to_uri}>\r\n{headers}"
        if body:
            extra += "Content-Type: application/sdp\r\n"
            return await self.call("tm.t_uac_start", method, request_uri, ".", ".", extra, body)
        return await self.call("tm.t_uac_start", method, request_uri, ".", ".", extra)
