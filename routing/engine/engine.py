"""The ACD engine: typed calls to the Lua scripts, shared by routing and the API process."""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from routing.engine.clock import Clock, ValkeyClock
from routing.engine.results import ScriptResult
from routing.engine.scripts import Scripts
from tenants import redis_keys as keys
from tenants.errors import BadUserInput, Conflict, NotFound

log = logging.getLogger("hotline.routing.engine")

Observer = Callable[[ScriptResult, str, float], Awaitable[None]]
"""Called after each script with its result, the script name and its duration (seconds)."""

AGENT_STATES = ("offline", "available", "reserved", "on_contact", "acw", "not_ready:missed")


@dataclass(frozen=True)
class NewCall:
    """A call Kamailio (or the simulator) hands to routing."""

    call_id: str
    queue_id: str
    from_number: str
    to_number: str
    node: str
    continue_url: str
    tindex: str
    tlabel: str
    customer_id: str = ""
    vip: bool = False
    sticky_agent_id: str = ""
    node_boot: str = ""


@dataclass(frozen=True)
class AgentSnapshot:
    """One agent's live state."""

    agent_id: str
    state: str
    since_ms: int
    call_id: str
    queues: list[str]


@dataclass(frozen=True)
class QueueSnapshot:
    """One queue's live figures."""

    queue_id: str
    waiting: int
    oldest_enqueued_ms: int | None
    agents_by_state: dict[str, int]


@dataclass(frozen=True)
class TenantGauges:
    """One tenant's live figures, read in one script call (``AcdEngine.gauges``)."""

    waiting: dict[str, int]
    oldest_enqueued_ms: dict[str, int]
    agents_by_state: dict[str, int]


def _map_error(err: ResponseError) -> Exception:
    text = str(err)
    code, _, message = text.partition(" ")
    if code == "NOT_FOUND":
        return NotFound(message)
    if code in {"BAD_TRANSITION", "BAD_INPUT"}:
        return BadUserInput(message)
    if code == "CONFLICT":
        return Conflict(message)
    return err


