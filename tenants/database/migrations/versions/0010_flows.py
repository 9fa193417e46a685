"""Call flows (versioned IVRs), prompts, the text-to-speech cache and queue music.

Revision ID: 0010_flows
Revises: 0009_break_reasons
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from tenants.database.rls import enable_tenant_rls_sql

revision = "0010_flows"
down_revision = "0009_break_reasons"
branch_labels = None
depends_on = None

TABLES = ["prompts", "prompt_renders", "call_flows", "call_flow_versions", "queue_music"]


def _tenant(primary_key: bool = False) -> sa.Column:
    return sa.Column(
        "tenant_id",
        UUID(as_uuid=True),
        sa.ForeignKey("tenants.id", ondelete="CASCADE"),
        nullable=False,
        primary_key=primary_key,
    )


def _at(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def _audio() -> list[sa.Column]:
    return [
        sa.Column("audio_key", sa.String(1024), nullable=False),
        sa.Column("duration_ms", sa.Integer, nullable=False),
        sa.Column("size_bytes", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "prompts",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        _tenant(),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False, server_default=""),
        sa.Column("voice", sa.String(32), nullable=False, server_default=""),
        *_audio(),
        _at("created_at"),
        _at("updated_at"),
        sa.UniqueConstraint("tenant_id", "id", name="uq_prompts_tenant_id_id"),
        sa.CheckConstraint("kind IN ('tts', 'upload', 'music')", name="prompts_kind"),
    )
    op.create_index("ix_prompts_tenant_id", "prompts", ["tenant_id"])
    op.create_index(
        "uq_prompts_tenant_name", "prompts", ["tenant_id", sa.text("lower(name)")], unique=True
    )
    op.create_table(
        "prompt_renders",
        _tenant(primary_key=True),
        sa.Column("render_key", sa.String(64), primary_key=True),
        *_audio(),
        _at("created_at"),
    )
    op.create_table(
        "call_flows",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        _tenant(),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("description", sa.String(500), nullable=False, server_default=""),
        sa.Column("draft", JSONB, nullable=False),
        sa.Column("published_version_id", UUID(as_uuid=True)),
        sa.Column("archived_at", sa.DateTime(timezone=True)),
        _at("created_at"),
        _at("updated_at"),
        sa.UniqueConstraint("tenant_id", "id", name="uq_call_flows_tenant_id_id"),
    )
    op.create_index("ix_call_flows_tenant_id", "call_flows", ["tenant_id"])
    op.create_index(
        "uq_call_flows_tenant_name",
        "call_flows",
        ["tenant_id", sa.text("lower(name)")],
        unique=True,
    )
    op.create_table(
        "call_flow_versions",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        _tenant(),
        sa.Column("flow_id", UUID(as_uuid=True), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("definition", JSONB, nullable=False),
        sa.Column("published_by", UUID(as_uuid=True)),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("clock_timestamp()"),
            nullable=False,
        ),
        sa.UniqueConstraint("tenant_id", "id", name="uq_call_flow_versions_tenant_id_id"),
        sa.UniqueConstraint("flow_id", "number", name="uq_call_flow_versions_flow_number"),
        sa.ForeignKeyConstraint(
            ["tenant_id", "flow_id"],
            ["call_flows.tenant_id", "call_flows.id"],
            ondelete="CASCADE",
            name="fk_call_flow_versions_flow",
        ),
    )
    op.create_index("ix_call_flow_versions_tenant_id", "call_flow_versions", ["tenant_id"])
    op.create_foreign_key(
        "fk_call_flows_published_version",
        "call_flows",
        "call_flow_versions",
        ["tenant_id", "published_version_id"],
        ["tenant_id", "id"],
        deferrable=True,
        initially="DEFERRED",
    )
    # A published version is immutable: calls in progress run it to the end.
    op.execute(
        """
        CREATE FUNCTION call_flow_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'call flow versions are immutable' USING ERRCODE = 'restrict_violation';
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER call_flow_versions_immutable BEFORE UPDATE ON call_flow_versions "
        "FOR EACH ROW EXECUTE FUNCTION call_flow_versions_immutable()"
    )
    op.create_table(
        "queue_music",
        _tenant(primary_key=True),
        sa.Column("queue_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("prompt_id", UUID(as_uuid=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "queue_id"],
            ["queues.tenant_id", "queues.id"],
            ondelete="CASCADE",
            name="fk_queue_music_queue",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "prompt_id"],
            ["prompts.tenant_id", "prompts.id"],
            name="fk_queue_music_prompt",
        ),
    )
    op.add_column("phone_numbers", sa.Column("call_flow_id", UUID(as_uuid=True)))
    op.create_foreign_key(
        "fk_phone_numbers_call_flow",
        "phone_numbers",
        "call_flows",
        ["tenant_id", "call_flow_id"],
        ["tenant_id", "id"],
    )
    op.create_index("ix_phone_numbers_call_flow_id", "phone_numbers", ["call_flow_id"])
    for table in TABLES:
        for statement in enable_tenant_rls_sql(table):
            op.execute(statement)


def downgrade() -> None:
    op.drop_index("ix_phone_numbers_call_flow_id", "phone_numbers")
    op.drop_constraint("fk_phone_numbers_call_flow", "phone_numbers")
    op.drop_column("phone_numbers", "call_flow_id")
    op.drop_table("queue_music")
    op.drop_constraint("fk_call_flows_published_version", "call_flows")
    op.drop_table("call_flow_versions")
    op.execute("DROP FUNCTION call_flow_versions_immutable()")
    op.drop_table("call_flows")
    op.drop_table("prompt_renders")
    op.drop_table("prompts")
