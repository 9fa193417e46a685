"""Tells Kamailio where a call goes: ``GET <continue_url>?tindex=&tlabel=&dst=``.

Scripts put every decision in the tenant's outbox with a lease. The replica that made it
sends it at once and removes it; if that replica dies, the lease ends and another replica's
loop claims it (``claim_outbox``), so no decision is lost.
"""

from __future__ import annotations

import asyncio
import logging
import time

from prometheus_client import Counter

from media_plane.callbacks.bridge import CallbackRequest
from routing.call_control.continue_client import ContinueClient, ContinueFailed
from routing.call_control.destinations import (
    agent_destination,
    agent_sip_uri,
    node_ring_s,
    queue_leg_params,
    reservation_params,
)
from routing.call_control.originate import CallbackOriginator, NoOriginator
from routing.engine.engine import AcdEngine
from routing.engine.results import Reservation, ScriptResult
from tenants import redis_keys as keys
from tenants.settings import RoutingSettings

log = logging.getLogger("hotline.routing.dispatch")

RELEASE = "x"
"""Outbox attempt tag of a release (``dst=reject``) rather than a reservation."""

BUDGET_SHARE = 2 / 3
"""A dispatch gives up well inside the outbox lease, so two replicas never send the same
decision: a duplicate continue would get a 404 and look like a vanished caller."""


