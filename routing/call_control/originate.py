"""Dialling a customer back when a callback's turn comes.

The media plane's ``KamailioCallbackOriginator`` (``media_plane/callbacks/originator.py``) bridges
the agent and the customer through Kamailio and rtpengine. ``HttpOriginator`` asks any
endpoint that speaks the same shape as Kamailio's continue (the simulator's virtual node
does) to place the call, and ``NoOriginator`` says plainly that nobody can dial.
"""

from __future__ import annotations

import logging
from typing import Protocol

import httpx

from media_plane.callbacks.bridge import CallbackRequest

log = logging.getLogger("hotline.routing.originate")


class CallbackOriginator(Protocol):
    """Places the outbound leg of a callback; its dialog events come back on the call id."""

    async def originate(self, request: CallbackRequest) -> bool:
        """True when the call is being placed; False when it cannot be."""
        ...


class NoOriginator:
    """No media plane configured: callbacks cannot be dialled."""

    async def originate(self, request: CallbackRequest) -> bool:
        """Always False."""
        log.warning("callback call=%s: no originator configured", request.call_id)
        return False


class HttpOriginator:
    """``GET <url>?call_id=&number=&dst=`` (the simulator's virtual node answers it)."""

    def __init__(self, http: httpx.AsyncClient, url: str) -> None:
        self.http = http
        self.url = url

    async def originate(self, request: CallbackRequest) -> bool:
        """True on a 2xx answer."""
        try:
            response = await self.http.get(
                self.url,
                params={
                    "call_id": request.call_id,
                    "number": request.number,
                    "dst": request.agent_uri,
                },
            )
        except httpx.HTTPError as err:
            log.warning("callback call=%s: originate failed: %s", request.call_id, err)
            return False
        return response.is_success
