"""Waits on media, polled until its condition holds (``tests/serving.py:until``).

Media takes its own time to start (ICE, DTLS, the first RTP packets) and rtpengine deletes
a call a moment after the dialog ends; polling for that instead of sleeping a fixed time
keeps a fast run fast and a slow machine green.
"""

from __future__ import annotations

from typing import Any

from media_plane.rtpengine.client import CallInfo, RtpengineClient
from tests.serving import until


async def media_flowing(ng: RtpengineClient, call_id: str, *, limit_s: float = 10) -> CallInfo:
    """rtpengine's call once both of its legs have received packets."""

    async def both_legs() -> CallInfo | None:
        info = await ng.query(call_id)
        if len(info.legs) == 2 and all(leg.packets > 0 for leg in info.legs):
            return info
        return None

    return await until(both_legs, limit_s=limit_s, what=f"media of {call_id} on both legs")


async def media_released(ng: RtpengineClient, call_id: str, *, limit_s: float = 10) -> None:
    """Until rtpengine no longer holds the call."""

    async def gone() -> bool:
        return call_id not in await ng.list_calls()

    await until(gone, limit_s=limit_s, what=f"rtpengine releasing {call_id}")


async def browser_media(
    page: Any, *, since: dict[str, Any] | None = None, limit_s: float = 10
) -> dict[str, Any]:
    """The softphone's media stats once DTLS is up and packets flow both ways (more of them
    than in ``since``, when given)."""
    floor = since or {"inboundPackets": 0, "outboundPackets": 0}

    async def flowing() -> dict[str, Any] | None:
        stats = await page.evaluate("window.agent.mediaStats()")
        if (
            stats["dtls"] == "connected"
            and stats["inboundPackets"] > floor["inboundPackets"]
            and stats["outboundPackets"] > floor["outboundPackets"]
        ):
            return stats
        return None

    return await until(flowing, limit_s=limit_s, what="the softphone's media")
