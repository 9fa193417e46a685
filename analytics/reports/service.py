"""Interval reports per queue, agent and tenant.

Queue and tenant reports read 15-minute rollups (``analytics.facts.rollups``) for the part of
the range on quarter-hour boundaries and the facts for ragged edges; open agent state
intervals are always read live. The worker recomputes each rollup bucket an event
touches in the same transaction as the facts, so late events recompute the closed
intervals they touch, and a report equals one computed from the facts alone
(``use_rollups=False``, tested). Agent reports read the facts: one agent's are few.
Every KPI comes from ``analytics.kpi``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from analytics import kpi
from analytics.facts import repository, rollups
from analytics.reports import repository as queries
from analytics.reports.repository import Buckets, Scope
from analytics.schemas import (
    QueueServiceLevelIn,
    ReportInterval,
    ReportRangeIn,
    check_time_zone,
)
from tenants.errors import BadUserInput, Forbidden
from tenants.identity import repository as identity_repository
from tenants.identity.principal import Principal
from tenants.identity.roles import MANAGERS, SUPERVISORS


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
    missed_calls_opened: int = 0
    missed_calls_closed: int = 0
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
        # A wall-clock time skipped by a DST change holds no instant: no row for it.
        if key.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None) == key:
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


DECIDED = (
    "dequeued",
    "answered",
    "answered_within_t",
    "abandoned",
    "abandoned_within_t",
    "short_abandoned",
    "callbacks",
    "flowouts",
    "answered_wait_ms",
    "abandoned_wait_ms",
    "dequeued_wait_ms",
    "longest_wait_ms",
)
HANDLED = ("handled", "talk_ms", "hold_ms", "acw_ms", "transferred_out")

Totals = dict[Any, dict[str, float]]


def _add(totals: Totals, rows: dict[Any, Any], columns: tuple[str, ...]) -> None:
    for key, row in rows.items():
        bucket = totals.setdefault(key, {})
        for column in columns:
            value = getattr(row, column)
            if value is None:
                continue
            value = float(value)
            if column == "longest_wait_ms":
                bucket[column] = max(bucket.get(column, value), value)
            else:
                bucket[column] = bucket.get(column, 0.0) + value


def _add_offered(totals: Totals, offered: dict[Any, int]) -> None:
    for key, count in offered.items():
        bucket = totals.setdefault(key, {})
        bucket["offered"] = bucket.get("offered", 0.0) + count


def _add_states(totals: Totals, states: dict[Any, dict[str, float]]) -> None:
    for key, by_state in states.items():
        bucket = totals.setdefault(key, {})
        for state, seconds in by_state.items():
            bucket[state] = bucket.get(state, 0.0) + seconds


def _counts(d: dict[str, float]) -> tuple[kpi.QueueCounts, int, int]:
    longest = d.get("longest_wait_ms")
    counts = kpi.QueueCounts(
        enqueued=int(d.get("offered", 0)),
        dequeued=int(d.get("dequeued", 0)),
        answered=int(d.get("answered", 0)),
        answered_within_t=int(d.get("answered_within_t", 0)),
        abandoned=int(d.get("abandoned", 0)),
        abandoned_within_t=int(d.get("abandoned_within_t", 0)),
        short_abandoned=int(d.get("short_abandoned", 0)),
        answered_wait_seconds=d.get("answered_wait_ms", 0.0) / 1000,
        abandoned_wait_seconds=d.get("abandoned_wait_ms", 0.0) / 1000,
        dequeued_wait_seconds=d.get("dequeued_wait_ms", 0.0) / 1000,
        longest_wait_seconds=None if longest is None else longest / 1000,
    )
    return counts, int(d.get("callbacks", 0)), int(d.get("flowouts", 0))


def handle_totals(d: dict[str, float]) -> kpi.HandleTotals:
    return kpi.HandleTotals(
        handled=int(d.get("handled", 0)),
        talk_seconds=d.get("talk_ms", 0.0) / 1000,
        hold_seconds=d.get("hold_ms", 0.0) / 1000,
        acw_seconds=d.get("acw_ms", 0.0) / 1000,
        transferred_out=int(d.get("transferred_out", 0)),
    )


async def _raw_facts(
    session: AsyncSession,
    scope: Scope,
    buckets: Buckets,
    thresholds: tuple[int, int] | None,
    totals: Totals,
) -> None:
    _add_offered(totals, await queries.offered(session, scope, buckets))
    decided = await queries.decided(
        session,
        scope,
        buckets,
        answer_ms=None if thresholds is None else thresholds[0] * 1000,
        short_ms=None if thresholds is None else thresholds[1] * 1000,
    )
    _add(totals, decided, DECIDED)
    _add(totals, await queries.handled(session, scope, buckets), HANDLED)


def _split(buckets: Buckets) -> tuple[Buckets | None, list[Buckets]]:
    """The quarter-hour-aligned middle (rollups) and the ragged edges (facts)."""
    low, high = rollups.ceil_bucket(buckets.start), rollups.floor_bucket(buckets.end)
    if low >= high:
        return None, [buckets]
    edges = []
    if buckets.start < low:
        edges.append(buckets.part(buckets.start, low))
    if high < buckets.end:
        edges.append(buckets.part(high, buckets.end))
    return buckets.part(low, high), edges


async def _rows(
    session: AsyncSession,
    *,
    scope: Scope,
    range_in: ReportRangeIn,
    definition: Definition,
    thresholds: tuple[int, int] | None,
    with_states: bool,
    use_rollups: bool,
    now: datetime,
) -> list[ReportRow]:
    buckets = _buckets(range_in)
    totals: Totals = {}
    states: Totals = {}
    state_scope = Scope(scope.tenant_id, agent_id=scope.agent_id)
    middle, edges = _split(buckets) if use_rollups else (None, [buckets])
    if middle is not None:
        rolled = await queries.rollup_totals(session, scope, middle)
        _add(totals, rolled, ("offered", *DECIDED, *HANDLED))
    for edge in edges:
        await _raw_facts(session, scope, edge, thresholds, totals)
    if with_states:
        if middle is not None:
            _add_states(states, await queries.rollup_state_seconds(session, state_scope, middle))
            _add_states(
                states,
                await queries.state_seconds(session, state_scope, middle, now=now, which="open"),
            )
        for edge in edges:
            _add_states(states, await queries.state_seconds(session, state_scope, edge, now=now))
    followups = await queries.missed_call_followups(session, scope, buckets)
    rows = []
    for key in _bucket_keys(range_in):
        start, end = _bounds(range_in, key)
        counts, callbacks, flowouts = _counts(totals.get(key, {}))
        opened, closed = followups.get(key, (0, 0))
        rows.append(
            ReportRow(
                start=start,
                end=end,
                definition=definition,
                counts=counts,
                callbacks=callbacks,
                flowouts=flowouts,
                missed_calls_opened=opened,
                missed_calls_closed=closed,
                handle=handle_totals(totals.get(key, {})),
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
    use_rollups: bool = True,
) -> list[ReportRow]:
    """One queue's intervals, with the queue's own T, S and formula on every row.

    ``use_rollups=False`` reads only the facts (the rollups' reference).
    """
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
        use_rollups=use_rollups,
        now=now or datetime.now(UTC),
    )


async def tenant_report(
    *,
    session: AsyncSession,
    principal: Principal,
    range_in: ReportRangeIn,
    now: datetime | None = None,
    use_rollups: bool = True,
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
        use_rollups=use_rollups,
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
        # An agent's own facts are few; per-queue rollups do not split by agent.
        use_rollups=False,
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


async def configure_queue_service_level(
    *,
    session: AsyncSession,
    principal: Principal,
    queue_id: uuid.UUID,
    definition_in: QueueServiceLevelIn,
) -> Definition:
    """Set a queue's T, S and SL formula (owners and admins) and recompute its rollups."""
    principal.require(MANAGERS, "configure service levels")
    row = await repository.set_queue_definition(
        session,
        tenant_id=principal.tenant_id,
        queue_id=queue_id,
        answer_seconds=definition_in.answer_seconds,
        short_abandon_seconds=definition_in.short_abandon_seconds,
        sl_formula=definition_in.formula.value,
    )
    await rollups.rebuild_queue_rollups(session, tenant_id=principal.tenant_id, queue_id=queue_id)
    return Definition(
        row.answer_seconds, row.short_abandon_seconds, kpi.ServiceLevelFormula(row.sl_formula)
    )


async def report_time_zone(*, session: AsyncSession, principal: Principal) -> str:
    """The time zone the tenant's reports follow unless a request names another."""
    return await repository.tenant_time_zone(session, tenant_id=principal.tenant_id)


async def set_report_time_zone(
    *, session: AsyncSession, principal: Principal, time_zone: str
) -> str:
    """Set the tenant's report time zone (owners and admins)."""
    principal.require(MANAGERS, "set the report time zone")
    try:
        check_time_zone(time_zone)
    except ValueError as err:
        raise BadUserInput(f"timeZone: {err}", field="timeZone") from err
    await repository.set_tenant_time_zone(
        session, tenant_id=principal.tenant_id, time_zone=time_zone
    )
    return time_zone
