"""Callbacks dialled through the media plane: a third-party call controller (RFC 3725
style, agent first) that bridges an agent's softphone and the customer through Kamailio, with
the media anchored in rtpengine.

1. rtpengine ``offer`` for a new call: the customer side (from-tag) is a placeholder plain-RTP
   SDP, and the answer-to-be goes to a browser, so the flags are Kamailio's own WebRTC flags
   (plus ``record-call`` when the queue records, with the tenant and call in the metadata).
2. INVITE the agent's AOR through Kamailio (``X-Hotline-Leg: callback``, route[INTERNAL_LEG])
   with that SDP and ``X-Hotline-Callback: call=<id>;number=<number>`` for the agent page.
   The agent's answer goes to rtpengine ``answer`` (to-tag = the agent), which returns the
   plain SDP of rtpengine's customer-facing port; the agent is ACKed.
3. INVITE ``sip:<number>@…`` through Kamailio (``X-Hotline-Leg: callback-out``, relayed to
   an outbound gateway) with that SDP. The customer's SDP (183 or 200) is fed back as a
   re-offer from the customer side and the agent's first answer is repeated, so rtpengine
   sends to the customer's real address while nothing changes toward the browser.
4. One UDP socket serves both dialogs for the bridge's lifetime: a BYE from either side is
   answered 200, the other side gets a BYE, and the rtpengine call is deleted. A re-INVITE
   (hold, resume) from either side is anchored in rtpengine and answered with the other
   side's last SDP in the mirrored direction; routing hears ``held``/``resumed``.

Routing hears ``ringing`` (the customer is being dialled), ``answered`` (the customer picked
up), ``ended`` (by ``agent`` or ``caller``, the customer being the caller side), ``agent_failed``
(the agent leg failed: the callback goes back to the front of its queue) or ``abandoned`` with
a ``callback_*`` reason (the customer was not reached: busy, no answer, rejected).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from dataclasses import dataclass, field
from typing import Protocol

from media_plane.kamailio.config import RTP_ANSWER_PLAIN, RTP_OFFER_PLAIN, RTP_OFFER_WEBRTC
from media_plane.rtpengine.client import RtpengineClient
from media_plane.rtpengine.errors import RtpengineError
from media_plane.sip.call import OutgoingCall
from media_plane.sip.endpoint import Address, SipEndpoint
from media_plane.sip.leg import LEG_HEADER
from media_plane.sip.message import SipMessage, response
from media_plane.sip.sdp import MIRROR, audio_address, direction, placeholder_offer, with_direction

log = logging.getLogger(__name__)

CALLBACK_HEADER = "X-Hotline-Callback"
"""Tells the agent page which callback a leg is: ``call=<routing call id>;number=<number>``."""

AGENT_LEG = "callback"
CUSTOMER_LEG = "callback-out"
"""``X-Hotline-Leg`` values: Kamailio routes the first to a registered agent, the second to
an outbound gateway (both from trusted sources only)."""

CANCEL_GRACE_S = 4.0
"""How long a cancelled INVITE may take to end (487, or a 2xx that crossed the CANCEL)."""


class CallEventSink(Protocol):
    """Where the bridge reports dialog events (routing's engine, in the routing process)."""

    async def __call__(
        self, *, tenant_id: str, call_id: str, event_type: str, by: str = "", reason: str = ""
    ) -> object:
        """Apply one event to the call."""
        ...


@dataclass(frozen=True)
class CallbackRequest:
    """One callback attempt: who to bridge and how long each leg may ring.

    ``agent_uri`` is the reserved agent's AOR; ``record``: the queue records its calls;
    ``caller_id``: the number the customer called (the tenant's DID), shown to them as the
    caller."""

    tenant_id: str
    call_id: str
    number: str
    agent_uri: str
    agent_id: str = ""
    ring_s: int = 18
    record: bool = False
    caller_id: str = ""


def customer_failure_reason(status: int) -> str:
    """The ``abandoned`` reason for the customer leg's final failure ``status``."""
    if status in (486, 600):
        return "callback_busy"
    if status in (408, 480, 487):
        return "callback_no_answer"
    return "callback_rejected"


def agent_failure_reason(status: int) -> str:
    """The ``agent_failed`` reason for the agent leg's failure, as Kamailio reports it."""
    return "unreachable" if status == 404 else str(status)


def dialled_user(number: str) -> str:
    """What to dial for a callback number: routing keeps the caller's From as Kamailio sent
    it, so ``sip:+3361…@host;user=phone`` or ``tel:+3361…`` dial ``+3361…``; a bare number
    stays as it is. Characters that cannot be in a SIP user part are dropped."""
    value = number.strip()
    if value.startswith("<") and ">" in value:
        value = value[1 : value.index(">")]
    for scheme in ("sips:", "sip:", "tel:"):
        if value.lower().startswith(scheme):
            value = value[len(scheme) :]
            break
    value = value.split("@", 1)[0].split(";", 1)[0]
    return "".join(c for c in value if c.isalnum() or c in "+-_.!~*'()&=$,?/")


def callback_header(*, call_id: str, number: str) -> str:
    """The ``X-Hotline-Callback`` header line."""
    return f"{CALLBACK_HEADER}: call={call_id};number={number}"


@dataclass
class _Leg:
    call: OutgoingCall
    hung_up: asyncio.Event = field(default_factory=asyncio.Event)
    up: bool = False


class CallbackBridge:
    """Runs one callback attempt from the agent's INVITE to the last BYE."""

    def __init__(
        self,
        request: CallbackRequest,
        *,
        rtpengine: RtpengineClient,
        proxy: Address,
        report: CallEventSink,
        local_host: str = "127.0.0.1",
        customer_domain: str | None = None,
    ) -> None:
        self.request = request
        self.rtpengine = rtpengine
        self.proxy = proxy
        self.report = report
        self.endpoint = SipEndpoint(proxy, local_host=local_host, on_request=self._on_request)
        self.customer_domain = customer_domain or f"{proxy[0]}:{proxy[1]}"
        self.rtp_call_id = f"cb-{secrets.token_hex(12)}"
        self.customer_tag = secrets.token_hex(6)
        self.agent_tag = ""
        self.agent_answer = ""
        self.offer = ""
        self.agent: _Leg | None = None
        self.customer: _Leg | None = None
        self.customer_answer = ""
        self.held = False
        self.outcome = ""
        """What happened, for logs and tests: connected, agent_failed, customer reason."""
        self._requests: set[asyncio.Task[None]] = set()

    # -- media ------------------------------------------------------------------------

    @property
    def _offer_flags(self) -> str:
        return RTP_OFFER_WEBRTC + (" record-call=yes" if self.request.record else "")

    async def open(self) -> None:
        """Open the socket and the rtpengine call (raises ``RtpengineError``)."""
        await self.endpoint.open()
        r = self.request
        metadata = f"tenant={r.tenant_id}|call={r.call_id}"
        if r.agent_id:
            metadata += f"|agent={r.agent_id}"
        try:
            self.offer = await self.rtpengine.offer(
                self.rtp_call_id,
                from_tag=self.customer_tag,
                sdp=placeholder_offer(host=self.endpoint.local_host),
                flags=self._offer_flags,
                metadata=metadata,
            )
        except Exception:
            self.endpoint.close()
            raise

    async def _learn_customer(self, sdp: str) -> None:
        """Point rtpengine's customer side at the customer's real media address: a re-offer
        from the customer side, answered again with the agent's unchanged answer."""
        await self.rtpengine.offer(
            self.rtp_call_id, from_tag=self.customer_tag, sdp=sdp, flags=self._offer_flags
        )
        await self.rtpengine.answer(
            self.rtp_call_id,
            from_tag=self.customer_tag,
            to_tag=self.agent_tag,
            sdp=self.agent_answer,
            flags=RTP_ANSWER_PLAIN,
        )
        log.info(
            "callback call=%s: media toward the customer at %s",
            self.request.call_id,
            audio_address(sdp),
        )

    # -- routing ----------------------------------------------------------------------

    async def _tell(self, event_type: str, *, by: str = "", reason: str = "") -> None:
        try:
            await self.report(
                tenant_id=self.request.tenant_id,
                call_id=self.request.call_id,
                event_type=event_type,
                by=by,
                reason=reason,
            )
        except Exception:  # routing state unavailable: the ring timer settles the call
            log.exception("callback call=%s: could not report %s", self.request.call_id, event_type)

    # -- SIP --------------------------------------------------------------------------

    def _on_request(self, request: SipMessage, addr: Address) -> None:
        leg = next(
            (
                leg
                for leg in (self.agent, self.customer)
                if leg is not None and leg.call.is_mine(request)
            ),
            None,
        )
        if leg is None:
            self.endpoint.reply(request, response(request, 481, "Call Does Not Exist"), addr)
            return
        if request.method == "BYE":
            self.endpoint.reply(request, response(request, 200, "OK"), addr)
            leg.up = False
            leg.hung_up.set()
        elif request.method == "INVITE" and request.body.strip() and self.outcome == "connected":
            task = asyncio.create_task(self._reoffer(leg, request, addr))
            self._requests.add(task)
            task.add_done_callback(self._requests.discard)
        elif request.method in ("INVITE", "UPDATE"):
            # Before both parties are up (or without SDP), a re-offer cannot be matched with
            # the other side's media: refuse it and keep the media as it is.
            self.endpoint.reply(request, response(request, 488, "Not Acceptable Here"), addr)
        elif request.method in ("OPTIONS", "INFO", "NOTIFY"):
            self.endpoint.reply(request, response(request, 200, "OK"), addr)
        else:
            self.endpoint.reply(request, response(request, 405, "Method Not Allowed"), addr)

    async def _reoffer(self, leg: _Leg, request: SipMessage, addr: Address) -> None:
        """A re-INVITE from one party (hold, resume): anchored in rtpengine like Kamailio's
        route[REOFFER] does, answered for the other party with its last SDP in the mirrored
        direction (the other party is not re-INVITEd: a held customer hears silence), and
        reported to routing as ``held``/``resumed``."""
        from_agent = leg is self.agent
        if from_agent:
            tags = (self.agent_tag, self.customer_tag)
            flags = (RTP_OFFER_PLAIN, RTP_OFFER_WEBRTC)
            last_answer = self.customer_answer
        else:
            tags = (self.customer_tag, self.agent_tag)
            flags = (self._offer_flags, RTP_ANSWER_PLAIN)
            last_answer = self.agent_answer
        try:
            toward_other = await self.rtpengine.offer(
                self.rtp_call_id, from_tag=tags[0], sdp=request.body, flags=flags[0]
            )
            other_answer = with_direction(last_answer, MIRROR[direction(toward_other)])
            answer = await self.rtpengine.answer(
                self.rtp_call_id, from_tag=tags[0], to_tag=tags[1], sdp=other_answer, flags=flags[1]
            )
        except RtpengineError as exc:
            log.warning("callback call=%s: re-offer refused: %s", self.request.call_id, exc)
            self.endpoint.reply(request, response(request, 488, "Not Acceptable Here"), addr)
            return
        contact = f"sip:hotline@{self.endpoint.contact}"
        self.endpoint.reply(
            request, response(request, 200, "OK", contact=contact, sdp=answer), addr
        )
        if from_agent:
            self.agent_answer = answer
        else:
            self.customer_answer = request.body
        on_hold = direction(request.body) in ("sendonly", "inactive")
        if on_hold != self.held:
            self.held = on_hold
            by = "agent" if from_agent else "caller"
            await self._tell("held" if on_hold else "resumed", by=by)

    async def _ring(
        self, leg: _Leg, ring_s: float, *, give_up: asyncio.Event | None = None
    ) -> SipMessage | int:
        """Wait for the INVITE's final answer: the 2xx (ACKed), or a failure status (ACKed;
        ``408`` after our CANCEL for ringing too long or ``give_up``)."""
        call = leg.call
        loop = asyncio.get_running_loop()
        stop_at = loop.time() + ring_s
        # ringing → stopping (time is up or we give up; a CANCEL needs a 1xx first, RFC 3261
        # 9.1, so wait a little for one) → cancelled (wait for the 487 or a crossing 2xx).
        phase = "ringing"
        while True:
            now = loop.time()
            if phase == "ringing" and (
                now >= stop_at or (give_up is not None and give_up.is_set())
            ):
                phase, stop_at = "stopping", now + CANCEL_GRACE_S
            if phase == "stopping" and call.provisional:
                call.cancel()
                phase, stop_at = "cancelled", now + CANCEL_GRACE_S
            if phase != "ringing" and now >= stop_at:
                call.finish()
                return 408
            reply = await call.response(min(max(stop_at - now, 0.01), 0.2))
            if reply is None:
                continue
            if reply.status < 200:
                if reply.status in (180, 183) and leg is self.customer:
                    await self._customer_progress(reply)
                continue
            call.finish()
            if reply.status < 300:
                call.confirm(reply)
                leg.up = True
                if phase != "ringing":
                    # The answer crossed our CANCEL: the call exists, so end it properly.
                    await self._hang_up(leg)
                    return 408
                return reply
            call.acknowledge_failure(reply)
            return 408 if phase != "ringing" else reply.status

    async def _customer_progress(self, reply: SipMessage) -> None:
        await self._tell("ringing", by="caller")
        if reply.body.strip():
            with contextlib.suppress(RtpengineError):
                await self._learn_customer(reply.body)  # early media (ringback) reaches the agent

    async def _hang_up(self, leg: _Leg | None) -> None:
        if leg is None or not leg.up:
            return
        leg.up = False
        status = await leg.call.bye()
        if status >= 300:
            log.warning(
                "callback call=%s: BYE %s answered %s",
                self.request.call_id,
                leg.call.call_id,
                status,
            )

    # -- the flow ---------------------------------------------------------------------

    async def run(self) -> None:
        """The whole attempt; every exit hangs up what is up and frees the media."""
        try:
            await self._run()
        except asyncio.CancelledError:
            self.outcome = self.outcome or "cancelled"
            raise
        except Exception:
            log.exception("callback call=%s failed", self.request.call_id)
            if self.outcome == "connected":
                await self._tell("ended", by="system")
            else:
                await self._tell("abandoned", by="system", reason="callback_media_failed")
            self.outcome = f"error after {self.outcome or 'start'}"
        finally:
            for leg in (self.customer, self.agent):
                with contextlib.suppress(Exception):
                    await self._hang_up(leg)
            with contextlib.suppress(RtpengineError):
                await self.rtpengine.delete(self.rtp_call_id)
            self.endpoint.close()
            log.info("callback call=%s: %s", self.request.call_id, self.outcome)

    async def _run(self) -> None:
        r = self.request
        dialled = dialled_user(r.number)
        agent_call = OutgoingCall(
            self.endpoint,
            target=r.agent_uri,
            from_uri=f"sip:{dialled}@{self.customer_domain}",
            display_name=f"Callback {dialled}",
            headers=[
                f"{LEG_HEADER}: {AGENT_LEG}",
                callback_header(call_id=r.call_id, number=dialled),
            ],
        )
        self.agent = _Leg(agent_call)
        agent_call.invite(self.offer)
        answered = await self._ring(self.agent, r.ring_s)
        if isinstance(answered, int):
            self.outcome = "agent_failed"
            await self._tell("agent_failed", by="agent", reason=agent_failure_reason(answered))
            return
        log.info("callback call=%s: agent leg answered", r.call_id)
        self.agent_tag = answered.to_tag
        self.agent_answer = answered.body
        customer_sdp = await self.rtpengine.answer(
            self.rtp_call_id,
            from_tag=self.customer_tag,
            to_tag=self.agent_tag,
            sdp=self.agent_answer,
            flags=RTP_ANSWER_PLAIN,
        )

        await self._tell("ringing", by="caller")
        log.info("callback call=%s: agent answered, dialling the customer", r.call_id)
        customer_call = OutgoingCall(
            self.endpoint,
            target=f"sip:{dialled}@{self.customer_domain}",
            from_uri=f"sip:{dialled_user(r.caller_id) or 'hotline'}@{self.customer_domain}",
            headers=[f"{LEG_HEADER}: {CUSTOMER_LEG}"],
        )
        self.customer = _Leg(customer_call)
        customer_call.invite(customer_sdp)
        picked_up = await self._ring(self.customer, r.ring_s, give_up=self.agent.hung_up)
        if self.agent.hung_up.is_set():
            self.outcome = "agent_left"
            await self._tell("agent_failed", by="agent", reason="agent_left")
            return
        if isinstance(picked_up, int):
            self.outcome = customer_failure_reason(picked_up)
            await self._tell("abandoned", by="caller", reason=self.outcome)
            return
        if picked_up.body.strip():
            self.customer_answer = picked_up.body
            await self._learn_customer(picked_up.body)
        self.outcome = "connected"
        await self._tell("answered", by="agent")

        agent_gone = asyncio.create_task(self.agent.hung_up.wait())
        customer_gone = asyncio.create_task(self.customer.hung_up.wait())
        try:
            done, _ = await asyncio.wait(
                {agent_gone, customer_gone}, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            agent_gone.cancel()
            customer_gone.cancel()
        by = "agent" if agent_gone in done else "caller"
        self.outcome = f"ended by {by}"
        await self._hang_up(self.customer if by == "agent" else self.agent)
        await self._tell("ended", by=by)
