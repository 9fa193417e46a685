"""The disposition-code table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from tenants.database.base import Base, HasId, HasTimestamps, TenantScoped


class Disposition(HasId, HasTimestamps, TenantScoped, Base):
    """A code an agent records at wrap-up (``sale``, ``no_answer``), with its label.

    ``used_at`` is set the first time a call is wrapped up with it: from then on the code is
    part of the facts, so it can be archived (``active = false``) but not deleted.
    """

    __tablename__ = "dispositions"
    __table_args__ = (Index("uq_dispositions_tenant_code", "tenant_id", "code", unique=True),)

    code: Mapped[str] = mapped_column(String(40), nullable=False)
    label: Mapped[str] = mapped_column(String(120), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    requires_note: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
