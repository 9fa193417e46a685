"""Business hours, DID spellings and the capped tenant label."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from redis.asyncio import Redis

from routing.directory_reader import did_candidates
from routing.hours import is_open
from routing.metrics import OTHER, TenantLabels
from tenants.agent_states import state_label
from tests.routing.routing_config import publish_tenant

PARIS_WEEKDAYS = json.dumps(
    {"tz": "Europe/Paris", "windows": {d: [["09:00", "18:00"]] for d in ("mon", "tue", "wed")}}
)


def test_hours_follow_the_time_zone() -> None:
    monday_0830_utc = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)  # 09:30 in Paris
    monday_1730_utc = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)  # 18:30 in Paris
    sunday = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    assert is_open(PARIS_WEEKDAYS, monday_0830_utc)
    assert not is_open(PARIS_WEEKDAYS, monday_1730_utc)
    assert not is_open(PARIS_WEEKDAYS, sunday)
    assert is_open("", sunday)
    assert is_open("{not json", sunday)


def test_did_candidates_from_sip_uris() -> None:
    assert did_candidates("+33199000000") == ["+33199000000"]
    assert did_candidates("sip:+33199000000@carrier;user=phone") == ["+33199000000"]
    assert did_candidates("sip:33199000000@carrier") == ["33199000000", "+33199000000"]


def test_break_reasons_collapse() -> None:
    assert state_label("break:lunch") == "break"
    assert state_label("not_ready:missed") == "not_ready:missed"


async def test_tenant_labels_are_capped(redis: Redis) -> None:
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    await publish_tenant(redis, first, slug="alpha")
    await publish_tenant(redis, second, slug="beta")
    labels = TenantLabels(redis, cap=1)
    assert await labels.label(first) == "alpha"
    assert await labels.label(second) == OTHER
    assert await labels.label(first) == "alpha"
