"""The call-control endpoints: ``POST /v1/calls`` and ``POST /v1/calls/{id}/events``."""

from __future__ import annotations

import hmac
import re

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from routing.call_control.destinations import reservation_params
from routing.call_control.dtmf import apply_dtmf
from routing.call_control.ingress import accept_call, tenant_of_call
from routing.call_control.schemas import CALL_ID_PATTERN, CallEventIn, NewCallIn
from routing.clients import RoutingServices
from tenants.errors import Conflict, NotFound, Unauthenticated


def services_of(request: Request) -> RoutingServices:
    """The process's routing services."""
    return request.app.state.services


async def require_secret(request: Request) -> None:
    """401 unless ``X-Hotline-Secret`` carries the call-control secret.

    ``async`` on purpose: FastAPI runs a plain ``def`` dependency in a worker thread, a
    thread hop on every request.
    """
    given = request.headers.get("x-hotline-secret", "")
    if not hmac.compare_digest(given.encode(), services_of(request).secret.encode()):
        raise Unauthenticated("missing or wrong X-Hotline-Secret")


router = APIRouter(prefix="/v1", tags=["call control"], dependencies=[Depends(require_secret)])


@router.post("/calls", status_code=202)
async def new_call(call_in: NewCallIn, request: Request) -> JSONResponse:
    """Queue a call (202), or refuse it with its SIP code (200 ``rejected``)."""
    decision = await accept_call(services=services_of(request), call_in=call_in)
    if decision.queued:
        # Kamailio stamps ``tenant`` on the dialog: supervisors' call control relies on it.
        body = {"call": decision.call_id, "status": "queued", "tenant": decision.tenant_id}
        if decision.sdp:
            # Kamailio answers 183 with it: the caller hears music on hold (docs/voice.md).
            body["sdp"] = decision.sdp
        return JSONResponse(body, status_code=202)
    return JSONResponse(
        {"status": "rejected", "code": decision.code, "reason": decision.reason}, status_code=200
    )


@router.post("/calls/{call_id}/events")
async def call_event(call_id: str, event_in: CallEventIn, request: Request) -> JSONResponse:
    """Apply a dialog event; duplicates and late events answer 200 with their status.

    ``{call_id}`` is routing's call id, which is the SIP Call-ID Kamailio announced the call
    with, so either name works. ``agent_failed`` is answered synchronously: Kamailio cannot
    put the call back on hold, so the reply names the next agent (``dst``, ``ring``,
    ``record``) reserved at once, or has no ``dst`` when nobody is free and the call ended.
    """
    services = services_of(request)
    tenant_id = None
    if re.match(CALL_ID_PATTERN, call_id):
        tenant_id = await tenant_of_call(services, call_id)
    if tenant_id is None:
        raise NotFound("unknown call")
    if event_in.type == "dtmf":
        dtmf = await apply_dtmf(
            services,
            call_id=call_id,
            digits=event_in.digits,
            by=event_in.by or "caller",
            at_ms=event_in.at_ms(),
        )
        if dtmf is None or dtmf.status == "not_found":
            raise NotFound("unknown call")
        return JSONResponse({"call": call_id, "status": dtmf.status, "notes": dtmf.notes})
    by = event_in.by or ("system" if event_in.type == "ended" else "")
    result = await services.engine.call_event(
        tenant_id=tenant_id,
        call_id=call_id,
        event_type=event_in.type,
        by=by,
        reason=event_in.reason,
        at_ms=event_in.at_ms(),
        sync=event_in.type == "agent_failed",
        node=event_in.node,
    )
    if result.status == "not_found":
        raise NotFound("unknown call")
    if result.status == "conflict":
        raise Conflict("the call is held by another node")
    services.dispatcher.submit(result)
    body: dict[str, object] = {"call": call_id, "status": result.status, "notes": result.notes}
    attempt = result.extra.get("next_attempt")
    if attempt is not None:
        nxt = next(
            (r for r in result.reservations if r.call_id == call_id and str(r.attempt) == attempt),
            None,
        )
        if nxt is not None:
            body |= reservation_params(
                nxt, tenant_id=tenant_id, domain=services.dispatcher.sip_domain
            )
    return JSONResponse(body)
