"""Ticket tables: teams, categories with workflows, tickets and their append-only trail."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
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
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from tenants.database.base import Base, HasId, HasTimestamps, TenantScoped


class Team(HasId, HasTimestamps, TenantScoped, Base):
    """A department: a named group of users that can own workflow steps."""

    __tablename__ = "tickets_teams"
    __table_args__ = (
        Index("uq_tickets_teams_tenant_name", "tenant_id", text("lower(name)"), unique=True),
    )

    name: Mapped[str] = mapped_column(String(120), nullable=False)


class TeamMember(TenantScoped, Base):
    """A user's membership in a team."""

    __tablename__ = "tickets_team_members"

    team_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tickets_teams.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )


class TicketCategory(HasId, HasTimestamps, TenantScoped, Base):
    """A kind of ticket with its own field schema; its workflow is its ordered steps."""

    __tablename__ = "tickets_categories"
    __table_args__ = (
        Index("uq_tickets_categories_tenant_name", "tenant_id", text("lower(name)"), unique=True),
    )

    name: Mapped[str] = mapped_column(String(120), nullable=False)
    fields: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, server_default="[]")


class WorkflowStep(HasId, TenantScoped, Base):
    """One step of a category's workflow, owned by a team or a role, with an SLA."""

    __tablename__ = "tickets_workflow_steps"
    __table_args__ = (
        UniqueConstraint("category_id", "position", name="uq_tickets_steps_category_position"),
    )

    category_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tickets_categories.id", ondelete="CASCADE"), nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    team_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tickets_teams.id", ondelete="SET NULL")
    )
    role: Mapped[str | None] = mapped_column(String(16))
    sla_seconds: Mapped[int] = mapped_column(Integer, nullable=False)


class TicketCounter(Base):
    """The last ticket number handed out per tenant (row lock makes numbers gap-free)."""

    __tablename__ = "tickets_counters"
    __tenant_scoped__ = True

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )
    last_number: Mapped[int] = mapped_column(BigInteger, nullable=False)


class Ticket(HasId, HasTimestamps, TenantScoped, Base):
    """A customer's request moving through its category's workflow."""

    __tablename__ = "tickets"
    __table_args__ = (UniqueConstraint("tenant_id", "number", name="uq_tickets_tenant_number"),)

    number: Mapped[int] = mapped_column(BigInteger, nullable=False)
    customer_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("crm_customers.id", ondelete="SET NULL")
    )
    category_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tickets_categories.id", ondelete="RESTRICT"), nullable=False
    )
    subject: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, server_default="")
    fields: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, server_default="{}")
    priority: Mapped[str] = mapped_column(String(8), nullable=False, server_default="normal")
    status: Mapped[str] = mapped_column(String(8), nullable=False, server_default="open")
    current_step_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tickets_workflow_steps.id", ondelete="SET NULL")
    )
    step_seq: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    step_started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    step_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    call_id: Mapped[str | None] = mapped_column(String(128))
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def display_number(self) -> str:
        """The human number, ``T-000123``."""
        return f"T-{self.number:06d}"


class TicketComment(HasId, TenantScoped, Base):
    """A comment on a ticket."""

    __tablename__ = "tickets_comments"

    ticket_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False
    )
    author_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    body: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class TicketAttachment(HasId, TenantScoped, Base):
    """Metadata of a file attached to a ticket (the bytes live in object storage)."""

    __tablename__ = "tickets_attachments"

    ticket_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False
    )
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    content_type: Mapped[str] = mapped_column(String(127), nullable=False)
    size_bytes: Mapped[int] = mapped_column(BigInteger, nullable=False)
    storage_key: Mapped[str] = mapped_column(String(1024), nullable=False)
    uploaded_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class TicketHistory(HasId, TenantScoped, Base):
    """Who did what to a ticket, when. Append-only (a trigger refuses updates and deletes)."""

    __tablename__ = "tickets_history"

    ticket_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False
    )
    actor_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    action: Mapped[str] = mapped_column(String(32), nullable=False)
    from_step_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    to_step_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    detail: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, server_default="{}")
    at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp(), nullable=False
    )


class TicketSlaAlert(HasId, TenantScoped, Base):
    """A reminder that fired; unique per (ticket, step visit, kind), so it fires once."""

    __tablename__ = "tickets_sla_alerts"
    __table_args__ = (
        UniqueConstraint("ticket_id", "step_seq", "kind", name="uq_tickets_sla_alerts_once"),
    )

    ticket_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False
    )
    step_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    step_seq: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    event_id: Mapped[str] = mapped_column(String(32), nullable=False)
    at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
