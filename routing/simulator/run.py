"""The simulation: virtual callers over the call-control API, a virtual Kamailio node.

Every caller posts ``/v1/calls`` to one of the routing replicas, waits for the continue
request on the virtual node, then answers, talks and hangs up, or loses patience and
abandons. Requests fail over to another replica when one does not answer, as Kamailio's
dispatcher would.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import random
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from routing.engine.engine import AcdEngine
from routing.simulator.params import SimulationParams
from tenants import redis_keys as keys
from tenants.embedded.process import free_port

log = logging.getLogger("hotline.simulator")


@dataclass
class VirtualCall:
    """One caller's view of its call."""

    call_id: str
    started: float
    offers: asyncio.Queue[dict[str, str]] = field(default_factory=asyncio.Queue)
    gone: bool = False
    outcome: str = ""
    reserved_at: float | None = None
    enqueue_window: tuple[float, float] | None = None
    """Wall-clock bounds (epoch s) of the ``POST /v1/calls`` that queued the call."""
    left_at: float | None = None
    dequeue_window: tuple[float, float] | None = None
    """Wall-clock bounds of the ``answered`` or ``abandoned`` event that ended its wait."""
    settled: bool = False
    """Its last event reached routing: the virtual node no longer lists its dialog."""


@dataclass(frozen=True)
class TruthRecord:
    """One call as the simulator itself saw it: its ground truth, independent of routing.

    Routing stamps enqueue and dequeue with its own clock somewhere inside the requests
    that caused them, so the true wait lies within ``[wait_min_s, wait_max_s]``.
    """

    call_id: str
    outcome: str
    enqueued_at: float | None
    dequeued_at: float | None
    wait_s: float | None
    wait_min_s: float | None
    wait_max_s: float | None


@dataclass
class SimulationReport:
    """Outcomes as the callers saw them, and enqueue → first offer latencies (s)."""

    outcomes: Counter[str] = field(default_factory=Counter)
    offer_latencies: list[float] = field(default_factory=list)
    calls: dict[str, VirtualCall] = field(default_factory=dict)
    failovers: int = 0
    arrivals_s: float = 0.0
    """How long the arrivals took (the run then waits for the last callers)."""

    def ground_truth(self) -> list[TruthRecord]:
        """The per-call log: outcome (answered, abandoned, rejected), times and wait."""
        records = []
        for call in self.calls.values():
            enq, deq = call.enqueue_window, call.dequeue_window
            if enq is None or deq is None:
                records.append(
                    TruthRecord(call.call_id, call.outcome, None, None, None, None, None)
                )
                continue
            enqueued_at, dequeued_at = sum(enq) / 2, sum(deq) / 2
            records.append(
                TruthRecord(
                    call_id=call.call_id,
                    outcome=call.outcome,
                    enqueued_at=enqueued_at,
                    dequeued_at=dequeued_at,
                    wait_s=max(0.0, dequeued_at - enqueued_at),
                    wait_min_s=max(0.0, deq[0] - enq[1]),
                    wait_max_s=max(0.0, deq[1] - enq[0]),
                )
            )
        return records


@dataclass(frozen=True)
class Reply:
    """A routing replica's answer: status and JSON body (empty when it had none)."""

    status_code: int
    body: dict[str, Any]

    def json(self) -> dict[str, Any]:
        """The JSON body."""
        return self.body


class RoutingClient:
    """Posts to the routing replicas, failing over on connection errors.

    aiohttp rather than httpx: at thousands of calls the simulator's own HTTP client was
    the bottleneck of a run (httpcore's pool bookkeeping took a third of its CPU).
    """

    def __init__(self, urls: list[str], secret: str, report: SimulationReport) -> None:
        self.urls = urls
        self.http = aiohttp.ClientSession(
            headers={"X-Hotline-Secret": secret},
            timeout=aiohttp.ClientTimeout(total=5.0),
            connector=aiohttp.TCPConnector(limit=200, limit_per_host=64),
        )
        self.report = report
        self._next = itertools.cycle(range(len(urls)))
        self._down_until: dict[str, float] = {}

    async def post(self, path: str, body: dict[str, object]) -> Reply:
        """POST to the next replica; on a transport error try the others, then retry.

        A replica that failed is skipped for a second, as Kamailio's dispatcher would.
        """
        last: Exception | None = None
        for round_ in range(20):
            for _ in range(len(self.urls)):
                url = self.urls[next(self._next)]
                if self._down_until.get(url, 0.0) > time.monotonic() and round_ == 0:
                    continue
                try:
                    async with self.http.post(url + path, json=body) as response:
                        raw = await response.read()
                        return Reply(response.status, _json_object(raw))
                except (aiohttp.ClientError, TimeoutError) as err:
                    last = err
                    self.report.failovers += 1
                    self._down_until[url] = time.monotonic() + 1.0
            await asyncio.sleep(0.1 * (round_ + 1))
        raise RuntimeError(f"no routing replica answered {path}") from last

    async def close(self) -> None:
        """Release connections."""
        await self.http.close()


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


