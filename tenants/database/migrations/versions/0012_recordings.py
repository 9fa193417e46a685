"""Recordings search, rights and access log: the tenant's recording settings, the access
log (every playback and download URL issued), and the search index, with row-level security.

Revision ID: 0012_recordings
Revises: 0006_recordings
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from tenants.database.rls import enable_tenant_rls_sql

revision = "0012_recordings"
down_revision = "0006_recordings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "recording_settings",
        sa.Column(
            "tenant_id",
            UUID(as_uuid=True),
            sa.ForeignKey("tenants.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "agents_may_play_own", sa.Boolean, nullable=False, server_default=sa.text("true")
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    )
    for statement in enable_tenant_rls_sql("recording_settings"):
        op.execute(statement)

    op.create_table(
        "recording_access_log",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column(
            "tenant_id",
            UUID(as_uuid=True),
            sa.ForeignKey("tenants.id", ondelete="CASCADE"),
            nullable=False,
        ),
        # No foreign key to recordings: the log outlives a deleted recording.
        sa.Column("recording_id", UUID(as_uuid=True), nullable=False),
        sa.Column("call_id", sa.String(255), nullable=False),
        sa.Column("user_id", UUID(as_uuid=True)),
        sa.Column("api_key_id", UUID(as_uuid=True)),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("client_ip", sa.String(64)),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint("action IN ('play', 'download')", name="action"),
    )
    op.create_index(
        "ix_recording_access_log_tenant_created",
        "recording_access_log",
        ["tenant_id", "created_at", "id"],
    )
    op.create_index(
        "ix_recording_access_log_tenant_recording",
        "recording_access_log",
        ["tenant_id", "recording_id", "created_at"],
    )
    for statement in enable_tenant_rls_sql("recording_access_log"):
        op.execute(statement)
    # An audit log: rows are never changed, and leave only with their tenant (cascade).
    op.execute(
        """
        CREATE FUNCTION recording_access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
            RETURN OLD;
          END IF;
          RAISE EXCEPTION 'recording_access_log is append-only';
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER recording_access_log_append_only BEFORE UPDATE OR DELETE "
        "ON recording_access_log FOR EACH ROW EXECUTE FUNCTION recording_access_log_append_only()"
    )

    op.create_index(
        "ix_recordings_tenant_at",
        "recordings",
        ["tenant_id", sa.text("coalesce(started_at, created_at)"), "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_recordings_tenant_at", table_name="recordings")
    op.drop_table("recording_access_log")
    op.execute("DROP FUNCTION recording_access_log_append_only()")
    op.drop_table("recording_settings")
