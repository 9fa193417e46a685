"""QA: scorecards, their versions and evaluations of recorded calls, with row-level security.

Revision ID: 0011_qa
Revises: 0008_contacts_by_caller
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from tenants.database.rls import enable_tenant_rls_sql

revision = "0011_qa"
down_revision = "0008_contacts_by_caller"
branch_labels = None
depends_on = None

TABLES = ("qa_scorecards", "qa_scorecard_versions", "qa_evaluations")


def _tenant() -> sa.Column:
    return sa.Column(
        "tenant_id",
        UUID(as_uuid=True),
        sa.ForeignKey("tenants.id", ondelete="CASCADE"),
        nullable=False,
    )


def _now(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "qa_scorecards",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        _tenant(),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="active"),
        sa.Column("current_version", sa.Integer, nullable=False, server_default="1"),
        _now("created_at"),
        _now("updated_at"),
        sa.UniqueConstraint("tenant_id", "id", name="uq_qa_scorecards_tenant_id"),
        sa.CheckConstraint("status IN ('active', 'archived')", name="qa_scorecards_status"),
    )
    op.create_table(
        "qa_scorecard_versions",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        _tenant(),
        sa.Column("scorecard_id", UUID(as_uuid=True), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("definition", JSONB, nullable=False),
        sa.Column("created_by", UUID(as_uuid=True)),
        _now("created_at"),
        sa.UniqueConstraint(
            "tenant_id", "scorecard_id", "version", name="uq_qa_scorecard_versions_version"
        ),
        sa.UniqueConstraint("tenant_id", "id", name="uq_qa_scorecard_versions_tenant_id"),
        sa.ForeignKeyConstraint(
            ["tenant_id", "scorecard_id"],
            ["qa_scorecards.tenant_id", "qa_scorecards.id"],
            name="fk_qa_scorecard_versions_scorecard",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "qa_evaluations",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        _tenant(),
        sa.Column("scorecard_version_id", UUID(as_uuid=True), nullable=False),
        sa.Column("recording_id", UUID(as_uuid=True), nullable=False),
        sa.Column("call_id", sa.String(255), nullable=False),
        sa.Column("call_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("agent_id", UUID(as_uuid=True), nullable=False),
        sa.Column("queue_id", UUID(as_uuid=True)),
        sa.Column("evaluator_id", UUID(as_uuid=True)),
        sa.Column("status", sa.String(16), nullable=False, server_default="draft"),
        sa.Column("answers", JSONB, nullable=False),
        sa.Column("comments", JSONB, nullable=False),
        sa.Column("overall_comment", sa.Text),
        sa.Column("score", sa.Float),
        sa.Column("auto_failed", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("submitted_at", sa.DateTime(timezone=True)),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True)),
        sa.Column("disputed_at", sa.DateTime(timezone=True)),
        sa.Column("dispute_reason", sa.Text),
        _now("created_at"),
        _now("updated_at"),
        sa.ForeignKeyConstraint(
            ["tenant_id", "scorecard_version_id"],
            ["qa_scorecard_versions.tenant_id", "qa_scorecard_versions.id"],
            name="fk_qa_evaluations_version",
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted', 'acknowledged', 'disputed')",
            name="qa_evaluations_status",
        ),
    )
    op.create_index(
        "ix_qa_scorecards_tenant_created", "qa_scorecards", ["tenant_id", "created_at", "id"]
    )
    op.create_index("ix_qa_scorecard_versions_tenant_id", "qa_scorecard_versions", ["tenant_id"])
    op.create_index(
        "ix_qa_evaluations_agent_call", "qa_evaluations", ["tenant_id", "agent_id", "call_at"]
    )
    op.create_index(
        "ix_qa_evaluations_status", "qa_evaluations", ["tenant_id", "status", "call_at"]
    )
    op.create_index(
        "ix_qa_evaluations_tenant_created", "qa_evaluations", ["tenant_id", "created_at", "id"]
    )
    for table in TABLES:
        for statement in enable_tenant_rls_sql(table):
            op.execute(statement)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
