"""Indexes for the screen pop's recent calls: a caller's contacts by number or customer.

Revision ID: 0008_contacts_by_caller
Revises: 0005_analytics
Create Date: 2026-11-23
"""

from alembic import op

revision = "0008_contacts_by_caller"
down_revision = "0005_analytics"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_analytics_contacts_from_arrived",
        "analytics_contacts",
        ["tenant_id", "from_number", "arrived_at"],
    )
    op.create_index(
        "ix_analytics_contacts_customer_arrived",
        "analytics_contacts",
        ["tenant_id", "customer_id", "arrived_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_analytics_contacts_customer_arrived", table_name="analytics_contacts")
    op.drop_index("ix_analytics_contacts_from_arrived", table_name="analytics_contacts")
