"""FakeRoutingCallControl: a minimal, in-test stand-in for the routing tier's call-control API.

It exists only until the real routing process (issue 4) is merged; the end-to-end tests
then switch to it. It implements just the HTTP contract Kamailio speaks:
- ``POST /v1/calls`` (X-Hotline-Secret) -> 202 queued or 200 rejected, per DID plan;
- later ``GET <continue_url>?tindex=&tlabel=&dst=`` from a background thread;
- ``POST /v1/calls/{id}/events`` -> recorded; for ``agent_failed`` it may name the next agent.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx


@dataclass
class Plan:
    """What the fake does with calls to one DID."""

    dst: str | None = None  # continue toward this URI; None: keep the call queued
    delay: float = 0.0  # seconds in queue before continuing
    reject_code: int | None = None  # answer POST /v1/calls with 200 rejected
    reject_reason: str = "rejected"
    continue_reject: int | None = None  # continue with dst=reject&code=
    tenant: str = ""
    next_dst: list[str] = field(default_factory=list)  # answers to agent_failed
    ring: int | None = None  # ring timeout (s) passed on continue
    record: bool = False


@dataclass
class CallRecord:
    """A call as the fake saw it."""

    id: str
    body: dict[str, Any]
    continued: list[int] = field(default_factory=list)  # HTTP codes of /continue
    events: list[dict[str, Any]] = field(default_factory=list)


class FakeRoutingCallControl:
    """The fake server; ``url`` is what Kamailio's config gets as routing URL."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.plans: dict[str, Plan] = {}
        self.calls: dict[str, CallRecord] = {}
        self.by_sip_call_id: dict[str, CallRecord] = {}
        self.unauthorized = 0
        self._ids = itertools.count(1)
        self._cond = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Base URL of the fake call-control API."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> None:
        """Serve in a background thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()

    def wait_for_event(self, sip_call_id: str, kind: str, timeout: float = 15.0) -> dict[str, Any]:
        """Block until the call identified by its SIP Call-ID got event ``kind``."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                call = self.by_sip_call_id.get(sip_call_id)
                if call is not None:
                    for event in call.events:
                        if event.get("type") == kind:
                            return event
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = call.events if call else "no such call"
                    raise AssertionError(f"no {kind} event for {sip_call_id}: {seen}")
                self._cond.wait(left)

    def wait_for_call(self, to_user: str, timeout: float = 15.0) -> CallRecord:
        """Block until a call to DID ``to_user`` has been announced."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for call in self.calls.values():
                    if f"sip:{to_user}@" in call.body.get("to", ""):
                        return call
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no call to {to_user}")
                self._cond.wait(left)

    # request handling

    def _new_call(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        did = str(body.get("to", "")).removeprefix("sip:").split("@")[0]
        plan = self.plans.get(did)
        if plan is None:
            return 200, {"status": "rejected", "code": 404, "reason": "unknown number"}
        if plan.reject_code is not None:
            reason = plan.reject_reason
            return 200, {"status": "rejected", "code": plan.reject_code, "reason": reason}
        call = CallRecord(id=f"call-{next(self._ids)}", body=body)
        with self._cond:
            self.calls[call.id] = call
            self.by_sip_call_id[str(body["call_id"])] = call
            self._cond.notify_all()
        if plan.dst is not None or plan.continue_reject is not None:
            threading.Thread(target=self._continue, args=(call, plan), daemon=True).start()
        reply: dict[str, Any] = {"call": call.id, "status": "queued"}
        if plan.tenant:
            reply["tenant"] = plan.tenant
        return 202, reply

    def _continue(self, call: CallRecord, plan: Plan) -> None:
        time.sleep(plan.delay)
        params: dict[str, Any] = {"tindex": call.body["tindex"], "tlabel": call.body["tlabel"]}
        if plan.continue_reject is not None:
            params |= {"dst": "reject", "code": plan.continue_reject, "reason": "Busy"}
        else:
            params["dst"] = plan.dst
        if plan.ring is not None:
            params["ring"] = plan.ring
        if plan.record:
            params["record"] = 1
        response = httpx.get(call.body["continue_url"], params=params, timeout=5)
        with self._cond:
            call.continued.append(response.status_code)
            self._cond.notify_all()

    def _event(self, call_id: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self._cond:
            call = self.calls.get(call_id)
            if call is None:
                return 404, {"detail": "unknown call"}
            call.events.append(body)
            self._cond.notify_all()
        did = str(call.body.get("to", "")).removeprefix("sip:").split("@")[0]
        plan = self.plans.get(did)
        if body.get("type") == "agent_failed" and plan is not None and plan.next_dst:
            reply: dict[str, Any] = {"status": "ok", "dst": plan.next_dst.pop(0)}
            if plan.ring is not None:
                reply["ring"] = str(plan.ring)
            return 200, reply
        return 200, {"status": "ok"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def _reply(self, status: int, body: dict[str, Any]) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if self.headers.get("X-Hotline-Secret") != fake.secret:
                    fake.unauthorized += 1
                    self._reply(401, {"detail": "bad secret"})
                    return
                try:
                    body = json.loads(raw)
                except ValueError:
                    self._reply(422, {"detail": "malformed JSON"})
                    return
                parts = self.path.strip("/").split("/")
                if parts == ["v1", "calls"]:
                    self._reply(*fake._new_call(body))
                elif len(parts) == 4 and parts[:2] == ["v1", "calls"] and parts[3] == "events":
                    self._reply(*fake._event(parts[2], body))
                else:
                    self._reply(404, {"detail": "not found"})

        return Handler
