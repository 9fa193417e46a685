"""The per-replica loop that fires due timers and re-sends orphaned continue requests."""

from __future__ import annotations

import asyncio
import logging

from media_plane.announcements import AnnouncementRenderer
from routing.call_control.announcements import Announcer
from routing.clients import RoutingServices
from routing.nodes.reconcile import hang_up
from routing.nodes.registry import NodeRegistry
from tenants.cancellation import raise_if_cancel_requested

log = logging.getLogger("hotline.routing.timers")


TIMER_BATCH = 25
"""Timers one script call fires. A burst (a wave of ring timeouts) is fired in several short
calls, so other replicas' decisions run in between instead of waiting behind one long script."""

TIMER_BATCHES = 8
"""Batches per tenant per tick (200 timers), so one tenant's burst cannot starve the others."""


async def tick(services: RoutingServices, announcer: Announcer | None = None) -> int:
    """One pass over every tenant; returns how many timers this replica fired."""
    fired = 0
    for tenant_id in await services.engine.tenants():
        for _ in range(TIMER_BATCHES):
            result = await services.engine.fire_timers(tenant_id=tenant_id, limit=TIMER_BATCH)
            fired += int(result.extra.get("fired", 0))
            services.dispatcher.submit(result)
            if hangups := result.extra.get("hangups"):
                # Calls past the maximum duration: routing ended them, the node must too.
                lease_s = services.settings.routing.node_lease_s
                await hang_up(NodeRegistry(services.redis, lease_s=lease_s), hangups)
            if announcer is not None and result.extra.get("announce"):
                announcer.submit(tenant_id, result.extra["announce"])
            if int(result.extra.get("popped", 0)) < TIMER_BATCH:
                break
        room = services.settings.routing.max_dispatch_in_flight - services.dispatcher.in_flight
        if room <= 0:
            continue
        claimed = await services.engine.claim_outbox(
            tenant_id=tenant_id,
            limit=min(room, 100),
            max_resends=services.settings.routing.continue_max_resends,
        )
        if gave_up := int(claimed.extra.get("gave_up") or 0):
            services.metrics.reconcile.give_ups.labels("resend_limit").inc(gave_up)
        if claimed.dispatch:
            log.info(
                "tenant=%s: re-sending %s orphaned decisions", tenant_id, len(claimed.dispatch)
            )
        services.dispatcher.submit(claimed)
    return fired


async def run_forever(services: RoutingServices) -> None:
    """Tick every ``routing.timer_interval_s`` until cancelled; errors are logged, not fatal."""
    interval = services.settings.routing.timer_interval_s
    renderer = AnnouncementRenderer(services.settings.var_dir / "prompts" / "announcements")
    announcer = Announcer(services, renderer)
    try:
        while True:
            raise_if_cancel_requested()
            try:
                await tick(services, announcer)
            except Exception:  # Redis hiccups must not stop the timers of this replica
                raise_if_cancel_requested()
                log.exception("timer tick failed")
            await asyncio.sleep(interval)
    finally:
        await announcer.aclose()
