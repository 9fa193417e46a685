"""Ingress: from a dialled number to a queued call, or a refusal with its SIP code."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from routing import directory_reader, hours
from routing.call_control import hold_media
from routing.call_control.schemas import NewCallIn
from routing.classification import UNKNOWN_CALLER, CallerCategory
from routing.clients import RoutingServices
from routing.engine.engine import NewCall
from routing.engine.results import ScriptResult
from tenants import redis_keys as keys

log = logging.getLogger("hotline.routing.ingress")

CALL_INDEX_TTL_S = 2 * 86400


@dataclass(frozen=True)
class Decision:
    """What ``POST /v1/calls`` answers."""

    call_id: str
    queued: bool
    code: int | None = None
    reason: str = ""
    tenant_id: str = ""
    sdp: str = ""
    """The 183's SDP when the caller hears music on hold."""


def _decision(call_id: str, result: ScriptResult) -> Decision:
    """The answer for ``call_id`` from its enqueue (or reject) script's result."""
    state = result.extra.get("state")
    if result.status == "conflict":
        return Decision(call_id, queued=False, code=503, reason="call held by another node")
    if result.status == "rejected" or (result.status == "duplicate" and state == "rejected"):
        return Decision(
            call_id,
            queued=False,
            code=int(result.extra.get("code") or 480),
            reason=str(result.extra.get("reason") or ""),
        )
    return Decision(call_id, queued=True, tenant_id=result.tenant_id)


async def accept_call(*, services: RoutingServices, call_in: NewCallIn) -> Decision:
    """Resolve the DID, classify the caller, check hours, then enqueue (matching at once)."""
    redis, engine = services.redis, services.engine
    target = await directory_reader.resolve_did(redis, call_in.to)
    if target is None:
        log.info("call=%s to=%s: unknown number", call_in.call_id, call_in.to)
        return Decision(call_in.call_id, queued=False, code=404, reason="unknown number")
    tenant_id = target.tenant_id
    # One round trip: claim the call id and read the queue's config together.
    async with redis.pipeline(transaction=False) as pipe:
        pipe.set(keys.call_index(call_in.call_id), tenant_id, nx=True, ex=CALL_INDEX_TTL_S)
        pipe.hgetall(keys.queue(tenant_id, target.queue_id))
        claimed, queue_row = await pipe.execute()
    if not claimed and await redis.get(keys.call_index(call_in.call_id)) != tenant_id:
        # Call ids are global; a clash must never let one tenant's events touch another's call.
        log.warning("call=%s: id already used by another tenant", call_in.call_id)
        return Decision(call_in.call_id, queued=False, code=503, reason="call id already in use")

    async def refuse(queue_id: str, code: int, reason: str) -> Decision:
        result = await engine.reject(
            tenant_id=tenant_id,
            call_id=call_in.call_id,
            queue_id=queue_id,
            code=code,
            reason=reason,
            from_number=call_in.from_,
            to_number=call_in.to,
        )
        return _decision(call_in.call_id, result)

    queue = directory_reader.queue_config_of(target.queue_id, queue_row)
    if queue is None:
        return await refuse(target.queue_id, 404, "number has no queue")
    try:
        caller = await services.classifier.classify(tenant_id=tenant_id, number=call_in.from_)
    except Exception:  # the CRM being down must not drop calls: route them as unknown callers
        log.exception("call=%s: caller classification failed; routing as unknown", call_in.call_id)
        caller = UNKNOWN_CALLER
    if caller.category is CallerCategory.BLACKLISTED:
        return await refuse(queue.queue_id, queue.blacklist_code, "blacklisted caller")
    queue_id = queue.queue_id
    if not hours.is_open(queue.hours, datetime.now(UTC)):
        overflow = queue.overflow_queue_id
        if (
            queue.closed_action == "overflow"
            and overflow
            and await engine.queue_exists(tenant_id=tenant_id, queue_id=overflow)
        ):
            queue_id = overflow
        else:
            return await refuse(queue.queue_id, queue.closed_code, "closed")
    hold_sdp = await hold_media.start(services, call_in, queue)
    result = await engine.enqueue(
        tenant_id=tenant_id,
        call=NewCall(
            call_id=call_in.call_id,
            queue_id=queue_id,
            from_number=call_in.from_,
            to_number=call_in.to,
            node=call_in.node,
            continue_url=call_in.continue_url,
            tindex=str(call_in.tindex),
            tlabel=str(call_in.tlabel),
            customer_id=caller.customer_id or "",
            vip=caller.category is CallerCategory.VIP,
            sticky_agent_id=caller.sticky_agent_id or "",
            node_boot=call_in.boot,
        ),
    )
    services.dispatcher.submit(result)
    decision = _decision(call_in.call_id, result)
    if hold_sdp and not decision.queued:
        await hold_media.release(services, call_in.call_id)
    return replace(decision, sdp=hold_sdp) if hold_sdp and decision.queued else decision


async def tenant_of_call(services: RoutingServices, call_id: str) -> str | None:
    """The tenant that owns ``call_id``, when routing has seen it."""
    tenant_id = await services.redis.get(keys.call_index(call_id))
    if tenant_id and await services.redis.exists(keys.call(tenant_id, call_id)):
        return tenant_id
    return None
