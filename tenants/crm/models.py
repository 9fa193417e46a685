"""CRM tables: per-tenant settings, categories, customers, their phones and custom fields."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from tenants.database.base import Base, HasId, HasTimestamps, TenantScoped


class CrmSettings(HasTimestamps, Base):
    """One row per tenant: the CRM's tenant-level settings (created on first use)."""

    __tablename__ = "crm_settings"
    __tenant_scoped__ = True

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )
    default_region: Mapped[str] = mapped_column(String(2), nullable=False, server_default="US")


class CustomerCategory(HasId, HasTimestamps, TenantScoped, Base):
    """A tenant-defined customer category; ``routing`` tells routing what it means."""

    __tablename__ = "crm_categories"
    __table_args__ = (
        Index("uq_crm_categories_tenant_name", "tenant_id", text("lower(name)"), unique=True),
    )

    name: Mapped[str] = mapped_column(String(64), nullable=False)
    routing: Mapped[str] = mapped_column(String(16), nullable=False, server_default="none")
    position: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")


class Customer(HasId, HasTimestamps, TenantScoped, Base):
    """A person or company a tenant talks to."""

    __tablename__ = "crm_customers"
    __table_args__ = (
        UniqueConstraint("tenant_id", "external_id", name="uq_crm_customers_tenant_external_id"),
    )

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    company: Mapped[str | None] = mapped_column(String(200))
    emails: Mapped[list[str]] = mapped_column(
        ARRAY(String(254)), nullable=False, server_default="{}"
    )
    category_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("crm_categories.id", ondelete="SET NULL")
    )
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(64)), nullable=False, server_default="{}")
    owner_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    notes: Mapped[str] = mapped_column(Text, nullable=False, server_default="")
    custom_fields: Mapped[dict[str, Any]] = mapped_column(
        JSONB, nullable=False, server_default="{}"
    )
    external_id: Mapped[str | None] = mapped_column(String(128))


class CustomerPhone(HasId, TenantScoped, Base):
    """One number of a customer: E.164 for matching, the raw input for people."""

    __tablename__ = "crm_customer_phones"
    __table_args__ = (UniqueConstraint("tenant_id", "e164", name="uq_crm_phones_tenant_e164"),)

    customer_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("crm_customers.id", ondelete="CASCADE"), nullable=False
    )
    e164: Mapped[str] = mapped_column(String(20), nullable=False)
    raw: Mapped[str] = mapped_column(String(64), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")


class CustomFieldDefinition(HasId, HasTimestamps, TenantScoped, Base):
    """A tenant-defined customer field: its type and rules."""

    __tablename__ = "crm_custom_fields"
    __table_args__ = (UniqueConstraint("tenant_id", "key", name="uq_crm_custom_fields_tenant_key"),)

    key: Mapped[str] = mapped_column(String(64), nullable=False)
    label: Mapped[str] = mapped_column(String(120), nullable=False)
    type: Mapped[str] = mapped_column(String(16), nullable=False)
    required: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    unique: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    default: Mapped[Any | None] = mapped_column(JSONB)
    options: Mapped[list[str]] = mapped_column(
        ARRAY(String(120)), nullable=False, server_default="{}"
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")


class ImportJob(HasId, HasTimestamps, TenantScoped, Base):
    """A CSV import running in the background, with its progress and final report."""

    __tablename__ = "crm_import_jobs"

    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    status: Mapped[str] = mapped_column(String(16), nullable=False, server_default="queued")
    dry_run: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    rows_total: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    rows_done: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    report: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    failure: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CustomerNote(HasId, TenantScoped, Base):
    """A dated note on a customer (the customer's timeline shows them with calls and tickets)."""

    __tablename__ = "crm_customer_notes"

    customer_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("crm_customers.id", ondelete="CASCADE"), nullable=False
    )
    author_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    body: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
