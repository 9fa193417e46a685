"""Routing configuration: skills, queues, phone numbers, agent profiles, routing settings.

Revision ID: 0003_routing_config
Revises: 0001_identity
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from tenants.database.rls import enable_tenant_rls_sql

revision = "0003_routing_config"
down_revision = "0001_identity"
branch_labels = None
depends_on = None

TABLES = [
    "skills",
    "queues",
    "queue_skills",
    "phone_numbers",
    "agent_profiles",
    "agent_skills",
    "agent_queues",
    "routing_settings",
]


def _tenant(primary_key: bool = False) -> sa.Column:
    return sa.Column(
        "tenant_id",
        UUID(as_uuid=True),
        sa.ForeignKey("tenants.id", ondelete="CASCADE"),
        nullable=False,
        primary_key=primary_key,
    )


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    ]


def _level(column: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(f"{column} BETWEEN 1 AND 10", name=f"{column}_range")


def upgrade() -> None:
    op.create_table(
        "skills",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        _tenant(),
        sa.Column("name", sa.String(80), nullable=False),
        *_timestamps(),
        sa.UniqueConstraint("tenant_id", "id", name="uq_skills_tenant_id_id"),
    )
    op.execute("CREATE UNIQUE INDEX uq_skills_tenant_name ON skills (tenant_id, lower(name))")

    op.create_table(
        "queues",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        _tenant(),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("priority", sa.Integer, nullable=False),
        sa.Column("sl_threshold_s", sa.Integer, nullable=False),
        sa.Column("short_abandon_s", sa.Integer, nullable=False),
        sa.Column("sl_formula", sa.String(16), nullable=False),
        sa.Column("max_wait_s", sa.Integer, nullable=False),
        sa.Column("max_wait_action", sa.String(16), nullable=False),
        sa.Column("overflow_queue_id", UUID(as_uuid=True)),
        sa.Column("wrapup_s", sa.Integer, nullable=False),
        sa.Column("ring_timeout_s", sa.Integer, nullable=False),
        sa.Column("max_size", sa.Integer, nullable=False),
        sa.Column("record", sa.Boolean, nullable=False),
        sa.Column("hours", JSONB),
        sa.Column("closed_action", sa.String(16), nullable=False),
        sa.Column("closed_code", sa.SmallInteger, nullable=False),
        sa.Column("blacklist_code", sa.SmallInteger, nullable=False),
        sa.Column("vip_boost", sa.Integer, nullable=False),
        sa.Column("sticky_agent_s", sa.Integer, nullable=False),
        *_timestamps(),
        sa.UniqueConstraint("tenant_id", "id", name="uq_queues_tenant_id_id"),
        sa.ForeignKeyConstraint(
            ["tenant_id", "overflow_queue_id"],
            ["queues.tenant_id", "queues.id"],
            name="fk_queues_overflow_queue",
        ),
        sa.CheckConstraint("short_abandon_s BETWEEN 0 AND sl_threshold_s", name="s_within_t"),
        sa.CheckConstraint(
            "sl_formula IN ('default','answered_only','abandons_met','abandons_missed')",
            name="sl_formula",
        ),
        sa.CheckConstraint(
            "max_wait_action IN ('overflow','callback','reject')", name="max_wait_action"
        ),
        sa.CheckConstraint("closed_action IN ('reject','overflow')", name="closed_action"),
        sa.CheckConstraint("overflow_queue_id IS DISTINCT FROM id", name="no_self_overflow"),
    )
    op.execute("CREATE UNIQUE INDEX uq_queues_tenant_name ON queues (tenant_id, lower(name))")

    op.create_table(
        "queue_skills",
        _tenant(),
        sa.Column("queue_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("skill_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("min_level", sa.SmallInteger, nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "queue_id"],
            ["queues.tenant_id", "queues.id"],
            ondelete="CASCADE",
            name="fk_queue_skills_queue",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "skill_id"],
            ["skills.tenant_id", "skills.id"],
            name="fk_queue_skills_skill",
        ),
        _level("min_level"),
    )
    op.create_index("ix_queue_skills_skill_id", "queue_skills", ["skill_id"])

    op.create_table(
        "phone_numbers",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        _tenant(),
        sa.Column("e164", sa.String(16), nullable=False),
        sa.Column("raw", sa.String(64), nullable=False),
        sa.Column("queue_id", UUID(as_uuid=True), nullable=False),
        sa.Column("description", sa.String(200), nullable=False, server_default=""),
        *_timestamps(),
        sa.UniqueConstraint("e164", name="uq_phone_numbers_e164"),
        sa.ForeignKeyConstraint(
            ["tenant_id", "queue_id"],
            ["queues.tenant_id", "queues.id"],
            name="fk_phone_numbers_queue",
        ),
    )
    op.create_index("ix_phone_numbers_queue_id", "phone_numbers", ["queue_id"])

    op.create_table(
        "agent_profiles",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        _tenant(),
        sa.Column(
            "user_id",
            UUID(as_uuid=True),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("sip_user", sa.String(64), nullable=False),
        *_timestamps(),
        sa.UniqueConstraint("user_id", name="uq_agent_profiles_user_id"),
        sa.UniqueConstraint("sip_user", name="uq_agent_profiles_sip_user"),
        sa.UniqueConstraint("tenant_id", "user_id", name="uq_agent_profiles_tenant_user"),
    )

    op.create_table(
        "agent_skills",
        _tenant(),
        sa.Column("agent_user_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("skill_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("level", sa.SmallInteger, nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "agent_user_id"],
            ["agent_profiles.tenant_id", "agent_profiles.user_id"],
            ondelete="CASCADE",
            name="fk_agent_skills_agent",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "skill_id"],
            ["skills.tenant_id", "skills.id"],
            ondelete="CASCADE",
            name="fk_agent_skills_skill",
        ),
        _level("level"),
    )
    op.create_index("ix_agent_skills_skill_id", "agent_skills", ["skill_id"])

    op.create_table(
        "agent_queues",
        _tenant(),
        sa.Column("agent_user_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("queue_id", UUID(as_uuid=True), primary_key=True),
        sa.ForeignKeyConstraint(
            ["tenant_id", "agent_user_id"],
            ["agent_profiles.tenant_id", "agent_profiles.user_id"],
            ondelete="CASCADE",
            name="fk_agent_queues_agent",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "queue_id"],
            ["queues.tenant_id", "queues.id"],
            ondelete="CASCADE",
            name="fk_agent_queues_queue",
        ),
    )
    op.create_index("ix_agent_queues_queue_id", "agent_queues", ["queue_id"])

    op.create_table(
        "routing_settings",
        _tenant(primary_key=True),
        sa.Column("max_concurrent_calls", sa.Integer, nullable=False, server_default="0"),
        sa.Column("default_region", sa.String(2)),
        sa.CheckConstraint("max_concurrent_calls >= 0", name="max_concurrent_calls"),
    )

    for table in TABLES:
        if table != "routing_settings":
            op.create_index(f"ix_{table}_tenant_id", table, ["tenant_id"])
        for statement in enable_tenant_rls_sql(table):
            op.execute(statement)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
