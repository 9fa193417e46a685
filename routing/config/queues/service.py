"""Queue use cases (a queue with its required skills).

Services flush, never commit, and never write Redis: every change records what routing
must see in ``publications``, which the edge applies after its commit succeeds.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from routing.config import projection, repository
from routing.config.changes import flush, publish_tenant, republish_agents
from routing.config.models import Queue, QueueSkill, Skill
from routing.config.publishing import Publications
from routing.config.schemas import DAYS, QueueIn
from routing.flows import repository as flows_repository
from tenants.database.pagination import Page, PageRequest
from tenants.errors import BadUserInput, Conflict, NotFound
from tenants.graphql.relay import to_global_id
from tenants.identity.principal import Principal
from tenants.identity.roles import MANAGERS, SUPERVISORS
from tenants.input_validation import parse_input


@dataclass(frozen=True)
class QueueView:
    """A queue with its required skills."""

    queue: Queue
    requirements: list[tuple[QueueSkill, Skill]]


async def list_queues(
    *, session: AsyncSession, principal: Principal, page: PageRequest
) -> Page[QueueView]:
    """The tenant's queues with their required skills."""
    principal.require(SUPERVISORS, "read queues")
    rows = await repository.list_queues(session, tenant_id=principal.tenant_id, page=page)
    requirements = await repository.queue_requirements(
        session, tenant_id=principal.tenant_id, queue_ids=[q.id for _, q in rows.items]
    )
    return Page(
        items=[(c, QueueView(q, requirements.get(q.id, []))) for c, q in rows.items],
        has_next_page=rows.has_next_page,
        has_previous_page=rows.has_previous_page,
    )


async def get_queue(
    *, session: AsyncSession, principal: Principal, queue_id: uuid.UUID
) -> QueueView:
    """One queue of the tenant with its required skills."""
    principal.require(SUPERVISORS, "read queues")
    queue = await repository.queue_by_id(session, tenant_id=principal.tenant_id, queue_id=queue_id)
    if queue is None:
        raise NotFound("queue not found")
    requirements = await repository.queue_requirements(
        session, tenant_id=principal.tenant_id, queue_ids=[queue.id]
    )
    return QueueView(queue, requirements.get(queue.id, []))


def queue_in_of(view: QueueView) -> QueueIn:
    """The current values of a queue as an input (the base an update merges into)."""
    queue = view.queue
    hours = None
    if queue.hours:
        windows = [
            {"day": day, "start": start, "end": end}
            for day in DAYS
            for start, end in queue.hours.get("windows", {}).get(day, [])
        ]
        hours = {"tz": queue.hours["tz"], "windows": windows}
    return QueueIn.model_validate(
        {
            "name": queue.name,
            "required_skills": [
                {"skill_id": req.skill_id, "min_level": req.min_level}
                for req, _ in view.requirements
            ],
            "priority": queue.priority,
            "sl_threshold_s": queue.sl_threshold_s,
            "short_abandon_s": queue.short_abandon_s,
            "sl_formula": queue.sl_formula,
            "max_wait_s": queue.max_wait_s,
            "max_wait_action": queue.max_wait_action,
            "wrapup_s": queue.wrapup_s,
            "ring_timeout_s": queue.ring_timeout_s,
            "max_size": queue.max_size,
            "record": queue.record,
            "require_disposition": queue.require_disposition,
            "hours": hours,
            "closed_action": queue.closed_action,
            "closed_code": queue.closed_code,
            "blacklist_code": queue.blacklist_code,
            "vip_boost": queue.vip_boost,
            "sticky_agent_s": queue.sticky_agent_s,
            "overflow_queue_id": queue.overflow_queue_id,
        }
    )


async def _check_queue_refs(
    session: AsyncSession, tenant_id: uuid.UUID, queue_in: QueueIn, queue_id: uuid.UUID
) -> None:
    skill_ids = [r.skill_id for r in queue_in.required_skills]
    known = await repository.skills_by_ids(session, tenant_id=tenant_id, skill_ids=skill_ids)
    for index, skill_id in enumerate(skill_ids):
        if skill_id not in known:
            field = f"requiredSkills.{index}.skillId"
            raise BadUserInput(f"{field}: unknown skill", field=field)
    target = queue_in.overflow_queue_id
    if target is None:
        return
    if target == queue_id:
        raise BadUserInput(
            "overflowQueueId: a queue cannot overflow to itself", field="overflowQueueId"
        )
    if await repository.queue_by_id(session, tenant_id=tenant_id, queue_id=target) is None:
        raise NotFound("overflowQueueId: queue not found", field="overflowQueueId")
    graph = await repository.overflow_targets(session, tenant_id=tenant_id)
    graph[queue_id] = target
    seen = {queue_id}
    node: uuid.UUID | None = target
    while node is not None:
        if node in seen:
            raise BadUserInput(
                "overflowQueueId: this target would make calls overflow in a cycle",
                field="overflowQueueId",
            )
        seen.add(node)
        node = graph.get(node)


