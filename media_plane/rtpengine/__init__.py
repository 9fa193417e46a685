"""rtpengine: the typed ng client and the node registry."""

from media_plane.rtpengine.client import CallInfo, LegCounters, RtpengineClient
from media_plane.rtpengine.errors import RtpengineError, RtpengineUnavailable

__all__ = ["CallInfo", "LegCounters", "RtpengineClient", "RtpengineError", "RtpengineUnavailable"]
