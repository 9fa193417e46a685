"""Saved custom reports: define, list, export as CSV, delete; roles and isolation."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest

from analytics.worker import EventWorker
from tests.analytics.conftest import T0, Publisher, drain, tenant_uuid
from tests.analytics.reports.test_reports import call, qid, user
from tests.conftest import GraphQL, TenantAccount, error_code

CREATE = """
mutation($input: SavedReportInput!) {
  createSavedReport(input: $input) { id name dimension metrics queueIds interval timeZone }
}"""
LIST = "{ savedReports(first: 10) { edges { node { id name } } } }"
EXPORT = """
query($id: ID!, $start: DateTime!, $end: DateTime!) {
  exportSavedReport(id: $id, start: $start, end: $end)
}"""
DELETE = "mutation($id: ID!) { deleteSavedReport(id: $id) }"
NODE = "query($id: ID!) { node(id: $id) { id ... on SavedReport { name } } }"


def definition(queue: uuid.UUID, **override: object) -> dict:
    return {
        "name": "Morning service",
        "dimension": "QUEUE",
        "metrics": ["offered", "serviceLevel", "asa"],
        "queueIds": [qid(queue)],
        "interval": "MINUTES_30",
        "timeZone": "Europe/Berlin",
        **override,
    }


async def test_save_export_and_delete_a_report(
    gql: GraphQL,
    tenant_a: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    tenant, queue = tenant_uuid(tenant_a), uuid.uuid4()
    await call(publish, tenant, queue, T0 + timedelta(minutes=1), wait=10)
    await call(publish, tenant, queue, T0 + timedelta(minutes=2), wait=30)
    await call(publish, tenant, queue, T0 + timedelta(minutes=40), wait=4)
    await drain(make_worker())
    body = await gql(CREATE, {"input": definition(queue)}, token=tenant_a.token)
    assert "errors" not in body, body
    saved = body["data"]["createSavedReport"]
    assert (saved["dimension"], saved["interval"], saved["queueIds"]) == (
        "queue",
        "30m",
        [qid(queue)],
    )
    listed = await gql(LIST, token=tenant_a.token)
    assert [e["node"]["id"] for e in listed["data"]["savedReports"]["edges"]] == [saved["id"]]
    exported = await gql(
        EXPORT,
        {"id": saved["id"], "start": T0.isoformat(), "end": (T0 + timedelta(hours=1)).isoformat()},
        token=tenant_a.token,
    )
    assert "errors" not in exported, exported
    rows = list(csv.reader(io.StringIO(exported["data"]["exportSavedReport"])))
    assert rows[0] == [
        "interval_start",
        "interval_end",
        "queue",
        "offered",
        "serviceLevel",
        "asa",
        "answer_seconds",
        "short_abandon_seconds",
        "sl_formula",
    ]
    assert rows[1] == [
        "2026-03-02T10:00:00+01:00",
        "2026-03-02T10:30:00+01:00",
        str(queue),
        "2",
        "0.5",
        "20",
        "20",
        "5",
        "genesys",
    ]
    assert rows[2][3:6] == ["1", "1", "4"]
    assert len(rows) == 3
    assert error_code(await gql(DELETE, {"id": saved["id"]}, token=tenant_a.token)) is None
    assert error_code(await gql(NODE, {"id": saved["id"]}, token=tenant_a.token)) == "NOT_FOUND"


@pytest.mark.parametrize(
    "override",
    [
        {"metrics": ["serviceLevel", "happiness"]},
        {"metrics": []},
        {"queueIds": [qid(uuid.uuid4())]},
        {"timeZone": "Atlantis/Capital"},
        {"name": ""},
    ],
)
async def test_bad_saved_report_input(
    gql: GraphQL,
    tenant_a: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
    override: dict,
) -> None:
    tenant, queue = tenant_uuid(tenant_a), uuid.uuid4()
    await call(publish, tenant, queue, T0, wait=1)
    await drain(make_worker())
    body = await gql(CREATE, {"input": definition(queue, **override)}, token=tenant_a.token)
    assert error_code(body) == "BAD_USER_INPUT"


async def test_roles_and_tenant_isolation(
    gql: GraphQL,
    tenant_a: TenantAccount,
    tenant_b: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    tenant, queue = tenant_uuid(tenant_a), uuid.uuid4()
    await call(publish, tenant, queue, T0, wait=1)
    await drain(make_worker())
    _, supervisor = await user(gql, tenant_a, "SUPERVISOR")
    _, agent = await user(gql, tenant_a, "AGENT")
    assert (
        error_code(await gql(CREATE, {"input": definition(queue)}, token=supervisor)) == "FORBIDDEN"
    )
    saved = (
        await gql(
            CREATE,
            {"input": definition(queue, dimension="TENANT", queueIds=[])},
            token=tenant_a.token,
        )
    )["data"]["createSavedReport"]
    window = {
        "id": saved["id"],
        "start": T0.isoformat(),
        "end": (T0 + timedelta(hours=1)).isoformat(),
    }
    assert error_code(await gql(EXPORT, window, token=supervisor)) is None
    assert error_code(await gql(EXPORT, window, token=agent)) == "FORBIDDEN"
    assert error_code(await gql(LIST, token=agent)) == "FORBIDDEN"
    # Tenant B sees, runs and deletes nothing of A's.
    assert error_code(await gql(EXPORT, window, token=tenant_b.token)) == "NOT_FOUND"
    assert error_code(await gql(NODE, {"id": saved["id"]}, token=tenant_b.token)) == "NOT_FOUND"
    assert error_code(await gql(DELETE, {"id": saved["id"]}, token=tenant_b.token)) == "NOT_FOUND"
    listed = await gql(LIST, token=tenant_b.token)
    assert listed["data"]["savedReports"]["edges"] == []
    assert (await gql(NODE, {"id": saved["id"]}, token=tenant_a.token))["data"]["node"]["name"]
    b_queue = await gql(CREATE, {"input": definition(queue)}, token=tenant_b.token)
    assert error_code(b_queue) == "BAD_USER_INPUT"  # A's queue is unknown to B
