"""staffingPlan and erlangBLines over GraphQL."""

from __future__ import annotations

import pytest

from tests.conftest import GraphQL, TenantAccount, error_code

PLAN = """
query($input: StaffingPlanInput!) {
  staffingPlan(input: $input) {
    trafficErlangs agents scheduledAgents serviceLevel asa occupancy probabilityOfWaiting
  }
}"""
LINES = "query($a: Float!, $b: Float!) { erlangBLines(trafficErlangs: $a, blockingTarget: $b) }"

GOOD = {
    "callsPerInterval": 100,
    "intervalSeconds": 1800,
    "ahtSeconds": 180,
    "targetServiceLevel": 0.8,
    "targetSeconds": 20,
    "shrinkage": 0.3,
}


async def test_staffing_plan_matches_published_vector(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    body = await gql(PLAN, {"input": GOOD}, token=tenant_a.token)
    plan = body["data"]["staffingPlan"]
    assert (plan["agents"], plan["scheduledAgents"]) == (14, 20)
    assert plan["serviceLevel"] == pytest.approx(0.8884, abs=1e-4)
    assert plan["asa"] == pytest.approx(7.84, abs=5e-3)
    assert plan["occupancy"] == pytest.approx(0.714, abs=5e-4)
    assert plan["probabilityOfWaiting"] == pytest.approx(0.1741, abs=1e-4)


async def test_erlang_b_lines(gql: GraphQL, tenant_a: TenantAccount) -> None:
    body = await gql(LINES, {"a": 8.108, "b": 0.01}, token=tenant_a.token)
    assert body["data"]["erlangBLines"] == 15


@pytest.mark.parametrize(
    "override",
    [
        {"ahtSeconds": 0},
        {"targetServiceLevel": 1.5},
        {"callsPerInterval": -1},
        {"shrinkage": 1},
        {"maxOccupancy": 0},
    ],
)
async def test_out_of_domain_is_bad_user_input(
    gql: GraphQL, tenant_a: TenantAccount, override: dict
) -> None:
    body = await gql(PLAN, {"input": {**GOOD, **override}}, token=tenant_a.token)
    assert error_code(body) == "BAD_USER_INPUT"
    assert body["data"] is None


async def test_bad_blocking_target(gql: GraphQL, tenant_a: TenantAccount) -> None:
    body = await gql(LINES, {"a": 5.0, "b": 2.0}, token=tenant_a.token)
    assert error_code(body) == "BAD_USER_INPUT"


async def test_requires_authentication(gql: GraphQL) -> None:
    assert error_code(await gql(PLAN, {"input": GOOD})) == "UNAUTHENTICATED"
    assert error_code(await gql(LINES, {"a": 5.0, "b": 0.01})) == "UNAUTHENTICATED"
