"""Missed-call follow-ups: tasks from routing's events, GraphQL, closing on a callback."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from analytics.worker import EventWorker
from tenants.graphql.relay import from_global_id, to_global_id
from tests.analytics.conftest import T0, Publisher, drain, tenant_uuid
from tests.conftest import GraphQL, TenantAccount, error_code
from tests.tenants.crm.conftest import create_customer, user_token

FIELDS = "id callId number waitMs status disposition customerId assignee { id } createdAt"
MISSED = f"""
query($status: MissedCallStatus, $first: Int, $after: String) {{
  missedCalls(status: $status, first: $first, after: $after) {{
    edges {{ cursor node {{ {FIELDS} }} }} pageInfo {{ hasNextPage endCursor }}
  }}
}}"""
ASSIGN = f"""
mutation($id: ID!, $to: ID) {{ assignMissedCall(id: $id, assigneeId: $to) {{ {FIELDS} }} }}"""
CLOSE = f"""
mutation($id: ID!, $d: String!) {{ closeMissedCall(id: $id, disposition: $d) {{ {FIELDS} }} }}"""


def number() -> str:
    return "+33655" + str(uuid.uuid4().int)[:6]


async def missed(
    publish: Publisher, tenant: uuid.UUID, caller: str, *, minutes: int = 0, wait_ms: int = 40_000
) -> tuple[uuid.UUID, uuid.UUID]:
    """An abandoned call and its ``missed_call.created``: ``(call_id, task_id)``."""
    call, task, queue = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    at = T0 + timedelta(minutes=minutes)
    await publish(tenant, "call.enqueued", at, call_id=call, queue_id=queue, **{"from": caller})
    end = at + timedelta(milliseconds=wait_ms)
    await publish(
        tenant,
        "call.dequeued",
        end,
        call_id=call,
        queue_id=queue,
        outcome="abandoned",
        wait_ms=wait_ms,
    )
    for _ in range(2):  # a redelivery (another event id) must not make a second task
        await publish(
            tenant,
            "missed_call.created",
            end,
            call_id=call,
            queue_id=queue,
            number=caller,
            wait_ms=wait_ms,
            task_id=task,
        )
    return call, task


async def tasks(gql: GraphQL, account: TenantAccount, **variables: Any) -> list[dict[str, Any]]:
    body = await gql(MISSED, variables, token=account.token)
    assert "errors" not in body, body
    return [edge["node"] for edge in body["data"]["missedCalls"]["edges"]]


async def test_tasks_are_created_listed_assigned_and_closed(
    gql: GraphQL,
    tenant_a: TenantAccount,
    tenant_b: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    caller = number()
    customer = await create_customer(gql, tenant_a, name="Impatient", phones=[caller])
    tenant = tenant_uuid(tenant_a)
    call, task = await missed(publish, tenant, caller)
    _, second = await missed(publish, tenant, number(), minutes=5)
    await drain(make_worker())
    listed = await tasks(gql, tenant_a, status="OPEN")
    task_gid = to_global_id("MissedCall", task)
    assert [t["id"] for t in listed] == [task_gid, to_global_id("MissedCall", second)]
    assert listed[0]["callId"] == str(call) and listed[0]["number"] == caller
    assert listed[0]["waitMs"] == 40_000 and listed[0]["customerId"] == customer["id"]
    first_page = await gql(MISSED, {"first": 1}, token=tenant_a.token)
    page = first_page["data"]["missedCalls"]
    assert page["pageInfo"]["hasNextPage"] is True
    rest = await tasks(gql, tenant_a, first=5, after=page["pageInfo"]["endCursor"])
    assert [t["id"] for t in rest] == [to_global_id("MissedCall", second)]

    assigned = await gql(ASSIGN, {"id": task_gid, "to": tenant_a.owner_id}, token=tenant_a.token)
    assert assigned["data"]["assignMissedCall"]["assignee"] == {"id": tenant_a.owner_id}
    blank = await gql(CLOSE, {"id": task_gid, "d": "  "}, token=tenant_a.token)
    assert error_code(blank) == "BAD_USER_INPUT"
    closed = await gql(CLOSE, {"id": task_gid, "d": "called back, sorted"}, token=tenant_a.token)
    assert closed["data"]["closeMissedCall"]["status"] == "CLOSED"
    assert closed["data"]["closeMissedCall"]["disposition"] == "called back, sorted"
    again = await gql(CLOSE, {"id": task_gid, "d": "twice"}, token=tenant_a.token)
    assert error_code(again) == "CONFLICT"
    assert [t["id"] for t in await tasks(gql, tenant_a, status="CLOSED")] == [task_gid]
    assert len(await tasks(gql, tenant_a, status="OPEN")) == 1


async def test_agents_may_only_take_tasks_for_themselves(
    gql: GraphQL,
    tenant_a: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    _, task = await missed(publish, tenant_uuid(tenant_a), number())
    await drain(make_worker())
    agent_id, agent_token = await user_token(gql, tenant_a, "agent")
    task_gid = to_global_id("MissedCall", task)
    others = await gql(ASSIGN, {"id": task_gid, "to": tenant_a.owner_id}, token=agent_token)
    assert error_code(others) == "FORBIDDEN"
    mine = await gql(ASSIGN, {"id": task_gid, "to": agent_id}, token=agent_token)
    assert mine["data"]["assignMissedCall"]["assignee"] == {"id": agent_id}
    stranger = to_global_id("User", uuid.uuid4())
    bad = await gql(ASSIGN, {"id": task_gid, "to": stranger}, token=tenant_a.token)
    assert error_code(bad) == "BAD_USER_INPUT"


async def test_tenant_b_sees_and_changes_nothing(
    gql: GraphQL,
    tenant_a: TenantAccount,
    tenant_b: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    _, task = await missed(publish, tenant_uuid(tenant_a), number())
    await drain(make_worker())
    task_gid = to_global_id("MissedCall", task)
    assert await tasks(gql, tenant_b) == []
    node = await gql(
        "query($id: ID!) { node(id: $id) { id } }", {"id": task_gid}, token=tenant_b.token
    )
    assert error_code(node) == "NOT_FOUND"
    assign = await gql(ASSIGN, {"id": task_gid, "to": tenant_b.owner_id}, token=tenant_b.token)
    assert error_code(assign) == "NOT_FOUND"
    close = await gql(CLOSE, {"id": task_gid, "d": "mine now"}, token=tenant_b.token)
    assert error_code(close) == "NOT_FOUND"
    # A's owner cannot be assigned a task by B either, nor B's user to A's task.
    cross = await gql(ASSIGN, {"id": task_gid, "to": tenant_b.owner_id}, token=tenant_a.token)
    assert error_code(cross) == "BAD_USER_INPUT"
    (still,) = await tasks(gql, tenant_a)
    assert still["status"] == "OPEN" and still["assignee"] is None and still["disposition"] is None


async def test_a_connected_callback_closes_the_callers_open_tasks(
    gql: GraphQL,
    tenant_a: TenantAccount,
    tenant_b: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    caller = number()
    tenant, other = tenant_uuid(tenant_a), tenant_uuid(tenant_b)
    _, task = await missed(publish, tenant, caller)
    _, unrelated = await missed(publish, tenant, number())
    _, b_task = await missed(publish, other, caller)
    # The caller rings again later, asks for a callback, and the callback connects.
    callback, queue = uuid.uuid4(), uuid.uuid4()
    at = T0 + timedelta(hours=1)
    await publish(tenant, "call.enqueued", at, call_id=callback, queue_id=queue, **{"from": caller})
    await publish(tenant, "callback.requested", at, call_id=callback, queue_id=queue, number=caller)
    await publish(
        tenant,
        "callback.connected",
        at + timedelta(minutes=2),
        call_id=callback,
        queue_id=queue,
        agent_id=uuid.uuid4(),
    )
    await drain(make_worker())
    states = {from_global_id(t["id"])[1]: t for t in await tasks(gql, tenant_a)}
    assert states[task]["status"] == "CLOSED"
    assert states[task]["disposition"] == "callback_connected"
    assert states[unrelated]["status"] == "OPEN"
    (b_row,) = await tasks(gql, tenant_b)
    assert from_global_id(b_row["id"])[1] == b_task and b_row["status"] == "OPEN"


TENANT_FOLLOWUPS = """
query($range: ReportRangeInput!) {
  tenantReport(range: $range) { intervalStart missedCallsOpened missedCallsClosed }
}"""


async def test_reports_count_follow_ups_opened_and_closed_per_interval(
    gql: GraphQL,
    tenant_a: TenantAccount,
    tenant_b: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    tenant = tenant_uuid(tenant_a)
    await missed(publish, tenant, number(), minutes=0)
    await missed(publish, tenant, number(), minutes=20)
    await missed(publish, tenant_uuid(tenant_b), number(), minutes=0)
    await drain(make_worker())
    first = (await tasks(gql, tenant_a, status="OPEN"))[0]
    body = await gql(CLOSE, {"id": first["id"], "d": "called back"}, token=tenant_a.token)
    assert "errors" not in body, body
    window = {
        "start": (T0 - timedelta(minutes=15)).isoformat(),
        "end": (T0 + timedelta(minutes=45)).isoformat(),
        "interval": "MINUTES_15",
        "timeZone": "UTC",
    }
    body = await gql(TENANT_FOLLOWUPS, {"range": window}, token=tenant_a.token)
    assert "errors" not in body, body
    opened = [row["missedCallsOpened"] for row in body["data"]["tenantReport"]]
    # The calls waited 40 s: tasks open in the 09:00 and 09:15 buckets; tenant B's is not here.
    assert opened == [0, 1, 1, 0]
    # The close happened now, far outside the window; a window around now counts it.
    now = datetime.now(UTC)
    around_now = {
        **window,
        "start": (now - timedelta(hours=1)).isoformat(),
        "end": (now + timedelta(hours=1)).isoformat(),
        "interval": "DAY",
    }
    body = await gql(TENANT_FOLLOWUPS, {"range": around_now}, token=tenant_a.token)
    assert sum(row["missedCallsClosed"] for row in body["data"]["tenantReport"]) == 1