async def _check_queue_name(
    session: AsyncSession, tenant_id: uuid.UUID, name: str, current: uuid.UUID | None = None
) -> None:
    existing = await repository.queue_by_name(session, tenant_id=tenant_id, name=name)
    if existing is not None and existing.id != current:
        raise Conflict(f"a queue named {name!r} already exists", field="name")


_QUEUE_CONFLICTS = {"uq_queues_tenant_name": ("a queue with this name already exists", "name")}


def _apply_queue(queue: Queue, queue_in: QueueIn) -> None:
    queue.name = queue_in.name
    queue.priority = queue_in.priority
    queue.sl_threshold_s = queue_in.sl_threshold_s
    queue.short_abandon_s = queue_in.short_abandon_s
    queue.sl_formula = queue_in.sl_formula.value
    queue.max_wait_s = queue_in.max_wait_s
    queue.max_wait_action = queue_in.max_wait_action.value
    queue.overflow_queue_id = queue_in.overflow_queue_id
    queue.wrapup_s = queue_in.wrapup_s
    queue.ring_timeout_s = queue_in.ring_timeout_s
    queue.max_size = queue_in.max_size
    queue.record = queue_in.record
    queue.require_disposition = queue_in.require_disposition
    queue.hours = queue_in.hours.as_json() if queue_in.hours else None
    queue.closed_action = queue_in.closed_action.value
    queue.closed_code = queue_in.closed_code
    queue.blacklist_code = queue_in.blacklist_code
    queue.vip_boost = queue_in.vip_boost
    queue.sticky_agent_s = queue_in.sticky_agent_s


async def _save_queue(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    queue: Queue,
    queue_in: QueueIn,
    publications: Publications,
) -> QueueView:
    _apply_queue(queue, queue_in)
    await flush(session, _QUEUE_CONFLICTS)
    await repository.replace_queue_requirements(
        session,
        tenant_id=tenant_id,
        queue_id=queue.id,
        requirements=[(r.skill_id, r.min_level) for r in queue_in.required_skills],
    )
    await flush(session, {})
    await session.refresh(queue)
    requirements = await repository.queue_requirements(
        session, tenant_id=tenant_id, queue_ids=[queue.id]
    )
    view = QueueView(queue, requirements.get(queue.id, []))
    await publish_tenant(session, tenant_id, publications)
    entry = projection.queue_entry(queue, view.requirements)
    publications.put_queue(tenant_id, entry)
    publications.announce_queue(tenant_id, entry)
    return view


async def create_queue(
    *, session: AsyncSession, principal: Principal, queue_in: QueueIn, publications: Publications
) -> QueueView:
    """Add a queue."""
    principal.require(MANAGERS, "manage queues")
    tenant_id = principal.tenant_id
    await _check_queue_name(session, tenant_id, queue_in.name)
    queue = Queue(id=uuid.uuid4(), tenant_id=tenant_id)
    await _check_queue_refs(session, tenant_id, queue_in, queue.id)
    session.add(queue)
    return await _save_queue(session, tenant_id, queue, queue_in, publications)


async def update_queue(
    *,
    session: AsyncSession,
    principal: Principal,
    queue_id: uuid.UUID,
    changes_in: Mapping[str, Any],
    publications: Publications,
) -> QueueView:
    """Change some of a queue's fields (GraphQL names); the result is validated as a whole."""
    principal.require(MANAGERS, "manage queues")
    tenant_id = principal.tenant_id
    view = await get_queue(session=session, principal=principal, queue_id=queue_id)
    current = queue_in_of(view).model_dump(by_alias=True, mode="json")
    queue_in = parse_input(QueueIn, {**current, **changes_in}, camel=True)
    await _check_queue_name(session, tenant_id, queue_in.name, current=view.queue.id)
    await _check_queue_refs(session, tenant_id, queue_in, view.queue.id)
    return await _save_queue(session, tenant_id, view.queue, queue_in, publications)


async def delete_queue(
    *,
    session: AsyncSession,
    principal: Principal,
    queue_id: uuid.UUID,
    publications: Publications,
) -> Queue:
    """Delete a queue no number rings, no queue overflows to and no live call flow names."""
    principal.require(MANAGERS, "manage queues")
    tenant_id = principal.tenant_id
    queue = (await get_queue(session=session, principal=principal, queue_id=queue_id)).queue
    if numbers := await repository.numbers_of_queue(
        session, tenant_id=tenant_id, queue_id=queue.id
    ):
        raise Conflict(f"queue {queue.name!r} is the route of numbers: {', '.join(numbers)}")
    if sources := await repository.queues_overflowing_to(
        session, tenant_id=tenant_id, queue_id=queue.id
    ):
        raise Conflict(f"queues overflow to {queue.name!r}: {', '.join(sources)}")
    if flow := await flows_repository.flow_naming(
        session, tenant_id, to_global_id("Queue", queue.id)
    ):
        raise Conflict(f"queue {queue.name!r} is used by {flow}")
    agents = await repository.agents_serving_queue(session, tenant_id=tenant_id, queue_id=queue.id)
    await session.delete(queue)
    await flush(session, {})
    publications.remove_queue(tenant_id, queue.id)
    await republish_agents(session, tenant_id, agents, publications)
    return queue
