"""Call flows, their immutable published versions, and each queue's music on hold.

A flow holds one editable ``draft``; publishing copies it into a new ``CallFlowVersion`` (a
database trigger refuses any UPDATE of a version) and points ``published_version_id`` at it,
in one transaction. A call records the version it started on, so a later publish never
changes a call in progress.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from tenants.database.base import Base, HasId, HasTimestamps, TenantScoped


class CallFlow(HasId, HasTimestamps, TenantScoped, Base):
    """An IVR: a draft being edited and, once published, the version new calls run."""

    __tablename__ = "call_flows"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id", name="uq_call_flows_tenant_id_id"),
        Index("uq_call_flows_tenant_name", "tenant_id", text("lower(name)"), unique=True),
    )

    name: Mapped[str] = mapped_column(String(120), nullable=False)
    description: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    draft: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    published_version_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CallFlowVersion(HasId, TenantScoped, Base):
    """A published, immutable copy of a flow's definition."""

    __tablename__ = "call_flow_versions"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id", name="uq_call_flow_versions_tenant_id_id"),
        UniqueConstraint("flow_id", "number", name="uq_call_flow_versions_flow_number"),
        ForeignKeyConstraint(
            ["tenant_id", "flow_id"],
            ["call_flows.tenant_id", "call_flows.id"],
            ondelete="CASCADE",
            name="fk_call_flow_versions_flow",
        ),
    )

    flow_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    definition: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    published_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    # When the version was published (its insert, after the flow's lock: clock time, not
    # the transaction's start, so versions sort in publish order).
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=text("clock_timestamp()"), nullable=False
    )


class QueueMusic(TenantScoped, Base):
    """The music a queue plays to waiting callers (no row: Hotline's default)."""

    __tablename__ = "queue_music"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "queue_id"],
            ["queues.tenant_id", "queues.id"],
            ondelete="CASCADE",
            name="fk_queue_music_queue",
        ),
        ForeignKeyConstraint(
            ["tenant_id", "prompt_id"],
            ["prompts.tenant_id", "prompts.id"],
            name="fk_queue_music_prompt",
        ),
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )
    queue_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    prompt_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