class AcdEngine:
    """Runs the routing scripts for one Redis client."""

    def __init__(
        self,
        redis: Redis,
        *,
        observer: Observer | None = None,
        dispatches: bool = True,
        outbox_lease_s: float = 15.0,
        clock: Clock | None = None,
        max_call_s: float = 4 * 3600,
    ) -> None:
        """``dispatches=False`` (the API process): decisions are handed to routing replicas.

        ``outbox_lease_s``: how long the replica that decided owns sending the decision before
        another replica may claim it. ``clock``: where the scripts take "now" from (by default
        Valkey's own ``TIME``). ``max_call_s``: a connected call is ended past it (0: never).
        """
        self.max_call_ms = int(max_call_s * 1000)
        self.redis = redis
        self.clock: Clock = clock or ValkeyClock()
        self.outbox_lease_ms = int(outbox_lease_s * 1000)
        self.scripts = Scripts.register(redis)
        self.observer = observer
        self.dispatches = dispatches
        self._known_tenants: set[str] = set()

    async def _run(self, name: str, tenant_id: str, *args: object) -> ScriptResult:
        if tenant_id not in self._known_tenants:
            # Outside Lua on purpose: these global sets live on another cluster slot.
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.sadd(keys.EVENT_STREAMS, keys.events(tenant_id))
                pipe.sadd(keys.ROUTING_TENANTS, tenant_id)
                await pipe.execute()
            self._known_tenants.add(tenant_id)
        now_ms = self.clock.now_ms()
        argv = [
            keys.tag(tenant_id),
            tenant_id,
            uuid.uuid4().hex,
            # Not dispatching: a lease of 0 leaves each decision due at once, so the next
            # routing tick sends its continue request (no second round trip to end a lease).
            self.outbox_lease_ms if self.dispatches else 0,
            "" if now_ms is None else now_ms,
            self.max_call_ms,
            *[str(a) for a in args],
        ]
        started = time.perf_counter()
        try:
            raw = await self.scripts.call(name, [keys.events(tenant_id)], argv)
        except ResponseError as err:
            raise _map_error(err) from err
        elapsed = time.perf_counter() - started
        result = ScriptResult.from_json(tenant_id, json.loads(raw))
        for line in result.notes:
            log.info("routing %s tenant=%s: %s", name, tenant_id, line)
        if self.observer is not None:
            await self.observer(result, name, elapsed)
        return result

    async def enqueue(self, *, tenant_id: str, call: NewCall) -> ScriptResult:
        """Accept ``call`` into its queue (or refuse it: limit, full); match at once."""
        return await self._run(
            "enqueue",
            tenant_id,
            call.call_id,
            call.queue_id,
            call.from_number,
            call.to_number,
            call.node,
            call.continue_url,
            call.tindex,
            call.tlabel,
            call.customer_id,
            "1" if call.vip else "0",
            call.sticky_agent_id,
            call.node_boot,
        )

    async def reject(
        self,
        *,
        tenant_id: str,
        call_id: str,
        queue_id: str,
        code: int,
        reason: str,
        from_number: str,
        to_number: str,
    ) -> ScriptResult:
        """Record a call refused at ingress (idempotent) and publish ``call.rejected``."""
        return await self._run(
            "reject", tenant_id, call_id, queue_id, code, reason, from_number, to_number
        )

    async def call_event(
        self,
        *,
        tenant_id: str,
        call_id: str,
        event_type: str,
        by: str = "",
        reason: str = "",
        at_ms: int = 0,
        sync: bool = False,
        node: str = "",
    ) -> ScriptResult:
        """Apply ``ringing|answered|held|resumed|ended|abandoned|agent_failed``; status
        ``not_found``, ``ok``, ``duplicate`` or ``ignored``.

        ``sync`` (``agent_failed`` from a node that cannot re-suspend the call): a next agent
        reserved at once is left out of the outbox (``extra["next_attempt"]`` names it, the
        caller answers the node with it), and with no agent free the call is abandoned.
        ``node``: the node reporting the event; another node's call answers ``conflict``.
        """
        mode = "sync" if sync else ""
        return await self._run(
            "call_event", tenant_id, call_id, event_type, by, reason, at_ms, mode, node
        )

    async def node_lost(
        self, *, tenant_id: str, node: str, boot: str, restarted: bool, reason: str = "node_lost"
    ) -> ScriptResult:
        """End the tenant's calls of a lost node (those taken under ``boot``) or of a
        restarted one (those taken under any boot but ``boot``); ``extra["ended"]``."""
        mode = "except" if restarted else "only"
        return await self._run("node_lost", tenant_id, node, mode, boot, reason)

    async def sweep_node(
        self, *, tenant_id: str, node: str, live_call_ids: list[str], grace_ms: int
    ) -> ScriptResult:
        """End the tenant's calls of ``node`` absent from its live dialogs (older than
        ``grace_ms``); ``extra["unknown"]`` lists live ids this tenant does not hold."""
        return await self._run("node_calls", tenant_id, node, grace_ms, *live_call_ids)

    async def dtmf(
        self, *, tenant_id: str, call_id: str, digits: str, by: str = "caller", at_ms: int = 0
    ) -> ScriptResult:
        """Publish ``call.dtmf`` (the keys ``digits``, pressed by ``by``) for a live call:
        status ``ok``, ``not_found``, or ``ignored`` once the call has ended. State does not
        change, except for the callback offer: a queued caller pressing ``1`` in a queue with
        ``max_wait_action=callback`` takes the callback now (``extra["callback"] == "1"``;
        the release to the node is in the result's dispatch list)."""
        return await self._run("call_event", tenant_id, call_id, "dtmf", by, digits, at_ms, "")

    async def set_agent_state(self, *, tenant_id: str, agent_id: str, state: str) -> ScriptResult:
        """Move an agent to ``available``, ``offline`` or ``break:<reason>``."""
        return await self._run("agent_state", tenant_id, agent_id, state)

    async def wrap_up(
        self,
        *,
        tenant_id: str,
        agent_id: str,
        call_id: str,
        disposition_id: str = "",
        disposition_code: str = "",
        note: str = "",
        finish: bool = False,
    ) -> ScriptResult:
        """Record the disposition of a call the agent handled (``call.wrapped_up``) and/or
        finish its ACW; CONFLICT while its queue requires a disposition none gave."""
        return await self._run(
            "wrapup",
            tenant_id,
            agent_id,
            call_id,
            disposition_id,
            disposition_code,
            note,
            "1" if finish else "",
        )

    async def sign_in(self, *, tenant_id: str, agent_id: str, queue_id: str) -> ScriptResult:
        """Sign the agent in to a queue its profile allows."""
        return await self._run("membership", tenant_id, agent_id, queue_id, "in")

    async def sign_out(self, *, tenant_id: str, agent_id: str, queue_id: str) -> ScriptResult:
        """Sign the agent out of a queue."""
        return await self._run("membership", tenant_id, agent_id, queue_id, "out")

    async def fire_timers(self, *, tenant_id: str, limit: int = 200) -> ScriptResult:
        """Fire the tenant's due timers; each fires in exactly one caller."""
        return await self._run("timers", tenant_id, limit)

    async def claim_outbox(
        self, *, tenant_id: str, limit: int = 100, max_resends: int = -1
    ) -> ScriptResult:
        """Claim continue requests whose lease expired (``dispatch`` lists them); a call
        re-sent more than ``max_resends`` times is abandoned (``extra["gave_up"]``)."""
        return await self._run("outbox", tenant_id, limit, max_resends)

    async def claim_dial(self, *, tenant_id: str, call_id: str, attempt: str) -> ScriptResult:
        """Claim dialling a callback reservation: status ``ok`` (dial it: ``extra`` has
        ``number``, ``agent_id``, ``queue_id``), ``taken`` (already dialled) or ``stale``."""
        return await self._run("dial", tenant_id, call_id, attempt)

    async def gauges(self, *, tenant_id: str) -> TenantGauges:
        """Waiting calls and the oldest enqueue time per queue, agents by state.

        One script call whatever the tenant's size: agents by state are counters the state
        changes keep, so nothing is scanned per agent.
        """
        result = await self._run("snapshot", tenant_id)
        agents = result.extra.get("agents")
        waiting: dict[str, int] = {}
        oldest: dict[str, int] = {}
        for queue_id, count, enq_ms in result.extra.get("queues") or []:
            waiting[queue_id] = int(count)
            if enq_ms:
                oldest[queue_id] = int(enq_ms)
        return TenantGauges(
            waiting=waiting,
            oldest_enqueued_ms=oldest,
            agents_by_state={str(k): int(v) for k, v in (agents or {}).items()},
        )

    async def tenants(self) -> list[str]:
        """Every tenant with routing state."""
        return sorted(await self.redis.smembers(keys.ROUTING_TENANTS))

    async def call(self, *, tenant_id: str, call_id: str) -> dict[str, str]:
        """The call's runtime hash (empty when unknown)."""
        return await self.redis.hgetall(keys.call(tenant_id, call_id))

    async def agent(self, *, tenant_id: str, agent_id: str) -> AgentSnapshot:
        """One agent's live state (offline when never seen)."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.hgetall(keys.agent(tenant_id, agent_id))
            pipe.smembers(keys.agent_queues(tenant_id, agent_id))
            row, queues = await pipe.execute()
        return AgentSnapshot(
            agent_id=agent_id,
            state=row.get("state", "offline"),
            since_ms=int(row.get("since") or 0),
            call_id=row.get("call_id", ""),
            queues=sorted(queues),
        )

    async def agents(self, *, tenant_id: str) -> list[AgentSnapshot]:
        """Every agent of the tenant with routing state."""
        ids = sorted(await self.redis.smembers(keys.agents(tenant_id)))
        if not ids:
            return []
        async with self.redis.pipeline(transaction=False) as pipe:
            for agent_id in ids:
                pipe.hgetall(keys.agent(tenant_id, agent_id))
                pipe.smembers(keys.agent_queues(tenant_id, agent_id))
            replies = await pipe.execute()
        return [
            AgentSnapshot(
                agent_id=agent_id,
                state=row.get("state", "offline"),
                since_ms=int(row.get("since") or 0),
                call_id=row.get("call_id", ""),
                queues=sorted(queues),
            )
            for agent_id, row, queues in zip(ids, replies[::2], replies[1::2], strict=True)
        ]

    async def queue_status(self, *, tenant_id: str, queue_id: str) -> QueueSnapshot:
        """Waiting calls, the oldest one's enqueue time, and its members by state."""
        ids = await self.redis.zrange(keys.waiting(tenant_id, queue_id), 0, -1)
        waiting = len(ids)
        oldest: int | None = None
        if ids:
            # Priority orders the set, so its head is not always the oldest call: scan.
            async with self.redis.pipeline(transaction=False) as pipe:
                for call_id in ids:
                    pipe.hget(keys.call(tenant_id, call_id), "enq_ms")
                stamps = [int(s) for s in await pipe.execute() if s]
            oldest = min(stamps) if stamps else None
        members = await self.redis.smembers(keys.members(tenant_id, queue_id))
        by_state: dict[str, int] = {}
        if members:
            async with self.redis.pipeline(transaction=False) as pipe:
                for agent_id in members:
                    pipe.hget(keys.agent(tenant_id, agent_id), "state")
                for state in await pipe.execute():
                    by_state[state or "offline"] = by_state.get(state or "offline", 0) + 1
        return QueueSnapshot(
            queue_id=queue_id, waiting=waiting, oldest_enqueued_ms=oldest, agents_by_state=by_state
        )

    async def queue_exists(self, *, tenant_id: str, queue_id: str) -> bool:
        """Whether routing-config published this queue for the tenant."""
        return bool(await self.redis.exists(keys.queue(tenant_id, queue_id)))

    async def queue_name(self, *, tenant_id: str, queue_id: str) -> str | None:
        """The queue's published name (None when unpublished)."""
        return await self.redis.hget(keys.queue(tenant_id, queue_id), "name")

    async def queue_fields(
        self, *, tenant_id: str, queue_id: str, names: list[str]
    ) -> dict[str, str]:
        """Some of the queue's published settings (absent ones are left out)."""
        values = await self.redis.hmget(keys.queue(tenant_id, queue_id), names)
        return {name: value for name, value in zip(names, values, strict=True) if value}

    async def waiting_callbacks(
        self, *, tenant_id: str, queue_ids: list[str], limit: int = 200
    ) -> list[dict[str, str]]:
        """Callbacks keeping their place in these queues (the oldest ``limit`` per queue),
        each with ``call_id``, ``queue_id``, ``number`` and ``requested_ms``."""
        found: list[dict[str, str]] = []
        for queue_id in queue_ids:
            ids = await self.redis.zrange(keys.waiting(tenant_id, queue_id), 0, limit - 1)
            if not ids:
                continue
            async with self.redis.pipeline(transaction=False) as pipe:
                for call_id in ids:
                    pipe.hmget(
                        keys.call(tenant_id, call_id), ["callback", "from_number", "callback_ms"]
                    )
                rows = await pipe.execute()
            found += [
                {
                    "call_id": call_id,
                    "queue_id": queue_id,
                    "number": number or "",
                    "requested_ms": at or "0",
                }
                for call_id, (callback, number, at) in zip(ids, rows, strict=True)
                if callback == "1"
            ]
        return found

    async def queue_ids(self, *, tenant_id: str) -> list[str]:
        """Every queue routing-config published for the tenant."""
        return sorted(await self.redis.smembers(keys.queues(tenant_id)))

    async def agent_display_name(self, *, tenant_id: str, agent_id: str) -> str | None:
        """The agent's published display name (None when unpublished)."""
        return await self.redis.hget(keys.agent_profile(tenant_id, agent_id), "display_name")

    async def agent_known(self, *, tenant_id: str, agent_id: str) -> bool:
        """Whether the agent has a published profile or routing state in the tenant."""
        return bool(
            await self.redis.exists(
                keys.agent_profile(tenant_id, agent_id), keys.agent(tenant_id, agent_id)
            )
        )

    async def agent_queue_ids(self, *, tenant_id: str, agent_id: str) -> set[str]:
        """The queues the agent is signed in to now."""
        return set(await self.redis.smembers(keys.agent_queues(tenant_id, agent_id)))

    async def signed_in(self, *, tenant_id: str, queue_id: str, agent_id: str) -> bool:
        """Whether the agent is signed in to the queue now."""
        return bool(await self.redis.sismember(keys.members(tenant_id, queue_id), agent_id))
