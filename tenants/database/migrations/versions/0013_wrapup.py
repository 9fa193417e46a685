"""Wrap-up: disposition codes, a queue's "require disposition", the disposition in the
contact facts, and change notices for the agent's work lists.

Revision ID: 0013_wrapup
Revises: 0010_flows
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from tenants.database.rls import enable_tenant_rls_sql

revision = "0013_wrapup"
down_revision = "0010_flows"
branch_labels = None
depends_on = ("0004_tickets", "0005_analytics", "0007_missed_calls")

# A committed insert or update of a work-list row notifies the tenant's own channel
# (``worklist_<tenant hex>``): PostgreSQL delivers it only after the commit, whoever wrote the
# row (the API, the analytics worker, the SLA timer), so subscribers never see a rolled-back
# change. The payload names the row; the subscriber reads it back under row-level security.
WORKLIST_NOTIFY = """
CREATE OR REPLACE FUNCTION hotline_worklist_notify() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify(
    'worklist_' || replace(NEW.tenant_id::text, '-', ''),
    json_build_object('kind', TG_ARGV[0], 'id', NEW.id)::text
  );
  RETURN NULL;
END
$$ LANGUAGE plpgsql
"""
WORKLIST_TABLES = {"missed_calls": "missed_call", "notifications": "notification"}


def upgrade() -> None:
    op.create_table(
        "dispositions",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column(
            "tenant_id",
            UUID(as_uuid=True),
            sa.ForeignKey("tenants.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("label", sa.String(120), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("requires_note", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("used_at", sa.DateTime(timezone=True)),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    )
    op.create_index("ix_dispositions_tenant_id", "dispositions", ["tenant_id"])
    op.create_index(
        "uq_dispositions_tenant_code", "dispositions", ["tenant_id", "code"], unique=True
    )
    for statement in enable_tenant_rls_sql("dispositions"):
        op.execute(statement)
    op.add_column(
        "queues",
        sa.Column("require_disposition", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.add_column("analytics_contacts", sa.Column("disposition_id", UUID(as_uuid=True)))
    op.add_column("analytics_contacts", sa.Column("disposition_code", sa.String(40)))
    op.add_column("analytics_contacts", sa.Column("wrap_up_note", sa.Text))
    op.add_column("analytics_contacts", sa.Column("wrapped_up_by", UUID(as_uuid=True)))
    op.add_column("analytics_contacts", sa.Column("wrapped_up_at", sa.DateTime(timezone=True)))
    op.create_index(
        "ix_analytics_contacts_disposition",
        "analytics_contacts",
        ["tenant_id", "disposition_code", "arrived_at"],
    )
    op.drop_constraint("ck_analytics_saved_reports_dimension", "analytics_saved_reports")
    op.create_check_constraint(
        "dimension",
        "analytics_saved_reports",
        "dimension IN ('tenant','queue','agent','disposition')",
    )
    op.execute(WORKLIST_NOTIFY)
    for table, kind in WORKLIST_TABLES.items():
        op.execute(
            f"CREATE TRIGGER {table}_worklist_notify AFTER INSERT OR UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION hotline_worklist_notify('{kind}')"
        )


def downgrade() -> None:
    for table in WORKLIST_TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_worklist_notify ON {table}")
    op.execute("DROP FUNCTION IF EXISTS hotline_worklist_notify()")
    op.execute("DELETE FROM analytics_saved_reports WHERE dimension = 'disposition'")
    op.drop_constraint("ck_analytics_saved_reports_dimension", "analytics_saved_reports")
    op.create_check_constraint(
        "dimension", "analytics_saved_reports", "dimension IN ('tenant','queue','agent')"
    )
    op.drop_index("ix_analytics_contacts_disposition", table_name="analytics_contacts")
    for column in (
        "wrapped_up_at",
        "wrapped_up_by",
        "wrap_up_note",
        "disposition_code",
        "disposition_id",
    ):
        op.drop_column("analytics_contacts", column)
    op.drop_column("queues", "require_disposition")
    op.drop_table("dispositions")
