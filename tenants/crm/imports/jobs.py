"""CSV imports as background jobs with visible progress.

The job row is written (and committed) by the request that starts it; the import then
runs in its own transaction, all or nothing like a direct import, while progress is
written after each chunk in short separate transactions so anyone can watch it.
``run_import_job`` needs only a ``Database``, so a worker process can run it as well as
the API process that accepted the file.
"""

from __future__ import annotations

import csv
import io
import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.crm.imports import rows as import_rows
from tenants.crm.imports import service as import_service
from tenants.crm.models import ImportJob
from tenants.database.scoping import scoped
from tenants.database.session import Database
from tenants.errors import BadUserInput, DomainError, NotFound
from tenants.identity.principal import Principal
from tenants.identity.roles import SUPERVISORS

log = logging.getLogger("hotline.crm.import")


def report_dict(report: import_rows.ImportReport) -> dict[str, Any]:
    """The report as stored JSON (camelCase, as the API shows it)."""
    return {
        "dryRun": report.dry_run,
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "skipped": report.skipped,
        "errors": [{"row": e.row, "message": e.message, "field": e.field} for e in report.errors],
        "outcomes": [{"row": row, "outcome": outcome} for row, outcome in report.outcomes],
    }


async def start_import_job(
    *,
    session: AsyncSession,
    principal: Principal,
    csv_text: str,
    mapping: dict[str, str],
    dry_run: bool,
) -> ImportJob:
    """Check the header and mapping now (BAD_USER_INPUT), then queue the job."""
    principal.require(SUPERVISORS, "import customers")
    reader = csv.reader(io.StringIO(csv_text.lstrip("\ufeff")))
    try:
        header = next(reader)
        rows_total = sum(1 for cells in reader if any(cell.strip() for cell in cells))
    except StopIteration:
        raise BadUserInput("csv: the file is empty", field="csv") from None
    except csv.Error as err:
        raise BadUserInput(f"csv: {err}", field="csv") from None
    import_rows.parse_mapping(mapping, header)
    job = ImportJob(
        id=uuid.uuid4(),
        tenant_id=principal.tenant_id,
        created_by=principal.user_id,
        status="queued",
        dry_run=dry_run,
        rows_total=rows_total,
        rows_done=0,
    )
    session.add(job)
    await session.flush()
    await session.refresh(job)
    return job


async def _set(database: Database, tenant_id: uuid.UUID, job_id: uuid.UUID, **values: Any) -> None:
    async with database.transaction(tenant_id) as session:
        await session.execute(
            scoped(update(ImportJob), tenant_id).where(ImportJob.id == job_id).values(**values)
        )


async def run_import_job(
    *,
    database: Database,
    principal: Principal,
    job_id: uuid.UUID,
    csv_text: str,
    mapping: dict[str, str],
    dry_run: bool,
) -> None:
    """Run a queued job to the end; failures are recorded on the job, never raised."""
    tenant_id = principal.tenant_id
    await _set(database, tenant_id, job_id, status="running")

    async def progress(rows_done: int) -> None:
        await _set(database, tenant_id, job_id, rows_done=rows_done)

    try:
        async with database.transaction(tenant_id) as session:
            report = await import_service.import_customers(
                session=session,
                principal=principal,
                csv_text=csv_text,
                mapping=mapping,
                dry_run=dry_run,
                on_progress=progress,
            )
    except DomainError as err:
        await _set(
            database,
            tenant_id,
            job_id,
            status="failed",
            failure=err.message,
            finished_at=datetime.now(UTC),
        )
        return
    except Exception:
        log.exception("import job %s of tenant %s failed", job_id, tenant_id)
        await _set(
            database,
            tenant_id,
            job_id,
            status="failed",
            failure="internal error",
            finished_at=datetime.now(UTC),
        )
        return
    await _set(
        database,
        tenant_id,
        job_id,
        status="done",
        rows_done=report.rows,
        report=report_dict(report),
        finished_at=datetime.now(UTC),
    )


async def get_import_job(
    *, session: AsyncSession, principal: Principal, job_id: uuid.UUID
) -> ImportJob:
    """One import job of the caller's tenant."""
    job = await session.scalar(
        scoped(select(ImportJob), principal.tenant_id).where(ImportJob.id == job_id)
    )
    if job is None:
        raise NotFound("import job not found")
    return job
