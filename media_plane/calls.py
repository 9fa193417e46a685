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
from media_plane.rtpengine.client import RtpengineClient
from media_plane.rtpengine.errors import RtpengineError
from media_plane.sip.credentials import tenant_sip_domain
from media_plane.sip.leg import SipDialog, SipLegClient, SipLegError
from tenants.errors import BadUserInput, DomainError, ErrorCode, NotFound
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
    rtpengine: RtpengineClient | None = None
    legs: SipLegClient | None = None
    sip_domain: str = "sip.hotline.localhost"
    # Listen-in legs this process placed, by listen id. In memory: a multi-replica API must
    # keep SipDialog in Redis so any replica can stop a listen (follow-up).
    listens: dict[str, ListenSession] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Settings) -> MediaControl:
        """The local Kamailio and rtpengine nodes from settings (no I/O here)."""
        k, r = settings.kamailio, settings.rtpengine
        url = f"http://{k.rpc_host}:{k.rpc_port}{k.rpc_path}"
        return cls(
            kamailio=[KamailioRpcClient(url, timeout=k.rpc_timeout_seconds)],
            rtpengine=RtpengineClient(
                r.ng_host, r.ng_port, timeout=r.timeout_seconds, retries=r.retries
            ),
            legs=SipLegClient(k.sip_host, k.sip_port),
            sip_domain=k.sip_domain,
        )

    async def aclose(self) -> None:
        """Release the clients."""
        for client in self.kamailio:
            await client.aclose()
        if self.rtpengine is not None:
            await self.rtpengine.aclose()


@dataclass
class ListenSession:
    """A supervisor listening in: an rtpengine subscription fed to a SIP leg."""

    listen_id: str
    tenant_id: str
    call_id: str
    sip_call_id: str
    to_tag: str
    dialog: SipDialog


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


def call_of(dialog: Dialog, node: str) -> LiveCall:
    """A dialog as a live call (its ``$dlg_var`` stamps read)."""
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
    return [call_of(d, client.url) for d in dialogs if not d.ended]


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
            call = call_of(dialog, client.url)
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
    """Force hang-up: BYE to the agent and to the caller; ``ended`` by ``supervisor``."""
    principal.require(SUPERVISORS, "hang up calls")
    client, call = await _find(control, principal, call_id)
    if control.legs is None:
        await _end_by_rpc(client, call)
    else:
        await end_call(control, call)
    log.info("call %s (tenant %s) hung up by supervisor", call.call_id, call.tenant_id)
    return call


async def _end_by_rpc(client: KamailioRpcClient, call: LiveCall) -> None:
    try:
        await client.end_dialog(h_entry=call.dialog.h_entry, h_id=call.dialog.h_id)
    except KamailioRpcError as exc:
        if exc.code == 404:
            raise NotFound("no such live call") from exc
        raise MediaUnavailable(f"hang-up failed: {exc.message}") from exc
    except KamailioError as exc:
        raise MediaUnavailable("media node unavailable") from exc


async def end_call(control: MediaControl, call: LiveCall) -> tuple[int, int]:
    """BYE to the agent (in the caller's name), then to the caller (in the agent's name),
    both through Kamailio, marked ``X-Hotline-Hangup`` (honoured from trusted sources only).

    Not ``dlg.end_dlg``: Kamailio 5.6 sends its two BYEs one after the other and checks the
    dialog state before the second; when the caller's 200 is processed in between, the
    agent never gets a BYE and ``dialog:end`` does not run (seen about 1 run in 5 here).
    The first BYE through the proxy ends the dialog the normal way. Returns both statuses.
    """
    assert control.legs is not None
    dialog = call.dialog
    host, port = control.legs.proxy
    route = [f"<sip:{host}:{port};lr>"]
    marker = "X-Hotline-Hangup: supervisor\r\n"
    to_agent = SipDialog(
        call_id=dialog.call_id,
        local_tag=dialog.from_tag,
        remote_tag=dialog.to_tag,
        local_uri=dialog.from_uri,
        remote_uri=dialog.to_uri,
        remote_target=dialog.callee_contact,
        route_set=route,
        cseq=dialog.caller_cseq + 10,
    )
    to_caller = SipDialog(
        call_id=dialog.call_id,
        local_tag=dialog.to_tag,
        remote_tag=dialog.from_tag,
        local_uri=dialog.to_uri,
        remote_uri=dialog.from_uri,
        remote_target=dialog.caller_contact,
        route_set=route,
        cseq=dialog.callee_cseq + 10,
    )
    agent_status = await control.legs.bye(to_agent, wait_seconds=3.0, headers=marker)
    caller_status = await control.legs.bye(to_caller, wait_seconds=3.0, headers=marker)
    if agent_status >= 300 and caller_status >= 300:
        raise MediaUnavailable(f"hang-up failed: BYE answered {agent_status}/{caller_status}")
    return agent_status, caller_status


