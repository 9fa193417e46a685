"""Every Redis key and stream name Hotline uses: the one owner of the key contract.

No other module spells a key (``tests/architecture/test_redis_keys.py`` walks the code and
fails on a ``{t:`` or ``hotline:`` literal anywhere else). Lua scripts get their keys through
``KEYS``/``ARGV``; where a script builds a key from the tenant's prefix, the prefix is
``tag()``'s.

Every key of a tenant carries the hash tag ``{t:<tenant_id>}`` (built by ``tag`` and nowhere
else), so one Lua script can touch them all atomically and a Redis Cluster keeps a tenant on
one slot. Global keys start with ``hotline:``.

Routing configuration, published by ``routing.config.directory`` and read by the engine:

- ``hotline:did:<E.164>``: STRING, JSON ``{"tenant_id", "queue_id"}``
- ``{t:<tenant>}:queues``: SET of queue ids
- ``{t:<tenant>}:queue:<queue_id>``: HASH (see ``routing.config.projection.queue_entry``)
- ``{t:<tenant>}:agent:<user_id>:profile``: HASH ``skills``, ``queues``, ``display_name``,
  ``sip_user``
- ``{t:<tenant>}:tenant``: HASH ``slug``, ``max_concurrent_calls``
- ``{t:<tenant>}:queue:<queue_id>:music``: STRING, JSON ``{"prompt_id", "audio_key"}`` of the
  queue's music on hold; absent means Hotline's default
  (``media_plane/prompts/assets/default-hold-music.wav``)
- ``{t:<tenant>}:flow-version:<version_id>``: STRING, the JSON definition of one published
  call-flow version. Versions are immutable and never swept, so a call in progress can read
  the version it started on even after a later publish or an archive.
- ``{t:<tenant>}:config-lock``: the one auxiliary key, serialising a tenant's sync with the
  publications of its committed changes; the engine never reads it.

A call in a flow keeps its interpreter state (``routing.flows.interpreter.FlowState``: the
version id, the node, the call variables) at ``{t:<tenant>}:rt:call:<call_id>:flow``.

Routing's runtime state is under ``{t:<tenant>}:rt:…`` (builders below); the tenant's event
stream is ``{t:<tenant>}:events`` (docs/events.md).
"""

from __future__ import annotations

import re
import uuid

TenantId = uuid.UUID | str

EVENT_STREAMS = "hotline:event-streams"
"""Global SET of every tenant stream (consumers scan it)."""

ROUTING_TENANTS = "hotline:routing-tenants"
"""Global SET of tenants with routing state, scanned by the timer and outbox loops."""

RTPENGINE_NODES = "hotline:media:rtpengine"
"""Global SET of dynamic rtpengine ng nodes (``host:port``); the settings' default."""

DID_PREFIX = "hotline:did:"
CALL_INDEX_PREFIX = "hotline:call:"
SESSION_ENDED_PREFIX = "hotline:session-ended:"


_TAG_OPEN, _TAG_CLOSE = "{t:", "}"


def tag(tenant_id: TenantId) -> str:
    """The hash tag every key of ``tenant_id`` starts with (also the Lua scripts' prefix)."""
    return f"{_TAG_OPEN}{tenant_id}{_TAG_CLOSE}"


# --- global keys -------------------------------------------------------------------------


def did(number: str) -> str:
    """Global STRING: JSON ``{"tenant_id", "queue_id"}`` of a DID (E.164)."""
    return f"{DID_PREFIX}{number}"


def did_number(key: str) -> str | None:
    """The E.164 number of a DID key, or None for any other key."""
    return key.removeprefix(DID_PREFIX) if key.startswith(DID_PREFIX) else None


DID_PATTERN = f"{DID_PREFIX}*"
"""``SCAN`` pattern of every DID key."""


def call_index(call_id: str) -> str:
    """Global STRING: the tenant id of a call routing queued (events name only the call)."""
    return f"{CALL_INDEX_PREFIX}{call_id}"


def session_ended(token_digest: str) -> str:
    """Global STRING: a logged-out browser session (by token digest), until its expiry."""
    return f"{SESSION_ENDED_PREFIX}{token_digest}"


# --- tenant streams ----------------------------------------------------------------------


def events(tenant_id: TenantId) -> str:
    """The tenant's event stream (docs/events.md)."""
    return f"{tag(tenant_id)}:events"


def tenant_of_events(key: str) -> str | None:
    """The tenant id (as spelled) of an event stream key, or None for any other key."""
    suffix = f"{_TAG_CLOSE}:events"
    if not (key.startswith(_TAG_OPEN) and key.endswith(suffix)):
        return None
    return key[len(_TAG_OPEN) : -len(suffix)]


# --- routing configuration ---------------------------------------------------------------


def tenant(tenant_id: TenantId) -> str:
    """Config HASH: ``slug``, ``max_concurrent_calls``."""
    return f"{tag(tenant_id)}:tenant"


def queues(tenant_id: TenantId) -> str:
    """Config SET of queue ids."""
    return f"{tag(tenant_id)}:queues"


def queue(tenant_id: TenantId, queue_id: TenantId) -> str:
    """Config HASH of one queue."""
    return f"{tag(tenant_id)}:queue:{queue_id}"


def agent_profile(tenant_id: TenantId, agent_id: TenantId) -> str:
    """Config HASH: ``skills``, ``queues``, ``display_name``, ``sip_user``."""
    return f"{tag(tenant_id)}:agent:{agent_id}:profile"


def queue_music(tenant_id: TenantId, queue_id: TenantId) -> str:
    """Config STRING: JSON ``{"prompt_id", "audio_key"}`` of a queue's music on hold."""
    return f"{tag(tenant_id)}:queue:{queue_id}:music"