HEARTBEAT_S = 2.0
"""How often the virtual node renews its lease (routing's default lease is 6 s)."""


class VirtualNode:
    """Kamailio's continue endpoint: hands offers to the waiting virtual callers.

    Like a Kamailio it is a media node: ``name`` and a fresh ``boot`` id go with every call
    and heartbeat, and ``/dialogs`` lists the calls it still carries (routing's sweep).
    """

    def __init__(self, report: SimulationReport, name: str | None = None) -> None:
        self.report = report
        self.port = free_port()
        self.name = name or f"virtual-{uuid.uuid4().hex[:12]}"
        self.boot = uuid.uuid4().hex

    @property
    def dialogs_url(self) -> str:
        """Where routing reads the calls this node carries."""
        return f"http://127.0.0.1:{self.port}/dialogs"

    async def heartbeat_forever(self, urls: list[str], secret: str) -> None:
        """Renew the node's lease until cancelled, on a connection of its own: behind the
        callers' busy pool a heartbeat could wait longer than the lease lasts."""
        body = {"boot": self.boot, "dialogs_url": self.dialogs_url}
        async with aiohttp.ClientSession(
            headers={"X-Hotline-Secret": secret},
            timeout=aiohttp.ClientTimeout(total=HEARTBEAT_S),
            connector=aiohttp.TCPConnector(limit=len(urls) + 1),
        ) as http:
            while True:
                for url in urls:  # the first replica that answers renews the lease
                    try:
                        path = f"{url}/v1/nodes/{self.name}/heartbeat"
                        async with http.post(path, json=body) as response:
                            await response.read()
                            if response.status == 200:
                                break
                    except (aiohttp.ClientError, OSError, TimeoutError):
                        continue
                await asyncio.sleep(HEARTBEAT_S)

    def url(self, call_id: str) -> str:
        """The continue URL of one call."""
        return f"http://127.0.0.1:{self.port}/continue/{call_id}"

    def app(self) -> FastAPI:
        """The endpoint: 404 once the caller is gone, as Kamailio would answer."""
        app = FastAPI()

        @app.get("/continue/{call_id}")
        async def resume(call_id: str, request: Request) -> JSONResponse:
            call = self.report.calls.get(call_id)
            if call is None or call.gone:
                return JSONResponse({"error": "no such transaction"}, status_code=404)
            call.offers.put_nowait(dict(request.query_params))
            return JSONResponse({"ok": True})

        @app.get("/dialogs")
        async def dialogs() -> JSONResponse:
            calls = self.report.calls.values()
            live = [c.call_id for c in calls if c.enqueue_window is not None and not c.settled]
            return JSONResponse({"calls": live})

        return app

    @contextlib.asynccontextmanager
    async def serving(self) -> AsyncIterator[VirtualNode]:
        """Serve on 127.0.0.1 for the duration of the block."""
        server = uvicorn.Server(
            uvicorn.Config(
                self.app(), host="127.0.0.1", port=self.port, log_level="warning", access_log=False
            )
        )
        task = asyncio.create_task(server.serve())
        while not server.started:  # noqa: ASYNC110 - uvicorn exposes no started event
            await asyncio.sleep(0.01)
        try:
            yield self
        finally:
            server.should_exit = True
            await task


