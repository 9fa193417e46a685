"""Fault tests share routing's fixtures (a Valkey client, fresh tenant ids) and the media
plane's (rtpengine, the real routing process, a live tenant, sipp's log folder)."""

from tests.media_plane.conftest import (
    center,
    media_ports,
    routing_process,
    rtpengine_node,
    sipp_dir,
)
from tests.routing.conftest import redis, tenant_id

__all__ = [
    "center",
    "media_ports",
    "redis",
    "routing_process",
    "rtpengine_node",
    "sipp_dir",
    "tenant_id",
]
