"""REST endpoints of the CRM for files: CSV import (large bodies) and streamed CSV export.

GraphQL's body cap is small; a CSV upload gets its own cap
(``settings.api.max_import_bytes``), applied to ``IMPORT_PATH_PREFIX`` by the API.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from tenants.crm import csv_export, csv_import, service
from tenants.crm.schemas import CustomerFilterIn
from tenants.errors import BadUserInput, Unauthenticated
from tenants.graphql.relay import expect_global_id
from tenants.identity import service as identity_service
from tenants.identity.principal import Principal
from tenants.input_validation import parse_input

IMPORT_PATH_PREFIX = "/v1/crm/"

router = APIRouter(prefix="/v1/crm", tags=["crm"])


def _credential(request: Request) -> str:
    scheme, _, credential = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        raise Unauthenticated("authentication required")
    return credential.strip()


async def _principal(request: Request, session: Any) -> Principal:
    services = request.app.state.services
    return await identity_service.authenticate(
        session=session, credential=_credential(request), signer=services.signer
    )


def report_json(report: csv_import.ImportReport) -> dict[str, Any]:
    """The import report as JSON (also the shape of the GraphQL ``ImportReport``)."""
    return {
        "dryRun": report.dry_run,
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "skipped": report.skipped,
        "errors": [{"row": e.row, "message": e.message, "field": e.field} for e in report.errors],
    }


@router.post("/customers/import")
async def import_customers(
    request: Request,
    mapping: str = Query(description='JSON object: column name → field, e.g. {"Name": "name"}'),
    dry_run: bool = Query(default=False),
) -> dict[str, Any]:
    """Import a CSV body (``text/csv``, UTF-8); returns the per-row report."""
    try:
        parsed = json.loads(mapping)
    except json.JSONDecodeError as err:
        raise BadUserInput(f"mapping: not JSON ({err.msg})", field="mapping") from None
    if not isinstance(parsed, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in parsed.items()
    ):
        raise BadUserInput("mapping: expected an object of strings", field="mapping")
    try:
        text = (await request.body()).decode("utf-8")
    except UnicodeDecodeError as err:
        raise BadUserInput("csv: the file is not UTF-8", field="csv") from err
    database = request.app.state.services.database
    async with database.transaction() as session:
        principal = await _principal(request, session)
        report = await csv_import.import_customers(
            session=session, principal=principal, csv_text=text, mapping=parsed, dry_run=dry_run
        )
    return report_json(report)


@router.get("/customers/export.csv")
async def export_customers(
    request: Request,
    name_prefix: str | None = Query(default=None, alias="namePrefix"),
    phone: str | None = None,
    category: str | None = None,
    tag: str | None = None,
    owner_id: str | None = Query(default=None, alias="ownerId"),
) -> StreamingResponse:
    """Stream the customers matching the filter as CSV (same columns the import reads)."""
    data: dict[str, Any] = {
        "name_prefix": name_prefix,
        "phone": phone,
        "category": category,
        "tag": tag,
        "owner_id": expect_global_id(owner_id, "User") if owner_id else None,
    }
    filter_in = parse_input(CustomerFilterIn, {k: v for k, v in data.items() if v is not None})
    database = request.app.state.services.database
    # Authenticate and resolve the filter before streaming, so errors are plain 4xx.
    async with database.transaction() as session:
        principal = await _principal(request, session)
        query = await service.resolve_filter(
            session,
            tenant_id=principal.tenant_id,
            filter_in=filter_in,
            principal_user_id=principal.user_id,
        )

    async def lines() -> AsyncIterator[str]:
        async with database.transaction(principal.tenant_id) as session:
            async for chunk in csv_export.export_customers(
                session=session, tenant_id=principal.tenant_id, query=query
            ):
                yield chunk

    return StreamingResponse(
        lines(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="customers.csv"'},
    )