async def _caller(
    call: VirtualCall,
    *,
    did: str,
    params: SimulationParams,
    rng: random.Random,
    client: RoutingClient,
    node: VirtualNode,
) -> None:
    patience = rng.expovariate(1 / params.patience_mean_s) if params.patience_mean_s else 1e9
    posted = time.time()
    response = await client.post(
        "/v1/calls",
        {
            "call_id": call.call_id,
            "node": node.name,
            "boot": node.boot,
            "continue_url": node.url(call.call_id),
            "tindex": rng.randrange(1, 65535),
            "tlabel": rng.randrange(1, 65535),
            "from": f"+1555{rng.randrange(10**6, 10**7)}",
            "to": did,
        },
    )
    if response.status_code == 200:
        call.outcome = "rejected"
        return
    call.enqueue_window = (posted, time.time())
    deadline = call.started + patience

    async def send(event_type: str, **extra: object) -> dict[str, object]:
        # A continue arriving once the caller is gone gets a 404, which routing takes as
        # the abandon: the window opens when the caller left, not when the event is sent.
        sent = call.left_at or time.time()
        response = await client.post(
            f"/v1/calls/{call.call_id}/events", {"type": event_type, "node": node.name, **extra}
        )
        if call.gone:
            call.settled = True
        body = response.json() if response.status_code == 200 else {}
        if (
            event_type in ("answered", "abandoned")
            and call.dequeue_window is None
            and body.get("status") != "ignored"
        ):
            call.dequeue_window = (sent, time.time())
        return body

    def leave(outcome: str, *, settled: bool = False) -> None:
        call.gone = True
        call.outcome = outcome
        call.settled = settled

    while True:
        try:
            async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                offer = await call.offers.get()
        except TimeoutError:
            call.left_at = time.time()
            leave("abandoned")
            await send("abandoned", by="caller")
            return
        if offer.get("dst") == "reject":
            leave("rejected", settled=True)
            return
        if call.reserved_at is None:
            call.reserved_at = time.monotonic()
            node.report.offer_latencies.append(call.reserved_at - call.started)
        # Routing ignores the events of an offer it has moved on from (a continue re-sent
        # after its replica died): the caller then waits for the current one.
        if (await send("ringing")).get("status") == "ignored":
            continue
        if params.silent_rate and rng.random() < params.silent_rate:
            continue  # the phone rings out: the caller waits for routing's next offer
        if rng.random() < params.no_answer_rate:
            await asyncio.sleep(min(params.answer_delay_s, 0.5))
            # ``at`` makes a retried request (its replica died) recognisably old: routing
            # must not fail the next agent it has reserved since.
            reply = await send("agent_failed", reason="no_answer", at=int(time.time() * 1000))
            if reply.get("dst"):
                # Kamailio rings the next agent the reply names; no continue comes.
                call.offers.put_nowait({"dst": str(reply["dst"])})
            elif reply.get("status") == "ok":
                leave("abandoned", settled=True)  # nobody free: routing ended it
                return
            continue
        await asyncio.sleep(params.answer_delay_s)
        if time.monotonic() > deadline:
            call.left_at = time.time()
            leave("abandoned")
            await send("abandoned", by="caller")
            return
        if (await send("answered")).get("status") == "ignored":
            continue
        await asyncio.sleep(
            rng.expovariate(1 / params.handle_mean_s) if params.handle_mean_s else 0
        )
        leave("answered")
        await send("ended", by=rng.choice(["caller", "agent"]))
        return


async def _recover_missed(engine: AcdEngine, tenant_id: str, delay: float) -> None:
    """Virtual agents who missed a call come back after ``delay`` seconds."""
    redis = engine.redis
    while True:
        await asyncio.sleep(delay)
        agent_ids = sorted(await redis.smembers(keys.agents(tenant_id)))
        async with redis.pipeline(transaction=False) as pipe:
            for agent_id in agent_ids:
                pipe.hget(keys.agent(tenant_id, agent_id), "state")
            states = await pipe.execute()
        for agent_id, state in zip(agent_ids, states, strict=True):
            if state == "not_ready:missed":
                with contextlib.suppress(Exception):
                    await engine.set_agent_state(
                        tenant_id=tenant_id, agent_id=agent_id, state="available"
                    )


async def simulate(
    *,
    params: SimulationParams,
    routing_urls: list[str],
    secret: str,
    dids: list[str],
    engine: AcdEngine,
    tenant_id: str,
    call_prefix: str = "sim",
    call_id_of: Callable[[int], str] | None = None,
    node_name: str | None = None,
) -> SimulationReport:
    """Run ``params.calls`` callers at Poisson arrivals and wait until each has finished.

    Call ids are ``<call_prefix>-<n>`` unless ``call_id_of(n)`` names them (analytics needs
    UUIDs). ``report.ground_truth()`` is the simulator's own per-call log. ``node_name``:
    the virtual node's name (a fresh one by default; a restarted demo reuses its name, so
    routing sees the new boot and ends the calls the killed run left behind).
    """
    rng = random.Random(params.seed)
    report = SimulationReport()
    client = RoutingClient(routing_urls, secret, report)
    node = VirtualNode(report, node_name)
    recover = asyncio.create_task(_recover_missed(engine, tenant_id, params.missed_recover_s))
    callers: list[asyncio.Task[None]] = []
    try:
        async with node.serving():
            beats = asyncio.create_task(node.heartbeat_forever(routing_urls, secret))
            callers.append(beats)
            # Arrivals follow their own clock: a busy event loop sleeping late must not
            # slow the offered rate down (later arrivals catch up at once).
            started = due = time.monotonic()
            for index in range(params.calls):
                call_id = call_id_of(index) if call_id_of else f"{call_prefix}-{index}"
                call = VirtualCall(call_id=call_id, started=time.monotonic())
                report.calls[call.call_id] = call
                callers.append(
                    asyncio.create_task(
                        _caller(
                            call,
                            did=rng.choice(dids),
                            params=params,
                            rng=rng,
                            client=client,
                            node=node,
                        )
                    )
                )
                due += rng.expovariate(params.calls_per_second)
                await asyncio.sleep(max(0.0, due - time.monotonic()))
            report.arrivals_s = time.monotonic() - started
            await asyncio.gather(*callers[1:])
            beats.cancel()
    finally:
        # Cancelled (hotline up stopping): callers must end before their HTTP client closes.
        for caller in (recover, *callers):
            caller.cancel()
        await asyncio.gather(recover, *callers, return_exceptions=True)
        await client.close()
    report.outcomes.update(c.outcome for c in report.calls.values())
    return report
