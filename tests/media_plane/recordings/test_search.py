"""Recording search: filters joined with the contact facts, newest first, per tenant."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from analytics.models import Contact, QueueLeg
from api.clients import ApiServices
from routing.config.models import Queue
from routing.dispositions.models import Disposition
from tenants.crm.models import Customer
from tenants.graphql.relay import from_global_id, to_global_id
from tests.conftest import GraphQL, TenantAccount, error_code
from tests.media_plane.recordings.test_graphql import add_recording, user_token

SEARCH = """
query($filter: RecordingFilter, $first: Int, $after: String) {
  recordings(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id callId direction queueId queueName agentId agentName customerId
      customerName callerNumber durationSeconds startedAt } }
    pageInfo { hasNextPage endCursor } } }"""
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


async def seed(services: ApiServices, gql: GraphQL, account: TenantAccount) -> dict[str, str]:
    tenant = from_global_id(account.tenant_id)[1]
    sales, support, customer = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    async with services.database.transaction(tenant) as session:
        session.add_all(
            [
                Queue(id=sales, tenant_id=tenant, name="Sales"),
                Queue(id=support, tenant_id=tenant, name="Support"),
                Customer(id=customer, tenant_id=tenant, name="Ada Lovelace"),
            ]
        )
        await session.flush()
        calls = [
            ("call-1", sales, customer, "+15550001111"),
            ("call-2", support, None, "+15550002222"),
            ("call-3", sales, None, "+15550003333"),
            ("call-4", support, customer, "+15550001111"),
        ]
        for index, (call_id, queue, who, number) in enumerate(calls):
            at = T0 + timedelta(hours=index)
            session.add(
                Contact(
                    tenant_id=tenant,
                    call_id=call_id,
                    first_queue_id=queue,
                    customer_id=who,
                    from_number=number,
                    arrived_at=at,
                )
            )
            session.add(QueueLeg(tenant_id=tenant, call_id=call_id, queue_id=queue))
        # call-3 overflowed from Sales into Support.
        session.add(QueueLeg(tenant_id=tenant, call_id="call-3", queue_id=support))
    agent_token, agent_id = await user_token(gql, account, "AGENT")
    _, other_id = await user_token(gql, account, "AGENT")
    owners = {"call-1": agent_id, "call-2": other_id, "call-3": agent_id, "call-4": None}
    for index, (call_id, agent) in enumerate(owners.items()):
        await add_recording(
            services,
            account,
            call_id=call_id,
            agent_id=agent,
            started_at=T0 + timedelta(hours=index),
        )
    return {
        "sales": to_global_id("Queue", sales),
        "support": to_global_id("Queue", support),
        "customer": to_global_id("Customer", customer),
        "agent": to_global_id("User", agent_id),
        "agent_token": agent_token,
    }


async def found(gql: GraphQL, token: str, **filter: object) -> list[str]:
    body = await gql(SEARCH, {"filter": filter, "first": 50}, token=token)
    assert "errors" not in body, body
    return [edge["node"]["callId"] for edge in body["data"]["recordings"]["edges"]]


async def test_filters_newest_first(
    gql: GraphQL, services: ApiServices, tenant_a: TenantAccount
) -> None:
    ids = await seed(services, gql, tenant_a)
    token = tenant_a.token
    assert await found(gql, token) == ["call-4", "call-3", "call-2", "call-1"]
    assert await found(gql, token, startedFrom=(T0 + timedelta(hours=1)).isoformat()) == [
        "call-4",
        "call-3",
        "call-2",
    ]
    window = {
        "startedFrom": (T0 + timedelta(minutes=30)).isoformat(),
        "startedTo": (T0 + timedelta(hours=2)).isoformat(),
    }
    assert await found(gql, token, **window) == ["call-2"]
    assert await found(gql, token, queueId=ids["sales"]) == ["call-3", "call-1"]
    assert await found(gql, token, queueId=ids["support"]) == ["call-4", "call-3", "call-2"]
    assert await found(gql, token, agentId=ids["agent"]) == ["call-3", "call-1"]
    assert await found(gql, token, customerId=ids["customer"]) == ["call-4", "call-1"]
    assert await found(gql, token, callerNumber="0001") == ["call-4", "call-1"]
    assert await found(gql, token, callerNumber="%") == []
    assert await found(gql, token, direction="INBOUND") == ["call-4", "call-3", "call-2", "call-1"]
    assert await found(gql, token, direction="OUTBOUND") == []
    assert await found(gql, token, queueId=ids["sales"], agentId=ids["agent"], **window) == []

    body = await gql(SEARCH, {"filter": {"customerId": ids["customer"]}}, token=token)
    node = body["data"]["recordings"]["edges"][0]["node"]
    assert node["direction"] == "INBOUND"
    assert node["queueName"] == "Support" and node["queueId"] == ids["support"]
    assert node["customerName"] == "Ada Lovelace" and node["callerNumber"] == "+15550001111"
    assert node["agentId"] is None and node["durationSeconds"] == 1.5
    first = await gql(SEARCH, {"filter": {"agentId": ids["agent"]}, "first": 1}, token=token)
    page = first["data"]["recordings"]
    assert [e["node"]["callId"] for e in page["edges"]] == ["call-3"]
    assert page["pageInfo"]["hasNextPage"] is True
    assert page["edges"][0]["node"]["agentName"].startswith("agent-")
    rest = await gql(
        SEARCH,
        {"filter": {"agentId": ids["agent"]}, "first": 5, "after": page["pageInfo"]["endCursor"]},
        token=token,
    )
    assert [e["node"]["callId"] for e in rest["data"]["recordings"]["edges"]] == ["call-1"]
    assert rest["data"]["recordings"]["pageInfo"]["hasNextPage"] is False


async def test_agents_search_only_their_own(
    gql: GraphQL, services: ApiServices, tenant_a: TenantAccount
) -> None:
    ids = await seed(services, gql, tenant_a)
    agent = ids["agent_token"]
    assert await found(gql, agent) == ["call-3", "call-1"]
    assert await found(gql, agent, queueId=ids["support"]) == ["call-3"]
    assert await found(gql, agent, customerId=ids["customer"]) == ["call-1"]


async def test_bad_filters(gql: GraphQL, tenant_a: TenantAccount) -> None:
    token = tenant_a.token
    reversed_window = {"startedFrom": T0.isoformat(), "startedTo": T0.isoformat()}
    body = await gql(SEARCH, {"filter": reversed_window}, token=token)
    assert error_code(body) == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["field"] == "filter.startedTo"
    body = await gql(SEARCH, {"filter": {"callerNumber": "1" * 65}}, token=token)
    assert error_code(body) == "BAD_USER_INPUT"
    assert error_code(await gql(SEARCH, {"filter": {"queueId": "nope"}}, token=token)) == (
        "NOT_FOUND"
    )
    assert error_code(await gql(SEARCH, {"filter": {}, "after": "x!"}, token=token)) == (
        "BAD_USER_INPUT"
    )


async def test_other_tenant_finds_nothing(
    gql: GraphQL, services: ApiServices, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    ids = await seed(services, gql, tenant_a)
    assert await found(gql, tenant_b.token) == []
    for key in ("sales", "customer", "agent"):
        field = {"sales": "queueId", "customer": "customerId", "agent": "agentId"}[key]
        assert await found(gql, tenant_b.token, **{field: ids[key]}) == []
    # Tenant B's own recording of a call with the same id gets none of A's facts.
    await add_recording(services, tenant_b, call_id="call-1", started_at=T0)
    body = await gql(SEARCH, {"filter": {}}, token=tenant_b.token)
    nodes = [edge["node"] for edge in body["data"]["recordings"]["edges"]]
    assert [(n["callId"], n["queueName"], n["customerName"], n["callerNumber"]) for n in nodes] == [
        ("call-1", None, None, None)
    ]
    assert await found(gql, tenant_a.token) == ["call-4", "call-3", "call-2", "call-1"]


async def wrap_up(services: ApiServices, account: TenantAccount, calls: dict[str, str]) -> None:
    """Give the calls a disposition (code -> label made here), as the facts carry it."""
    tenant = from_global_id(account.tenant_id)[1]
    async with services.database.transaction(tenant) as session:
        made: dict[str, uuid.UUID] = {}
        for code in sorted(set(calls.values())):
            made[code] = uuid.uuid4()
            session.add(
                Disposition(id=made[code], tenant_id=tenant, code=code, label=code.title() + "!")
            )
        await session.flush()
        for call_id, code in calls.items():
            await session.execute(
                sa.update(Contact)
                .where(Contact.tenant_id == tenant, Contact.call_id == call_id)
                .values(disposition_id=made[code], disposition_code=code)
            )


async def test_disposition_filter_and_column(
    gql: GraphQL, services: ApiServices, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    ids = await seed(services, gql, tenant_a)
    await wrap_up(services, tenant_a, {"call-1": "sale", "call-3": "sale", "call-4": "no_answer"})
    token = tenant_a.token
    assert await found(gql, token, dispositionCode="sale") == ["call-3", "call-1"]
    assert await found(gql, token, dispositionCode=" no_answer ") == ["call-4"]
    assert await found(gql, token, dispositionCode="nothing") == []
    assert await found(gql, token, dispositionCode="") == ["call-4", "call-3", "call-2", "call-1"]
    assert await found(gql, token, dispositionCode="sale", queueId=ids["support"]) == ["call-3"]
    assert await found(gql, ids["agent_token"], dispositionCode="no_answer") == []
    query = """query($filter: RecordingFilter) { recordings(filter: $filter, first: 10) {
      nodes { callId dispositionCode dispositionLabel } } }"""
    body = await gql(query, {"filter": {}}, token=token)
    assert [
        (n["callId"], n["dispositionCode"], n["dispositionLabel"])
        for n in body["data"]["recordings"]["nodes"]
    ] == [
        ("call-4", "no_answer", "No_Answer!"),
        ("call-3", "sale", "Sale!"),
        ("call-2", None, None),
        ("call-1", "sale", "Sale!"),
    ]
    body = await gql(SEARCH, {"filter": {"dispositionCode": "x" * 41}}, token=token)
    assert error_code(body) == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["field"] == "filter.dispositionCode"
    # Tenant B: none of A's recordings by A's code, and its own same-named call and code
    # show B's label only.
    assert await found(gql, tenant_b.token, dispositionCode="sale") == []
    await add_recording(services, tenant_b, call_id="call-1", started_at=T0)
    tenant = from_global_id(tenant_b.tenant_id)[1]
    async with services.database.transaction(tenant) as session:
        session.add(Contact(tenant_id=tenant, call_id="call-1", arrived_at=T0))
    await wrap_up(services, tenant_b, {"call-1": "refund"})
    assert await found(gql, tenant_b.token, dispositionCode="sale") == []
    assert await found(gql, tenant_b.token, dispositionCode="refund") == ["call-1"]
    body = await gql(query, {"filter": {}}, token=tenant_b.token)
    assert body["data"]["recordings"]["nodes"] == [
        {"callId": "call-1", "dispositionCode": "refund", "dispositionLabel": "Refund!"}
    ]
    assert await found(gql, token, dispositionCode="refund") == []
