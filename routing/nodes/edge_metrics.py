"""The SIP edge's counters (docs/media-plane.md, "The SIP edge, hardened") as
``hotline_sip_edge_events_total{node, kind}``.

Kamailio keeps the counts itself (statistics ``script:edge_*``, since its start); routing reads
them from every live node's JSON-RPC with its live gauges. Every replica reports the same
values, so aggregate them with ``max`` across replicas, not ``sum``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector

from media_plane.kamailio.client import KamailioRpcClient
from routing.nodes.registry import NodeRegistry

log = logging.getLogger("hotline.routing.edge_metrics")

EDGE_KINDS = (
    "flood_banned",
    "flood_dropped",
    "scanner_dropped",
    "auth_failed",
    "auth_banned",
    "auth_refused",
    "cross_tenant_refused",
)


class SipEdgeCounters(Collector):
    """The last counts read from the nodes."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str], float] = {}

    def collect(self) -> Iterator[Metric]:
        """The counts as one counter family."""
        family = CounterMetricFamily(
            "hotline_sip_edge_events",
            "SIP edge protections applied by each Kamailio node since its start "
            "(kind: flood_banned, flood_dropped, scanner_dropped, auth_failed, auth_banned, "
            "auth_refused, cross_tenant_refused).",
            labels=["node", "kind"],
        )
        for (node, kind), value in sorted(self.values.items()):
            family.add_metric([node, kind], value)
        yield family

    async def refresh(self, nodes: NodeRegistry) -> None:
        """Read every live Kamailio's counters; a node that does not answer drops out."""
        values: dict[tuple[str, str], float] = {}
        for name in await nodes.names():
            record = await nodes.get(name)
            if record is None or not record.alive or not record.rpc_url:
                continue
            try:
                async with KamailioRpcClient(record.rpc_url, timeout=1.0, retries=0) as rpc:
                    stats = await rpc.statistics("script:")
            except Exception:  # a node down between its lease and this read: skip it
                log.warning("reading SIP edge counters of node %s failed", name)
                continue
            for kind in EDGE_KINDS:
                value = stats.get(f"script:edge_{kind}")
                if value is not None:
                    values[(name, kind)] = float(value)
        self.values = values
