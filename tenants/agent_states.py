"""The agent states routing's engine reports (``agent.state_changed``, docs/events.md).

Routing produces them and analytics consumes them; both label metrics by state, so the
bounded label is defined here, where both rooms may import it.
"""

from __future__ import annotations

STATE_LABELS = frozenset(
    {"offline", "available", "reserved", "on_contact", "acw", "not_ready:missed"}
)


def state_label(state: str) -> str:
    """A bounded state label: break reasons collapse to ``break`` (reasons are not labels),
    and anything unknown is ``other``."""
    if state.startswith("break"):
        return "break"
    return state if state in STATE_LABELS else "other"
