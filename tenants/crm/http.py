"""REST endpoints of the CRM for files: CSV import (large bodies) and streamed CSV export.

GraphQL's body cap is small; a CSV upload gets its own cap
(``settings.api.max_import_bytes``), applied to ``IMPORT_PATH_PREFIX`` by the API.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse

from tenants.crm import csv_export
from tenants.crm.customers import service
from tenants.crm.imports import jobs as import_jobs
from tenants.crm.imports import service as import_service
from tenants.crm.models import ImportJob
from tenants.crm.schemas import CustomerFilterIn
from tenants.errors import BadUserInput
from tenants.graphql.relay import expect_global_id
from tenants.identity import browser_session
from tenants.identity import service as identity_service
from tenants.identity.principal import Principal
from tenants.input_validation import parse_input

IMPORT_PATH_PREFIX = "/v1/crm/"

router = APIRouter(prefix="/v1/crm", tags=["crm"])


async def _principal(request: Request, session: Any) -> Principal:
    services = request.app.state.services
    return await identity_service.authenticate(
        session=session,
        credential=await browser_session.http_credential(
            request, signer=services.signer, sessions=services.browser_sessions
        ),
        signer=services.signer,
        principals=services.principals,
        limits=services.rate_limits,
    )


def job_json(job: ImportJob) -> dict[str, Any]:
    """An import job's progress and, once done, its report."""
    return {
        "id": str(job.id),
        "status": job.status,
        "dryRun": job.dry_run,
        "rowsTotal": job.rows_total,
        "rowsDone": job.rows_done,
        "report": job.report,
        "failure": job.failure,
        "createdAt": job.created_at.isoformat(),
        "finishedAt": job.finished_at.isoformat() if job.finished_at else None,
    }


@router.post("/customers/import")
async def import_customers(
    request: Request,
    response: Response,
    mapping: str = Query(description='JSON object: column name → field, e.g. {"Name": "name"}'),
    dry_run: bool = Query(default=False),
    background: bool = Query(default=False, description="Return a job at once (202)"),
) -> dict[str, Any]:
    """Import a CSV body (``text/csv``, UTF-8); returns the report, or a job to poll."""
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
    if background:
        async with database.transaction() as session:
            principal = await _principal(request, session)
            job = await import_jobs.start_import_job(
                session=session,
                principal=principal,
                csv_text=text,
                mapping=parsed,
                dry_run=dry_run,
            )
        task = asyncio.create_task(
            import_jobs.run_import_job(
                database=database,
                principal=principal,
                job_id=job.id,
                csv_text=text,
                mapping=parsed,
                dry_run=dry_run,
            )
        )
        # Keep a reference until it ends: the loop holds tasks only weakly.
        tasks: set[asyncio.Task[None]] = request.app.state.__dict__.setdefault(
            "crm_import_tasks", set()
        )
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        response.status_code = 202
        return job_json(job)
    async with database.transaction() as session:
        principal = await _principal(request, session)
        report = await import_service.import_customers(
            session=session, principal=principal, csv_text=text, mapping=parsed, dry_run=dry_run
        )
    return import_jobs.report_dict(report)


@router.get("/import-jobs/{job_id}")
async def import_job(request: Request, job_id: uuid.UUID) -> dict[str, Any]:
    """Progress of a background import (another tenant's job is 404)."""
    async with request.app.state.services.database.transaction() as session:
        principal = await _principal(request, session)
        job = await import_jobs.get_import_job(session=session, principal=principal, job_id=job_id)
        return job_json(job)


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
            regions=request.app.state.services.regions,
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
