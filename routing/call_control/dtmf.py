"""DTMF from callers (and agents) reaching routing as call events.

rtpengine reports each finished key press (``media_plane.rtpengine.dtmf``); Kamailio or any
other node may post them too (``POST /v1/calls/{id}/events`` with ``type: dtmf``). Both end
here, in ``apply_dtmf``, which publishes ``call.dtmf`` through the engine.
"""

from __future__ import annotations

import logging

from media_plane.rtpengine.dtmf import DtmfEvent, DtmfListener, DtmfSink
from routing.call_control.ingress import tenant_of_call
from routing.clients import RoutingServices
from routing.engine.results import ScriptResult

log = logging.getLogger("hotline.routing.dtmf")


async def apply_dtmf(
    services: RoutingServices, *, call_id: str, digits: str, by: str, at_ms: int = 0
) -> ScriptResult | None:
    """``call.dtmf`` for a call routing knows; None for a call it never saw (a callback's
    own rtpengine call, another node's test call)."""
    tenant_id = await tenant_of_call(services, call_id)
    if tenant_id is None:
        return None
    result = await services.engine.dtmf(
        tenant_id=tenant_id, call_id=call_id, digits=digits, by=by, at_ms=at_ms
    )
    # A callback taken by DTMF releases the caller (a continue with dst=reject).
    services.dispatcher.submit(result)
    return result


def dtmf_sink(services: RoutingServices) -> DtmfSink:
    """The listener's sink: one rtpengine event → one ``call.dtmf``. The offerer of an
    inbound call's rtpengine session is the caller; the other side is the agent."""

    async def deliver(event: DtmfEvent) -> None:
        by = "caller" if event.from_offerer else "agent"
        result = await apply_dtmf(services, call_id=event.call_id, digits=event.digit, by=by)
        if result is None:
            log.info("DTMF %s for unknown call %s ignored", event.digit, event.call_id)

    return deliver


def dtmf_listener(services: RoutingServices) -> DtmfListener | None:
    """The listener for ``HOTLINE_RTPENGINE_DTMF_LOG_HOST:PORT``, None when unset. Only the
    rtpengine nodes' addresses may send (the DTMF log has no authentication)."""
    r = services.settings.rtpengine
    if r.dtmf_log_port is None:
        return None
    sources = {r.ng_host, r.interface, *(n.rsplit(":", 1)[0] for n in r.nodes)}
    return DtmfListener(
        r.dtmf_log_host, r.dtmf_log_port, dtmf_sink(services), allowed_sources=sources
    )
