"""CRM: settings, categories, customers, phones and custom fields, with row-level security.

Revision ID: 0002_crm
Revises: 0001_identity
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from tenants.database.rls import enable_tenant_rls_sql

revision = "0002_crm"
down_revision = "0001_identity"
branch_labels = None
depends_on = None

TABLES = (
    "crm_import_jobs",
    "crm_settings",
    "crm_categories",
    "crm_custom_fields",
    "crm_customers",
    "crm_customer_phones",
    "crm_customer_notes",
)


def _tenant() -> sa.Column:
    return sa.Column(
        "tenant_id",
        UUID(as_uuid=True),
        sa.ForeignKey("tenants.id", ondelete="CASCADE"),
        nullable=False,
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


def upgrade() -> None:
    op.create_table(
        "crm_settings",
        sa.Column(
            "tenant_id",
            UUID(as_uuid=True),
            sa.ForeignKey("tenants.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("default_region", sa.String(2), nullable=False, server_default="US"),
        *_timestamps(),
    )
    op.create_table(
        "crm_categories",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        _tenant(),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("routing", sa.String(16), nullable=False, server_default="none"),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        *_timestamps(),
        sa.CheckConstraint("routing IN ('none','priority','reject')", name="routing"),
    )
    op.create_index("ix_crm_categories_tenant_id", "crm_categories", ["tenant_id"])
    op.execute(
        "CREATE UNIQUE INDEX uq_crm_categories_tenant_name "
        "ON crm_categories (tenant_id, lower(name))"
    )
    op.create_table(
        "crm_custom_fields",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        _tenant(),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("label", sa.String(120), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("required", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("unique", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("default", JSONB),
        sa.Column("options", ARRAY(sa.String(120)), nullable=False, server_default="{}"),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        *_timestamps(),
        sa.UniqueConstraint("tenant_id", "key", name="uq_crm_custom_fields_tenant_key"),
        sa.CheckConstraint(
            "type IN ('text','number','date','select','multi_select','boolean','phone','email')",
            name="type",
        ),
    )
    op.create_index("ix_crm_custom_fields_tenant_id", "crm_custom_fields", ["tenant_id"])
    op.create_table(
        "crm_customers",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        _tenant(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("company", sa.String(200)),
        sa.Column("emails", ARRAY(sa.String(254)), nullable=False, server_default="{}"),
        sa.Column(
            "category_id",
            UUID(as_uuid=True),
            sa.ForeignKey("crm_categories.id", ondelete="SET NULL"),
        ),
        sa.Column("tags", ARRAY(sa.String(64)), nullable=False, server_default="{}"),
        sa.Column("owner_id", UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
        sa.Column("custom_fields", JSONB, nullable=False, server_default="{}"),
        sa.Column("external_id", sa.String(128)),
        *_timestamps(),
        sa.UniqueConstraint("tenant_id", "external_id", name="uq_crm_customers_tenant_external_id"),
    )
    op.create_index(
        "ix_crm_customers_tenant_created", "crm_customers", ["tenant_id", "created_at", "id"]
    )
    op.execute(
        "CREATE INDEX ix_crm_customers_tenant_lower_name "
        "ON crm_customers (tenant_id, lower(name) text_pattern_ops)"
    )
    op.execute("CREATE INDEX ix_crm_customers_tenant_name ON crm_customers (tenant_id, name, id)")
    op.create_index(
        "ix_crm_customers_tenant_updated", "crm_customers", ["tenant_id", "updated_at", "id"]
    )
    op.create_index("ix_crm_customers_owner", "crm_customers", ["tenant_id", "owner_id"])
    op.create_index("ix_crm_customers_category", "crm_customers", ["tenant_id", "category_id"])
    op.execute("CREATE INDEX ix_crm_customers_tags ON crm_customers USING gin (tags)")
    op.execute(
        "CREATE INDEX ix_crm_customers_custom_fields "
        "ON crm_customers USING gin (custom_fields jsonb_path_ops)"
    )
    op.create_table(
        "crm_customer_phones",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        _tenant(),
        sa.Column(
            "customer_id",
            UUID(as_uuid=True),
            sa.ForeignKey("crm_customers.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("e164", sa.String(20), nullable=False),
        sa.Column("raw", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        # The screen-pop lookup is one probe of this unique index.
        sa.UniqueConstraint("tenant_id", "e164", name="uq_crm_phones_tenant_e164"),
    )
    op.create_index("ix_crm_customer_phones_customer", "crm_customer_phones", ["customer_id"])
    op.create_table(
        "crm_customer_notes",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        _tenant(),
        sa.Column(
            "customer_id",
            UUID(as_uuid=True),
            sa.ForeignKey("crm_customers.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("author_id", UUID(as_uuid=True)),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    )
    op.create_index(
        "ix_crm_customer_notes_customer", "crm_customer_notes", ["customer_id", "created_at"]
    )
    op.create_index("ix_crm_customer_notes_tenant_id", "crm_customer_notes", ["tenant_id"])
    op.create_table(
        "crm_import_jobs",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        _tenant(),
        sa.Column("created_by", UUID(as_uuid=True)),
        sa.Column("status", sa.String(16), nullable=False, server_default="queued"),
        sa.Column("dry_run", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("rows_total", sa.Integer, nullable=False, server_default="0"),
        sa.Column("rows_done", sa.Integer, nullable=False, server_default="0"),
        sa.Column("report", JSONB),
        sa.Column("failure", sa.Text),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        *_timestamps(),
        sa.CheckConstraint("status IN ('queued','running','done','failed')", name="status"),
    )
    op.create_index("ix_crm_import_jobs_tenant_id", "crm_import_jobs", ["tenant_id"])
    for table in TABLES:
        for statement in enable_tenant_rls_sql(table):
            op.execute(statement)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
