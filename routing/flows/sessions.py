"""Where a call's flow lives while it runs: the published version it started on and its
interpreter state, both in Redis (routing keeps no state in process memory).

- ``{t:X}:flow-version:<version_id>``: the definition, published by the directory and
  immutable, so a call keeps its version whatever is published after it started;
- ``{t:X}:rt:call:<call_id>:flow``: ``FlowState`` JSON (version id, node, retries, call
  variables, priority and skills), kept for ``STATE_TTL_S`` after each write.

The call variables (``variables``) are read from the state by the screen pop and the facts
(``FlowSessions.variables``); they outlive the IVR part of the call by the same TTL.
"""

from __future__ import annotations

import json
import uuid

from redis.asyncio import Redis

from routing.flows.definition import FlowDefinition, parse_definition
from routing.flows.interpreter import FlowState
from tenants import redis_keys as keys

STATE_TTL_S = 2 * 86400
"""As long as routing keeps a call's index: a call and its variables expire together."""


class FlowSessions:
    """Reads published versions and keeps each call's interpreter state."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def definition(
        self, tenant_id: uuid.UUID, version_id: uuid.UUID
    ) -> FlowDefinition | None:
        """The published version ``version_id`` of the tenant, or None if unknown."""
        raw = await self._redis.get(keys.flow_version(tenant_id, version_id))
        return None if raw is None else parse_definition(json.loads(raw))

    async def save(self, tenant_id: uuid.UUID, call_id: str, state: FlowState) -> None:
        await self._redis.set(
            keys.call_flow_state(tenant_id, call_id), state.to_json(), ex=STATE_TTL_S
        )

    async def load(self, tenant_id: uuid.UUID, call_id: str) -> FlowState | None:
        raw = await self._redis.get(keys.call_flow_state(tenant_id, call_id))
        return None if raw is None else FlowState.from_json(raw)

    async def variables(self, tenant_id: uuid.UUID, call_id: str) -> dict[str, str]:
        """The call variables a flow collected (empty when the call ran no flow)."""
        state = await self.load(tenant_id, call_id)
        return {} if state is None else dict(state.variables)
