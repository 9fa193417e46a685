"""GraphQL surface of CSV imports (large files go through REST, ``tenants/crm/http.py``)."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from tenants.crm.imports import rows as import_rows
from tenants.crm.imports import service as import_service
from tenants.errors import BadUserInput
from tenants.graphql.context import RequestContext


@strawberry.type(name="ImportRowError")
class ImportRowErrorType:
    row: int = strawberry.field(description="Data row number; the header is row 0.")
    message: str
    field: str | None


@strawberry.type(name="ImportReport")
class ImportReportType:
    dry_run: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    skipped: int
    errors: list[ImportRowErrorType]

    @classmethod
    def from_report(cls, report: import_rows.ImportReport) -> ImportReportType:
        return cls(
            dry_run=report.dry_run,
            rows=report.rows,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            skipped=report.skipped,
            errors=[
                ImportRowErrorType(row=e.row, message=e.message, field=e.field)
                for e in report.errors
            ],
        )


@strawberry.input
class ImportCustomersInput:
    csv: str
    mapping: JSON = strawberry.field(
        description="Column name → field (name, company, email, phone, category, tags, notes, "
        'external_id, owner_email, custom:<key>), e.g. {"Name": "name", "Tel": "phone"}.'
    )
    dry_run: bool = False


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Import customers from CSV text (large files: REST).")
    async def import_customers(
        self, info: Info[RequestContext, None], input: ImportCustomersInput
    ) -> ImportReportType:
        ctx = info.context
        principal = await ctx.principal()
        mapping = input.mapping
        if not isinstance(mapping, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
        ):
            raise BadUserInput("mapping: expected an object of strings", field="mapping")
        report = await import_service.import_customers(
            session=ctx.session,
            principal=principal,
            csv_text=input.csv,
            mapping=mapping,
            dry_run=input.dry_run,
        )
        return ImportReportType.from_report(report)
