"""One outgoing call (a UAC dialog) over a ``SipEndpoint``: INVITE, ACK, CANCEL and BYE as
RFC 3261 has a UAC send them through a proxy (Kamailio) that record-routes."""

from __future__ import annotations

import asyncio
import secrets

from media_plane.sip.endpoint import ClientTransaction, SipEndpoint
from media_plane.sip.leg import SipDialog
from media_plane.sip.message import SipMessage, new_branch, new_tag, tag_of, uri_of


class OutgoingCall:
    """An INVITE to ``target`` from ``from_uri`` and, once answered, its dialog."""

    def __init__(
        self,
        endpoint: SipEndpoint,
        *,
        target: str,
        from_uri: str,
        display_name: str = "",
        headers: list[str] | None = None,
        call_id: str | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.target = target
        self.from_uri = from_uri
        self.display_name = display_name
        self.headers = list(headers or [])
        self.call_id = call_id or f"hl-{secrets.token_hex(12)}"
        self.local_tag = new_tag()
        self.cseq = 1
        self.dialog: SipDialog | None = None
        self.answer: SipMessage | None = None
        self._invite: ClientTransaction | None = None
        self._invite_text = ""

    @property
    def from_header(self) -> str:
        """The From value (with our tag)."""
        name = f'"{self.display_name}" ' if self.display_name else ""
        return f"{name}<{self.from_uri}>;tag={self.local_tag}"

    def invite(self, sdp: str) -> ClientTransaction:
        """Send the INVITE with ``sdp``; its responses arrive on the returned transaction."""
        branch = new_branch()
        body = sdp if sdp.endswith("\r\n") else sdp + "\r\n"
        extra = "".join(f"{h}\r\n" for h in self.headers)
        self._invite_text = (
            f"INVITE {self.target} SIP/2.0\r\n"
            f"Via: {self.endpoint.via(branch)}\r\n"
            f"From: {self.from_header}\r\n"
            f"To: <{self.target}>\r\n"
            f"Call-ID: {self.call_id}\r\n"
            f"CSeq: {self.cseq} INVITE\r\n"
            f"Contact: <sip:hotline@{self.endpoint.contact}>\r\n"
            "Max-Forwards: 70\r\n"
            f"{extra}"
            "Content-Type: application/sdp\r\n"
            f"Content-Length: {len(body.encode())}\r\n\r\n{body}"
        )
        self._invite = self.endpoint.request(self._invite_text, branch)
        return self._invite

    async def response(self, within: float) -> SipMessage | None:
        """The INVITE's next response within ``within`` seconds, or None."""
        assert self._invite is not None
        try:
            return await asyncio.wait_for(self._invite.responses.get(), within)
        except TimeoutError:
            return None

    @property
    def provisional(self) -> bool:
        """True once any 1xx arrived (a CANCEL may be sent only then)."""
        return self._invite is not None and self._invite.provisional

    def confirm(self, ok: SipMessage) -> SipDialog:
        """A 2xx arrived: build the dialog (route set, remote target, tags) and ACK it."""
        self.answer = ok
        dialog = SipDialog(
            call_id=self.call_id,
            local_tag=self.local_tag,
            remote_tag=ok.to_tag,
            local_uri=self.from_uri,
            remote_uri=self.target,
            remote_target=uri_of(ok.header("contact") or self.target),
            route_set=ok.route_set(),
            cseq=self.cseq,
        )
        self.dialog = dialog
        ack = self._in_dialog("ACK", cseq=self.cseq)
        self.endpoint.remember_ack(self.call_id, self.cseq, ack)
        self.endpoint.send(ack)
        return dialog

    def acknowledge_failure(self, failure: SipMessage) -> None:
        """ACK a final failure (same branch as the INVITE: hop-by-hop, to the proxy)."""
        assert self._invite is not None
        text = (
            f"ACK {self.target} SIP/2.0\r\n"
            f"Via: {self.endpoint.via(self._invite.branch)}\r\n"
            f"From: {self.from_header}\r\n"
            f"To: {failure.header('to') or f'<{self.target}>'}\r\n"
            f"Call-ID: {self.call_id}\r\n"
            f"CSeq: {self.cseq} ACK\r\n"
            "Max-Forwards: 70\r\n"
            "Content-Length: 0\r\n\r\n"
        )
        self.endpoint.send(text)

    def cancel(self) -> None:
        """CANCEL the pending INVITE (same branch and CSeq number); the INVITE then ends
        with 487 (or a 2xx that crossed it, which the caller must ACK and BYE)."""
        assert self._invite is not None
        text = (
            f"CANCEL {self.target} SIP/2.0\r\n"
            f"Via: {self.endpoint.via(self._invite.branch)}\r\n"
            f"From: {self.from_header}\r\n"
            f"To: <{self.target}>\r\n"
            f"Call-ID: {self.call_id}\r\n"
            f"CSeq: {self.cseq} CANCEL\r\n"
            "Max-Forwards: 70\r\n"
            "Content-Length: 0\r\n\r\n"
        )
        # Sent once: on loopback to a stateful proxy, its 200 matters to nobody; the
        # INVITE's final response is what the caller waits for.
        self.endpoint.send(text)

    async def bye(self, *, wait_seconds: float = 4.0) -> int:
        """End the dialog; the BYE's final status (408 when nothing answered)."""
        assert self.dialog is not None
        self.dialog.cseq += 1
        branch = new_branch()
        text = self._in_dialog("BYE", cseq=self.dialog.cseq, branch=branch)
        transaction = self.endpoint.request(text, branch)
        try:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + wait_seconds
            while (left := deadline - loop.time()) > 0:
                try:
                    reply = await asyncio.wait_for(transaction.responses.get(), left)
                except TimeoutError:
                    break
                if reply.status >= 200:
                    return reply.status
            return 408
        finally:
            self.endpoint.finish(transaction)

    def finish(self) -> None:
        """Stop the INVITE's retransmissions."""
        if self._invite is not None:
            self.endpoint.finish(self._invite)

    def is_mine(self, request: SipMessage) -> bool:
        """True when an in-dialog request belongs to this call."""
        return request.call_id == self.call_id and (
            self.dialog is None or tag_of(request.header("to") or "") == self.local_tag
        )

    def _in_dialog(self, method: str, *, cseq: int, branch: str | None = None) -> str:
        assert self.dialog is not None
        dialog = self.dialog
        routes = "".join(f"Route: {r}\r\n" for r in dialog.route_set)
        return (
            f"{method} {dialog.remote_target} SIP/2.0\r\n"
            f"Via: {self.endpoint.via(branch or new_branch())}\r\n"
            f"From: {self.from_header}\r\n"
            f"To: <{dialog.remote_uri}>;tag={dialog.remote_tag}\r\n"
            f"Call-ID: {dialog.call_id}\r\n"
            f"CSeq: {cseq} {method}\r\n"
            f"{routes}"
            "Max-Forwards: 70\r\n"
            "Content-Length: 0\r\n\r\n"
        )