def flow_version(tenant_id: TenantId, version_id: TenantId) -> str:
    """Config STRING: one published call-flow version's definition (JSON, immutable)."""
    return f"{tag(tenant_id)}:flow-version:{version_id}"


def config_lock(tenant_id: TenantId) -> str:
    """STRING lock serialising a tenant's sync with its publications (engine never reads)."""
    return f"{tag(tenant_id)}:config-lock"


def tenant_pattern(tenant_id: TenantId | None) -> str:
    """``SCAN`` pattern of one tenant's keys, or of every tenant's when ``tenant_id`` is None."""
    return f"{tag(tenant_id if tenant_id is not None else '*')}:*"


_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_TAG = rf"{re.escape(_TAG_OPEN)}({_UUID}){re.escape(_TAG_CLOSE)}"
# Only exact configuration keys: the engine keeps its own keys under the same tag (for
# example a queue's waiting list), and a sync must never touch those.
_CONFIG_KEYS = (
    re.compile(rf"^{_TAG}:queue:{_UUID}$"),
    re.compile(rf"^{_TAG}:queue:{_UUID}:music$"),
    re.compile(rf"^{_TAG}:agent:{_UUID}:profile$"),
    re.compile(rf"^{_TAG}:(?:queues|tenant)$"),
)


def config_key_owner(key: str) -> str | None:
    """The tenant id of an exact routing configuration key, or None for any other key."""
    for pattern in _CONFIG_KEYS:
        if match := pattern.match(key):
            return match[1]
    return None


# --- routing runtime state ---------------------------------------------------------------


def call(tenant_id: TenantId, call_id: str) -> str:
    """Runtime HASH of one call."""
    return f"{tag(tenant_id)}:rt:call:{call_id}"


def call_flow_state(tenant_id: TenantId, call_id: str) -> str:
    """Runtime STRING: the interpreter state of a call in a flow (version, node, variables)."""
    return f"{tag(tenant_id)}:rt:call:{call_id}:flow"


def waiting(tenant_id: TenantId, queue_id: TenantId) -> str:
    """Runtime ZSET of a queue's waiting calls (lowest score first)."""
    return f"{tag(tenant_id)}:rt:q:{queue_id}:waiting"


def available(tenant_id: TenantId, queue_id: TenantId) -> str:
    """Runtime ZSET of a queue's idle agents, scored by when they became idle."""
    return f"{tag(tenant_id)}:rt:q:{queue_id}:avail"


def members(tenant_id: TenantId, queue_id: TenantId) -> str:
    """Runtime SET of agents signed in to a queue."""
    return f"{tag(tenant_id)}:rt:q:{queue_id}:members"


def agent(tenant_id: TenantId, agent_id: TenantId) -> str:
    """Runtime HASH of an agent: ``state``, ``since``, ``idle_since``, ``call_id``."""
    return f"{tag(tenant_id)}:rt:agent:{agent_id}"


def agent_queues(tenant_id: TenantId, agent_id: TenantId) -> str:
    """Runtime SET of the queues an agent is signed in to."""
    return f"{tag(tenant_id)}:rt:agent:{agent_id}:queues"


def agents(tenant_id: TenantId) -> str:
    """Runtime SET of agents that have routing state."""
    return f"{tag(tenant_id)}:rt:agents"


def agent_states(tenant_id: TenantId) -> str:
    """Runtime HASH of agent counts by state, kept by the state changes (live gauges)."""
    return f"{tag(tenant_id)}:rt:agent_states"


def active_calls(tenant_id: TenantId) -> str:
    """Runtime SET of calls not yet finished."""
    return f"{tag(tenant_id)}:rt:active"


def timers(tenant_id: TenantId) -> str:
    """Runtime ZSET of timers (``kind|id|token`` scored by due ms)."""
    return f"{tag(tenant_id)}:rt:timers"


def outbox(tenant_id: TenantId) -> str:
    """Runtime ZSET of continue requests to send (``call|attempt`` scored by lease end)."""
    return f"{tag(tenant_id)}:rt:outbox"


def callbacks(tenant_id: TenantId) -> str:
    """Runtime LIST of callback requests (JSON)."""
    return f"{tag(tenant_id)}:rt:callbacks"


def node_calls(tenant_id: TenantId, node: str) -> str:
    """Runtime SET of the tenant's unfinished calls a media node holds (reconciliation)."""
    return f"{tag(tenant_id)}:rt:node:{node}:calls"


# --- media nodes (global, one hash tag per node) -----------------------------------------
#
# A media node (a Kamailio, the simulator's virtual node) is not a tenant's: its lease and
# record carry the hash tag ``{n:<node>}``, so on a Valkey cluster both live on one slot
# (one MULTI renews them together) and nodes spread over the shards. Which calls a node
# holds is kept per tenant (``node_calls``, in the tenant's slot), so the scripts that end
# a lost node's calls stay single-slot; reconciliation walks the tenants.

NODES = "hotline:media:nodes"
"""Global SET of media node names that ever sent a heartbeat (reconciliation scans it)."""


def node(name: str) -> str:
    """Global HASH of a media node: ``boot``, ``seen_ms``, ``rpc_url``, ``dialogs_url``,
    ``reconciled`` (the last boot or loss whose calls reconciliation ended)."""
    return f"hotline:media:node:{{n:{name}}}"


def node_lease(name: str) -> str:
    """Global STRING (the node's boot id) that expires when its heartbeats stop."""
    return f"hotline:media:node:{{n:{name}}}:lease"


def node_sweep_lock(name: str) -> str:
    """Global STRING held by the replica that sweeps the node's dialogs this period."""
    return f"hotline:media:node:{{n:{name}}}:sweep"
