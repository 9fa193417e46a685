"""Business hours: ``{"tz": "Europe/Paris", "windows": {"mon": [["09:00", "18:00"]], ...}}``."""

from __future__ import annotations

import json
import logging
from datetime import datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

log = logging.getLogger("hotline.routing.hours")

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _parse(clock: str) -> time:
    if clock in {"24:00", "24:00:00"}:
        return time.max
    return time.fromisoformat(clock)


def is_open(hours: str, now: datetime) -> bool:
    """Whether ``now`` (aware) falls in a window; ``""`` means always open.

    Unreadable hours count as open: refusing every call over a typo is worse than routing it.
    """
    if not hours:
        return True
    try:
        spec = json.loads(hours)
        zone = ZoneInfo(spec.get("tz") or "UTC")
        local = now.astimezone(zone)
        windows = (spec.get("windows") or {}).get(DAYS[local.weekday()], [])
        clock = local.time().replace(tzinfo=None)
        return any(_parse(start) <= clock < _parse(end) for start, end in windows)
    except (ValueError, TypeError, AttributeError, ZoneInfoNotFoundError) as err:
        log.warning("unreadable business hours %r: %s; treating as open", hours, err)
        return True
