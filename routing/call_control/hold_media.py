"""Music on hold for a queued caller: early media through rtpengine (docs/voice.md)."""

from __future__ import annotations

import contextlib
import logging

from media_plane.rtpengine.early_media import start_hold_media
from media_plane.rtpengine.errors import RtpengineError
from routing.call_control.schemas import NewCallIn
from routing.clients import RoutingServices
from routing.directory_reader import QueueConfig

log = logging.getLogger("hotline.routing.hold_media")


def moh_file(services: RoutingServices, queue: QueueConfig) -> str | None:
    """The queue's MOH file (``off`` disables it), else the process default, else none."""
    if queue.moh == "off":
        return None
    return queue.moh or services.settings.routing.moh_file or None


async def start(services: RoutingServices, call_in: NewCallIn, queue: QueueConfig) -> str:
    """The 183's SDP with MOH playing, or "" (no offer, no MOH, rtpengine failing): the
    caller then hears ringback, as before. Runs before the call is enqueued, so Kamailio's
    re-offer toward an agent always follows this offer."""
    file = moh_file(services, queue)
    if not file or not call_in.sdp or not call_in.from_tag:
        return ""
    try:
        hold = await start_hold_media(
            services.rtpengine,
            call_id=call_in.call_id,
            from_tag=call_in.from_tag,
            offer_sdp=call_in.sdp,
            file=file,
        )
    except RtpengineError as exc:
        log.warning("call=%s: no music on hold: %s", call_in.call_id, exc)
        return ""
    return hold.sdp


async def release(services: RoutingServices, call_id: str) -> None:
    """Free the caller's media when the call was refused after MOH started."""
    with contextlib.suppress(RtpengineError):
        await services.rtpengine.delete(call_id)
