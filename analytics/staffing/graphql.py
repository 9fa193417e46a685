"""GraphQL surface of staffing: Erlang C plans and Erlang B lines."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from analytics.staffing import erlang
from tenants.graphql.context import RequestContext


@strawberry.input(description="One interval's forecast and the service goal to staff for.")
class StaffingPlanInput:
    calls_per_interval: float
    interval_seconds: float
    aht_seconds: float
    target_service_level: float = strawberry.field(description="A share in [0, 1), e.g. 0.8")
    target_seconds: float
    shrinkage: float = 0.0
    max_occupancy: float | None = strawberry.field(
        default=None, description="Optional cap in (0, 1]: staff at least A / maxOccupancy"
    )


@strawberry.type(description="Erlang C staffing for one interval.")
class StaffingPlan:
    traffic_erlangs: float
    agents: int = strawberry.field(description="Productive agents needed (N)")
    scheduled_agents: int = strawberry.field(description="⌈N / (1 - shrinkage)⌉")
    service_level: float
    asa: float = strawberry.field(description="Average speed of answer in seconds")
    occupancy: float
    probability_of_waiting: float


@strawberry.type
class Query:
    @strawberry.field(description="Agents needed for a forecast (Erlang C).")
    async def staffing_plan(
        self, info: Info[RequestContext, None], input: StaffingPlanInput
    ) -> StaffingPlan:
        await info.context.principal()
        plan = erlang.staffing_plan(
            calls_per_interval=input.calls_per_interval,
            interval_seconds=input.interval_seconds,
            aht_seconds=input.aht_seconds,
            target_service_level=input.target_service_level,
            target_seconds=input.target_seconds,
            shrinkage=input.shrinkage,
            max_occupancy=input.max_occupancy,
        )
        return StaffingPlan(
            traffic_erlangs=plan.traffic_erlangs,
            agents=plan.agents,
            scheduled_agents=plan.scheduled_agents,
            service_level=plan.service_level,
            asa=plan.asa_seconds,
            occupancy=plan.occupancy,
            probability_of_waiting=plan.probability_of_waiting,
        )

    @strawberry.field(description="Lines needed to carry traffic at a blocking target (Erlang B).")
    async def erlang_b_lines(
        self, info: Info[RequestContext, None], traffic_erlangs: float, blocking_target: float
    ) -> int:
        await info.context.principal()
        return erlang.erlang_b_lines(traffic_erlangs, blocking_target)


TYPES: list[type] = [StaffingPlan]