class Dispatcher:
    """Sends continue requests in the background, with retries and backoff."""

    def __init__(
        self,
        engine: AcdEngine,
        http: ContinueClient,
        settings: RoutingSettings,
        originator: CallbackOriginator | None = None,
        *,
        sip_domain: str | None = None,
    ):
        self.engine = engine
        self.sip_domain = sip_domain or settings.sip_domain or "hotline.invalid"
        self.http = http
        self.settings = settings
        self.originator = originator or NoOriginator()
        self.give_ups: Counter | None = None
        """``hotline_continue_give_ups_total`` (set by the composition root)."""
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def in_flight(self) -> int:
        """Continue requests being sent right now."""
        return len(self._tasks)

    def submit(self, result: ScriptResult) -> None:
        """Send every decision ``result`` put in the outbox."""
        fresh = {f"{r.call_id}|{r.attempt}": r for r in result.reservations}
        for member in result.dispatch:
            task = asyncio.create_task(self.dispatch(result.tenant_id, member, fresh.get(member)))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def drain(self, grace_s: float = 2.0) -> None:
        """Let in-flight continue requests finish for ``grace_s``, then cancel the rest:
        their outbox leases expire and another replica sends them."""
        if not self._tasks:
            return
        pending = list(self._tasks)
        _, late = await asyncio.wait(pending, timeout=grace_s)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)

    async def _done(self, tenant_id: str, member: str) -> None:
        await self.engine.redis.zrem(keys.outbox(tenant_id), member)

    async def dispatch(
        self, tenant_id: str, member: str, reservation: Reservation | None = None
    ) -> None:
        """Send one outbox entry ``<call_id>|<attempt>`` (``x``: release with a reject code).

        A ``reservation`` fresh from a script carries what the request needs; entries
        claimed from the outbox are read back and checked first.
        """
        call_id, _, attempt_tag = member.rpartition("|")
        if reservation is not None and reservation.callback:
            await self._dial_back(tenant_id, member, reservation)
            return
        if reservation is not None and reservation.continue_url:
            params = {"tindex": reservation.tindex, "tlabel": reservation.tlabel}
            params |= reservation_params(reservation, tenant_id=tenant_id, domain=self.sip_domain)
            await self._send(tenant_id, member, call_id, reservation.continue_url, params)
            return
        await self._resend(tenant_id, member, call_id, attempt_tag)

    async def _resend(self, tenant_id: str, member: str, call_id: str, attempt_tag: str) -> None:
        call = await self.engine.call(tenant_id=tenant_id, call_id=call_id)
        if not call:
            await self._done(tenant_id, member)
            return
        params = {"tindex": call.get("tindex", ""), "tlabel": call.get("tlabel", "")}
        if (
            attempt_tag != RELEASE
            and call.get("callback") == "1"
            and call.get("state") == "reserved"
            and call.get("attempt") == attempt_tag
        ):
            # A decision an API process made (it never dials) or one whose replica died:
            # dial it unless someone already did (claim_dial), which would ring twice.
            dst = await agent_destination(
                self.engine.redis,
                tenant_id=tenant_id,
                agent_id=call["agent_id"],
                domain=self.sip_domain,
            )
            leg = await queue_leg_params(
                self.engine.redis, tenant_id=tenant_id, queue_id=call.get("queue_id", "")
            )
            await self._originate(
                member,
                attempt_tag,
                CallbackRequest(
                    tenant_id=tenant_id,
                    call_id=call_id,
                    number=call.get("from_number", ""),
                    agent_uri=dst,
                    agent_id=call["agent_id"],
                    ring_s=int(leg["ring"]),
                    record=leg.get("record") == "1",
                    caller_id=call.get("to_number", ""),
                ),
            )
            return
        if attempt_tag == RELEASE:
            params.update(dst="reject", code=call.get("reject_code", "480"))
        elif call.get("state") == "reserved" and call.get("attempt") == attempt_tag:
            params["dst"] = await agent_destination(
                self.engine.redis,
                tenant_id=tenant_id,
                agent_id=call["agent_id"],
                domain=self.sip_domain,
            )
            params |= await queue_leg_params(
                self.engine.redis, tenant_id=tenant_id, queue_id=call.get("queue_id", "")
            )
        else:
            # The reservation moved on (answered, timed out, abandoned): nothing to send.
            await self._done(tenant_id, member)
            return
        await self._send(tenant_id, member, call_id, call["continue_url"], params, resent=True)

    async def call_event(
        self,
        *,
        tenant_id: str,
        call_id: str,
        event_type: str,
        by: str = "",
        reason: str = "",
    ) -> ScriptResult:
        """Apply a dialog event this process observed itself (a callback's legs) and send
        the decisions it made (e.g. the freed agent's next call) at once."""
        result = await self.engine.call_event(
            tenant_id=tenant_id, call_id=call_id, event_type=event_type, by=by, reason=reason
        )
        self.submit(result)
        return result

    async def _dial_back(self, tenant_id: str, member: str, reservation: Reservation) -> None:
        dst = agent_sip_uri(
            tenant_slug=reservation.tenant_slug or tenant_id,
            agent_id=reservation.agent_id,
            sip_user=reservation.sip_user,
            domain=self.sip_domain,
        )
        await self._originate(
            member,
            str(reservation.attempt),
            CallbackRequest(
                tenant_id=tenant_id,
                call_id=reservation.call_id,
                number=reservation.number,
                agent_uri=dst,
                agent_id=reservation.agent_id,
                ring_s=node_ring_s(reservation.ring_s),
                record=reservation.record,
                caller_id=reservation.did,
            ),
        )

    async def _originate(self, member: str, attempt: str, request: CallbackRequest) -> None:
        claim = await self.engine.claim_dial(
            tenant_id=request.tenant_id, call_id=request.call_id, attempt=attempt
        )
        if claim.status != "ok":
            await self._done(request.tenant_id, member)
            log.info(
                "callback call=%s attempt=%s not dialled: %s",
                request.call_id,
                attempt,
                claim.status,
            )
            return
        placed = await self.originator.originate(request)
        await self._done(request.tenant_id, member)
        if not placed:
            await self.call_event(
                tenant_id=request.tenant_id,
                call_id=request.call_id,
                event_type="abandoned",
                reason="callback_not_placed",
            )

    async def _send(
        self,
        tenant_id: str,
        member: str,
        call_id: str,
        url: str,
        params: dict[str, str],
        *,
        resent: bool = False,
    ) -> None:
        attempt_tag = member.rpartition("|")[2]
        delay = self.settings.continue_backoff_s
        deadline = time.monotonic() + self.settings.outbox_lease_s * BUDGET_SHARE
        refused, tried = True, 0  # every try refused outright: the node is gone, not slow
        for attempt in range(1, self.settings.continue_attempts + 1):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            tried += 1
            try:
                status = await self.http.get(
                    url,
                    params=params,
                    timeout_s=min(self.settings.continue_timeout_s, remaining),
                )
            except ContinueFailed as err:
                refused = refused and err.refused
                log.warning("continue call=%s attempt=%s failed: %s", call_id, attempt, err)
            else:
                refused = False
                if status == 404:
                    # The node no longer holds the transaction: the caller is gone.
                    await self._done(tenant_id, member)
                    # A re-sent decision may have been delivered once already (its replica
                    # died before clearing it), so its 404 proves nothing; the ring timeout
                    # settles that call instead.
                    if attempt_tag != RELEASE and not resent:
                        await self.engine.call_event(
                            tenant_id=tenant_id,
                            call_id=call_id,
                            event_type="abandoned",
                            reason="transaction_gone",
                        )
                    log.info("continue call=%s: node lost the transaction", call_id)
                    return
                if 200 <= status < 300:
                    await self._done(tenant_id, member)
                    return
                log.warning("continue call=%s attempt=%s: HTTP %s", call_id, attempt, status)
            await asyncio.sleep(min(delay, max(0.0, deadline - time.monotonic())))
            delay *= 2
        if attempt_tag == RELEASE:
            # Kamailio's own transaction timer ends a call nobody can release; stop trying.
            await self._done(tenant_id, member)
            log.error("continue call=%s: could not release it with a reject", call_id)
            return
        if refused and tried:
            await self._give_up(tenant_id, member, call_id, attempt_tag)
            return
        # A slow node may still take it: the lease ends, another try re-sends it, and the
        # outbox abandons the call after ``continue_max_resends`` re-sends.
        log.error("continue call=%s gave up for now; it will be re-sent", call_id)

    async def _give_up(self, tenant_id: str, member: str, call_id: str, attempt_tag: str) -> None:
        """The node refused the continue past the retry budget: the call is lost. Abandon
        it (re-sending it forever, ring timeout after ring timeout, freed nobody)."""
        await self._done(tenant_id, member)
        call = await self.engine.call(tenant_id=tenant_id, call_id=call_id)
        if call.get("state") != "reserved" or call.get("attempt") != attempt_tag:
            log.warning("continue call=%s gave up; the call moved on meanwhile", call_id)
            return
        result = await self.engine.call_event(
            tenant_id=tenant_id, call_id=call_id, event_type="abandoned", reason="continue_failed"
        )
        self.submit(result)
        if self.give_ups is not None:
            self.give_ups.labels("unreachable").inc()
        log.error("continue call=%s: node unreachable past the retry budget; abandoned", call_id)
