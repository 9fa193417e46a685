"""Queue, agent and tenant reports and hourly traffic over GraphQL, from worker-made facts."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from analytics.worker import EventWorker
from tenants.graphql.relay import from_global_id, to_global_id
from tests.analytics.conftest import T0, Publisher, drain, tenant_uuid
from tests.conftest import GraphQL, TenantAccount, error_code

ROW_FIELDS = """
  intervalStart intervalEnd
  definition { answerSeconds shortAbandonSeconds formula perQueueThresholds }
  offered dequeued answered answeredWithinThreshold abandoned abandonedWithinThreshold
  shortAbandoned callbacks flowouts serviceLevel abandonmentRate shortAbandonRate asa
  averageAbandonTime averageWait longestWait handled aht averageTalk averageHold averageAcw
  transferRate occupancy availableSeconds onContactSeconds acwSeconds reservedSeconds
"""
QUEUE_REPORT = f"""
query($queue: ID!, $range: ReportRangeInput!) {{
  queueReport(queueId: $queue, range: $range) {{ {ROW_FIELDS} }}
}}"""
AGENT_REPORT = f"""
query($agent: ID!, $range: ReportRangeInput!) {{
  agentReport(agentId: $agent, range: $range) {{ {ROW_FIELDS} }}
}}"""
TENANT_REPORT = f"""
query($range: ReportRangeInput!) {{ tenantReport(range: $range) {{ {ROW_FIELDS} }} }}"""
HOURLY = """
query($range: ReportRangeInput!, $queue: ID) {
  hourlyTraffic(range: $range, queueId: $queue) {
    hour offered answered abandoned averageOfferedPerDay asa
  }
}"""
CREATE_USER = """
mutation($input: CreateUserInput!) { createUser(input: $input) { id } }"""
LOG_IN = """
mutation($input: LogInInput!) { logIn(input: $input) { token user { id } } }"""


def s(seconds: float) -> timedelta:
    return timedelta(seconds=seconds)


def rng(start: datetime, end: datetime, interval: str = "MINUTES_15", tz: str = "UTC") -> dict:
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "interval": interval,
        "timeZone": tz,
    }


async def user(gql: GraphQL, owner: TenantAccount, role: str) -> tuple[str, str]:
    """Create a user with ``role`` in the owner's tenant; returns (global id, token)."""
    email = f"{role.lower()}-{uuid.uuid4().hex[:8]}@example.com"
    password = "correct horse battery staple"
    body = await gql(
        CREATE_USER,
        {"input": {"email": email, "password": password, "role": role}},
        token=owner.token,
    )
    assert "errors" not in body, body
    login = await gql(
        LOG_IN,
        {"input": {"tenantSlug": owner.slug, "email": email, "password": password}},
    )
    data = login["data"]["logIn"]
    return data["user"]["id"], data["token"]


async def call(
    publish: Publisher,
    tenant: uuid.UUID,
    queue: uuid.UUID,
    at: datetime,
    *,
    wait: float,
    outcome: str = "answered",
    agent: uuid.UUID | None = None,
    talk: float = 60,
    acw: float = 20,
    hold: float = 0,
) -> uuid.UUID:
    """Publish one call's events; an answered call is on contact for ``talk + hold``."""
    call_id = f"{uuid.uuid4().hex}@pbx.example"
    await publish(tenant, "call.enqueued", at, call_id=call_id, queue_id=queue)
    await publish(
        tenant,
        "call.dequeued",
        at + s(wait),
        call_id=call_id,
        queue_id=queue,
        outcome=outcome,
        wait_ms=int(wait * 1000),
        agent_id=agent,
    )
    if outcome == "answered" and agent is not None:
        answered = at + s(wait)
        await publish(
            tenant, "call.answered", answered, call_id=call_id, queue_id=queue, agent_id=agent
        )
        await publish(
            tenant,
            "agent.state_changed",
            answered,
            agent_id=agent,
            state="on_contact",
            call_id=call_id,
        )
        held = {"hold_ms": int(hold * 1000)} if hold else {}
        await publish(
            tenant,
            "call.ended",
            answered + s(talk + hold),
            call_id=call_id,
            queue_id=queue,
            agent_id=agent,
            by="caller",
            talk_ms=int(talk * 1000),
            **held,
        )
        await publish(
            tenant,
            "agent.state_changed",
            answered + s(talk + hold),
            agent_id=agent,
            state="acw",
            call_id=call_id,
        )
        await publish(
            tenant,
            "agent.state_changed",
            answered + s(talk + hold + acw),
            agent_id=agent,
            state="available",
        )
    return call_id


