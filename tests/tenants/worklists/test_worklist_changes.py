"""workListChanges over a real WebSocket: committed rows are pushed, to their tenant only."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

from api.clients import ApiServices
from tenants.followups import service as followups
from tenants.graphql.relay import from_global_id, to_global_id
from tenants.notifications import service as notifications
from tests.conftest import GraphQL, TenantAccount
from tests.routing.live.test_subscriptions import Subscriber, bearer, open_socket, ws_url
from tests.tenants.crm.conftest import user_token

__all__ = ["ws_url"]

CHANGES = """
subscription {
  workListChanges {
    kind
    missedCall { id number status assignee { id } }
    notification { id title }
  }
}"""
ASSIGN = "mutation($id: ID!, $to: ID) { assignMissedCall(id: $id, assigneeId: $to) { id } }"


async def missed_call(services: ApiServices, tenant: uuid.UUID, number: str) -> uuid.UUID:
    """A missed-call task as the analytics worker writes it (committed)."""
    task = uuid.uuid4()
    async with services.database.transaction(tenant) as session:
        await followups.record_missed_call(
            session=session,
            tenant_id=tenant,
            task_id=task,
            call_id=uuid.uuid4().hex,
            queue_id=None,
            number=number,
            wait_ms=30_000,
            at=datetime.now(UTC),
        )
    return task


async def notify(services: ApiServices, tenant: uuid.UUID, user: uuid.UUID, title: str) -> None:
    async with services.database.transaction(tenant) as session:
        notifications.notify(
            session, tenant_id=tenant, user_id=user, kind="ticket.step_due_soon", title=title
        )


async def quiet(sub: Subscriber, seconds: float = 0.5) -> list[dict]:
    """Every push that arrives until none came for ``seconds``."""
    seen = []
    while True:
        try:
            async with asyncio.timeout(seconds):
                seen.append((await sub.next_data())["workListChanges"])
        except TimeoutError:
            return seen


async def listening(
    url: str, token: str, services: ApiServices, tenant: uuid.UUID, prefix: str
) -> tuple[Subscriber, uuid.UUID]:
    """A subscriber whose LISTEN is on: committed probes until one is pushed, then quiet."""
    _, sub = await open_socket(url, init=bearer(token))
    await sub.subscribe(CHANGES)
    for attempt in range(80):
        task = await missed_call(services, tenant, f"{prefix}{attempt:04d}")
        try:
            async with asyncio.timeout(0.25):
                change = (await sub.next_data())["workListChanges"]
        except TimeoutError:
            continue
        assert change["kind"] == "missed_call" and change["missedCall"]["status"] == "OPEN"
        seen = await quiet(sub)
        assert all(c["missedCall"]["number"].startswith(prefix) for c in seen), seen
        return sub, task
    raise AssertionError("no push arrived")


async def test_missed_calls_and_own_notifications_are_pushed_to_their_tenant_only(
    ws_url: str,
    services: ApiServices,
    gql: GraphQL,
    tenant_a: TenantAccount,
    tenant_b: TenantAccount,
) -> None:
    tenant, other = from_global_id(tenant_a.tenant_id)[1], from_global_id(tenant_b.tenant_id)[1]
    agent_gid, agent_token = await user_token(gql, tenant_a, "agent")
    agent = from_global_id(agent_gid)[1]
    sub, task = await listening(ws_url, agent_token, services, tenant, "+3361234")
    watcher_b, _ = await listening(ws_url, tenant_b.token, services, other, "+3369876")

    await missed_call(services, other, "+33699999999")
    owner = from_global_id(tenant_a.owner_id)[1]
    await notify(services, tenant, owner, "for the owner, not the agent")
    await notify(services, tenant, agent, "Ticket #7 is due soon")
    pushed = (await sub.next_data())["workListChanges"]
    assert pushed["kind"] == "notification"
    assert pushed["notification"]["title"] == "Ticket #7 is due soon"

    assigned = await gql(
        ASSIGN, {"id": to_global_id("MissedCall", task), "to": agent_gid}, token=agent_token
    )
    assert "errors" not in assigned, assigned
    claimed = (await sub.next_data())["workListChanges"]["missedCall"]
    assert claimed["id"] == to_global_id("MissedCall", task)
    assert claimed["assignee"] == {"id": agent_gid}

    # tenant B's subscriber saw only its own row, none of tenant A's
    seen_b = await quiet(watcher_b)
    assert [(c["kind"], c["missedCall"]["number"]) for c in seen_b] == [
        ("missed_call", "+33699999999")
    ]
    assert await quiet(sub) == [], (
        "tenant B's row and the owner's notification never reach A's agent"
    )
