"""Fact tables the worker writes from events; reports are computed from them.

Every fact is keyed by what it describes (a call, a call in a queue, an agent on a
call), so an event applied twice, or late, or out of order, converges to the same row.
``analytics_processed_events`` remembers each ``event_id`` so counters are never bumped
twice by a redelivery.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from tenants.database.base import Base, HasId, HasTimestamps, TenantScoped


class ProcessedEvent(TenantScoped, Base):
    """One event already applied; its id makes redelivery a no-op."""

    __tablename__ = "analytics_processed_events"
    __table_args__ = (PrimaryKeyConstraint("tenant_id", "event_id"),)

    event_id: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(48), nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    processed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class QueueDefinition(TenantScoped, Base):
    """The KPI definitions a queue is reported with (T, S and the SL formula).

    The worker registers a queue the first time an event names it, with the defaults of
    ``shared/metrics.md``; the routing tier's queue settings override them.
    """

    __tablename__ = "analytics_queues"
    __table_args__ = (PrimaryKeyConstraint("tenant_id", "queue_id"),)

    queue_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    answer_seconds: Mapped[int] = mapped_column(Integer, nullable=False, server_default="20")
    short_abandon_seconds: Mapped[int] = mapped_column(Integer, nullable=False, server_default="5")
    sl_formula: Mapped[str] = mapped_column(String(24), nullable=False, server_default="genesys")
    first_seen_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class Contact(TenantScoped, Base):
    """One call, from ingress to its end."""

    __tablename__ = "analytics_contacts"
    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "call_id"),
        Index("ix_analytics_contacts_from_arrived", "tenant_id", "from_number", "arrived_at"),
        Index("ix_analytics_contacts_customer_arrived", "tenant_id", "customer_id", "arrived_at"),
    )

    call_id: Mapped[str] = mapped_column(String(255))
    first_queue_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    from_number: Mapped[str | None] = mapped_column(String(64))
    to_number: Mapped[str | None] = mapped_column(String(64))
    customer_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    arrived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(String(24))
    rejected_code: Mapped[int | None] = mapped_column(Integer)
    callback_requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    callback_connected_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    missed_call_task_id: Mapped[str | None] = mapped_column(String(64))
    disposition_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    disposition_code: Mapped[str | None] = mapped_column(String(40))
    wrap_up_note: Mapped[str | None] = mapped_column(Text)
    wrapped_up_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    wrapped_up_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class QueueLeg(TenantScoped, Base):
    """A call's stay in one queue: offered at ``enqueued_at``, decided at ``dequeued_at``."""

    __tablename__ = "analytics_queue_legs"
    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "call_id", "queue_id"),
        Index(
            "ix_analytics_queue_legs_queue_dequeued",
            "tenant_id",
            "queue_id",
            "dequeued_at",
            postgresql_include=["outcome", "wait_ms"],
        ),
        Index(
            "ix_analytics_queue_legs_queue_enqueued",
            "tenant_id",
            "queue_id",
            "enqueued_at",
        ),
    )

    call_id: Mapped[str] = mapped_column(String(255))
    queue_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    enqueued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    dequeued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(String(24))
    wait_ms: Mapped[int | None] = mapped_column(BigInteger)
    agent_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    priority: Mapped[int | None] = mapped_column(Integer)


class AgentSegment(TenantScoped, Base):
    """One agent's handling of one call; each segment of a transferred call is a handle."""

    __tablename__ = "analytics_agent_segments"
    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "call_id", "agent_id"),
        Index("ix_analytics_agent_segments_queue_handled", "tenant_id", "queue_id", "handled_at"),
        Index("ix_analytics_agent_segments_agent_handled", "tenant_id", "agent_id", "handled_at"),
    )

    call_id: Mapped[str] = mapped_column(String(255))
    agent_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    queue_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_by: Mapped[str | None] = mapped_column(String(16))
    talk_ms: Mapped[int | None] = mapped_column(BigInteger)
    hold_ms: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default="0")
    acw_ms: Mapped[int | None] = mapped_column(BigInteger)
    acw_ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    handled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    disposition: Mapped[str | None] = mapped_column(String(64))
    transferred_out: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")


class AgentStateInterval(TenantScoped, Base):
    """An agent state held over ``[started_at, ended_at)``; open while ``ended_at`` is null.

    ``seq`` (the stream entry id) breaks ties between changes in the same millisecond.
    """

    __tablename__ = "analytics_agent_state_intervals"
    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "event_id"),
        Index("ix_analytics_agent_states_agent_start", "tenant_id", "agent_id", "started_at"),
    )

    event_id: Mapped[str] = mapped_column(String(64))
    agent_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    state: Mapped[str] = mapped_column(String(64), nullable=False)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    seq: Mapped[int] = mapped_column(BigInteger, nullable=False)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    call_id: Mapped[str | None] = mapped_column(String(255))


class QueueRollup(TenantScoped, Base):
    """A queue's counts in one 15-minute UTC bucket, recomputed from facts when they change.

    15-minute UTC buckets nest inside every report interval of any time zone whose offset
    is a multiple of 15 minutes (all of them today). Within-T and short-abandon counts use
    the queue's thresholds at computation time; changing them rebuilds the queue's rows.
    """

    __tablename__ = "analytics_queue_rollups"
    __table_args__ = (PrimaryKeyConstraint("tenant_id", "queue_id", "bucket_start"),)

    queue_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    bucket_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    offered: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    dequeued: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    answered: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    answered_within_t: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    abandoned: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    abandoned_within_t: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    short_abandoned: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    callbacks: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    flowouts: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    answered_wait_ms: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default="0")
    abandoned_wait_ms: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default="0")
    dequeued_wait_ms: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default="0")
    longest_wait_ms: Mapped[int | None] = mapped_column(BigInteger)
    handled: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    talk_ms: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default="0")
    hold_ms: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default="0")
    acw_ms: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default="0")
    transferred_out: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")


class AgentStateRollup(TenantScoped, Base):
    """Closed agent state time in one 15-minute UTC bucket (open intervals are added live)."""

    __tablename__ = "analytics_agent_state_rollups"
    __table_args__ = (PrimaryKeyConstraint("tenant_id", "bucket_start", "agent_id", "state"),)

    agent_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    bucket_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    state: Mapped[str] = mapped_column(String(64))
    seconds: Mapped[float] = mapped_column(Float, nullable=False)


class SavedReport(HasId, HasTimestamps, TenantScoped, Base):
    """A report a tenant admin defined: metrics x dimension x filters x interval."""

    __tablename__ = "analytics_saved_reports"

    name: Mapped[str] = mapped_column(String(120), nullable=False)
    dimension: Mapped[str] = mapped_column(String(16), nullable=False)
    metrics: Mapped[list[str]] = mapped_column(ARRAY(String(48)), nullable=False)
    queue_ids: Mapped[list[uuid.UUID]] = mapped_column(
        ARRAY(UUID(as_uuid=True)), nullable=False, server_default="{}"
    )
    interval: Mapped[str] = mapped_column(String(8), nullable=False)
    time_zone: Mapped[str] = mapped_column(String(64), nullable=False)
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class TenantReportSettings(TenantScoped, Base):
    """Per-tenant report settings: the time zone intervals follow by default."""

    __tablename__ = "analytics_tenant_settings"
    __table_args__ = (PrimaryKeyConstraint("tenant_id"),)

    time_zone: Mapped[str] = mapped_column(String(64), nullable=False, server_default="UTC")
