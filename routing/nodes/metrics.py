"""Counters of reconciliation and of continue requests given up (per process: sum them)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter

from routing.engine.results import ScriptResult


class ReconcileMetrics:
    """Calls routing ended because the media plane no longer carries them, and give-ups."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.lost_calls = Counter(
            "hotline_reconciled_calls_total",
            "Calls ended by reconciliation (reason: node_lost, dialog_gone, max_duration).",
            ["reason"],
            registry=registry,
        )
        self.max_duration = Counter(
            "hotline_calls_max_duration_total",
            "Connected calls ended because they outlived the maximum call duration.",
            registry=registry,
        )
        self.nodes_lost = Counter(
            "hotline_media_nodes_lost_total",
            "Media nodes whose lease ran out (lost) or that came back with a new boot id.",
            ["kind"],
            registry=registry,
        )
        self.unknown_dialogs = Counter(
            "hotline_media_unknown_dialogs_total",
            "Live dialogs a node holds that routing does not (seen by the sweep).",
            registry=registry,
        )
        self.give_ups = Counter(
            "hotline_continue_give_ups_total",
            "Calls abandoned because their continue request could not be delivered.",
            ["reason"],
            registry=registry,
        )

    def observe(self, result: ScriptResult) -> None:
        """Count the calls a script ended for reconciliation (its ``lost`` observations)."""
        for item in result.metrics:
            if item and item[0] == "lost" and len(item) >= 3:
                self.lost_calls.labels(str(item[2])).inc()
                if item[2] == "max_duration":
                    self.max_duration.inc()