def qid(queue: uuid.UUID) -> str:
    return to_global_id("Queue", queue)


async def report(gql: GraphQL, token: str, query: str, **variables: Any) -> list[dict]:
    body = await gql(query, variables, token=token)
    assert "errors" not in body, body
    return next(iter(body["data"].values()))


async def test_queue_report_splits_into_15_minute_rows_with_definitions(
    gql: GraphQL,
    tenant_a: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    tenant, queue = tenant_uuid(tenant_a), uuid.uuid4()
    await call(publish, tenant, queue, T0 + s(60), wait=20)  # exactly T: within
    await call(publish, tenant, queue, T0 + s(120), wait=25)
    await call(publish, tenant, queue, T0 + s(180), wait=3, outcome="abandoned")  # short
    await call(publish, tenant, queue, T0 + s(240), wait=40, outcome="abandoned")
    await call(publish, tenant, queue, T0 + s(300), wait=8, outcome="callback")
    # Offered in the first quarter, decided in the second.
    await call(publish, tenant, queue, T0 + s(14 * 60), wait=90)
    await drain(make_worker())
    rows = await report(
        gql, tenant_a.token, QUEUE_REPORT, queue=qid(queue), range=rng(T0, T0 + timedelta(hours=1))
    )
    assert len(rows) == 4
    first, second = rows[0], rows[1]
    assert first["intervalStart"].startswith("2026-03-02T09:00:00")
    assert first["intervalEnd"].startswith("2026-03-02T09:15:00")
    assert first["definition"] == {
        "answerSeconds": 20,
        "shortAbandonSeconds": 5,
        "formula": "genesys",
        "perQueueThresholds": False,
    }
    assert (first["offered"], first["answered"], first["answeredWithinThreshold"]) == (6, 2, 1)
    assert (first["abandoned"], first["shortAbandoned"], first["callbacks"]) == (2, 1, 1)
    # Genesys: 1 ÷ (2 answered + 2 abandoned - 1 short abandon)
    assert first["serviceLevel"] == pytest.approx(1 / 3)
    assert first["abandonmentRate"] == pytest.approx(2 / 6)
    assert first["asa"] == pytest.approx(22.5)
    assert first["averageAbandonTime"] == pytest.approx(21.5)
    assert first["longestWait"] == 40
    assert first["occupancy"] is None
    assert (second["offered"], second["answered"], second["longestWait"]) == (0, 1, 90)
    assert second["serviceLevel"] == 0.0
    assert rows[3]["serviceLevel"] is None  # nothing decided: no data, not NaN


async def test_day_rows_follow_the_tenant_time_zone(
    gql: GraphQL,
    tenant_a: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    tenant, queue = tenant_uuid(tenant_a), uuid.uuid4()
    late_evening_utc = T0.replace(hour=23, minute=30)  # 00:30 next day in Berlin (UTC+1)
    await call(publish, tenant, queue, late_evening_utc, wait=5)
    await drain(make_worker())
    berlin_day = datetime.fromisoformat("2026-03-03T00:00:00+01:00")
    rows = await report(
        gql,
        tenant_a.token,
        QUEUE_REPORT,
        queue=qid(queue),
        range=rng(
            berlin_day - timedelta(days=1), berlin_day + timedelta(days=1), "DAY", "Europe/Berlin"
        ),
    )
    assert [r["intervalStart"] for r in rows] == [
        "2026-03-02T00:00:00+01:00",
        "2026-03-03T00:00:00+01:00",
    ]
    assert [r["offered"] for r in rows] == [0, 1]
    hourly = await report(
        gql,
        tenant_a.token,
        QUEUE_REPORT,
        queue=qid(queue),
        range=rng(berlin_day, berlin_day + timedelta(hours=2), "MINUTES_60", "Europe/Berlin"),
    )
    assert [r["offered"] for r in hourly] == [1, 0]


async def test_late_events_recompute_closed_intervals(
    gql: GraphQL,
    tenant_a: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    tenant, queue = tenant_uuid(tenant_a), uuid.uuid4()
    worker = make_worker()
    await call(publish, tenant, queue, T0, wait=10)
    await drain(worker)
    variables = {"queue": qid(queue), "range": rng(T0, T0 + timedelta(hours=1), "MINUTES_30")}
    before = await report(gql, tenant_a.token, QUEUE_REPORT, **variables)
    assert (before[0]["answered"], before[0]["serviceLevel"]) == (1, 1.0)
    # A slow abandon for that closed interval arrives an hour late.
    await call(publish, tenant, queue, T0 + s(100), wait=200, outcome="abandoned")
    await drain(worker)
    after = await report(gql, tenant_a.token, QUEUE_REPORT, **variables)
    assert (after[0]["offered"], after[0]["abandoned"]) == (2, 1)
    assert after[0]["serviceLevel"] == 0.5
    assert after[0]["longestWait"] == 200


async def test_agent_report_aht_split_and_occupancy(
    gql: GraphQL,
    tenant_a: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    agent_gid, agent_token = await user(gql, tenant_a, "AGENT")
    tenant, queue, agent = tenant_uuid(tenant_a), uuid.uuid4(), from_global_id(agent_gid)[1]
    await publish(tenant, "agent.state_changed", T0, agent_id=agent, state="available")
    await call(publish, tenant, queue, T0 + s(60), wait=10, agent=agent, talk=240, acw=60)
    await call(publish, tenant, queue, T0 + s(600), wait=0, agent=agent, talk=120, acw=0, hold=30)
    await publish(tenant, "agent.state_changed", T0 + s(1800), agent_id=agent, state="offline")
    await drain(make_worker())
    rows = await report(
        gql,
        agent_token,
        AGENT_REPORT,
        agent=agent_gid,
        range=rng(T0, T0 + timedelta(hours=1), "RANGE"),
    )
    assert len(rows) == 1
    row = rows[0]
    assert row["handled"] == 2
    # Hold (reported by routing on call.ended) is its own part of AHT, not talk.
    assert (row["averageTalk"], row["averageAcw"], row["averageHold"]) == (180, 30, 15)
    assert row["aht"] == 225
    busy = 240 + 60 + 150
    assert (row["onContactSeconds"], row["acwSeconds"]) == (390, 60)
    assert row["availableSeconds"] == 1800 - busy
    assert row["occupancy"] == pytest.approx(busy / 1800)
    assert row["definition"]["perQueueThresholds"] is True


async def test_tenant_report_uses_each_queue_thresholds_and_counts_all_queues(
    gql: GraphQL,
    tenant_a: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    tenant = tenant_uuid(tenant_a)
    sales, support = uuid.uuid4(), uuid.uuid4()
    await call(publish, tenant, sales, T0, wait=15)
    await call(publish, tenant, support, T0, wait=30)
    await drain(make_worker())
    rows = await report(
        gql, tenant_a.token, TENANT_REPORT, range=rng(T0, T0 + timedelta(hours=1), "MINUTES_60")
    )
    assert (rows[0]["offered"], rows[0]["answered"], rows[0]["serviceLevel"]) == (2, 2, 0.5)
    assert rows[0]["definition"]["answerSeconds"] == 20


async def test_hourly_traffic_finds_the_peak(
    gql: GraphQL,
    tenant_a: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    tenant, queue = tenant_uuid(tenant_a), uuid.uuid4()
    for day in range(2):
        for n in range(3):
            await call(publish, tenant, queue, T0 + timedelta(days=day, minutes=n), wait=4)
        await call(publish, tenant, queue, T0 + timedelta(days=day, hours=5), wait=4)
    await drain(make_worker())
    start = T0.replace(hour=0)
    rows = await report(
        gql,
        tenant_a.token,
        HOURLY,
        queue=qid(queue),
        range=rng(start, start + timedelta(days=2), "DAY"),
    )
    assert len(rows) == 24
    assert (rows[9]["offered"], rows[9]["averageOfferedPerDay"]) == (6, 3.0)
    assert rows[14]["offered"] == 2
    assert max(rows, key=lambda r: r["offered"])["hour"] == 9


@pytest.mark.parametrize(
    ("variables", "field"),
    [
        ({"range": rng(T0, T0 - s(1))}, "end"),
        ({"range": rng(T0, T0 + timedelta(days=60), "MINUTES_15")}, "15m"),
        ({"range": rng(T0, T0 + timedelta(days=500), "DAY")}, "400 days"),
        ({"range": rng(T0, T0 + s(60), "MINUTES_15", "Mars/Olympus")}, "time zone"),
        ({"queue": qid(uuid.uuid4())}, "queueId"),
        ({"queue": "not-an-id"}, "queueId"),
        ({"queue": to_global_id("User", uuid.uuid4())}, "queueId"),
    ],
)
async def test_bad_report_input_is_bad_user_input(
    gql: GraphQL,
    tenant_a: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
    variables: dict,
    field: str,
) -> None:
    tenant, queue = tenant_uuid(tenant_a), uuid.uuid4()
    await call(publish, tenant, queue, T0, wait=1)
    await drain(make_worker())
    merged = {"queue": qid(queue), "range": rng(T0, T0 + s(3600)), **variables}
    body = await gql(QUEUE_REPORT, merged, token=tenant_a.token)
    assert error_code(body) == "BAD_USER_INPUT", body
    assert field in body["errors"][0]["message"]
    assert body["data"] is None


async def test_roles_supervisors_see_all_agents_only_themselves(
    gql: GraphQL,
    tenant_a: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    tenant, queue = tenant_uuid(tenant_a), uuid.uuid4()
    await call(publish, tenant, queue, T0, wait=1)
    await drain(make_worker())
    agent_gid, agent_token = await user(gql, tenant_a, "AGENT")
    other_gid, _ = await user(gql, tenant_a, "AGENT")
    _, supervisor_token = await user(gql, tenant_a, "SUPERVISOR")
    window = rng(T0, T0 + s(3600))
    assert (
        error_code(
            await gql(QUEUE_REPORT, {"queue": qid(queue), "range": window}, token=agent_token)
        )
        == "FORBIDDEN"
    )
    assert error_code(await gql(TENANT_REPORT, {"range": window}, token=agent_token)) == "FORBIDDEN"
    assert error_code(await gql(HOURLY, {"range": window}, token=agent_token)) == "FORBIDDEN"
    assert (
        error_code(
            await gql(AGENT_REPORT, {"agent": other_gid, "range": window}, token=agent_token)
        )
        == "FORBIDDEN"
    )
    assert (
        error_code(
            await gql(AGENT_REPORT, {"agent": agent_gid, "range": window}, token=agent_token)
        )
        is None
    )
    for query, variables in [
        (QUEUE_REPORT, {"queue": qid(queue), "range": window}),
        (TENANT_REPORT, {"range": window}),
        (AGENT_REPORT, {"agent": other_gid, "range": window}),
    ]:
        assert error_code(await gql(query, variables, token=supervisor_token)) is None
    assert error_code(await gql(TENANT_REPORT, {"range": window})) == "UNAUTHENTICATED"


async def test_no_report_includes_another_tenants_calls(
    gql: GraphQL,
    tenant_a: TenantAccount,
    tenant_b: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    a, b = tenant_uuid(tenant_a), tenant_uuid(tenant_b)
    shared_queue_id = uuid.uuid4()  # even a colliding queue id must not mix tenants
    agent_gid_a, _ = await user(gql, tenant_a, "AGENT")
    agent_a = from_global_id(agent_gid_a)[1]
    for n in range(3):
        await call(publish, a, shared_queue_id, T0 + s(n), wait=2, agent=agent_a)
    await call(publish, b, shared_queue_id, T0, wait=50, outcome="abandoned")
    a_only = uuid.uuid4()
    await call(publish, a, a_only, T0, wait=1)
    await drain(make_worker())
    window = rng(T0, T0 + timedelta(hours=1), "RANGE")
    b_queue = await report(
        gql, tenant_b.token, QUEUE_REPORT, queue=qid(shared_queue_id), range=window
    )
    assert (b_queue[0]["offered"], b_queue[0]["answered"], b_queue[0]["abandoned"]) == (1, 0, 1)
    b_tenant = await report(gql, tenant_b.token, TENANT_REPORT, range=window)
    assert (b_tenant[0]["offered"], b_tenant[0]["handled"]) == (1, 0)
    assert b_tenant[0]["onContactSeconds"] == 0
    b_hourly = await report(gql, tenant_b.token, HOURLY, range=window)
    assert sum(r["offered"] for r in b_hourly) == 1
    # A's queue and A's agent are unknown to B.
    body = await gql(QUEUE_REPORT, {"queue": qid(a_only), "range": window}, token=tenant_b.token)
    assert error_code(body) == "BAD_USER_INPUT"
    body = await gql(AGENT_REPORT, {"agent": agent_gid_a, "range": window}, token=tenant_b.token)
    assert error_code(body) == "BAD_USER_INPUT"
    a_tenant = await report(gql, tenant_a.token, TENANT_REPORT, range=window)
    assert (a_tenant[0]["offered"], a_tenant[0]["handled"]) == (4, 3)


async def test_rollups_equal_the_facts_after_late_and_out_of_order_events(
    services,
    tenant_a: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    from analytics.reports import service as reports
    from analytics.schemas import ReportInterval, ReportRangeIn
    from tenants.identity.principal import Principal
    from tenants.identity.roles import Role

    tenant, queue = tenant_uuid(tenant_a), uuid.uuid4()
    agents = [uuid.uuid4() for _ in range(3)]
    first, second = make_worker("w1", batch_size=7), make_worker("w2", batch_size=7)
    for agent in agents:
        await publish(tenant, "agent.state_changed", T0 - s(600), agent_id=agent, state="available")
    for n in range(12):
        outcome = ("answered", "abandoned", "answered", "flowout")[n % 4]
        await call(
            publish,
            tenant,
            queue,
            T0 + s(n * 400),
            wait=3 + n * 7,
            outcome=outcome,
            agent=agents[n % 3] if outcome == "answered" else None,
            talk=500,
            acw=90,
        )
        if n == 6:
            await drain(first, second)
    await drain(first, second)
    # Late: an ACW for an earlier call ends much later (its handle moves bucket), a
    # dequeue arrives before its enqueue, and a break lands inside a closed interval.
    late_call, agent = f"late-{uuid.uuid4().hex}", agents[0]
    await publish(
        tenant,
        "call.dequeued",
        T0 + s(95),
        call_id=late_call,
        queue_id=queue,
        outcome="answered",
        wait_ms=95_000,
        agent_id=agent,
    )
    await publish(
        tenant, "call.answered", T0 + s(95), call_id=late_call, queue_id=queue, agent_id=agent
    )
    await publish(
        tenant,
        "call.ended",
        T0 + s(300),
        call_id=late_call,
        queue_id=queue,
        agent_id=agent,
        talk_ms=205_000,
    )
    await publish(
        tenant, "agent.state_changed", T0 + s(1000), agent_id=agents[1], state="break:coffee"
    )
    await drain(first, second)
    await publish(tenant, "call.enqueued", T0, call_id=late_call, queue_id=queue)
    await drain(second)
    # A call ends at 14:50 into the quarter; its ACW ends at 16:00, in a later batch, so
    # its handle moves from the first quarter's rollup to the second's.
    moved, helper = uuid.uuid4(), uuid.uuid4()
    await publish(
        tenant, "call.answered", T0 + s(800), call_id=moved, queue_id=queue, agent_id=helper
    )
    await publish(
        tenant,
        "agent.state_changed",
        T0 + s(800),
        agent_id=helper,
        state="on_contact",
        call_id=moved,
    )
    await publish(
        tenant,
        "call.ended",
        T0 + s(890),
        call_id=moved,
        queue_id=queue,
        agent_id=helper,
        talk_ms=90_000,
    )
    await publish(
        tenant, "agent.state_changed", T0 + s(890), agent_id=helper, state="acw", call_id=moved
    )
    await drain(first)
    await publish(tenant, "agent.state_changed", T0 + s(960), agent_id=helper, state="available")
    await drain(second)

    principal = Principal(tenant_id=tenant, role=Role.ADMIN)
    now = T0 + timedelta(hours=3)
    ranges = [
        ReportRangeIn(start=T0, end=T0 + timedelta(hours=2), interval=ReportInterval.MINUTES_15),
        ReportRangeIn(start=T0 + s(7 * 60 + 3), end=T0 + s(6000), interval=ReportInterval.RANGE),
        ReportRangeIn(
            start=T0 - timedelta(hours=1),
            end=T0 + timedelta(hours=2),
            interval=ReportInterval.MINUTES_60,
            time_zone="Asia/Kathmandu",
        ),
    ]
    async with services.database.transaction(tenant) as session:
        for range_in in ranges:
            for build in (reports.queue_report, reports.tenant_report):
                extra = {"queue_id": queue} if build is reports.queue_report else {}
                rolled, raw = [
                    await build(
                        session=session,
                        principal=principal,
                        range_in=range_in,
                        now=now,
                        use_rollups=flag,
                        **extra,
                    )
                    for flag in (True, False)
                ]
                assert [(r.start, r.counts, r.handle, r.callbacks, r.flowouts) for r in rolled] == [
                    (r.start, r.counts, r.handle, r.callbacks, r.flowouts) for r in raw
                ]
                for a, b in zip(rolled, raw, strict=True):
                    assert a.states.keys() == b.states.keys()
                    for state in a.states:
                        assert a.states[state] == pytest.approx(b.states[state], abs=1e-6)
                assert sum(r.counts.enqueued for r in raw) > 0


CONFIGURE = """
mutation($input: QueueServiceLevelInput!) {
  configureQueueServiceLevel(input: $input) { answerSeconds shortAbandonSeconds formula }
}"""


async def test_configuring_a_queue_service_level_recomputes_its_report(
    gql: GraphQL,
    tenant_a: TenantAccount,
    tenant_b: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    tenant, queue = tenant_uuid(tenant_a), uuid.uuid4()
    await call(publish, tenant, queue, T0, wait=25)
    await call(publish, tenant, queue, T0 + s(10), wait=8, outcome="abandoned")
    await drain(make_worker())
    window = rng(T0, T0 + timedelta(hours=1), "MINUTES_60")
    before = (await report(gql, tenant_a.token, QUEUE_REPORT, queue=qid(queue), range=window))[0]
    assert (before["serviceLevel"], before["shortAbandoned"]) == (0.0, 0)
    body = await gql(
        CONFIGURE,
        {
            "input": {
                "queueId": qid(queue),
                "answerSeconds": 30,
                "shortAbandonSeconds": 10,
                "formula": "answered_only",
            }
        },
        token=tenant_a.token,
    )
    assert body["data"]["configureQueueServiceLevel"] == {
        "answerSeconds": 30,
        "shortAbandonSeconds": 10,
        "formula": "answered_only",
    }
    after = (await report(gql, tenant_a.token, QUEUE_REPORT, queue=qid(queue), range=window))[0]
    assert after["definition"]["answerSeconds"] == 30
    assert (after["serviceLevel"], after["shortAbandoned"]) == (1.0, 1)
    # Tenant B naming the same queue id configures only its own definition.
    body = await gql(
        CONFIGURE,
        {"input": {"queueId": qid(queue), "answerSeconds": 5, "shortAbandonSeconds": 1}},
        token=tenant_b.token,
    )
    assert error_code(body) is None
    again = (await report(gql, tenant_a.token, QUEUE_REPORT, queue=qid(queue), range=window))[0]
    assert again["definition"]["answerSeconds"] == 30
    b_rows = await report(gql, tenant_b.token, QUEUE_REPORT, queue=qid(queue), range=window)
    assert b_rows[0]["offered"] == 0


@pytest.mark.parametrize(
    "override",
    [
        {"shortAbandonSeconds": 40},
        {"answerSeconds": 0},
        {"formula": "made_up"},
        {"queueId": "nonsense"},
    ],
)
async def test_bad_service_level_configuration(
    gql: GraphQL, tenant_a: TenantAccount, override: dict
) -> None:
    good = {"queueId": qid(uuid.uuid4()), "answerSeconds": 20, "shortAbandonSeconds": 5}
    body = await gql(CONFIGURE, {"input": {**good, **override}}, token=tenant_a.token)
    assert error_code(body) == "BAD_USER_INPUT"


async def test_only_managers_configure_service_levels(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    _, supervisor = await user(gql, tenant_a, "SUPERVISOR")
    good = {"queueId": qid(uuid.uuid4()), "answerSeconds": 20, "shortAbandonSeconds": 5}
    assert error_code(await gql(CONFIGURE, {"input": good}, token=supervisor)) == "FORBIDDEN"


REALTIME = """
query($tz: String!, $queue: ID) {
  realtime(timeZone: $tz, queueId: $queue) {
    waitingNow longestWait agentsByState { state agents }
    today { answered serviceLevel definition { answerSeconds formula } }
  }
}"""


async def test_realtime_view_from_the_facts(
    gql: GraphQL,
    tenant_a: TenantAccount,
    tenant_b: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    from datetime import UTC

    tenant, queue = tenant_uuid(tenant_a), uuid.uuid4()
    now = datetime.now(UTC)
    agent = uuid.uuid4()
    await publish(tenant, "agent.state_changed", now - s(300), agent_id=agent, state="available")
    await call(publish, tenant, queue, now - s(200), wait=4, agent=agent, talk=30, acw=5)
    waiting = uuid.uuid4()
    await publish(tenant, "call.enqueued", now - s(40), call_id=waiting, queue_id=queue)
    await drain(make_worker())
    body = await gql(REALTIME, {"tz": "UTC", "queue": qid(queue)}, token=tenant_a.token)
    assert "errors" not in body, body
    view = body["data"]["realtime"]
    assert view["waitingNow"] == 1
    assert 40 <= view["longestWait"] < 120
    assert view["agentsByState"] == [{"state": "available", "agents": 1}]
    if now.hour > 0 or now.minute > 5:  # the call happened today, locally
        assert (view["today"]["answered"], view["today"]["serviceLevel"]) == (1, 1.0)
    other = await gql(REALTIME, {"tz": "UTC"}, token=tenant_b.token)
    assert other["data"]["realtime"]["waitingNow"] == 0
    assert other["data"]["realtime"]["agentsByState"] == []
    bad_zone = await gql(REALTIME, {"tz": "Nowhere/Land"}, token=tenant_a.token)
    assert error_code(bad_zone) == "BAD_USER_INPUT"
    unknown = await gql(REALTIME, {"tz": "UTC", "queue": qid(uuid.uuid4())}, token=tenant_a.token)
    assert error_code(unknown) == "BAD_USER_INPUT"
    _, agent_token = await user(gql, tenant_a, "AGENT")
    assert error_code(await gql(REALTIME, {"tz": "UTC"}, token=agent_token)) == "FORBIDDEN"


async def test_hourly_rows_across_daylight_saving_changes(
    gql: GraphQL,
    tenant_a: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    tenant, queue = tenant_uuid(tenant_a), uuid.uuid4()
    fall_back = datetime.fromisoformat("2026-10-25T00:00:00+02:00")
    # 02:30 local happens twice that night: at 00:30 UTC and at 01:30 UTC.
    await call(publish, tenant, queue, datetime.fromisoformat("2026-10-25T00:30:00+00:00"), wait=1)
    await call(publish, tenant, queue, datetime.fromisoformat("2026-10-25T01:30:00+00:00"), wait=1)
    await drain(make_worker())
    rows = await report(
        gql,
        tenant_a.token,
        QUEUE_REPORT,
        queue=qid(queue),
        range=rng(fall_back, fall_back + timedelta(hours=25), "MINUTES_60", "Europe/Berlin"),
    )
    assert len(rows) == 24
    assert rows[2]["intervalStart"] == "2026-10-25T02:00:00+02:00"
    assert rows[2]["intervalEnd"] == "2026-10-25T03:00:00+01:00"  # two hours long
    assert rows[2]["offered"] == 2
    assert sum(r["offered"] for r in rows) == 2
    spring = datetime.fromisoformat("2026-03-29T00:00:00+01:00")
    rows = await report(
        gql,
        tenant_a.token,
        QUEUE_REPORT,
        queue=qid(queue),
        range=rng(spring, spring + timedelta(hours=23), "MINUTES_60", "Europe/Berlin"),
    )
    assert len(rows) == 23
    assert [r["intervalStart"][11:16] for r in rows[1:3]] == ["01:00", "03:00"]


WORKLOAD = """
query($range: ReportRangeInput!) {
  agentWorkload(range: $range) {
    agentId handled aht averageTalk averageAcw occupancy availableSeconds onContactSeconds
    acwSeconds breakSeconds
  }
}"""


async def test_agent_workload_lists_every_agent_of_the_tenant_only(
    gql: GraphQL,
    tenant_a: TenantAccount,
    tenant_b: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    tenant, queue = tenant_uuid(tenant_a), uuid.uuid4()
    busy, idle = uuid.uuid4(), uuid.uuid4()
    await publish(tenant, "agent.state_changed", T0, agent_id=busy, state="available")
    await publish(tenant, "agent.state_changed", T0, agent_id=idle, state="available")
    await call(publish, tenant, queue, T0 + s(100), wait=20, agent=busy, talk=300, acw=60)
    await publish(
        tenant, "agent.state_changed", T0 + s(1200), agent_id=idle, state="break:training"
    )
    await publish(tenant, "agent.state_changed", T0 + s(1800), agent_id=busy, state="offline")
    await publish(tenant, "agent.state_changed", T0 + s(1800), agent_id=idle, state="offline")
    await drain(make_worker())
    window = rng(T0, T0 + timedelta(hours=1), "RANGE")
    rows = {r["agentId"]: r for r in await report(gql, tenant_a.token, WORKLOAD, range=window)}
    busy_row, idle_row = rows[to_global_id("User", busy)], rows[to_global_id("User", idle)]
    assert (busy_row["handled"], busy_row["aht"], busy_row["averageAcw"]) == (1, 360, 60)
    assert (busy_row["onContactSeconds"], busy_row["acwSeconds"]) == (300, 60)
    assert busy_row["occupancy"] == pytest.approx(360 / 1800)
    assert (idle_row["handled"], idle_row["occupancy"], idle_row["breakSeconds"]) == (0, 0.0, 600)
    assert await report(gql, tenant_b.token, WORKLOAD, range=window) == []
    _, agent_token = await user(gql, tenant_a, "AGENT")
    assert error_code(await gql(WORKLOAD, {"range": window}, token=agent_token)) == "FORBIDDEN"


SET_ZONE = "mutation($tz: String!) { setReportTimeZone(timeZone: $tz) }"


async def test_reports_follow_the_tenant_time_zone_by_default(
    gql: GraphQL,
    tenant_a: TenantAccount,
    tenant_b: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    tenant, queue = tenant_uuid(tenant_a), uuid.uuid4()
    await call(publish, tenant, queue, T0, wait=2)
    await drain(make_worker())
    assert (await gql("{ reportTimeZone }", token=tenant_a.token))["data"] == {
        "reportTimeZone": "UTC"
    }
    body = await gql(SET_ZONE, {"tz": "America/New_York"}, token=tenant_a.token)
    assert body["data"]["setReportTimeZone"] == "America/New_York"
    window = {
        "start": T0.isoformat(),
        "end": (T0 + timedelta(hours=1)).isoformat(),
        "interval": "MINUTES_60",
    }
    rows = await report(gql, tenant_a.token, QUEUE_REPORT, queue=qid(queue), range=window)
    assert rows[0]["intervalStart"] == "2026-03-02T04:00:00-05:00"
    assert (await gql("{ reportTimeZone }", token=tenant_b.token))["data"] == {
        "reportTimeZone": "UTC"
    }
    assert (
        error_code(await gql(SET_ZONE, {"tz": "Nowhere"}, token=tenant_a.token)) == "BAD_USER_INPUT"
    )
    _, supervisor = await user(gql, tenant_a, "SUPERVISOR")
    assert error_code(await gql(SET_ZONE, {"tz": "UTC"}, token=supervisor)) == "FORBIDDEN"
