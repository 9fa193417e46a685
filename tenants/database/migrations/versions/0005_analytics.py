"""Analytics facts: processed events, queue definitions, contacts, queue legs, agent
segments and agent state intervals, each behind row-level security.

Every primary key starts with ``tenant_id``, so no separate ``tenant_id`` index is made:
the key serves it, and fewer indexes keep bulk fact loads fast.

Revision ID: 0005_analytics
Revises: 0001_identity
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from tenants.database.rls import enable_tenant_rls_sql

revision = "0005_analytics"
down_revision = "0001_identity"
branch_labels = None
depends_on = None

TABLES = (
    "analytics_processed_events",
    "analytics_queues",
    "analytics_contacts",
    "analytics_queue_legs",
    "analytics_agent_segments",
    "analytics_agent_state_intervals",
    "analytics_queue_rollups",
    "analytics_agent_state_rollups",
    "analytics_saved_reports",
    "analytics_tenant_settings",
)


def _tenant() -> sa.Column:
    return sa.Column(
        "tenant_id",
        UUID(as_uuid=True),
        sa.ForeignKey("tenants.id", ondelete="CASCADE"),
        nullable=False,
    )


def _ts(name: str, *, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "analytics_processed_events",
        _tenant(),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("type", sa.String(48), nullable=False),
        _ts("at", nullable=False),
        sa.Column(
            "processed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("tenant_id", "event_id", name="pk_analytics_processed_events"),
    )
    op.create_table(
        "analytics_queues",
        _tenant(),
        sa.Column("queue_id", UUID(as_uuid=True), nullable=False),
        sa.Column("answer_seconds", sa.Integer, nullable=False, server_default="20"),
        sa.Column("short_abandon_seconds", sa.Integer, nullable=False, server_default="5"),
        sa.Column("sl_formula", sa.String(24), nullable=False, server_default="genesys"),
        sa.Column(
            "first_seen_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("tenant_id", "queue_id", name="pk_analytics_queues"),
        sa.CheckConstraint(
            "short_abandon_seconds >= 0 AND short_abandon_seconds <= answer_seconds",
            name="thresholds",
        ),
        sa.CheckConstraint(
            "sl_formula IN ('genesys','answered_only','abandons_met','abandons_missed')",
            name="sl_formula",
        ),
    )
    op.create_table(
        "analytics_contacts",
        _tenant(),
        sa.Column("call_id", sa.String(255), nullable=False),
        sa.Column("first_queue_id", UUID(as_uuid=True)),
        sa.Column("from_number", sa.String(64)),
        sa.Column("to_number", sa.String(64)),
        sa.Column("customer_id", UUID(as_uuid=True)),
        _ts("arrived_at"),
        _ts("ended_at"),
        sa.Column("outcome", sa.String(24)),
        sa.Column("rejected_code", sa.Integer),
        _ts("callback_requested_at"),
        _ts("callback_connected_at"),
        sa.Column("missed_call_task_id", sa.String(64)),
        sa.PrimaryKeyConstraint("tenant_id", "call_id", name="pk_analytics_contacts"),
    )
    op.create_index(
        "ix_analytics_contacts_arrived", "analytics_contacts", ["tenant_id", "arrived_at"]
    )
    op.create_table(
        "analytics_queue_legs",
        _tenant(),
        sa.Column("call_id", sa.String(255), nullable=False),
        sa.Column("queue_id", UUID(as_uuid=True), nullable=False),
        _ts("enqueued_at"),
        _ts("dequeued_at"),
        sa.Column("outcome", sa.String(24)),
        sa.Column("wait_ms", sa.BigInteger),
        sa.Column("agent_id", UUID(as_uuid=True)),
        sa.Column("priority", sa.Integer),
        sa.PrimaryKeyConstraint("tenant_id", "call_id", "queue_id", name="pk_analytics_queue_legs"),
    )
    op.create_index(
        "ix_analytics_queue_legs_queue_dequeued",
        "analytics_queue_legs",
        ["tenant_id", "queue_id", "dequeued_at"],
        postgresql_include=["outcome", "wait_ms"],
    )
    op.create_index(
        "ix_analytics_queue_legs_queue_enqueued",
        "analytics_queue_legs",
        ["tenant_id", "queue_id", "enqueued_at"],
    )
    op.create_table(
        "analytics_agent_segments",
        _tenant(),
        sa.Column("call_id", sa.String(255), nullable=False),
        sa.Column("agent_id", UUID(as_uuid=True), nullable=False),
        sa.Column("queue_id", UUID(as_uuid=True)),
        _ts("answered_at"),
        _ts("ended_at"),
        sa.Column("ended_by", sa.String(16)),
        sa.Column("talk_ms", sa.BigInteger),
        sa.Column("hold_ms", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("acw_ms", sa.BigInteger),
        _ts("acw_ended_at"),
        _ts("handled_at"),
        sa.Column("disposition", sa.String(64)),
        sa.Column("transferred_out", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.PrimaryKeyConstraint(
            "tenant_id", "call_id", "agent_id", name="pk_analytics_agent_segments"
        ),
    )
    op.create_index(
        "ix_analytics_agent_segments_queue_handled",
        "analytics_agent_segments",
        ["tenant_id", "queue_id", "handled_at"],
    )
    op.create_index(
        "ix_analytics_agent_segments_agent_handled",
        "analytics_agent_segments",
        ["tenant_id", "agent_id", "handled_at"],
    )
    op.create_table(
        "analytics_agent_state_intervals",
        _tenant(),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("agent_id", UUID(as_uuid=True), nullable=False),
        sa.Column("state", sa.String(64), nullable=False),
        _ts("started_at", nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        _ts("ended_at"),
        sa.Column("call_id", sa.String(255)),
        sa.PrimaryKeyConstraint("tenant_id", "event_id", name="pk_analytics_agent_state_intervals"),
    )
    op.create_index(
        "ix_analytics_agent_states_agent_start",
        "analytics_agent_state_intervals",
        ["tenant_id", "agent_id", "started_at"],
    )
    op.create_table(
        "analytics_queue_rollups",
        _tenant(),
        sa.Column("queue_id", UUID(as_uuid=True), nullable=False),
        _ts("bucket_start", nullable=False),
        sa.Column("offered", sa.Integer, nullable=False, server_default="0"),
        sa.Column("dequeued", sa.Integer, nullable=False, server_default="0"),
        sa.Column("answered", sa.Integer, nullable=False, server_default="0"),
        sa.Column("answered_within_t", sa.Integer, nullable=False, server_default="0"),
        sa.Column("abandoned", sa.Integer, nullable=False, server_default="0"),
        sa.Column("abandoned_within_t", sa.Integer, nullable=False, server_default="0"),
        sa.Column("short_abandoned", sa.Integer, nullable=False, server_default="0"),
        sa.Column("callbacks", sa.Integer, nullable=False, server_default="0"),
        sa.Column("flowouts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("answered_wait_ms", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("abandoned_wait_ms", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("dequeued_wait_ms", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("longest_wait_ms", sa.BigInteger),
        sa.Column("handled", sa.Integer, nullable=False, server_default="0"),
        sa.Column("talk_ms", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("hold_ms", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("acw_ms", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("transferred_out", sa.Integer, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint(
            "tenant_id", "queue_id", "bucket_start", name="pk_analytics_queue_rollups"
        ),
    )
    op.create_table(
        "analytics_agent_state_rollups",
        _tenant(),
        _ts("bucket_start", nullable=False),
        sa.Column("agent_id", UUID(as_uuid=True), nullable=False),
        sa.Column("state", sa.String(64), nullable=False),
        sa.Column("seconds", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint(
            "tenant_id",
            "bucket_start",
            "agent_id",
            "state",
            name="pk_analytics_agent_state_rollups",
        ),
    )
    op.create_index(
        "ix_analytics_agent_states_tenant_end",
        "analytics_agent_state_intervals",
        ["tenant_id", "ended_at"],
    )
    op.create_table(
        "analytics_saved_reports",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        _tenant(),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("dimension", sa.String(16), nullable=False),
        sa.Column("metrics", ARRAY(sa.String(48)), nullable=False),
        sa.Column("queue_ids", ARRAY(UUID(as_uuid=True)), nullable=False, server_default="{}"),
        sa.Column("interval", sa.String(8), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("created_by", UUID(as_uuid=True)),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint("dimension IN ('tenant','queue','agent')", name="dimension"),
    )
    op.create_index(
        "ix_analytics_saved_reports_tenant_id", "analytics_saved_reports", ["tenant_id"]
    )
    op.create_table(
        "analytics_tenant_settings",
        _tenant(),
        sa.Column("time_zone", sa.String(64), nullable=False, server_default="UTC"),
        sa.PrimaryKeyConstraint("tenant_id", name="pk_analytics_tenant_settings"),
    )
    for table in TABLES:
        for statement in enable_tenant_rls_sql(table):
            op.execute(statement)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
