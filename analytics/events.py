"""The routing events analytics consumes (``docs/events.md``), parsed and validated."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from tenants import redis_keys

CONTRACT_VERSION = "1"

EVENT_TYPES = frozenset(
    {
        "call.enqueued",
        "call.rejected",
        "call.reserved",
        "call.agent_failed",
        "call.dequeued",
        "call.answered",
        "call.ended",
        "call.abandoned",
        "call.overflowed",
        "agent.state_changed",
        "callback.requested",
        "callback.connected",
        "callback.failed",
        "missed_call.created",
        "recording.stored",
        "queue.configured",
        "call.wrapped_up",
        "agent.wrap_up_overdue",
    }
)
"""The types of docs/events.md (version 1)."""


def type_label(type_: str | None) -> str:
    """A bounded metric label for an event type: unknown types become ``other``."""
    return type_ if type_ in EVENT_TYPES else "other"


class MalformedEvent(ValueError):
    """An entry that does not follow the events contract; it is logged and skipped."""


def tenant_of_stream(key: str) -> uuid.UUID:
    """The tenant a stream key belongs to."""
    tenant = redis_keys.tenant_of_events(key)
    if tenant is None:
        raise MalformedEvent(f"not an event stream key: {key!r}")
    try:
        return uuid.UUID(tenant)
    except ValueError as err:
        raise MalformedEvent(f"not an event stream key: {key!r}") from err


def entry_seq(entry_id: str) -> int:
    """A stream entry id ``<ms>-<n>`` as one sortable integer."""
    ms, _, n = entry_id.partition("-")
    return int(ms) * 1_000_000 + int(n or 0)


@dataclass(frozen=True)
class Event:
    """One event: the common fields and the raw extras as strings."""

    event_id: str
    tenant_id: uuid.UUID
    type: str
    at: datetime
    fields: Mapping[str, str]
    seq: int = 0

    def uuid(self, name: str) -> uuid.UUID | None:
        """An optional UUID field."""
        raw = self.fields.get(name)
        if raw in (None, ""):
            return None
        try:
            return uuid.UUID(raw)
        except ValueError as err:
            raise MalformedEvent(f"{self.type}: {name} is not a UUID") from err

    def required_uuid(self, name: str) -> uuid.UUID:
        """A UUID field the event type must carry."""
        value = self.uuid(name)
        if value is None:
            raise MalformedEvent(f"{self.type}: {name} is missing")
        return value

    def integer(self, name: str) -> int | None:
        """An optional integer field."""
        raw = self.fields.get(name)
        if raw in (None, ""):
            return None
        try:
            return int(raw)
        except ValueError as err:
            raise MalformedEvent(f"{self.type}: {name} is not an integer") from err

    def text(self, name: str) -> str | None:
        """An optional text field."""
        raw = self.fields.get(name)
        return None if raw in (None, "") else raw

    def call_id(self, *, required: bool = True) -> str | None:
        """The call id: routing's id for the call, an opaque string (often the SIP Call-ID)."""
        value = self.text("call_id")
        if value is None and required:
            raise MalformedEvent(f"{self.type}: call_id is missing")
        if value is not None and len(value) > MAX_CALL_ID_LENGTH:
            raise MalformedEvent(f"{self.type}: call_id is longer than {MAX_CALL_ID_LENGTH}")
        return value


MAX_CALL_ID_LENGTH = 255


def parse_event(entry: Mapping[str, str], *, entry_id: str = "0-0") -> Event:
    """Validate the common fields of a stream entry."""
    try:
        event_id = entry["event_id"]
        tenant_id = uuid.UUID(entry["tenant_id"])
        type_ = entry["type"]
        at_ms = int(entry["at"])
    except (KeyError, ValueError, TypeError) as err:
        raise MalformedEvent(f"entry {entry_id} lacks valid common fields: {err}") from err
    if not event_id or len(event_id) > 64:
        raise MalformedEvent(f"entry {entry_id}: event_id must be 1-64 characters")
    if entry.get("v", CONTRACT_VERSION) != CONTRACT_VERSION:
        raise MalformedEvent(f"entry {entry_id}: unsupported contract version {entry.get('v')}")
    return Event(
        event_id=event_id,
        tenant_id=tenant_id,
        type=type_,
        at=datetime.fromtimestamp(at_ms / 1000, tz=UTC),
        fields=dict(entry),
        seq=entry_seq(entry_id),
    )
