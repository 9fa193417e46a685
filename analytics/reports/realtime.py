"""The floor right now and agents' workload over a range, from the facts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from analytics import kpi
from analytics.reports import repository as queries
from analytics.reports.repository import Scope
from analytics.reports.service import HANDLED, ReportRow, handle_totals, queue_report, tenant_report
from analytics.schemas import ReportInterval, ReportRangeIn
from tenants.identity.principal import Principal
from tenants.identity.roles import SUPERVISORS
from tenants.input_validation import parse_input


@dataclass(frozen=True)
class Realtime:
    """The floor right now, from the facts (as fresh as the worker's lag)."""

    waiting: int
    longest_wait_seconds: float | None
    agents_by_state: dict[str, int]
    today: ReportRow


WAITING_HORIZON = timedelta(hours=12)
"""A leg never dequeued (a lost event) stops counting as waiting after this long."""


async def realtime(
    *,
    session: AsyncSession,
    principal: Principal,
    time_zone: str,
    queue_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> Realtime:
    """Waiting now, longest wait, agents by state and today's figures so far."""
    principal.require(SUPERVISORS, "read the real-time view")
    now = now or datetime.now(UTC)
    probe = parse_input(
        ReportRangeIn, {"start": now - timedelta(seconds=1), "end": now, "time_zone": time_zone}
    )
    local_midnight = now.astimezone(probe.zone).replace(hour=0, minute=0, second=0, microsecond=0)
    today_in = ReportRangeIn(
        start=min(local_midnight, now - timedelta(seconds=1)),
        end=now,
        interval=ReportInterval.RANGE,
        time_zone=time_zone,
    )
    if queue_id is not None:
        today = (
            await queue_report(
                session=session, principal=principal, queue_id=queue_id, range_in=today_in, now=now
            )
        )[0]
    else:
        today = (
            await tenant_report(session=session, principal=principal, range_in=today_in, now=now)
        )[0]
    waiting, oldest = await queries.waiting_now(
        session, Scope(principal.tenant_id, queue_id=queue_id), now=now, horizon=WAITING_HORIZON
    )
    return Realtime(
        waiting=waiting,
        longest_wait_seconds=None if oldest is None else (now - oldest).total_seconds(),
        agents_by_state=await queries.agents_by_state(session, principal.tenant_id),
        today=today,
    )


@dataclass(frozen=True)
class AgentWorkload:
    """One agent's load over a range: handles, AHT split, state time, occupancy."""

    agent_id: uuid.UUID
    handle: kpi.HandleTotals
    states: dict[str, float]

    @property
    def aht(self) -> kpi.AhtSplit:
        """AHT and its parts."""
        return kpi.average_handle_time(self.handle)

    @property
    def occupancy(self) -> float | None:
        """(on_contact + acw) / (on_contact + acw + available)."""
        return kpi.occupancy(
            kpi.StateSeconds(
                on_contact=self.states.get("on_contact", 0.0),
                acw=self.states.get("acw", 0.0),
                available=self.states.get("available", 0.0),
            )
        )


async def agent_workload(
    *,
    session: AsyncSession,
    principal: Principal,
    range_in: ReportRangeIn,
    now: datetime | None = None,
) -> list[AgentWorkload]:
    """Every agent with handles or state time in the range (supervisors and admins)."""
    principal.require(SUPERVISORS, "read the agent workload report")
    now = now or datetime.now(UTC)
    handled = await queries.handled_by_agent(
        session, tenant_id=principal.tenant_id, start=range_in.start, end=range_in.end
    )
    states = await queries.state_seconds_by_agent(
        session, tenant_id=principal.tenant_id, start=range_in.start, end=range_in.end, now=now
    )
    result = []
    for agent_id in sorted(set(handled) | set(states)):
        result.append(
            AgentWorkload(
                agent_id=agent_id,
                handle=handle_totals(
                    {c: float(getattr(handled[agent_id], c)) for c in HANDLED}
                    if agent_id in handled
                    else {}
                ),
                states=states.get(agent_id, {}),
            )
        )
    return result
