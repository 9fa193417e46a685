"""SLA reminders fire exactly once per step visit, even with two concurrent runners."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

from api.clients import ApiServices
from tenants import redis_keys
from tenants.graphql.relay import from_global_id
from tenants.tickets import events
from tenants.tickets.sla import SlaPolicy, run_sla_reminders
from tests.conftest import GraphQL, TenantAccount
from tests.tenants.crm.conftest import user_token
from tests.tenants.notifications.conftest import all_notifications
from tests.tenants.tickets.conftest import TRANSITION, create_ticket, make_workflow


async def _stream_events(services: ApiServices, tenant_id: object) -> list[dict[str, str]]:
    entries = await services.redis.xrange(redis_keys.events(tenant_id), "-", "+")  # type: ignore[arg-type]
    return [fields for _, fields in entries]


async def test_two_concurrent_runners_fire_each_reminder_exactly_once(
    gql: GraphQL, tenant_a: TenantAccount, services: ApiServices
) -> None:
    agent_id, agent_token = await user_token(gql, tenant_a, "agent")
    workflow = await make_workflow(gql, tenant_a, member_ids=[], sla_seconds=60)
    tickets = [await create_ticket(gql, tenant_a, workflow, assigneeId=agent_id) for _ in range(25)]
    _, tenant_id = from_global_id(tenant_a.tenant_id)
    start = datetime.now(UTC)
    policy = SlaPolicy(due_soon_seconds=900, due_soon_fraction=0.25, batch_size=7)

    async def both(at: datetime) -> None:
        # Several passes of two runners each; small batches make them contend.
        for _ in range(4):
            await asyncio.gather(
                run_sla_reminders(
                    database=services.database,
                    redis=services.redis,
                    now=at,
                    policy=policy,
                    tenant_ids=[tenant_id],
                ),
                run_sla_reminders(
                    database=services.database,
                    redis=services.redis,
                    now=at,
                    policy=policy,
                    tenant_ids=[tenant_id],
                ),
            )

    await both(start + timedelta(seconds=10))  # not yet due soon (lead is 15 s)
    assert await all_notifications(gql, agent_token) == []
    await both(start + timedelta(seconds=50))  # due soon
    await both(start + timedelta(seconds=120))  # overdue
    await both(start + timedelta(seconds=500))  # still overdue: nothing new

    notes = await all_notifications(gql, agent_token)
    per_ticket = Counter((n["subjectId"], n["kind"]) for n in notes)
    assert per_ticket == Counter(
        {
            (t["id"], kind): 1
            for t in tickets
            for kind in (events.STEP_DUE_SOON, events.STEP_OVERDUE)
        }
    )
    stream = await _stream_events(services, tenant_id)
    assert len({e["event_id"] for e in stream}) == len(stream) == 50
    assert Counter(e["type"] for e in stream) == {events.STEP_DUE_SOON: 25, events.STEP_OVERDUE: 25}
    assert {e["ticket_number"] for e in stream} == {t["number"] for t in tickets}
    assert all(e["assignee_id"] == str(from_global_id(agent_id)[1]) for e in stream)
    assert all(e["tenant_id"] == str(tenant_id) and e["v"] == "1" for e in stream)


async def test_a_new_step_visit_gets_new_reminders_and_team_is_notified(
    gql: GraphQL, tenant_a: TenantAccount, services: ApiServices
) -> None:
    tech_id, tech_token = await user_token(gql, tenant_a, "agent")
    workflow = await make_workflow(gql, tenant_a, member_ids=[tech_id], sla_seconds=60)
    ticket = await create_ticket(gql, tenant_a, workflow)
    _, tenant_id = from_global_id(tenant_a.tenant_id)

    async def run(at: datetime) -> None:
        await run_sla_reminders(
            database=services.database, redis=services.redis, now=at, tenant_ids=[tenant_id]
        )

    advanced = await gql(
        TRANSITION, {"input": {"id": ticket["id"], "action": "ADVANCE"}}, token=tenant_a.token
    )
    assert "errors" not in advanced
    await run(datetime.now(UTC) + timedelta(seconds=120))
    notes = await all_notifications(gql, tech_token)
    assert [n["kind"] for n in notes] == [events.STEP_OVERDUE]
    assert "Technical is overdue" in notes[0]["title"]
    for action in ("SEND_BACK", "ADVANCE"):
        body = await gql(
            TRANSITION, {"input": {"id": ticket["id"], "action": action}}, token=tenant_a.token
        )
        assert "errors" not in body
    await run(datetime.now(UTC) + timedelta(seconds=120))
    assert len(await all_notifications(gql, tech_token)) == 2
    closed = await gql(
        TRANSITION, {"input": {"id": ticket["id"], "action": "CLOSE"}}, token=tenant_a.token
    )
    assert "errors" not in closed
    await run(datetime.now(UTC) + timedelta(seconds=1000))
    assert len(await all_notifications(gql, tech_token)) == 2