async def listen_to_call(
    *,
    control: MediaControl,
    principal: Principal,
    call_id: str,
    tenant_slug: str,
) -> ListenSession:
    """Ring the supervisor's own softphone with a receive-only leg carrying both parties.

    rtpengine forks the call's media (``subscribe request``, one section per party, offered
    as WebRTC); the leg goes through Kamailio to the supervisor's registered contact, and
    the browser's answer completes the subscription.
    """
    principal.require(SUPERVISORS, "listen to calls")
    if principal.user_id is None:
        raise BadUserInput("listening needs a signed-in user with a softphone")
    if control.rtpengine is None or control.legs is None:
        raise MediaUnavailable("listening needs rtpengine and a SIP leg client")
    _, call = await _find(control, principal, call_id)
    if not call.answered:
        raise BadUserInput("the call is not answered yet")
    domain = tenant_sip_domain(slug=tenant_slug, base_domain=control.sip_domain)
    target = f"sip:{principal.user_id.hex}@{domain}"
    sip_call_id = call.sip_call_id
    try:
        sub = await control.rtpengine.subscribe_request(
            sip_call_id, from_tags=[call.dialog.from_tag, call.dialog.to_tag], webrtc=True
        )
    except RtpengineError as exc:
        raise MediaUnavailable(f"media fork failed: {exc.reason}") from exc
    log.debug("listen offer for %s: %s", call.call_id, sub.sdp)
    try:
        dialog, answer = await control.legs.invite(target=target, sdp=sub.sdp)
    except SipLegError as exc:
        await _unsubscribe(control.rtpengine, sip_call_id, sub.to_tag)
        if exc.status in (404, 480):
            raise BadUserInput("your softphone is not registered") from exc
        raise MediaUnavailable(f"listen leg failed: {exc}") from exc
    try:
        await control.rtpengine.subscribe_answer(sip_call_id, to_tag=sub.to_tag, sdp=answer)
    except RtpengineError as exc:
        await control.legs.bye(dialog)
        await _unsubscribe(control.rtpengine, sip_call_id, sub.to_tag)
        raise MediaUnavailable(f"media fork failed: {exc.reason}") from exc
    session = ListenSession(
        listen_id=dialog.call_id,
        tenant_id=str(principal.tenant_id),
        call_id=call.call_id,
        sip_call_id=sip_call_id,
        to_tag=sub.to_tag,
        dialog=dialog,
    )
    control.listens[session.listen_id] = session
    log.info("supervisor %s listening to call %s", principal.user_id, call.call_id)
    return session


async def _unsubscribe(rtpengine: RtpengineClient, call_id: str, to_tag: str) -> None:
    try:
        await rtpengine.unsubscribe(call_id, to_tag=to_tag)
    except RtpengineError as exc:
        log.warning("unsubscribe %s/%s failed: %s", call_id, to_tag, exc)


async def stop_listening(
    *, control: MediaControl, principal: Principal, listen_id: str
) -> ListenSession:
    """Hang up the listen leg and stop the media fork."""
    principal.require(SUPERVISORS, "listen to calls")
    session = control.listens.get(listen_id)
    if session is None or session.tenant_id != str(principal.tenant_id):
        raise NotFound("no such listen session")
    del control.listens[listen_id]
    if control.legs is not None:
        await control.legs.bye(session.dialog)
    if control.rtpengine is not None:
        await _unsubscribe(control.rtpengine, session.sip_call_id, session.to_tag)
    return session
