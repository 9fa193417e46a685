"""Redis key names: the configuration published by routing-config, and routing's own.

Every key of a tenant carries the hash tag ``{t:<tenant_id>}`` so one Lua script can touch
them all atomically and a Redis Cluster keeps a tenant on one slot.
"""

from __future__ import annotations

EVENT_STREAMS = "hotline:event-streams"
"""Global SET of every tenant stream (consumers scan it)."""

ROUTING_TENANTS = "hotline:routing-tenants"
"""Global SET of tenants with routing state, scanned by the timer and outbox loops."""


def did(number: str) -> str:
    """Global STRING: JSON ``{"tenant_id", "queue_id"}`` of a DID (E.164)."""
    return f"hotline:did:{number}"


def prefix(tenant_id: str) -> str:
    """The hash-tagged prefix of every key of ``tenant_id``."""
    return f"{{t:{tenant_id}}}"


def events(tenant_id: str) -> str:
    """The tenant's event stream (docs/events.md)."""
    return f"{prefix(tenant_id)}:events"


def tenant(tenant_id: str) -> str:
    """Config HASH: ``slug``, ``max_concurrent_calls``."""
    return f"{prefix(tenant_id)}:tenant"


def queues(tenant_id: str) -> str:
    """Config SET of queue ids."""
    return f"{prefix(tenant_id)}:queues"


def queue(tenant_id: str, queue_id: str) -> str:
    """Config HASH of one queue."""
    return f"{prefix(tenant_id)}:queue:{queue_id}"


def agent_profile(tenant_id: str, agent_id: str) -> str:
    """Config HASH: ``skills``, ``queues``, ``display_name``, ``sip_user``."""
    return f"{prefix(tenant_id)}:agent:{agent_id}:profile"


def call(tenant_id: str, call_id: str) -> str:
    """Runtime HASH of one call."""
    return f"{prefix(tenant_id)}:rt:call:{call_id}"


def waiting(tenant_id: str, queue_id: str) -> str:
    """Runtime ZSET of a queue's waiting calls (lowest score first)."""
    return f"{prefix(tenant_id)}:rt:q:{queue_id}:waiting"


def available(tenant_id: str, queue_id: str) -> str:
    """Runtime ZSET of a queue's idle agents, scored by when they became idle."""
    return f"{prefix(tenant_id)}:rt:q:{queue_id}:avail"


def members(tenant_id: str, queue_id: str) -> str:
    """Runtime SET of agents signed in to a queue."""
    return f"{prefix(tenant_id)}:rt:q:{queue_id}:members"


def agent(tenant_id: str, agent_id: str) -> str:
    """Runtime HASH of an agent: ``state``, ``since``, ``idle_since``, ``call_id``."""
    return f"{prefix(tenant_id)}:rt:agent:{agent_id}"


def agent_queues(tenant_id: str, agent_id: str) -> str:
    """Runtime SET of the queues an agent is signed in to."""
    return f"{prefix(tenant_id)}:rt:agent:{agent_id}:queues"


def agents(tenant_id: str) -> str:
    """Runtime SET of agents that have routing state."""
    return f"{prefix(tenant_id)}:rt:agents"


def active_calls(tenant_id: str) -> str:
    """Runtime SET of calls not yet finished."""
    return f"{prefix(tenant_id)}:rt:active"


def timers(tenant_id: str) -> str:
    """Runtime ZSET of timers (``kind|id|token`` scored by due ms)."""
    return f"{prefix(tenant_id)}:rt:timers"


def outbox(tenant_id: str) -> str:
    """Runtime ZSET of continue requests to send (``call|attempt`` scored by lease end)."""
    return f"{prefix(tenant_id)}:rt:outbox"


def callbacks(tenant_id: str) -> str:
    """Runtime LIST of callback requests (JSON)."""
    return f"{prefix(tenant_id)}:rt:callbacks"
