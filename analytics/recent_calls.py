"""The screen pop's recent calls, read from analytics facts (a ``RecentCallsSource``).

``tenants/screen_pop`` may not import analytics, so the API composition root injects
``recent_calls`` as ``services.recent_calls``.
"""

from __future__ import annotations

import uuid

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.models import AgentSegment, Contact, QueueLeg
from tenants.database.scoping import scoped
from tenants.screen_pop.service import RecentCall


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
    match = Contact.from_number == e164
    if customer_id is not None:
        match = or_(match, Contact.customer_id == customer_id)
    contacts = list(
        await session.scalars(
            scoped(select(Contact), tenant_id)
            .where(match, Contact.arrived_at.is_not(None))
            .order_by(Contact.arrived_at.desc(), Contact.call_id)
            .limit(limit)
        )
    )
    if not contacts:
        return []
    call_ids = [c.call_id for c in contacts]
    legs = {
        (leg.call_id, leg.queue_id): leg
        for leg in await session.scalars(
            scoped(select(QueueLeg), tenant_id).where(QueueLeg.call_id.in_(call_ids))
        )
    }
    segments: dict[uuid.UUID, AgentSegment] = {}
    for segment in await session.scalars(
        scoped(select(AgentSegment), tenant_id)
        .where(AgentSegment.call_id.in_(call_ids))
        .order_by(AgentSegment.answered_at.asc().nulls_first())
    ):
        segments[segment.call_id] = segment
    calls = []
    for contact in contacts:
        leg = legs.get((contact.call_id, contact.first_queue_id))
        segment = segments.get(contact.call_id)
        calls.append(
            RecentCall(
                call_id=str(contact.call_id),
                at=contact.arrived_at,  # type: ignore[arg-type]
                direction="inbound",
                queue_id=contact.first_queue_id,
                agent_id=segment.agent_id if segment else (leg.agent_id if leg else None),
                outcome=contact.outcome or (leg.outcome if leg else None),
                wait_ms=leg.wait_ms if leg else None,
                talk_ms=segment.talk_ms if segment else None,
            )
        )
    return calls
