"""The break-reason table."""

from __future__ import annotations

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from tenants.database.base import Base, HasId, HasTimestamps, TenantScoped


class BreakReason(HasId, HasTimestamps, TenantScoped, Base):
    """A reason an agent may give for a break (``break:<name>`` in routing)."""

    __tablename__ = "break_reasons"
    __table_args__ = (Index("uq_break_reasons_tenant_name", "tenant_id", "name", unique=True),)

    name: Mapped[str] = mapped_column(String(40), nullable=False)
