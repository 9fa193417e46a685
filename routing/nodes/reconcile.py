"""Reconciliation: routing's calls converge to what the media nodes hold.

Every replica runs ``run_forever``. Each pass reads the nodes' leases: a node whose lease
ran out is lost and every call it took under its last boot ends; a node that came back
with a new boot id restarted and every call it took under an older boot ends. Waiting and
ringing calls are abandoned, connected ones end by ``system`` with reason ``node_lost``
(``lose_call`` in ``acd.lua``), and the agents go to ACW or available as their queue says.
Each node's loss is handled once (``reconciled`` in its record; the scripts are idempotent
when two replicas race). Less often, one replica per node compares the node's live dialogs
(Kamailio ``dlg.list``, the virtual node's list) with routing's calls: calls the node no
longer has end (``dialog_gone``) and dialogs routing does not know are logged and counted.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

import httpx

from media_plane.kamailio.client import KamailioRpcClient
from media_plane.kamailio.errors import KamailioError
from routing.clients import RoutingServices
from routing.nodes.registry import NodeRecord, NodeRegistry
from tenants.cancellation import raise_if_cancel_requested

log = logging.getLogger("hotline.routing.reconcile")

FORGET_AFTER_S = 600.0
"""A node lost this long ago is dropped from the registry (its calls ended long since)."""


@dataclass
class SweepReport:
    """What one sweep of a node found."""

    ended: int = 0
    unknown: list[str] | None = None


class Reconciler:
    """Ends the calls of lost or restarted nodes and sweeps the nodes' dialogs."""

    def __init__(self, services: RoutingServices) -> None:
        self.services = services
        self.settings = services.settings.routing
        self.registry = NodeRegistry(services.redis, lease_s=self.settings.node_lease_s)
        self._last_sweep = 0.0

    async def end_calls(self, node: NodeRecord, *, restarted: bool) -> int:
        """End, in every tenant, the calls ``node`` held before it was lost or restarted."""
        engine, ended = self.services.engine, 0
        for tenant_id in await engine.tenants():
            result = await engine.node_lost(
                tenant_id=tenant_id, node=node.name, boot=node.boot, restarted=restarted
            )
            ended += int(result.extra.get("ended") or 0)
            self.services.dispatcher.submit(result)
        return ended

    async def check(self) -> int:
        """One pass over the nodes' leases; returns how many calls it ended."""
        metrics = self.services.metrics.reconcile
        ended = 0
        for name in await self.registry.names():
            node = await self.registry.get(name)
            if node is None:
                continue
            if not node.alive:
                marker = f"lost:{node.boot}"
                if node.reconciled == marker:
                    if node.lost_ms and time.time() * 1000 - node.lost_ms > FORGET_AFTER_S * 1000:
                        await self.registry.forget(name)
                    continue
                count = await self.end_calls(node, restarted=False)
                await self.registry.mark(name, marker, lost=True)
                metrics.nodes_lost.labels("lost").inc()
                log.warning("media node %s (boot %s) lost: %s calls ended", name, node.boot, count)
                ended += count
            elif node.reconciled != f"boot:{node.boot}":
                count = await self.end_calls(node, restarted=True)
                await self.registry.mark(name, f"boot:{node.boot}", lost=False)
                if not node.reconciled.startswith("lost:"):
                    metrics.nodes_lost.labels("restarted").inc()
                log.warning(
                    "media node %s restarted (boot %s): %s calls of its earlier boot ended",
                    name,
                    node.boot,
                    count,
                )
                ended += count
        return ended

    async def sweep(self, node: NodeRecord) -> SweepReport:
        """Compare one live node's dialogs with routing's calls of it, in every tenant."""
        live = await live_dialogs(node, self.services.http)
        report = SweepReport()
        if live is None:
            return report
        grace_ms = int(self.settings.node_sweep_grace_s * 1000)
        unknown: set[str] | None = None
        for tenant_id in await self.services.engine.tenants():
            result = await self.services.engine.sweep_node(
                tenant_id=tenant_id, node=node.name, live_call_ids=live, grace_ms=grace_ms
            )
            report.ended += int(result.extra.get("ended") or 0)
            self.services.dispatcher.submit(result)
            mine = result.extra.get("unknown")
            theirs = set(mine) if isinstance(mine, list) else set()
            # A dialog is unknown only when no tenant holds its call.
            unknown = theirs if unknown is None else unknown & theirs
        report.unknown = sorted(unknown or set())
        if report.ended:
            log.warning("sweep of %s: %s calls gone from the node ended", node.name, report.ended)
        if report.unknown:
            self.services.metrics.reconcile.unknown_dialogs.inc(len(report.unknown))
            log.warning(
                "sweep of %s: %s dialogs routing does not hold, e.g. %s",
                node.name,
                len(report.unknown),
                report.unknown[:5],
            )
        return report

    async def sweep_all(self) -> None:
        """Sweep every live node whose sweep this replica claims for this period."""
        period = self.settings.node_sweep_s
        for name in await self.registry.names():
            node = await self.registry.get(name)
            if node is None or not node.alive:
                continue
            if not await self.registry.claim_sweep(name, period):
                continue
            try:
                await self.sweep(node)
            except Exception as err:  # an unreachable node is the lease's business, not ours
                raise_if_cancel_requested()
                log.warning("sweep of %s failed: %s", name, err)

    async def tick(self) -> int:
        """A lease check, and a sweep when one is due."""
        ended = await self.check()
        if time.monotonic() - self._last_sweep >= self.settings.node_sweep_s:
            self._last_sweep = time.monotonic()
            await self.sweep_all()
        return ended


