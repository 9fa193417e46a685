"""The clock the routing scripts read "now" from (timer due times, state stamps, leases).

Every script receives the time as an argument. In production the argument is empty and the
script reads Valkey's own ``TIME``: one clock for every replica, so replicas whose clocks
drift apart never disagree on which timer is due. Tests inject a clock they move by hand
(``tests/routing/conftest.py:FakeClock``) instead of sleeping until a timer is due.
"""

from __future__ import annotations

from typing import Protocol


class Clock(Protocol):
    """Where the routing scripts take "now" from."""

    def now_ms(self) -> int | None:
        """Milliseconds since the epoch, or ``None`` to let the script read Valkey's clock."""
        ...


class ValkeyClock:
    """Production's clock: the server's ``TIME``, read inside each script."""

    def now_ms(self) -> int | None:
        """Always ``None``: the script reads ``TIME`` itself, atomically with its work."""
        return None
