"""previewReport: an unsaved definition run as its export would run; roles and isolation."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest

from analytics.worker import EventWorker
from tests.analytics.conftest import T0, Publisher, drain, tenant_uuid
from tests.analytics.reports.test_reports import call, user
from tests.analytics.saved_reports.test_saved_reports import CREATE, EXPORT, definition
from tests.conftest import GraphQL, TenantAccount, error_code

PREVIEW = """
query($input: SavedReportInput!, $start: DateTime!, $end: DateTime!) {
  previewReport(input: $input, start: $start, end: $end)
}"""
HOUR = {"start": T0.isoformat(), "end": (T0 + timedelta(hours=1)).isoformat()}


async def test_the_preview_is_what_the_saved_report_exports(
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
    _, supervisor = await user(gql, tenant_a, "SUPERVISOR")
    preview = await gql(PREVIEW, {"input": definition(queue), **HOUR}, token=supervisor)
    assert "errors" not in preview, preview
    rows = list(csv.reader(io.StringIO(preview["data"]["previewReport"])))
    assert rows[1][2:6] == [str(queue), "2", "0.5", "20"]
    saved = (await gql(CREATE, {"input": definition(queue)}, token=tenant_a.token))["data"]
    exported = await gql(EXPORT, {"id": saved["createSavedReport"]["id"], **HOUR}, token=supervisor)
    assert exported["data"]["exportSavedReport"] == preview["data"]["previewReport"]
    # A preview needs no name yet.
    unnamed = await gql(PREVIEW, {"input": definition(queue, name=""), **HOUR}, token=supervisor)
    assert unnamed["data"]["previewReport"] == preview["data"]["previewReport"]


@pytest.mark.parametrize(
    ("override", "window", "field"),
    [
        ({"metrics": ["happiness"]}, HOUR, "metrics"),
        ({"metrics": []}, HOUR, "metrics"),
        ({"timeZone": "Atlantis/Capital"}, HOUR, "timeZone"),
        ({}, {"start": HOUR["end"], "end": HOUR["start"]}, None),
    ],
)
async def test_bad_preview_input(
    gql: GraphQL,
    tenant_a: TenantAccount,
    override: dict,
    window: dict,
    field: str | None,
) -> None:
    body = await gql(
        PREVIEW, {"input": definition(uuid.uuid4(), **override), **window}, token=tenant_a.token
    )
    assert error_code(body) == "BAD_USER_INPUT", body
    if field is not None:
        assert body["errors"][0]["extensions"]["field"] == field


async def test_agents_may_not_preview_and_tenant_b_sees_nothing_of_a(
    gql: GraphQL,
    tenant_a: TenantAccount,
    tenant_b: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    tenant, queue = tenant_uuid(tenant_a), uuid.uuid4()
    await call(publish, tenant, queue, T0 + timedelta(minutes=1), wait=10)
    await drain(make_worker())
    _, agent = await user(gql, tenant_a, "AGENT")
    body = await gql(PREVIEW, {"input": definition(queue), **HOUR}, token=agent)
    assert error_code(body) == "FORBIDDEN"
    # A's queue is no queue of B's; B's whole-center preview counts none of A's calls.
    body = await gql(PREVIEW, {"input": definition(queue), **HOUR}, token=tenant_b.token)
    assert error_code(body) == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["field"] == "queueIds"
    tenant_wide = definition(queue, dimension="TENANT", queueIds=[], metrics=["offered"])
    body = await gql(PREVIEW, {"input": tenant_wide, **HOUR}, token=tenant_b.token)
    assert "errors" not in body, body
    rows = list(csv.reader(io.StringIO(body["data"]["previewReport"])))[1:]
    assert rows and all(r[3] == "0" for r in rows)
    mine = await gql(PREVIEW, {"input": tenant_wide, **HOUR}, token=tenant_a.token)
    assert list(csv.reader(io.StringIO(mine["data"]["previewReport"])))[1][3] == "1"
