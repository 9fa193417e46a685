"""The missed-call task store."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, String
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from tenants.database.base import Base, HasId, TenantScoped

OPEN = "open"
CLOSED = "closed"
CALLBACK_DISPOSITION = "callback_connected"


class MissedCall(HasId, TenantScoped, Base):
    """A caller who gave up waiting; ``id`` is the event's ``task_id`` (idempotent)."""

    __tablename__ = "missed_calls"
    __table_args__ = (
        Index("ix_missed_calls_status_created", "tenant_id", "status", "created_at", "id"),
        Index("ix_missed_calls_number_status", "tenant_id", "number", "status"),
    )

    call_id: Mapped[str] = mapped_column(String(128), nullable=False)
    queue_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    number: Mapped[str] = mapped_column(String(64), nullable=False)
    customer_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("crm_customers.id", ondelete="SET NULL")
    )
    wait_ms: Mapped[int] = mapped_column(BigInteger, nullable=False)
    status: Mapped[str] = mapped_column(String(8), nullable=False, server_default=OPEN)
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    disposition: Mapped[str | None] = mapped_column(String(64))
    closed_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
