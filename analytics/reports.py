"""Interval reports per queue, agent and tenant, computed from facts at query time.

Why query time and not rollups: a late or redelivered event only changes facts, and the
next report reads them, so every closed interval an event touches is recomputed by
construction, with one definition of each KPI (``analytics.kpi``). The indexes on
``(tenant_id, queue_id, dequeued_at) INCLUDE (outcome, wait_ms)`` and friends make a
queue-day an index-only range scan; ``loadtest/analytics_bench.py`` measures the cost.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from analytics import kpi
from analytics import reports_repository as queries
from analytics.reports_repository import Buckets, Scope
from analytics.schemas import ReportInterval, ReportRangeIn
from tenants.errors import BadUserInput, Forbidden
from tenants.identity import repository as identity_repository
from tenants.identity.principal import Principal
from tenants.identity.roles import SUPERVISORS


@dataclass(frozen=True)
class Definition:
    """The thresholds and formula a row's SL was computed with."""

    answer_seconds: int | None
    short_abandon_seconds: int | None
    formula: kpi.ServiceLevelFormula
    per_queue_thresholds: bool = False


@dataclass
class ReportRow:
    """One interval of a report: counts, KPIs and the definition used."""

    start: datetime
    end: datetime
    definition: Definition
    counts: kpi.QueueCounts = field(default_factory=kpi.QueueCounts)
    callbacks: int = 0
    flowouts: int = 0
    handle: kpi.HandleTotals = field(default_factory=kpi.HandleTotals)
    states: dict[str, float] = field(default_factory=dict)
    with_states: bool = False

    @property
    def service_level(self) -> float | None:
        """SL by the row's formula."""
        return kpi.service_level(self.counts, self.definition.formula)

    @property
    def aht(self) -> kpi.AhtSplit:
        """AHT and its talk, hold and ACW parts."""
        return kpi.average_handle_time(self.handle)

    @property
    def occupancy(self) -> float | None:
        """Occupancy from clipped state time (None for queue reports: states have no queue)."""
        if not self.with_states:
            return None
        return kpi.occupancy(
            kpi.StateSeconds(
                on_contact=self.states.get("on_contact", 0.0),
                acw=self.states.get("acw", 0.0),
                available=self.states.get("available", 0.0),
            )
        )