async def live_dialogs(node: NodeRecord, http: httpx.AsyncClient) -> list[str] | None:
    """The call ids of the node's live dialogs; None when it cannot be asked."""
    if node.rpc_url:
        async with KamailioRpcClient(node.rpc_url, timeout=2.0, retries=1) as rpc:
            dialogs = await rpc.dialogs()
        # Only dialogs routing controls (``cc``): listen-in and callback legs are not calls.
        return [
            d.variables.get("call") or d.call_id
            for d in dialogs
            if not d.ended and d.variables.get("cc") == "1"
        ]
    if node.dialogs_url:
        response = await http.get(node.dialogs_url, timeout=2.0)
        response.raise_for_status()
        return [str(c) for c in response.json().get("calls", [])]
    return None


async def hang_up(registry: NodeRegistry, hangups: list[dict[str, str]]) -> int:
    """Ask each call's node to end it (``dlg.end_dlg``: BYE both ways): routing ended these
    calls itself (maximum duration), so the node must not keep them up. Best effort: a node
    without JSON-RPC (the virtual one) or a dialog already gone is skipped. Returns how many
    dialogs were ended."""
    ended = 0
    for item in hangups:
        node = await registry.get(str(item.get("node", "")))
        if node is None or not node.rpc_url:
            continue
        try:
            async with KamailioRpcClient(node.rpc_url, timeout=2.0, retries=1) as rpc:
                for dialog in await rpc.dialogs_by_call_id(str(item["call_id"])):
                    if not dialog.ended:
                        await rpc.end_dialog(h_entry=dialog.h_entry, h_id=dialog.h_id)
                        ended += 1
        except KamailioError as err:
            log.warning("hanging up call=%s on %s failed: %s", item.get("call_id"), node.name, err)
    return ended


async def run_forever(services: RoutingServices) -> None:
    """Check the nodes every ``routing.node_check_s`` until cancelled; errors are logged."""
    reconciler = Reconciler(services)
    while True:
        raise_if_cancel_requested()
        try:
            await reconciler.tick()
        except Exception:  # Redis hiccups must not stop reconciliation
            raise_if_cancel_requested()
            log.exception("reconciliation pass failed")
        await asyncio.sleep(services.settings.routing.node_check_s)
