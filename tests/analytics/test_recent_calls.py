"""The screen pop's recent calls come from analytics facts, per tenant."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

from analytics.worker import EventWorker
from api.clients import ApiServices
from tenants.graphql.relay import from_global_id
from tests.analytics.conftest import T0, Publisher, drain, tenant_uuid
from tests.analytics.test_worker import answered_call
from tests.conftest import GraphQL, TenantAccount
from tests.tenants.crm.conftest import create_customer

LOOKUP = """
query($n: String!) {
  lookupCaller(number: $n) {
    customer { name }
    recentCalls { callId outcome waitMs talkMs queueId agentId direction at }
    lastInteractions { kind callId }
  }
}"""


async def test_lookup_caller_lists_recent_calls_after_the_worker(
    gql: GraphQL,
    tenant_a: TenantAccount,
    tenant_b: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    caller = "+33612" + str(uuid.uuid4().int)[:6]
    await create_customer(gql, tenant_a, name="Regular", phones=[caller])
    tenant, other = tenant_uuid(tenant_a), tenant_uuid(tenant_b)
    queue, agent = uuid.uuid4(), uuid.uuid4()
    first = uuid.uuid4()
    await answered_call(
        publish, tenant, queue=queue, agent=agent, call=first, wait=12, talk=100, caller=caller
    )
    abandoned = uuid.uuid4()
    at = T0 + timedelta(hours=1)
    await publish(
        tenant,
        "call.enqueued",
        at,
        call_id=abandoned,
        queue_id=queue,
        priority=0,
        **{"from": caller},
    )
    await publish(
        tenant,
        "call.dequeued",
        at + timedelta(seconds=40),
        call_id=abandoned,
        queue_id=queue,
        outcome="abandoned",
        wait_ms=40_000,
    )
    # Someone else's call in A, and a call from the same number in tenant B.
    stranger = {"from": "+33699" + str(uuid.uuid4().int)[:6]}
    await publish(tenant, "call.enqueued", at, call_id=uuid.uuid4(), queue_id=queue, **stranger)
    b_call = uuid.uuid4()
    await publish(other, "call.enqueued", at, call_id=b_call, queue_id=queue, **{"from": caller})
    await drain(make_worker())
    body = await gql(LOOKUP, {"n": caller}, token=tenant_a.token)
    assert "errors" not in body, body
    calls = body["data"]["lookupCaller"]["recentCalls"]
    assert [c["callId"] for c in calls] == [str(abandoned), str(first)]
    assert calls[0]["outcome"] == "abandoned" and calls[0]["waitMs"] == 40_000
    assert calls[1]["waitMs"] == 12_000 and calls[1]["talkMs"] == 100_000
    assert from_global_id(calls[1]["queueId"])[1] == queue
    assert from_global_id(calls[1]["agentId"])[1] == agent
    kinds = body["data"]["lookupCaller"]["lastInteractions"]
    assert [i["callId"] for i in kinds if i["kind"] == "call"] == [str(abandoned), str(first)]
    seen_by_b = await gql(LOOKUP, {"n": caller}, token=tenant_b.token)
    assert "errors" not in seen_by_b, seen_by_b
    # B sees its own call from that number, none of A's.
    assert [c["callId"] for c in seen_by_b["data"]["lookupCaller"]["recentCalls"]] == [str(b_call)]


async def test_recent_calls_statement_is_walled_by_row_level_security(
    tenant_a: TenantAccount, tenant_b: TenantAccount, services: ApiServices
) -> None:
    from analytics.models import Contact
    from analytics.recent_calls import recent_calls

    caller = "+33612" + str(uuid.uuid4().int)[:6]
    tenant, other = tenant_uuid(tenant_a), tenant_uuid(tenant_b)
    async with services.database.transaction(tenant) as session:
        session.add(
            Contact(tenant_id=tenant, call_id=str(uuid.uuid4()), from_number=caller, arrived_at=T0)
        )
    found = {"e164": caller, "customer_id": None, "limit": 10}
    async with services.database.transaction(tenant) as session:
        assert len(await recent_calls(session=session, tenant_id=tenant, **found)) == 1
    # A session bound to B sees none of A's calls even when the statement names A.
    async with services.database.transaction(other) as session:
        assert await recent_calls(session=session, tenant_id=tenant, **found) == []
