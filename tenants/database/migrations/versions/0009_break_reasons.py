"""The tenant's break reasons, with row-level security.

Revision ID: 0009_break_reasons
Revises: 0003_routing_config
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from tenants.database.rls import enable_tenant_rls_sql

revision = "0009_break_reasons"
down_revision = "0003_routing_config"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "break_reasons",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column(
            "tenant_id",
            UUID(as_uuid=True),
            sa.ForeignKey("tenants.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    )
    op.create_index(
        "uq_break_reasons_tenant_name", "break_reasons", ["tenant_id", "name"], unique=True
    )
    for statement in enable_tenant_rls_sql("break_reasons"):
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("break_reasons")
