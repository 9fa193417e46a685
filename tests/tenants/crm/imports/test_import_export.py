"""CSV import (dry run, per-row errors, idempotency) and streamed CSV export."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import httpx

from api.app import create_app
from api.clients import ApiServices
from tenants.settings import Settings
from tests.conftest import GraphQL, TenantAccount, error_code
from tests.tenants.crm.conftest import CREATE_FIELD, create_customer, user_token

IMPORT = """
mutation($input: ImportCustomersInput!) {
  importCustomers(input: $input) {
    dryRun rows created updated unchanged skipped errors { row message field }
  }
}"""
NAMES = """
{ customers(first: 100) {
    edges { node { name phones { e164 } tags customFields category { name } } } } }"""

MAPPING = {
    "Id": "external_id",
    "Full name": "name",
    "Mobile": "phone",
    "Office": "phone",
    "Segment": "category",
    "Labels": "tags",
    "Tier": "custom:tier",
}
GOOD = """Id,Full name,Mobile,Office,Segment,Labels,Tier
c-1,Ada Lovelace,+44 20 7946 0958,,VIP,math;poet,gold
c-2,Alan Turing,+44 20 7946 0959,+44 20 7946 0960,,,silver
"""
MIXED = """Id,Full name,Mobile,Office,Segment,Labels,Tier
c-3,Good Row,+1 202 555 0143,,prospect,,gold
c-4,Bad Phone,12-nope,,,,gold
c-5,Bad Category,+1 202 555 0144,,platinum,,gold
c-6,,+1 202 555 0145,,,,gold
c-7,Bad Tier,+1 202 555 0146,,,,bronze
c-8,Good Too,+1 202 555 0147,,,,gold
"""


async def _tier_field(gql: GraphQL, account: TenantAccount) -> None:
    body = await gql(
        CREATE_FIELD,
        {
            "input": {
                "key": "tier",
                "label": "Tier",
                "type": "SELECT",
                "options": ["gold", "silver"],
            }
        },
        token=account.token,
    )
    assert "errors" not in body, body


async def _import(
    gql: GraphQL,
    account: TenantAccount,
    text: str,
    *,
    dry_run: bool = False,
    mapping: dict[str, str] | None = None,
) -> dict[str, Any]:
    body = await gql(
        IMPORT,
        {"input": {"csv": text, "mapping": mapping or MAPPING, "dryRun": dry_run}},
        token=account.token,
    )
    assert "errors" not in body, body
    return body["data"]["importCustomers"]


async def _customers(gql: GraphQL, account: TenantAccount) -> dict[str, dict[str, Any]]:
    body = await gql(NAMES, token=account.token)
    return {e["node"]["name"]: e["node"] for e in body["data"]["customers"]["edges"]}


async def test_dry_run_writes_nothing_then_import_is_idempotent(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    await _tier_field(gql, tenant_a)
    dry = await _import(gql, tenant_a, GOOD, dry_run=True)
    assert dry == {
        "dryRun": True,
        "rows": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "errors": [],
    }
    assert await _customers(gql, tenant_a) == {}
    first = await _import(gql, tenant_a, GOOD)
    assert (first["created"], first["skipped"]) == (2, 0)
    customers = await _customers(gql, tenant_a)
    assert customers["Alan Turing"]["phones"] == [
        {"e164": "+442079460959"},
        {"e164": "+442079460960"},
    ]
    assert customers["Ada Lovelace"]["tags"] == ["math", "poet"]
    assert customers["Ada Lovelace"]["category"] == {"name": "VIP"}
    assert customers["Ada Lovelace"]["customFields"] == {"tier": "gold"}
    again = await _import(gql, tenant_a, GOOD)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert await _customers(gql, tenant_a) == customers


async def test_import_matches_by_phone_without_external_id(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    existing = await create_customer(gql, tenant_a, name="Known", phones=["+8613800138000"])
    mapping = {"Name": "name", "Phone": "phone", "Note": "notes"}
    text = "Name,Phone,Note\nKnown Person,0086 138 0013 8000,called twice\nNew,+8613900139000,\n"
    report = await _import(gql, tenant_a, text, mapping=mapping)
    assert (report["created"], report["updated"]) == (1, 1)
    again = await _import(gql, tenant_a, text, mapping=mapping)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    body = await gql(
        "query($id: ID!) { customer(id: $id) { name notes phones { e164 } } }",
        {"id": existing["id"]},
        token=tenant_a.token,
    )
    assert body["data"]["customer"] == {
        "name": "Known Person",
        "notes": "called twice",
        "phones": [{"e164": "+8613800138000"}],
    }


async def test_bad_rows_are_reported_and_skipped_whole(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    await _tier_field(gql, tenant_a)
    await create_customer(
        gql, tenant_a, name="Holder", phones=["+1 202 555 0199"], externalId="h-1"
    )
    text = MIXED + "c-9,Steals Number,+1 202 555 0199,,,,gold\n"
    report = await _import(gql, tenant_a, text)
    assert (report["rows"], report["created"], report["skipped"]) == (7, 2, 5)
    errors = {e["row"]: e for e in report["errors"]}
    assert sorted(errors) == [2, 3, 4, 5, 7]
    assert "12-nope" in errors[2]["message"]
    assert errors[3]["field"] == "category"
    assert errors[4]["field"] == "name"
    assert errors[5]["field"] == "customFields.tier"
    assert "Holder" in errors[7]["message"]
    names = set(await _customers(gql, tenant_a))
    assert names == {"Holder", "Good Row", "Good Too"}
    # A number from a skipped row was never written: another customer may take it.
    await create_customer(gql, tenant_a, name="Takes 0144", phones=["+12025550144"])


async def test_bad_mapping_and_roles(gql: GraphQL, tenant_a: TenantAccount) -> None:
    for mapping in (
        {"Nope": "name"},
        {"Id": "nonsense", "Full name": "name"},
        {"Id": "external_id"},
    ):
        body = await gql(IMPORT, {"input": {"csv": GOOD, "mapping": mapping}}, token=tenant_a.token)
        assert error_code(body) == "BAD_USER_INPUT", mapping
    _, agent = await user_token(gql, tenant_a, "agent")
    body = await gql(IMPORT, {"input": {"csv": GOOD, "mapping": MAPPING}}, token=agent)
    assert error_code(body) == "FORBIDDEN"


async def test_rest_import_and_streamed_export_round_trip(
    gql: GraphQL, client: httpx.AsyncClient, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    await _tier_field(gql, tenant_a)
    headers = {"Authorization": f"Bearer {tenant_a.token}", "Content-Type": "text/csv"}
    response = await client.post(
        "/v1/crm/customers/import",
        params={"mapping": json.dumps(MAPPING), "dry_run": "false"},
        content=GOOD.encode(),
        headers=headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 2
    export = await client.get(
        "/v1/crm/customers/export.csv",
        params={"category": "VIP"},
        headers={"Authorization": f"Bearer {tenant_a.token}"},
    )
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert [r["name"] for r in rows] == ["Ada Lovelace"]
    assert rows[0]["phone"] == "+44 20 7946 0958" and rows[0]["custom:tier"] == "gold"
    everything = await client.get(
        "/v1/crm/customers/export.csv", headers={"Authorization": f"Bearer {tenant_a.token}"}
    )
    round_trip = {
        "external_id": "external_id",
        "name": "name",
        "phone": "phone",
        "category": "category",
        "tags": "tags",
        "custom:tier": "custom:tier",
        "email": "email",
        "company": "company",
        "notes": "notes",
    }
    report = await _import(gql, tenant_a, everything.text, mapping=round_trip)
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 2)
    other = await client.get(
        "/v1/crm/customers/export.csv", headers={"Authorization": f"Bearer {tenant_b.token}"}
    )
    assert list(csv.DictReader(io.StringIO(other.text))) == []
    denied = await client.get("/v1/crm/customers/export.csv")
    assert denied.status_code == 401 and denied.json()["code"] == "UNAUTHENTICATED"
    bad = await client.post(
        "/v1/crm/customers/import", params={"mapping": "{"}, content=b"x", headers=headers
    )
    assert bad.status_code == 422 and bad.json()["code"] == "BAD_USER_INPUT"


async def test_tenant_b_import_never_touches_tenant_a(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    await create_customer(gql, tenant_a, name="A's", phones=["+8613800138000"], externalId="x-1")
    mapping = {"Id": "external_id", "Name": "name", "Phone": "phone"}
    report = await _import(
        gql, tenant_b, "Id,Name,Phone\nx-1,B's,+8613800138000\n", mapping=mapping
    )
    assert report["created"] == 1
    assert set(await _customers(gql, tenant_a)) == {"A's"}
    assert set(await _customers(gql, tenant_b)) == {"B's"}


async def test_a_csv_past_the_configured_limit_is_a_clear_413(
    settings: Settings, services: ApiServices, gql: GraphQL, tenant_a: TenantAccount
) -> None:
    small = settings.model_copy(
        update={"api": settings.api.model_copy(update={"max_import_bytes": 4096})}
    )
    app = create_app(small, services)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://hotline.test"
    ) as http:
        response = await http.post(
            "/v1/crm/customers/import",
            params={"mapping": json.dumps({"Name": "name"})},
            content=b"Name\n" + b"x" * 5000,
            headers={"Authorization": f"Bearer {tenant_a.token}", "Content-Type": "text/csv"},
        )
    assert response.status_code == 413
    assert "4096" in response.json()["detail"]


async def test_background_import_shows_progress_and_its_report(
    client: httpx.AsyncClient, gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    import asyncio

    lines = ["Name,Phone"] + [f"Bulk {i},+86 139 0000 {i:04d}" for i in range(1200)] + ["Bad,123"]
    headers = {"Authorization": f"Bearer {tenant_a.token}", "Content-Type": "text/csv"}
    started = await client.post(
        "/v1/crm/customers/import",
        params={"mapping": json.dumps({"Name": "name", "Phone": "phone"}), "background": "true"},
        content="\n".join(lines).encode(),
        headers=headers,
    )
    assert started.status_code == 202, started.text
    job = started.json()
    assert job["status"] in {"queued", "running"} and job["rowsTotal"] == 1201
    for _ in range(300):
        polled = await client.get(f"/v1/crm/import-jobs/{job['id']}", headers=headers)
        assert polled.status_code == 200
        job = polled.json()
        if job["status"] in {"done", "failed"}:
            break
        await asyncio.sleep(0.1)
    assert job["status"] == "done", job
    assert job["rowsDone"] == 1201
    assert job["report"]["created"] == 1200 and job["report"]["skipped"] == 1
    assert job["report"]["errors"][0]["row"] == 1201
    other = await client.get(
        f"/v1/crm/import-jobs/{job['id']}", headers={"Authorization": f"Bearer {tenant_b.token}"}
    )
    assert other.status_code == 404 and other.json()["code"] == "NOT_FOUND"
    bad = await client.post(
        "/v1/crm/customers/import",
        params={"mapping": json.dumps({"Nope": "name"}), "background": "true"},
        content=b"Name\nx\n",
        headers=headers,
    )
    assert bad.status_code == 422 and bad.json()["code"] == "BAD_USER_INPUT"
    body = await gql(
        '{ customers(filter: {namePrefix: "Bulk 119"}) { edges { node { name } } } }',
        token=tenant_a.token,
    )
    assert len(body["data"]["customers"]["edges"]) == 11


async def _run_job(
    client: httpx.AsyncClient, account: TenantAccount, text: str, *, dry_run: bool
) -> dict[str, Any]:
    import asyncio

    headers = {"Authorization": f"Bearer {account.token}", "Content-Type": "text/csv"}
    started = await client.post(
        "/v1/crm/customers/import",
        params={
            "mapping": json.dumps({"Name": "name", "Phone": "phone"}),
            "dry_run": str(dry_run).lower(),
            "background": "true",
        },
        content=text.encode(),
        headers=headers,
    )
    assert started.status_code == 202, started.text
    job = started.json()
    for _ in range(300):
        job = (await client.get(f"/v1/crm/import-jobs/{job['id']}", headers=headers)).json()
        if job["status"] in {"done", "failed"}:
            break
        await asyncio.sleep(0.05)
    assert job["status"] == "done", job
    return dict(job["report"])


async def test_a_dry_run_reports_each_row_created_updated_unchanged_or_rejected(
    client: httpx.AsyncClient, gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    """The console shows a dry run row by row: the report says what each row would do."""
    await create_customer(gql, tenant_a, name="Known", phones=["+8613800138000"])
    await create_customer(gql, tenant_a, name="Same", phones=["+8613800138001"])
    text = (
        "Name,Phone\n"
        "Known Renamed,0086 138 0013 8000\n"
        "Brand New,+8613900139000\n"
        "\n"
        "Bad,12\n"
        "Same,+86 138 0013 8001\n"
    )
    report = await _run_job(client, tenant_a, text, dry_run=True)
    assert report["outcomes"] == [
        {"row": 1, "outcome": "updated"},
        {"row": 2, "outcome": "created"},
        {"row": 5, "outcome": "unchanged"},
    ]
    assert [e["row"] for e in report["errors"]] == [4]
    assert set(await _customers(gql, tenant_a)) == {"Known", "Same"}
    # Tenant B's dry run of the same file sees none of A's customers: every row is new to it,
    # and neither tenant's customers change.
    other = await _run_job(client, tenant_b, text, dry_run=True)
    assert [o["outcome"] for o in other["outcomes"]] == ["created"] * 3
    assert set(await _customers(gql, tenant_b)) == set()
    assert set(await _customers(gql, tenant_a)) == {"Known", "Same"}
