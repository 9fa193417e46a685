"""QA tables: scorecards, their immutable-once-used versions, and evaluations."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from tenants.database.base import Base, HasId, HasTimestamps, TenantScoped


class QaScorecard(HasId, HasTimestamps, TenantScoped, Base):
    """A scorecard admins define; its questions live in versions."""

    __tablename__ = "qa_scorecards"
    __table_args__ = (UniqueConstraint("tenant_id", "id", name="uq_qa_scorecards_tenant_id"),)

    name: Mapped[str] = mapped_column(String(120), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, server_default="active")
    current_version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")


class QaScorecardVersion(HasId, TenantScoped, Base):
    """One version of a scorecard's definition; frozen once an evaluation uses it."""

    __tablename__ = "qa_scorecard_versions"
    __table_args__ = (
        UniqueConstraint(
            "tenant_id", "scorecard_id", "version", name="uq_qa_scorecard_versions_version"
        ),
        UniqueConstraint("tenant_id", "id", name="uq_qa_scorecard_versions_tenant_id"),
        ForeignKeyConstraint(
            ["tenant_id", "scorecard_id"],
            ["qa_scorecards.tenant_id", "qa_scorecards.id"],
            name="fk_qa_scorecard_versions_scorecard",
            ondelete="CASCADE",
        ),
    )

    scorecard_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    definition: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class QaEvaluation(HasId, HasTimestamps, TenantScoped, Base):
    """A supervisor's scoring of one recorded call against one scorecard version."""

    __tablename__ = "qa_evaluations"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "scorecard_version_id"],
            ["qa_scorecard_versions.tenant_id", "qa_scorecard_versions.id"],
            name="fk_qa_evaluations_version",
        ),
        Index("ix_qa_evaluations_agent_call", "tenant_id", "agent_id", "call_at"),
        Index("ix_qa_evaluations_status", "tenant_id", "status", "call_at"),
    )

    scorecard_version_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    recording_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    call_id: Mapped[str] = mapped_column(String(255), nullable=False)
    call_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    agent_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    queue_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    evaluator_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    status: Mapped[str] = mapped_column(String(16), nullable=False, server_default="draft")
    answers: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)
    comments: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)
    overall_comment: Mapped[str | None] = mapped_column(Text)
    score: Mapped[float | None] = mapped_column(Float)
    auto_failed: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    disputed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    dispute_reason: Mapped[str | None] = mapped_column(Text)
