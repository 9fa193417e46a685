"""What a routing script reports back: its status, reservations and metric observations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Reservation:
    """A (call, agent) pair the script reserved; the agent now rings."""

    call_id: str
    agent_id: str
    queue_id: str
    attempt: int
    first_ms: int | None = None
    continue_url: str = ""
    tindex: str = ""
    tlabel: str = ""
    sip_user: str = ""
    tenant_slug: str = ""
    callback: bool = False
    number: str = ""
    did: str = ""
    ring_s: int = 20
    record: bool = False


@dataclass(frozen=True)
class ScriptResult:
    """The decoded JSON result of a routing script."""

    tenant_id: str
    status: str
    reservations: list[Reservation] = field(default_factory=list)
    dispatch: list[str] = field(default_factory=list)
    metrics: list[list[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, tenant_id: str, data: dict[str, Any]) -> ScriptResult:
        """Decode a script's ``cjson`` output (empty Lua tables decode as ``{}``)."""

        def as_list(value: Any) -> list[Any]:
            return value if isinstance(value, list) else []

        known = {"status", "reservations", "dispatch", "metrics", "notes"}
        return cls(
            tenant_id=tenant_id,
            status=data.get("status", "ok"),
            reservations=[
                Reservation(
                    call_id=r["call_id"],
                    agent_id=r["agent_id"],
                    queue_id=r["queue_id"],
                    attempt=int(r["attempt"]),
                    first_ms=int(r["first_ms"]) if r.get("first_ms") is not None else None,
                    continue_url=str(r.get("continue_url") or ""),
                    tindex=str(r.get("tindex") or ""),
                    tlabel=str(r.get("tlabel") or ""),
                    sip_user=str(r.get("sip_user") or ""),
                    tenant_slug=str(r.get("slug") or ""),
                    callback=bool(r.get("callback")),
                    number=str(r.get("number") or ""),
                    did=str(r.get("did") or ""),
                    ring_s=int(r.get("ring") or 20),
                    record=bool(r.get("record")),
                )
                for r in as_list(data.get("reservations"))
            ],
            dispatch=[str(m) for m in as_list(data.get("dispatch"))],
            metrics=as_list(data.get("metrics")),
            notes=[str(n) for n in as_list(data.get("notes"))],
            extra={k: v for k, v in data.items() if k not in known},
        )
