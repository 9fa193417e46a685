"""Missed-call follow-up tasks, with row-level security.

Revision ID: 0007_missed_calls
Revises: 0001_identity
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from tenants.database.rls import enable_tenant_rls_sql

revision = "0007_missed_calls"
down_revision = "0001_identity"
branch_labels = None
depends_on = "0002_crm"


def upgrade() -> None:
    op.create_table(
        "missed_calls",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column(
            "tenant_id",
            UUID(as_uuid=True),
            sa.ForeignKey("tenants.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("call_id", sa.String(128), nullable=False),
        sa.Column("queue_id", UUID(as_uuid=True)),
        sa.Column("number", sa.String(64), nullable=False),
        sa.Column(
            "customer_id",
            UUID(as_uuid=True),
            sa.ForeignKey("crm_customers.id", ondelete="SET NULL"),
        ),
        sa.Column("wait_ms", sa.BigInteger, nullable=False),
        sa.Column("status", sa.String(8), nullable=False, server_default="open"),
        sa.Column(
            "assignee_id", UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="SET NULL")
        ),
        sa.Column("disposition", sa.String(64)),
        sa.Column("closed_by", UUID(as_uuid=True)),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('open', 'closed')", name="ck_missed_calls_status"),
    )
    op.create_index(
        "ix_missed_calls_status_created",
        "missed_calls",
        ["tenant_id", "status", "created_at", "id"],
    )
    op.create_index(
        "ix_missed_calls_number_status", "missed_calls", ["tenant_id", "number", "status"]
    )
    for statement in enable_tenant_rls_sql("missed_calls"):
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("missed_calls")
