"""Routing configuration tables. Cross-row references carry ``tenant_id`` in their
foreign keys, so PostgreSQL itself refuses a link to another tenant's row."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from tenants.database.base import Base, HasId, HasTimestamps, TenantScoped


class Skill(HasId, HasTimestamps, TenantScoped, Base):
    """A skill agents hold at a level and queues require at a minimum level."""

    __tablename__ = "skills"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id", name="uq_skills_tenant_id_id"),
        Index("uq_skills_tenant_name", "tenant_id", text("lower(name)"), unique=True),
    )

    name: Mapped[str] = mapped_column(String(80), nullable=False)


class Queue(HasId, HasTimestamps, TenantScoped, Base):
    """A queue and every rule the ACD applies to its calls."""

    __tablename__ = "queues"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id", name="uq_queues_tenant_id_id"),
        Index("uq_queues_tenant_name", "tenant_id", text("lower(name)"), unique=True),
        ForeignKeyConstraint(
            ["tenant_id", "overflow_queue_id"],
            ["queues.tenant_id", "queues.id"],
            name="fk_queues_overflow_queue",
        ),
    )

    name: Mapped[str] = mapped_column(String(120), nullable=False)
    priority: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    sl_threshold_s: Mapped[int] = mapped_column(Integer, nullable=False, default=20)
    short_abandon_s: Mapped[int] = mapped_column(Integer, nullable=False, default=5)
    sl_formula: Mapped[str] = mapped_column(String(16), nullable=False, default="default")
    max_wait_s: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    max_wait_action: Mapped[str] = mapped_column(String(16), nullable=False, default="reject")
    overflow_queue_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    wrapup_s: Mapped[int] = mapped_column(Integer, nullable=False, default=10)
    ring_timeout_s: Mapped[int] = mapped_column(Integer, nullable=False, default=20)
    max_size: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    record: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    require_disposition: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    hours: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    closed_action: Mapped[str] = mapped_column(String(16), nullable=False, default="reject")
    closed_code: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=480)
    blacklist_code: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=403)
    vip_boost: Mapped[int] = mapped_column(Integer, nullable=False, default=10)
    sticky_agent_s: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class QueueSkill(TenantScoped, Base):
    """A skill a queue requires, with the minimum level (1-10)."""

    __tablename__ = "queue_skills"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "queue_id"],
            ["queues.tenant_id", "queues.id"],
            ondelete="CASCADE",
            name="fk_queue_skills_queue",
        ),
        ForeignKeyConstraint(
            ["tenant_id", "skill_id"],
            ["skills.tenant_id", "skills.id"],
            name="fk_queue_skills_skill",
        ),
        Index("ix_queue_skills_skill_id", "skill_id"),
    )

    queue_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    skill_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    min_level: Mapped[int] = mapped_column(SmallInteger, nullable=False)


class PhoneNumber(HasId, HasTimestamps, TenantScoped, Base):
    """A DID. ``e164`` is unique across all tenants: a number has one owner."""

    __tablename__ = "phone_numbers"
    __table_args__ = (
        UniqueConstraint("e164", name="uq_phone_numbers_e164"),
        ForeignKeyConstraint(
            ["tenant_id", "queue_id"],
            ["queues.tenant_id", "queues.id"],
            name="fk_phone_numbers_queue",
        ),
        ForeignKeyConstraint(
            ["tenant_id", "call_flow_id"],
            ["call_flows.tenant_id", "call_flows.id"],
            name="fk_phone_numbers_call_flow",
        ),
        Index("ix_phone_numbers_queue_id", "queue_id"),
    )

    e164: Mapped[str] = mapped_column(String(16), nullable=False)
    raw: Mapped[str] = mapped_column(String(64), nullable=False)
    queue_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    description: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    # With a flow, the number runs the flow's published version; ``queue_id`` stays the
    # number's failover queue (where a call goes when the flow cannot run).
    call_flow_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class AgentProfile(HasId, HasTimestamps, TenantScoped, Base):
    """Routing data of one agent (or supervisor) user: SIP user, skills, queues."""

    __tablename__ = "agent_profiles"
    __table_args__ = (
        UniqueConstraint("user_id", name="uq_agent_profiles_user_id"),
        UniqueConstraint("sip_user", name="uq_agent_profiles_sip_user"),
        UniqueConstraint("tenant_id", "user_id", name="uq_agent_profiles_tenant_user"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    sip_user: Mapped[str] = mapped_column(String(64), nullable=False)


class AgentSkill(TenantScoped, Base):
    """An agent's level (1-10) in one skill."""

    __tablename__ = "agent_skills"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "agent_user_id"],
            ["agent_profiles.tenant_id", "agent_profiles.user_id"],
            ondelete="CASCADE",
            name="fk_agent_skills_agent",
        ),
        ForeignKeyConstraint(
            ["tenant_id", "skill_id"],
            ["skills.tenant_id", "skills.id"],
            ondelete="CASCADE",
            name="fk_agent_skills_skill",
        ),
        Index("ix_agent_skills_skill_id", "skill_id"),
    )

    agent_user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    skill_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    level: Mapped[int] = mapped_column(SmallInteger, nullable=False)


class AgentQueue(TenantScoped, Base):
    """A queue an agent may serve."""

    __tablename__ = "agent_queues"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "agent_user_id"],
            ["agent_profiles.tenant_id", "agent_profiles.user_id"],
            ondelete="CASCADE",
            name="fk_agent_queues_agent",
        ),
        ForeignKeyConstraint(
            ["tenant_id", "queue_id"],
            ["queues.tenant_id", "queues.id"],
            ondelete="CASCADE",
            name="fk_agent_queues_queue",
        ),
        Index("ix_agent_queues_queue_id", "queue_id"),
    )

    agent_user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    queue_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)


class TenantRoutingSettings(TenantScoped, Base):
    """Per-tenant routing limits; a missing row means the defaults."""

    __tablename__ = "routing_settings"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )
    max_concurrent_calls: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    default_region: Mapped[str | None] = mapped_column(String(2))


TABLES = (
    "skills",
    "queues",
    "queue_skills",
    "phone_numbers",
    "agent_profiles",
    "agent_skills",
    "agent_queues",
    "routing_settings",
)
"""Every routing-configuration table; each is behind row-level security (migration 0003)."""
