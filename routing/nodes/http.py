"""``POST /v1/nodes/{node}/heartbeat``: a media node renews its lease (call-control secret)."""

from __future__ import annotations

import logging
import re

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from routing.call_control.http import require_secret, services_of
from routing.nodes.registry import NODE_PATTERN, NodeRegistry
from tenants.errors import BadUserInput, Conflict

log = logging.getLogger("hotline.routing.nodes")

router = APIRouter(prefix="/v1", tags=["media nodes"], dependencies=[Depends(require_secret)])


class HeartbeatIn(BaseModel):
    """A node's heartbeat: its boot id and where routing reads its live dialogs."""

    model_config = ConfigDict(extra="ignore")

    boot: str = Field(min_length=1, max_length=200, pattern=r"^[^\s|]+$")
    rpc_url: str = Field(default="", max_length=2000)
    dialogs_url: str = Field(default="", max_length=2000)


@router.post("/nodes/{node}/heartbeat")
async def heartbeat(node: str, beat: HeartbeatIn, request: Request) -> dict[str, object]:
    """Renew the node's lease; ``status`` is ``new``, ``renewed`` or ``restarted``."""
    if not re.match(NODE_PATTERN, node):
        raise BadUserInput("node must be 1-100 of [A-Za-z0-9._-]", field="node")
    for name in ("rpc_url", "dialogs_url"):
        url = getattr(beat, name)
        if url and not url.startswith(("http://", "https://")):
            raise BadUserInput(f"{name} must be an http(s) URL", field=name)
    services = services_of(request)
    registry = NodeRegistry(services.redis, lease_s=services.settings.routing.node_lease_s)
    status = await registry.heartbeat(
        name=node, boot=beat.boot, rpc_url=beat.rpc_url, dialogs_url=beat.dialogs_url
    )
    if status == "conflict":
        log.error(
            "node %s: heartbeat from an earlier boot %s: two nodes share the name", node, beat.boot
        )
        raise Conflict(f"another node is running as {node}: give each node its own name")
    return {"node": node, "status": status, "lease_s": services.settings.routing.node_lease_s}
