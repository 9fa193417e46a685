"""Recordings: one row per verified object in storage, with row-level security.

Revision ID: 0006_recordings
Revises: 0001_identity
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from tenants.database.rls import enable_tenant_rls_sql

revision = "0006_recordings"
down_revision = "0001_identity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "recordings",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column(
            "tenant_id",
            UUID(as_uuid=True),
            sa.ForeignKey("tenants.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("call_id", sa.String(255), nullable=False),
        sa.Column("agent_id", UUID(as_uuid=True)),
        sa.Column("storage", sa.String(16), nullable=False),
        sa.Column("key", sa.String(1024), nullable=False),
        sa.Column("format", sa.String(8), nullable=False),
        sa.Column("content_type", sa.String(64), nullable=False),
        sa.Column("bytes", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("duration_ms", sa.Integer, nullable=False),
        sa.Column("channels", sa.SmallInteger, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True)),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.UniqueConstraint(
            "tenant_id", "call_id", "format", name="uq_recordings_tenant_call_format"
        ),
        sa.CheckConstraint("bytes >= 0", name="bytes"),
        sa.CheckConstraint("channels BETWEEN 1 AND 8", name="channels"),
    )
    op.create_index("ix_recordings_tenant_id", "recordings", ["tenant_id"])
    op.create_index("ix_recordings_tenant_created", "recordings", ["tenant_id", "created_at", "id"])
    for statement in enable_tenant_rls_sql("recordings"):
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("recordings")
