"""The screen pop's recent calls, read from analytics facts (a ``RecentCallsSource``).

``tenants/screen_pop`` may not import analytics, so the API composition root injects
``recent_calls`` as ``services.recent_calls``.
"""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.screen_pop.service import RecentCall

# One statement (the screen pop is on every ring): the latest contacts by number or by
# customer, each with its first queue's leg and the segment of the agent who answered
# last. Like the reports, it filters ``tenant_id`` itself on a tenant-bound session.
_RECENT_CALLS = text(
    """
SELECT c.call_id, c.arrived_at, c.first_queue_id, c.outcome,
       l.outcome AS leg_outcome, l.wait_ms, l.agent_id AS leg_agent_id,
       s.agent_id AS segment_agent_id, s.talk_ms, s.found AS segment_found
FROM (
  SELECT call_id, arrived_at, first_queue_id, outcome FROM analytics_contacts
  WHERE tenant_id = :tenant AND arrived_at IS NOT NULL
    AND (from_number = :e164 OR customer_id = :customer)
  ORDER BY arrived_at DESC, call_id LIMIT :limit
) c
LEFT JOIN analytics_queue_legs l
  ON l.tenant_id = :tenant AND l.call_id = c.call_id AND l.queue_id = c.first_queue_id
LEFT JOIN LATERAL (
  SELECT agent_id, talk_ms, true AS found FROM analytics_agent_segments
  WHERE tenant_id = :tenant AND call_id = c.call_id
  ORDER BY answered_at DESC NULLS LAST LIMIT 1
) s ON true
ORDER BY c.arrived_at DESC, c.call_id
"""
)


async def recent_calls(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    e164: str,
    customer_id: uuid.UUID | None,
    limit: int,
) -> list[RecentCall]:
    """The tenant's calls from ``e164`` (or from the customer's other numbers), newest first.

    Each carries its first queue's wait and outcome and its last agent's talk time.
    """
    rows = await session.execute(
        _RECENT_CALLS,
        {"tenant": tenant_id, "e164": e164, "customer": customer_id, "limit": limit},
    )
    return [
        RecentCall(
            call_id=str(row.call_id),
            at=row.arrived_at,
            direction="inbound",
            queue_id=row.first_queue_id,
            agent_id=row.segment_agent_id if row.segment_found else row.leg_agent_id,
            outcome=row.outcome or row.leg_outcome,
            wait_ms=row.wait_ms,
            talk_ms=row.talk_ms,
        )
        for row in rows
    ]
