"""Wrap-up use cases. PostgreSQL knows the codes; routing (Redis) owns the agent's state.

The disposition is checked (the tenant's, active, with its note) and marked used in the
request's transaction; the engine then records it and decides, atomically with the state
machine, whether the agent may leave ACW. A refused wrap-up rolls the transaction back.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from routing.dispositions import service as dispositions
from routing.dispositions.models import Disposition
from routing.dispositions.schemas import WrapUpIn
from routing.engine.engine import AcdEngine
from tenants.errors import BadUserInput
from tenants.identity.principal import Principal


@dataclass(frozen=True)
class WrapUp:
    """The agent's wrap-up as routing sees it right now."""

    agent_id: str
    state: str
    since_ms: int
    call_id: str | None
    queue_id: str | None
    wrapup_s: int
    require_disposition: bool
    disposition_id: str | None
    overdue: bool
    now_ms: int

    @property
    def ends_at(self) -> datetime | None:
        """When the ACW timer ends it (null outside ACW or without a wrap-up time)."""
        if self.state != "acw" or self.wrapup_s <= 0:
            return None
        return datetime.fromtimestamp((self.since_ms + self.wrapup_s * 1000) / 1000, tz=UTC)


def _self(principal: Principal) -> str:
    if principal.user_id is None:
        raise BadUserInput("only a signed-in agent wraps up its calls")
    return str(principal.user_id)


async def _now_ms(engine: AcdEngine) -> int:
    seconds, micros = await engine.redis.time()
    return int(seconds) * 1000 + int(micros) // 1000


async def wrap_up_status(*, engine: AcdEngine, principal: Principal) -> WrapUp:
    """The caller's state, its current (or last wrapped) call and that queue's rules."""
    agent_id, tenant_id = _self(principal), str(principal.tenant_id)
    snapshot = await engine.agent(tenant_id=tenant_id, agent_id=agent_id)
    call_id = snapshot.call_id or None
    call = await engine.call(tenant_id=tenant_id, call_id=call_id) if call_id else {}
    queue_id = call.get("queue_id") or None
    rules = (
        await engine.queue_fields(
            tenant_id=tenant_id, queue_id=queue_id, names=["wrapup_s", "require_disposition"]
        )
        if queue_id
        else {}
    )
    return WrapUp(
        agent_id=agent_id,
        state=snapshot.state,
        since_ms=snapshot.since_ms,
        call_id=call_id,
        queue_id=queue_id,
        wrapup_s=int(rules.get("wrapup_s") or 0),
        require_disposition=rules.get("require_disposition") == "1",
        disposition_id=call.get("disposition_id") or None,
        overdue=call.get("acw_expired") == "1",
        now_ms=await _now_ms(engine),
    )


async def wrap_up_call(
    *,
    session: AsyncSession,
    engine: AcdEngine,
    principal: Principal,
    wrap_in: WrapUpIn,
    disposition_id: uuid.UUID,
    finish: bool,
) -> tuple[Disposition, WrapUp]:
    """Record the disposition and note of a call the caller handled; ``finish`` also ends
    its ACW (the ACW timer ends it otherwise, or at once when the timer already ran out)."""
    agent_id = _self(principal)
    disposition = await dispositions.choose_disposition(
        session=session, principal=principal, disposition_id=disposition_id, note=wrap_in.note
    )
    await engine.wrap_up(
        tenant_id=str(principal.tenant_id),
        agent_id=agent_id,
        call_id=wrap_in.call_id,
        disposition_id=str(disposition.id),
        disposition_code=disposition.code,
        note=wrap_in.note,
        finish=finish,
    )
    return disposition, await wrap_up_status(engine=engine, principal=principal)


async def finish_wrap_up(*, engine: AcdEngine, principal: Principal) -> WrapUp:
    """Leave ACW now (CONFLICT while the call's queue still needs a disposition)."""
    await engine.wrap_up(
        tenant_id=str(principal.tenant_id), agent_id=_self(principal), call_id="", finish=True
    )
    return await wrap_up_status(engine=engine, principal=principal)
