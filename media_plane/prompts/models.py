"""Prompts (audio a call flow or a queue plays) and the text-to-speech render cache."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
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
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from tenants.database.base import Base, HasId, HasTimestamps, TenantScoped

KINDS = ("tts", "upload", "music")
"""A prompt is spoken text, an uploaded recording, or music on hold (uploaded)."""


class Prompt(HasId, HasTimestamps, TenantScoped, Base):
    """One playable audio file of the tenant, stored through the recordings store."""

    __tablename__ = "prompts"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id", name="uq_prompts_tenant_id_id"),
        Index("uq_prompts_tenant_name", "tenant_id", text("lower(name)"), unique=True),
    )

    name: Mapped[str] = mapped_column(String(120), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False, default="")
    voice: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    audio_key: Mapped[str] = mapped_column(String(1024), nullable=False)
    duration_ms: Mapped[int] = mapped_column(Integer, nullable=False)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)


class PromptRender(TenantScoped, Base):
    """One text-to-speech render, keyed by the hash of (voice, text): rendered once."""

    __tablename__ = "prompt_renders"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )
    render_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    audio_key: Mapped[str] = mapped_column(String(1024), nullable=False)
    duration_ms: Mapped[int] = mapped_column(Integer, nullable=False)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
