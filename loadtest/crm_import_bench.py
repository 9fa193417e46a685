"""CSV import benchmark: N customer rows through the background import job, timed.

Generates a CSV of N customers (name, company, email, phone, tags, category, external
id and a custom field), creates a tenant, and runs ``tenants.crm.imports.jobs.
run_import_job`` on it as the API's background job would (one transaction, progress
written after each chunk). It prints the seconds and rows/s of the first import (every
row created) and of the same file again (every row unchanged: the idempotent path).
Embedded PostgreSQL is started in a temporary folder unless ``--database-url`` and
``--migration-url`` are given.

    python -m loadtest.crm_import_bench --rows 100000
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import csv
import io
import os
import pstats
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import select

from tenants.crm.imports.jobs import run_import_job
from tenants.crm.models import CustomFieldDefinition, ImportJob
from tenants.crm.schemas import CrmSettingsIn
from tenants.crm.settings import service as crm_service
from tenants.database import migrate
from tenants.database.session import Database
from tenants.embedded.postgres import EmbeddedPostgres
from tenants.embedded.process import free_port
from tenants.identity.models import Tenant, User
from tenants.identity.principal import Principal
from tenants.identity.roles import Role

MAPPING = {
    "Name": "name",
    "Company": "company",
    "Email": "email",
    "Mobile": "phone",
    "Tags": "tags",
    "Category": "category",
    "Customer no": "external_id",
    "Tier": "custom:tier",
}
CATEGORIES = ["VIP", "prospect", "follow-up", ""]


def make_csv(rows: int) -> str:
    """A CSV of ``rows`` distinct customers (numbers in region CN)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(list(MAPPING))
    for i in range(rows):
        writer.writerow(
            [
                f"Customer {i}",
                f"Company {i % 997}",
                f"customer{i}@example.com",
                f"137{i:08d}",
                "imported;batch" if i % 3 == 0 else "imported",
                CATEGORIES[i % len(CATEGORIES)],
                f"EXT-{i:07d}",
                str(i % 5),
            ]
        )
    return out.getvalue()


async def create_tenant(migration_url: str) -> Principal:
    """A tenant with an owner, CN as default region and a ``tier`` number field."""
    tenant_id, owner_id = uuid.uuid4(), uuid.uuid4()
    admin = Database(migration_url, pool_size=1)
    async with admin.transaction() as session:
        session.add(Tenant(id=tenant_id, name="Import bench", slug=f"import-{tenant_id.hex[:12]}"))
        await session.flush()
        session.add(
            User(
                id=owner_id,
                tenant_id=tenant_id,
                email=f"owner-{tenant_id.hex[:8]}@example.com",
                password_hash="!",  # noqa: S106 - no password: nobody signs in
                role=Role.OWNER.value,
            )
        )
    await admin.dispose()
    return Principal(tenant_id=tenant_id, role=Role.OWNER, user_id=owner_id)


async def run(args: argparse.Namespace, database_url: str, migration_url: str) -> None:
    """Create the tenant, import the file twice, print the timings."""
    principal = await create_tenant(migration_url)
    database = Database(database_url, pool_size=4)
    async with database.transaction(principal.tenant_id) as session:
        await crm_service.update_settings(
            session=session, principal=principal, settings_in=CrmSettingsIn(default_region="CN")
        )
        session.add(
            CustomFieldDefinition(
                id=uuid.uuid4(),
                tenant_id=principal.tenant_id,
                key="tier",
                label="Tier",
                type="number",
            )
        )
    print(f"generating {args.rows:,} rows …", flush=True)
    text = make_csv(args.rows)
    print(f"  {len(text) / 1e6:.1f} MB")
    for label in ("first import (creates)", "same file again (unchanged)"):
        job_id = uuid.uuid4()
        async with database.transaction(principal.tenant_id) as session:
            session.add(
                ImportJob(
                    id=job_id, tenant_id=principal.tenant_id, status="queued", rows_total=args.rows
                )
            )
        profiler = cProfile.Profile() if args.profile else None
        started, cpu_started = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        await run_import_job(
            database=database,
            principal=principal,
            job_id=job_id,
            csv_text=text,
            mapping=MAPPING,
            dry_run=False,
        )
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        async with database.transaction(principal.tenant_id) as session:
            job = await session.scalar(select(ImportJob).where(ImportJob.id == job_id))
        assert job is not None
        summary = {k: v for k, v in (job.report or {}).items() if k != "errors"}
        print(
            f"{label:30s} {seconds:6.1f} s  {args.rows / seconds:8,.0f} rows/s  "
            f"(this process's CPU {cpu:5.1f} s)  "
            f"status={job.status} report={summary}"
        )
        if job.status != "done":
            print(f"  failure: {job.failure}")
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    await database.dispose()


def main() -> None:
    """Parse arguments, start embedded PostgreSQL when needed, run the benchmark."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of each run")
    parser.add_argument("--database-url")
    parser.add_argument("--migration-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hotline-bench-") as tmp:
        base = Path(tmp)
        # Under root, PostgreSQL runs as another user that must reach its data folder.
        os.chmod(base, 0o755)  # noqa: S103
        postgres = None
        try:
            database_url, migration_url = args.database_url, args.migration_url or args.database_url
            if not database_url:
                postgres = EmbeddedPostgres(base / "postgres", secrets_dir=base, port=free_port())
                urls = postgres.start()
                database_url, migration_url = urls.app_url, urls.migration_url
            migrate.upgrade(migration_url, database_url)
            asyncio.run(run(args, database_url, migration_url))
        finally:
            if postgres is not None:
                postgres.stop()


if __name__ == "__main__":
    main()
