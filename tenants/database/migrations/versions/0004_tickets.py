"""Tickets: teams, categories, workflow steps, tickets, their trail, SLA alerts, notifications.

Revision ID: 0004_tickets
Revises: 0002_crm
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from tenants.database.rls import enable_tenant_rls_sql

revision = "0004_tickets"
down_revision = "0002_crm"
branch_labels = None
depends_on = None

TABLES = (
    "tickets_teams",
    "tickets_team_members",
    "tickets_categories",
    "tickets_workflow_steps",
    "tickets_counters",
    "tickets",
    "tickets_comments",
    "tickets_attachments",
    "tickets_history",
    "tickets_sla_alerts",
    "notifications",
)


def _id() -> sa.Column:
    return sa.Column("id", UUID(as_uuid=True), primary_key=True)


def _tenant(**kwargs: object) -> sa.Column:
    return sa.Column(
        "tenant_id",
        UUID(as_uuid=True),
        sa.ForeignKey("tenants.id", ondelete="CASCADE"),
        nullable=False,
        **kwargs,
    )


def _ref(name: str, target: str, ondelete: str, *, nullable: bool = True) -> sa.Column:
    return sa.Column(
        name, UUID(as_uuid=True), sa.ForeignKey(target, ondelete=ondelete), nullable=nullable
    )


def _at(name: str, default: object = sa.func.now()) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=default, nullable=False)


def upgrade() -> None:
    op.create_table(
        "tickets_teams",
        _id(),
        _tenant(),
        sa.Column("name", sa.String(120), nullable=False),
        _at("created_at"),
        _at("updated_at"),
    )
    op.execute(
        "CREATE UNIQUE INDEX uq_tickets_teams_tenant_name ON tickets_teams (tenant_id, lower(name))"
    )
    op.create_table(
        "tickets_team_members",
        _tenant(),
        _ref("team_id", "tickets_teams.id", "CASCADE", nullable=False),
        _ref("user_id", "users.id", "CASCADE", nullable=False),
        sa.PrimaryKeyConstraint("team_id", "user_id", name="pk_tickets_team_members"),
    )
    op.create_index(
        "ix_tickets_team_members_user", "tickets_team_members", ["tenant_id", "user_id"]
    )
    op.create_table(
        "tickets_categories",
        _id(),
        _tenant(),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("fields", JSONB, nullable=False, server_default="[]"),
        _at("created_at"),
        _at("updated_at"),
    )
    op.execute(
        "CREATE UNIQUE INDEX uq_tickets_categories_tenant_name "
        "ON tickets_categories (tenant_id, lower(name))"
    )
    op.create_table(
        "tickets_workflow_steps",
        _id(),
        _tenant(),
        _ref("category_id", "tickets_categories.id", "CASCADE", nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        _ref("team_id", "tickets_teams.id", "SET NULL"),
        sa.Column("role", sa.String(16)),
        sa.Column("sla_seconds", sa.Integer, nullable=False),
        sa.UniqueConstraint("category_id", "position", name="uq_tickets_steps_category_position"),
        sa.CheckConstraint("sla_seconds > 0", name="sla_positive"),
    )
    op.create_index("ix_tickets_workflow_steps_tenant_id", "tickets_workflow_steps", ["tenant_id"])
    op.create_table(
        "tickets_counters",
        _tenant(primary_key=True),
        sa.Column("last_number", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "tickets",
        _id(),
        _tenant(),
        sa.Column("number", sa.BigInteger, nullable=False),
        _ref("customer_id", "crm_customers.id", "SET NULL"),
        _ref("category_id", "tickets_categories.id", "RESTRICT", nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("fields", JSONB, nullable=False, server_default="{}"),
        sa.Column("priority", sa.String(8), nullable=False, server_default="normal"),
        sa.Column("status", sa.String(8), nullable=False, server_default="open"),
        _ref("current_step_id", "tickets_workflow_steps.id", "SET NULL"),
        sa.Column("step_seq", sa.Integer, nullable=False, server_default="0"),
        sa.Column("step_started_at", sa.DateTime(timezone=True)),
        sa.Column("step_due_at", sa.DateTime(timezone=True)),
        sa.Column("due_at", sa.DateTime(timezone=True)),
        _ref("assignee_id", "users.id", "SET NULL"),
        sa.Column("call_id", sa.String(128)),
        sa.Column("created_by", UUID(as_uuid=True)),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        _at("created_at"),
        _at("updated_at"),
        sa.UniqueConstraint("tenant_id", "number", name="uq_tickets_tenant_number"),
        sa.CheckConstraint("status IN ('open','closed')", name="status"),
        sa.CheckConstraint("priority IN ('low','normal','high','urgent')", name="priority"),
    )
    op.create_index("ix_tickets_tenant_created", "tickets", ["tenant_id", "created_at", "id"])
    op.create_index("ix_tickets_customer", "tickets", ["tenant_id", "customer_id", "status"])
    op.create_index("ix_tickets_assignee", "tickets", ["tenant_id", "assignee_id", "status"])
    op.create_index("ix_tickets_call", "tickets", ["tenant_id", "call_id"])
    # The SLA scan reads only open tickets with a step deadline.
    op.execute(
        "CREATE INDEX ix_tickets_open_step_due ON tickets (tenant_id, step_due_at) "
        "WHERE status = 'open'"
    )
    op.create_table(
        "tickets_comments",
        _id(),
        _tenant(),
        _ref("ticket_id", "tickets.id", "CASCADE", nullable=False),
        sa.Column("author_id", UUID(as_uuid=True)),
        sa.Column("body", sa.Text, nullable=False),
        _at("created_at"),
    )
    op.create_index("ix_tickets_comments_ticket", "tickets_comments", ["ticket_id", "created_at"])
    op.create_table(
        "tickets_attachments",
        _id(),
        _tenant(),
        _ref("ticket_id", "tickets.id", "CASCADE", nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(127), nullable=False),
        sa.Column("size_bytes", sa.BigInteger, nullable=False),
        sa.Column("storage_key", sa.String(1024), nullable=False),
        sa.Column("uploaded_by", UUID(as_uuid=True)),
        _at("created_at"),
    )
    op.create_index("ix_tickets_attachments_ticket", "tickets_attachments", ["ticket_id"])
    op.create_table(
        "tickets_history",
        _id(),
        _tenant(),
        _ref("ticket_id", "tickets.id", "CASCADE", nullable=False),
        sa.Column("actor_id", UUID(as_uuid=True)),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("from_step_id", UUID(as_uuid=True)),
        sa.Column("to_step_id", UUID(as_uuid=True)),
        sa.Column("detail", JSONB, nullable=False, server_default="{}"),
        _at("at", sa.func.clock_timestamp()),
    )
    op.create_index("ix_tickets_history_ticket", "tickets_history", ["ticket_id", "at"])
    # Append-only: only a cascade from deleting the ticket itself may remove entries.
    op.execute(
        """
        CREATE FUNCTION tickets_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
            RETURN OLD;
          END IF;
          RAISE EXCEPTION 'tickets_history is append-only';
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER tickets_history_append_only BEFORE UPDATE OR DELETE ON tickets_history "
        "FOR EACH ROW EXECUTE FUNCTION tickets_history_append_only()"
    )
    op.create_table(
        "tickets_sla_alerts",
        _id(),
        _tenant(),
        _ref("ticket_id", "tickets.id", "CASCADE", nullable=False),
        sa.Column("step_id", UUID(as_uuid=True)),
        sa.Column("step_seq", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("event_id", sa.String(32), nullable=False),
        _at("at"),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("ticket_id", "step_seq", "kind", name="uq_tickets_sla_alerts_once"),
        sa.CheckConstraint("kind IN ('due_soon','overdue')", name="kind"),
    )
    op.create_index("ix_tickets_sla_alerts_tenant_id", "tickets_sla_alerts", ["tenant_id"])
    op.execute(
        "CREATE INDEX ix_tickets_sla_alerts_unpublished ON tickets_sla_alerts (tenant_id) "
        "WHERE published_at IS NULL"
    )
    op.create_table(
        "notifications",
        _id(),
        _tenant(),
        _ref("user_id", "users.id", "CASCADE", nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False, server_default=""),
        sa.Column("subject_id", UUID(as_uuid=True)),
        sa.Column("data", JSONB, nullable=False, server_default="{}"),
        sa.Column("read_at", sa.DateTime(timezone=True)),
        _at("created_at"),
    )
    op.create_index(
        "ix_notifications_user_created",
        "notifications",
        ["tenant_id", "user_id", "created_at", "id"],
    )
    for table in TABLES:
        for statement in enable_tenant_rls_sql(table):
            op.execute(statement)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
    op.execute("DROP FUNCTION tickets_history_append_only()")
