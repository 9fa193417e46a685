"""The QA report: count, average and auto-fails by agent, queue and period (tenant zone)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from analytics.worker import EventWorker
from api.clients import ApiServices
from tenants.graphql.relay import from_global_id
from tests.analytics.conftest import Publisher
from tests.analytics.quality.helpers import (
    START,
    answers,
    create_scorecard,
    ok,
    recorded_call,
    submitted,
)
from tests.analytics.reports.test_reports import qid, user
from tests.conftest import GraphQL, TenantAccount, error_code

REPORT = """query($range: QaReportRangeInput!, $groupBy: QaGroupBy!) {
  qaReport(range: $range, groupBy: $groupBy) {
    agentId queueId periodStart evaluations averageScore autoFails lowestScore highestScore
    disputed } }"""
SET_ZONE = "mutation($z: String!) { setReportTimeZone(timeZone: $z) }"
# Monday 2026-03-02, 23:30 UTC is already Tuesday in Berlin (UTC+1).
MONDAY = datetime.fromisoformat("2026-03-02T10:00:00+00:00")
LATE_MONDAY = datetime.fromisoformat("2026-03-02T23:30:00+00:00")
NEXT_MONTH = datetime.fromisoformat("2026-04-01T10:00:00+00:00")


def window(**extra: object) -> dict:
    return {"start": "2026-03-01T00:00:00+01:00", "end": "2026-05-01T00:00:00+02:00", **extra}


@pytest.fixture
async def scored(
    gql: GraphQL,
    tenant_a: TenantAccount,
    services: ApiServices,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> dict:
    """Four submitted evaluations and a draft: agent 1 in queue 1 (100 on Monday, 0
    auto-failed late Monday), agent 2 in queue 2 (50 on Monday, 75 in April)."""
    await ok(gql, SET_ZONE, {"z": "Europe/Berlin"}, tenant_a.token)
    card = (await create_scorecard(gql, tenant_a))["id"]
    _, supervisor = await user(gql, tenant_a, "SUPERVISOR")
    agent1, _ = await user(gql, tenant_a, "AGENT")
    agent2, _ = await user(gql, tenant_a, "AGENT")
    q1, q2 = uuid.uuid4(), uuid.uuid4()

    async def evaluate(agent: str, queue: uuid.UUID, at: datetime, given: list[dict]) -> None:
        recording = await recorded_call(
            services, tenant_a, publish, make_worker, agent_gid=agent, queue=queue, at=at
        )
        await submitted(gql, supervisor, card, recording, given)

    await evaluate(agent1, q1, MONDAY, answers(1, 5, 1))
    await evaluate(agent1, q1, LATE_MONDAY, answers(1, 5, 0))
    await evaluate(agent2, q2, MONDAY + timedelta(hours=1), answers(0, None, 1))
    await evaluate(agent2, q2, NEXT_MONTH, answers(1, 3, 1))
    draft = await recorded_call(
        services, tenant_a, publish, make_worker, agent_gid=agent1, queue=q1, at=MONDAY
    )
    await ok(gql, START, {"input": {"scorecardId": card, "recordingId": draft}}, supervisor)
    return {"supervisor": supervisor, "agent1": agent1, "agent2": agent2, "q1": q1, "q2": q2}


def _summary(rows: list[dict], key: str) -> list[tuple]:
    return [(r[key], r["evaluations"], r["averageScore"], r["autoFails"]) for r in rows]


async def test_by_agent_and_by_queue(gql: GraphQL, scored: dict) -> None:
    token = scored["supervisor"]
    by_agent = await ok(gql, REPORT, {"range": window(), "groupBy": "AGENT"}, token)
    assert sorted(_summary(by_agent, "agentId")) == sorted(
        [(scored["agent1"], 2, 50.0, 1), (scored["agent2"], 2, 62.5, 0)]
    )
    row = next(r for r in by_agent if r["agentId"] == scored["agent1"])
    assert (row["lowestScore"], row["highestScore"], row["queueId"]) == (0.0, 100.0, None)
    by_queue = await ok(gql, REPORT, {"range": window(), "groupBy": "QUEUE"}, token)
    assert sorted(_summary(by_queue, "queueId")) == sorted(
        [(qid(scored["q1"]), 2, 50.0, 1), (qid(scored["q2"]), 2, 62.5, 0)]
    )
    one = await ok(
        gql,
        REPORT,
        {"range": window(queueId=qid(scored["q2"])), "groupBy": "AGENT"},
        token,
    )
    assert _summary(one, "agentId") == [(scored["agent2"], 2, 62.5, 0)]


async def test_periods_follow_the_tenant_time_zone(gql: GraphQL, scored: dict) -> None:
    token = scored["supervisor"]
    days = await ok(gql, REPORT, {"range": window(), "groupBy": "DAY"}, token)
    assert _summary(days, "periodStart") == [
        ("2026-03-02T00:00:00+01:00", 2, 75.0, 0),
        ("2026-03-03T00:00:00+01:00", 1, 0.0, 1),
        ("2026-04-01T00:00:00+02:00", 1, 75.0, 0),
    ]
    weeks = await ok(gql, REPORT, {"range": window(), "groupBy": "WEEK"}, token)
    assert _summary(weeks, "periodStart") == [
        ("2026-03-02T00:00:00+01:00", 3, 50.0, 1),
        ("2026-03-30T00:00:00+02:00", 1, 75.0, 0),
    ]
    months = await ok(gql, REPORT, {"range": window(timeZone="UTC"), "groupBy": "MONTH"}, token)
    assert _summary(months, "periodStart") == [
        ("2026-03-01T00:00:00+00:00", 3, 50.0, 1),
        ("2026-04-01T00:00:00+00:00", 1, 75.0, 0),
    ]


async def test_agents_and_queues_by_period(gql: GraphQL, scored: dict) -> None:
    query = REPORT.replace("$groupBy: QaGroupBy!)", "$groupBy: QaGroupBy!, $i: QaGroupBy)")
    query = query.replace("groupBy: $groupBy)", "groupBy: $groupBy, interval: $i)")
    token = scored["supervisor"]
    rows = await ok(gql, query, {"range": window(), "groupBy": "AGENT", "i": "DAY"}, token)
    assert [
        (r["periodStart"], r["agentId"], r["evaluations"], r["averageScore"], r["autoFails"])
        for r in rows
    ] == sorted(
        [
            ("2026-03-02T00:00:00+01:00", scored["agent1"], 1, 100.0, 0),
            ("2026-03-02T00:00:00+01:00", scored["agent2"], 1, 50.0, 0),
            ("2026-03-03T00:00:00+01:00", scored["agent1"], 1, 0.0, 1),
            ("2026-04-01T00:00:00+02:00", scored["agent2"], 1, 75.0, 0),
        ],
        key=lambda r: (r[0], str(from_global_id(r[1])[1])),
    )
    weeks = await ok(gql, query, {"range": window(), "groupBy": "QUEUE", "i": "WEEK"}, token)
    assert [(r["periodStart"], r["queueId"], r["evaluations"]) for r in weeks] == sorted(
        [
            ("2026-03-02T00:00:00+01:00", qid(scored["q1"]), 2),
            ("2026-03-02T00:00:00+01:00", qid(scored["q2"]), 1),
            ("2026-03-30T00:00:00+02:00", qid(scored["q2"]), 1),
        ],
        key=lambda r: (r[0], str(from_global_id(r[1])[1])),
    )
    for group_by, interval in (("DAY", "WEEK"), ("AGENT", "AGENT")):
        body = await gql(
            query, {"range": window(), "groupBy": group_by, "i": interval}, token=token
        )
        assert error_code(body) == "BAD_USER_INPUT", body
        assert body["errors"][0]["extensions"]["field"] == "interval"


@pytest.mark.parametrize(
    ("range_", "field"),
    [
        (window(timeZone="Mars/Base"), "timeZone"),
        ({"start": "2026-03-02T00:00:00+00:00", "end": "2026-03-01T00:00:00+00:00"}, "end"),
        (window(agentId="not-an-id"), "agentId"),
    ],
)
async def test_bad_report_ranges(
    gql: GraphQL, tenant_a: TenantAccount, range_: dict, field: str
) -> None:
    body = await gql(REPORT, {"range": range_, "groupBy": "DAY"}, token=tenant_a.token)
    assert error_code(body) == "BAD_USER_INPUT", body
    assert body["errors"][0]["extensions"]["field"] == field


async def test_agents_cannot_read_it_and_tenant_b_sees_nothing_of_a(
    gql: GraphQL, tenant_b: TenantAccount, scored: dict
) -> None:
    _, b_supervisor = await user(gql, tenant_b, "SUPERVISOR")
    for group in ("AGENT", "QUEUE", "DAY", "WEEK", "MONTH"):
        assert await ok(gql, REPORT, {"range": window(), "groupBy": group}, b_supervisor) == []
    filtered = window(agentId=scored["agent1"])
    assert await ok(gql, REPORT, {"range": filtered, "groupBy": "AGENT"}, tenant_b.token) == []
    _, agent = await user(gql, tenant_b, "AGENT")
    body = await gql(REPORT, {"range": window(), "groupBy": "DAY"}, token=agent)
    assert error_code(body) == "FORBIDDEN"
