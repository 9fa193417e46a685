"""call.wrapped_up → the disposition and note in the contact facts → the disposition report."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from analytics.models import AgentSegment, Contact
from analytics.worker import EventWorker
from api.clients import ApiServices
from tenants.database.scoping import scoped
from tests.analytics.conftest import T0, Publisher, drain, tenant_uuid
from tests.analytics.test_worker import answered_call
from tests.conftest import GraphQL, TenantAccount, error_code

REPORT = """
query($range: ReportRangeInput!, $filter: DispositionFilterInput) {
  dispositionReport(range: $range, filter: $filter) {
    intervalStart intervalEnd code dispositionId contacts
  }
}"""
DAY = {"start": "2026-03-02T00:00:00Z", "end": "2026-03-03T00:00:00Z", "interval": "DAY"}


def gid(kind: str, raw: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{raw}".encode()).decode()


async def wrapped(
    publish: Publisher,
    tenant: uuid.UUID,
    *,
    queue: uuid.UUID,
    agent: uuid.UUID,
    code: str,
    start: timedelta,
    note: str = "",
    disposition: uuid.UUID | None = None,
) -> str:
    call = await answered_call(publish, tenant, queue=queue, agent=agent, start=start)
    await publish(
        tenant,
        "call.wrapped_up",
        T0 + start + timedelta(seconds=130),
        call_id=call,
        queue_id=queue,
        agent_id=agent,
        disposition_id=disposition or uuid.uuid4(),
        disposition_code=code,
        note=note,
    )
    return call


async def test_disposition_and_note_land_in_the_facts_and_the_report(
    services: ApiServices,
    gql: GraphQL,
    tenant_a: TenantAccount,
    tenant_b: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    tenant, queue, other_queue, agent = tenant_uuid(tenant_a), *(uuid.uuid4() for _ in range(3))
    sale = uuid.uuid4()
    first = await wrapped(
        publish,
        tenant,
        queue=queue,
        agent=agent,
        code="sale",
        start=timedelta(0),
        note="two seats",
        disposition=sale,
    )
    await wrapped(
        publish,
        tenant,
        queue=queue,
        agent=agent,
        code="sale",
        start=timedelta(hours=1),
        disposition=sale,
    )
    await wrapped(
        publish, tenant, queue=other_queue, agent=agent, code="no_sale", start=timedelta(hours=2)
    )
    # a correction of the first call's wrap-up, then a late redelivery of an older one
    await publish(
        tenant,
        "call.wrapped_up",
        T0 + timedelta(minutes=5),
        call_id=first,
        queue_id=queue,
        agent_id=agent,
        disposition_id=sale,
        disposition_code="sale",
        note="three seats",
    )
    await publish(
        tenant,
        "call.wrapped_up",
        T0 + timedelta(minutes=1),
        call_id=first,
        queue_id=queue,
        agent_id=agent,
        disposition_id=uuid.uuid4(),
        disposition_code="stale",
        note="old",
    )
    await drain(make_worker())
    async with services.database.transaction(tenant) as session:
        contact = await session.scalar(
            scoped(select(Contact), tenant).where(Contact.call_id == first)
        )
        assert (contact.disposition_code, contact.disposition_id, contact.wrap_up_note) == (
            "sale",
            sale,
            "three seats",
        )
        assert contact.wrapped_up_by == agent
        segment = await session.scalar(
            scoped(select(AgentSegment), tenant).where(AgentSegment.call_id == first)
        )
        assert segment.disposition == "sale"

    body = await gql(REPORT, {"range": DAY}, token=tenant_a.token)
    rows = body["data"]["dispositionReport"]
    assert [(r["code"], r["contacts"]) for r in rows] == [("sale", 2), ("no_sale", 1)]
    assert rows[0]["dispositionId"] == gid("Disposition", sale)
    by_queue = await gql(
        REPORT, {"range": DAY, "filter": {"queueIds": [str(other_queue)]}}, token=tenant_a.token
    )
    assert [(r["code"], r["contacts"]) for r in by_queue["data"]["dispositionReport"]] == [
        ("no_sale", 1)
    ]
    by_code = await gql(
        REPORT,
        {"range": {**DAY, "interval": "MINUTES_60"}, "filter": {"codes": ["SALE"]}},
        token=tenant_a.token,
    )
    hourly = by_code["data"]["dispositionReport"]
    assert [(r["intervalStart"][11:16], r["contacts"]) for r in hourly] == [
        ("09:00", 1),
        ("10:00", 1),
    ]
    nobody = await gql(
        REPORT, {"range": DAY, "filter": {"agentId": str(uuid.uuid4())}}, token=tenant_a.token
    )
    assert nobody["data"]["dispositionReport"] == []

    # tenant B sees none of it, and its events change nothing of tenant A's
    other = tenant_uuid(tenant_b)
    assert (await gql(REPORT, {"range": DAY}, token=tenant_b.token))["data"][
        "dispositionReport"
    ] == []
    await publish(
        other,
        "call.wrapped_up",
        T0 + timedelta(minutes=9),
        call_id=first,
        queue_id=queue,
        agent_id=agent,
        disposition_id=uuid.uuid4(),
        disposition_code="hijack",
    )
    await drain(make_worker())
    async with services.database.transaction(tenant) as session:
        contact = await session.scalar(
            scoped(select(Contact), tenant).where(Contact.call_id == first)
        )
        assert contact.disposition_code == "sale"
    rows = (await gql(REPORT, {"range": DAY}, token=tenant_a.token))["data"]["dispositionReport"]
    assert [(r["code"], r["contacts"]) for r in rows] == [("sale", 2), ("no_sale", 1)]


async def test_report_is_for_supervisors_and_checks_its_input(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    from tests.routing.live.test_graphql import make_user

    agent = await make_user(gql, tenant_a, "agent")
    assert error_code(await gql(REPORT, {"range": DAY}, token=agent.token)) == "FORBIDDEN"
    bad = await gql(REPORT, {"range": {**DAY, "end": DAY["start"]}}, token=tenant_a.token)
    assert error_code(bad) == "BAD_USER_INPUT"
    bad_queue = await gql(
        REPORT, {"range": DAY, "filter": {"queueIds": ["nope"]}}, token=tenant_a.token
    )
    assert bad_queue["errors"][0]["extensions"]["field"] == "queueIds"


SAVE = """
mutation($input: SavedReportInput!) { createSavedReport(input: $input) { id dimension } }"""
EXPORT = """
query($id: ID!, $start: DateTime!, $end: DateTime!) {
  exportSavedReport(id: $id, start: $start, end: $end)
}"""


async def test_a_saved_report_by_disposition_exports_counts_per_interval(
    gql: GraphQL,
    tenant_a: TenantAccount,
    tenant_b: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    tenant, queue, agent = tenant_uuid(tenant_a), uuid.uuid4(), uuid.uuid4()
    for hours, code in ((0, "sale"), (0, "no_sale"), (1, "sale")):
        await wrapped(
            publish, tenant, queue=queue, agent=agent, code=code, start=timedelta(hours=hours)
        )
    await drain(make_worker())
    definition = {
        "name": "Outcomes",
        "dimension": "DISPOSITION",
        "metrics": ["handled"],
        "interval": "MINUTES_60",
    }
    bad = await gql(SAVE, {"input": {**definition, "metrics": ["asa"]}}, token=tenant_a.token)
    assert bad["errors"][0]["extensions"]["field"] == "metrics"
    saved = (await gql(SAVE, {"input": definition}, token=tenant_a.token))["data"][
        "createSavedReport"
    ]
    assert saved["dimension"] == "disposition"
    window = {"id": saved["id"], "start": DAY["start"], "end": DAY["end"]}
    exported = await gql(EXPORT, window, token=tenant_a.token)
    lines = exported["data"]["exportSavedReport"].splitlines()
    assert lines == [
        "interval_start,interval_end,disposition,handled",
        "2026-03-02T09:00:00+00:00,2026-03-02T10:00:00+00:00,no_sale,1",
        "2026-03-02T09:00:00+00:00,2026-03-02T10:00:00+00:00,sale,1",
        "2026-03-02T10:00:00+00:00,2026-03-02T11:00:00+00:00,sale,1",
    ]
    assert error_code(await gql(EXPORT, window, token=tenant_b.token)) == "NOT_FOUND"
