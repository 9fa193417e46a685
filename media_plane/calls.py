"""Supervisor call control on live calls, scoped to the caller's tenant.

Calls are found through the dialog variables Kamailio stamps at ingress:
``$dlg_var(tenant)`` (routing's ``tenant`` in its 202 answer, or ``tenant=`` on
``/continue``), ``$dlg_var(call)`` (routing's call id) and ``$dlg_var(agent)``. Another
tenant's call is NOT_FOUND, exactly like a call that does not exist.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from media_plane.kamailio.client import Dialog, KamailioRpcClient
from media_plane.kamailio.errors import KamailioError, KamailioRpcError
from tenants.errors import DomainError, ErrorCode, NotFound
from tenants.identity.principal import Principal
from tenants.identity.roles import SUPERVISORS
from tenants.settings import Settings

log = logging.getLogger(__name__)


class MediaUnavailable(DomainError):
    """No Kamailio node answered; nothing was changed."""

    code = ErrorCode.INTERNAL


@dataclass
class MediaControl:
    """The media-plane clients an API process uses (one JSON-RPC client per Kamailio node)."""

    kamailio: list[KamailioRpcClient] = field(default_factory=list)

    @classmethod
    def from_settings(cls, settings: Settings) -> MediaControl:
        """The local Kamailio node from settings (no I/O here)."""
        k = settings.kamailio
        url = f"http://{k.rpc_host}:{k.rpc_port}{k.rpc_path}"
        return cls(kamailio=[KamailioRpcClient(url, timeout=k.rpc_timeout_seconds)])

    async def aclose(self) -> None:
        """Release the clients."""
        for client in self.kamailio:
            await client.aclose()


@dataclass(frozen=True)
class LiveCall:
    """A call in progress on one Kamailio node."""

    call_id: str
    sip_call_id: str
    tenant_id: str
    agent: str | None
    caller: str
    number: str
    answered: bool
    started_at: int | None
    node: str
    dialog: Dialog


def _call_of(dialog: Dialog, node: str) -> LiveCall:
    return LiveCall(
        call_id=dialog.variables.get("call") or dialog.call_id,
        sip_call_id=dialog.call_id,
        tenant_id=dialog.variables.get("tenant", ""),
        agent=dialog.variables.get("agent"),
        caller=dialog.from_uri,
        number=dialog.to_uri,
        answered=dialog.confirmed,
        started_at=dialog.start_ts or None,
        node=node,
        dialog=dialog,
    )


async def _node_calls(client: KamailioRpcClient) -> list[LiveCall]:
    try:
        dialogs = await client.dialogs()
    except KamailioError as exc:
        log.warning("kamailio %s unavailable for call listing: %s", client.url, exc)
        return []
    return [_call_of(d, client.url) for d in dialogs if not d.ended]


async def list_live_calls(*, control: MediaControl, principal: Principal) -> list[LiveCall]:
    """Live calls of the caller's tenant on every node (supervisors, admins, owners)."""
    principal.require(SUPERVISORS, "see live calls")
    tenant = str(principal.tenant_id)
    per_node = await asyncio.gather(*(_node_calls(c) for c in control.kamailio))
    return [call for calls in per_node for call in calls if call.tenant_id == tenant]


async def _find(
    control: MediaControl, principal: Principal, call_id: str
) -> tuple[KamailioRpcClient, LiveCall]:
    tenant = str(principal.tenant_id)
    reachable = 0
    for client in control.kamailio:
        try:
            dialogs = await client.dialogs()
        except KamailioError as exc:
            log.warning("kamailio %s unavailable looking up call %s: %s", client.url, call_id, exc)
            continue
        reachable += 1
        for dialog in dialogs:
            call = _call_of(dialog, client.url)
            if (
                call.tenant_id == tenant
                and not dialog.ended
                and call_id
                in (
                    call.call_id,
                    call.sip_call_id,
                )
            ):
                return client, call
    if reachable == 0 and control.kamailio:
        raise MediaUnavailable("no media node is reachable")
    raise NotFound("no such live call")


async def hang_up_call(*, control: MediaControl, principal: Principal, call_id: str) -> LiveCall:
    """Force hang-up: Kamailio sends BYE to both sides (``dlg.end_dlg``)."""
    principal.require(SUPERVISORS, "hang up calls")
    client, call = await _find(control, principal, call_id)
    try:
        await client.end_dialog(h_entry=call.dialog.h_entry, h_id=call.dialog.h_id)
    except KamailioRpcError as exc:
        if exc.code == 404:
            raise NotFound("no such live call") from exc
        raise MediaUnavailable(f"hang-up failed: {exc.message}") from exc
    except KamailioError as exc:
        raise MediaUnavailable("media node unavailable") from exc
    log.info("call %s (tenant %s) hung up by supervisor", call.call_id, call.tenant_id)
    return call
