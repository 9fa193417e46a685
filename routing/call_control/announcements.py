"""Position and estimated-wait announcements for callers on music on hold.

The engine's ``announce`` timers (``timers.lua``) name the calls due, with their position
and estimate; this plays the spoken announcement over the MOH (rtpengine plays one file at
a time per caller) and resumes the MOH after it. What is playing lives in this process's
memory only: a crash loses at most one resume, and the next announcement restarts the MOH.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from media_plane.announcements import AnnouncementError, AnnouncementRenderer, position_text
from media_plane.rtpengine.early_media import DTMF_TAG_PREFIX, HOLD_REPEAT_TIMES
from media_plane.rtpengine.errors import RtpengineError
from routing import directory_reader
from routing.call_control import hold_media
from routing.clients import RoutingServices
from tenants import redis_keys as keys

log = logging.getLogger("hotline.routing.announcements")


@dataclass(frozen=True)
class Due:
    """One call due for an announcement, as ``timers.lua`` reports it."""

    tenant_id: str
    call_id: str
    queue_id: str
    position: int
    ewt_s: int


class Announcer:
    """Plays announcements for one routing process; one at a time per call."""

    def __init__(self, services: RoutingServices, renderer: AnnouncementRenderer) -> None:
        self.services = services
        self.renderer = renderer
        self._playing: dict[str, asyncio.Task[None]] = {}

    def submit(self, tenant_id: str, announce: list[list[object]]) -> None:
        """Start the announcements a timer pass reported (``OUT.announce``)."""
        for call_id, queue_id, position, ewt in announce:
            due = Due(tenant_id, str(call_id), str(queue_id), int(str(position)), int(str(ewt)))
            if due.call_id in self._playing:
                continue  # the previous one is still playing: skip this period
            task = asyncio.create_task(self._announce(due))
            self._playing[due.call_id] = task
            task.add_done_callback(lambda _, cid=due.call_id: self._playing.pop(cid, None))

    async def _announce(self, due: Due) -> None:
        services = self.services
        row = await services.redis.hgetall(keys.queue(due.tenant_id, due.queue_id))
        queue = directory_reader.queue_config_of(due.queue_id, row)
        moh = hold_media.moh_file(services, queue) if queue is not None else None
        if moh is None:
            return  # announcements ride on the caller's early media, which MOH opens
        language = row.get("announce_language") or "en"
        try:
            path = await self.renderer.render(
                position_text(due.position, due.ewt_s, language), language
            )
            from_tag = await self._caller_tag(due.call_id)
            if from_tag is None:
                return
            duration = await services.rtpengine.play_media(
                due.call_id, from_tag=from_tag, file=str(path)
            )
            await asyncio.sleep((duration or 3000) / 1000)
            call = await services.engine.call(tenant_id=due.tenant_id, call_id=due.call_id)
            if call.get("state") in ("queued", "reserved"):
                await services.rtpengine.play_media(
                    due.call_id, from_tag=from_tag, file=moh, repeat_times=HOLD_REPEAT_TIMES
                )
        except (AnnouncementError, RtpengineError) as exc:
            log.warning("call=%s: announcement not played: %s", due.call_id, exc)

    async def _caller_tag(self, call_id: str) -> str | None:
        """The caller's From tag: the tag rtpengine's DTMF subscriber names."""
        try:
            info = await self.services.rtpengine.query(call_id)
        except RtpengineError:
            return None  # the call has no media here (simulated, or gone)
        for leg in info.legs:
            if leg.tag.startswith(DTMF_TAG_PREFIX):
                return leg.tag[len(DTMF_TAG_PREFIX) :]
        return None

    async def aclose(self) -> None:
        """Stop the announcements in flight (bounded)."""
        tasks = list(self._playing.values())
        for task in tasks:
            task.cancel()
        if tasks:
            with contextlib.suppress(Exception):
                await asyncio.wait(tasks, timeout=2)