def _bucket_keys(range_in: ReportRangeIn) -> list[datetime]:
    zone = range_in.zone
    local = range_in.start.astimezone(zone).replace(tzinfo=None)
    step = range_in.interval.step
    if step is None:
        return [local]
    if range_in.interval is ReportInterval.DAY:
        first = local.replace(hour=0, minute=0, second=0, microsecond=0)
    else:
        minutes = int(step.total_seconds() // 60)
        first = local.replace(minute=local.minute - local.minute % minutes, second=0, microsecond=0)
    keys = []
    key = first
    while key.replace(tzinfo=zone) < range_in.end:
        keys.append(key)
        key += step
    return keys


def _bounds(range_in: ReportRangeIn, key: datetime) -> tuple[datetime, datetime]:
    zone, step = range_in.zone, range_in.interval.step
    if step is None:
        return range_in.start.astimezone(zone), range_in.end.astimezone(zone)
    start = max(key.replace(tzinfo=zone), range_in.start)
    end = min((key + step).replace(tzinfo=zone), range_in.end)
    return start.astimezone(zone), end.astimezone(zone)


def _buckets(range_in: ReportRangeIn) -> Buckets:
    return Buckets(
        step=range_in.interval.step,
        daily=range_in.interval is ReportInterval.DAY,
        time_zone=range_in.time_zone,
        start=range_in.start,
        end=range_in.end,
    )


def _counts(offered: int, row: Any | None) -> tuple[kpi.QueueCounts, int, int]:
    if row is None:
        return kpi.QueueCounts(enqueued=offered), 0, 0
    counts = kpi.QueueCounts(
        enqueued=offered,
        dequeued=row.dequeued,
        answered=row.answered,
        answered_within_t=row.answered_within_t,
        abandoned=row.abandoned,
        abandoned_within_t=row.abandoned_within_t,
        short_abandoned=row.short_abandoned,
        answered_wait_seconds=float(row.answered_wait_ms) / 1000,
        abandoned_wait_seconds=float(row.abandoned_wait_ms) / 1000,
        dequeued_wait_seconds=float(row.dequeued_wait_ms) / 1000,
        longest_wait_seconds=None
        if row.longest_wait_ms is None
        else float(row.longest_wait_ms) / 1000,
    )
    return counts, row.callbacks, row.flowouts


def _handle(row: Any | None) -> kpi.HandleTotals:
    if row is None:
        return kpi.HandleTotals()
    return kpi.HandleTotals(
        handled=row.handled,
        talk_seconds=float(row.talk_ms) / 1000,
        hold_seconds=float(row.hold_ms) / 1000,
        acw_seconds=float(row.acw_ms) / 1000,
        transferred_out=row.transferred_out,
    )


async def _rows(
    session: AsyncSession,
    *,
    scope: Scope,
    range_in: ReportRangeIn,
    definition: Definition,
    thresholds: tuple[int, int] | None,
    with_states: bool,
    now: datetime,
) -> list[ReportRow]:
    buckets = _buckets(range_in)
    offered = await queries.offered(session, scope, buckets)
    decided = await queries.decided(
        session,
        scope,
        buckets,
        answer_ms=None if thresholds is None else thresholds[0] * 1000,
        short_ms=None if thresholds is None else thresholds[1] * 1000,
    )
    handled = await queries.handled(session, scope, buckets)
    states: dict[Any, dict[str, float]] = {}
    if with_states:
        states = await queries.state_seconds(
            session, Scope(scope.tenant_id, agent_id=scope.agent_id), buckets, now=now
        )
    rows = []
    for key in _bucket_keys(range_in):
        start, end = _bounds(range_in, key)
        counts, callbacks, flowouts = _counts(offered.get(key, 0), decided.get(key))
        rows.append(
            ReportRow(
                start=start,
                end=end,
                definition=definition,
                counts=counts,
                callbacks=callbacks,
                flowouts=flowouts,
                handle=_handle(handled.get(key)),
                states=states.get(key, {}),
                with_states=with_states,
            )
        )
    return rows


async def queue_report(
    *,
    session: AsyncSession,
    principal: Principal,
    queue_id: uuid.UUID,
    range_in: ReportRangeIn,
    now: datetime | None = None,
) -> list[ReportRow]:
    """One queue's intervals, with the queue's own T, S and formula on every row."""
    principal.require(SUPERVISORS, "read queue reports")
    queue = await queries.queue_definition(
        session, tenant_id=principal.tenant_id, queue_id=queue_id
    )
    if queue is None:
        raise BadUserInput("queueId: no such queue", field="queueId")
    definition = Definition(
        queue.answer_seconds,
        queue.short_abandon_seconds,
        kpi.ServiceLevelFormula(queue.sl_formula),
    )
    return await _rows(
        session,
        scope=Scope(principal.tenant_id, queue_id=queue_id),
        range_in=range_in,
        definition=definition,
        thresholds=(queue.answer_seconds, queue.short_abandon_seconds),
        with_states=False,
        now=now or datetime.now(UTC),
    )


async def tenant_report(
    *,
    session: AsyncSession,
    principal: Principal,
    range_in: ReportRangeIn,
    now: datetime | None = None,
) -> list[ReportRow]:
    """The tenant's intervals: each leg measured against its own queue's T and S."""
    principal.require(SUPERVISORS, "read tenant reports")
    queues = await queries.queue_definitions(session, tenant_id=principal.tenant_id)
    thresholds = {(q.answer_seconds, q.short_abandon_seconds) for q in queues}
    formulas = {q.sl_formula for q in queues}
    shared = next(iter(thresholds)) if len(thresholds) == 1 else None
    definition = Definition(
        answer_seconds=shared[0] if shared else None,
        short_abandon_seconds=shared[1] if shared else None,
        formula=kpi.ServiceLevelFormula(formulas.pop())
        if len(formulas) == 1
        else kpi.DEFAULT_FORMULA,
        per_queue_thresholds=shared is None,
    )
    return await _rows(
        session,
        scope=Scope(principal.tenant_id),
        range_in=range_in,
        definition=definition,
        thresholds=None,
        with_states=True,
        now=now or datetime.now(UTC),
    )


async def agent_report(
    *,
    session: AsyncSession,
    principal: Principal,
    agent_id: uuid.UUID,
    range_in: ReportRangeIn,
    now: datetime | None = None,
) -> list[ReportRow]:
    """One agent's workload: handles, AHT split, state time and occupancy.

    Supervisors and admins may read any agent; an agent only themselves.
    """
    if principal.role not in SUPERVISORS and principal.user_id != agent_id:
        raise Forbidden("agents may read only their own report")
    user = await identity_repository.user_by_id(
        session, tenant_id=principal.tenant_id, user_id=agent_id
    )
    if user is None:
        raise BadUserInput("agentId: no such agent", field="agentId")
    return await _rows(
        session,
        scope=Scope(principal.tenant_id, agent_id=agent_id),
        range_in=range_in,
        definition=Definition(None, None, kpi.DEFAULT_FORMULA, per_queue_thresholds=True),
        thresholds=None,
        with_states=True,
        now=now or datetime.now(UTC),
    )


@dataclass(frozen=True)
class HourlyTrafficRow:
    """Traffic in one local hour of the day, summed and averaged over the range's days."""

    hour: int
    offered: int
    answered: int
    abandoned: int
    average_offered_per_day: float
    asa: float | None


async def hourly_traffic(
    *,
    session: AsyncSession,
    principal: Principal,
    range_in: ReportRangeIn,
    queue_id: uuid.UUID | None = None,
) -> list[HourlyTrafficRow]:
    """Offered, answered and abandoned by hour of day, to find the peaks to staff for."""
    principal.require(SUPERVISORS, "read traffic reports")
    if queue_id is not None and (
        await queries.queue_definition(session, tenant_id=principal.tenant_id, queue_id=queue_id)
        is None
    ):
        raise BadUserInput("queueId: no such queue", field="queueId")
    rows = await queries.hourly_traffic(
        session,
        Scope(principal.tenant_id, queue_id=queue_id),
        start=range_in.start,
        end=range_in.end,
        time_zone=range_in.time_zone,
    )
    days = max((range_in.end - range_in.start) / timedelta(days=1), 1e-9)
    result = []
    for hour in range(24):
        row = rows.get(hour)
        offered = row.offered if row else 0
        answered = row.answered if row else 0
        result.append(
            HourlyTrafficRow(
                hour=hour,
                offered=offered,
                answered=answered,
                abandoned=row.abandoned if row else 0,
                average_offered_per_day=offered / days,
                asa=kpi.ratio(float(row.answered_wait_ms) / 1000, answered) if row else None,
            )
        )
    return result
