"""Notifications are private to their user: marking read, listing and ``node`` (they are
raised here by the tickets' SLA reminders, their first source)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api.clients import ApiServices
from tenants.graphql.relay import from_global_id
from tenants.tickets.sla import run_sla_reminders
from tests.conftest import GraphQL, TenantAccount, error_code
from tests.tenants.crm.conftest import user_token
from tests.tenants.notifications.conftest import all_notifications
from tests.tenants.tickets.conftest import create_ticket, make_workflow


async def test_mark_read_and_notifications_are_private(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount, services: ApiServices
) -> None:
    agent_id, agent_token = await user_token(gql, tenant_a, "agent")
    workflow = await make_workflow(gql, tenant_a, member_ids=[], sla_seconds=60)
    await create_ticket(gql, tenant_a, workflow, assigneeId=agent_id)
    _, tenant_id = from_global_id(tenant_a.tenant_id)
    await run_sla_reminders(
        database=services.database,
        redis=services.redis,
        now=datetime.now(UTC) + timedelta(seconds=120),
        tenant_ids=[tenant_id],
    )
    [note] = await all_notifications(gql, agent_token)
    mark = "mutation($id: ID!) { markNotificationRead(id: $id) { id readAt } }"
    node = "query($id: ID!) { node(id: $id) { id } }"
    for token in (tenant_b.token, tenant_a.token):  # another tenant, another user
        assert error_code(await gql(mark, {"id": note["id"]}, token=token)) == "NOT_FOUND"
        assert error_code(await gql(node, {"id": note["id"]}, token=token)) == "NOT_FOUND"
        assert await all_notifications(gql, token) == []
    marked = await gql(mark, {"id": note["id"]}, token=agent_token)
    assert marked["data"]["markNotificationRead"]["readAt"] is not None
    unread = await gql(
        "{ notifications(unreadOnly: true) { edges { node { id } } } }", token=agent_token
    )
    assert unread["data"]["notifications"]["edges"] == []
    assert (await gql(node, {"id": note["id"]}, token=agent_token))["data"]["node"]["id"]
