"""myAgentStatus and myAgentProfile: the desktop's view of itself, whatever the role."""

from __future__ import annotations

import uuid

from tenants.graphql.relay import to_global_id
from tests.conftest import GraphQL, TenantAccount
from tests.routing.config.helpers import CREATE_PROFILE, create_queue, ok
from tests.routing.live.test_graphql import make_user

MINE = """{
  myAgentStatus { agentId state queueIds }
  myAgentProfile { userId queues { name } }
}"""


def global_user(raw: str) -> str:
    return to_global_id("User", uuid.UUID(raw))


async def test_each_user_sees_only_their_own_status_and_profile(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    queue = await create_queue(gql, tenant_a, name="Support")
    agent = await make_user(gql, tenant_a, "agent")
    supervisor = await make_user(gql, tenant_a, "supervisor")
    profile = {"userId": global_user(agent.user_id), "queueIds": [queue["id"]]}
    ok(await gql(CREATE_PROFILE, {"input": profile}, token=tenant_a.token))

    mine = ok(await gql(MINE, token=agent.token))
    assert mine["myAgentStatus"]["agentId"] == global_user(agent.user_id)
    assert mine["myAgentStatus"]["state"] == "offline"
    assert mine["myAgentProfile"] == {
        "userId": global_user(agent.user_id),
        "queues": [{"name": "Support"}],
    }

    # A supervisor sees every agent in `agents`, but "my" is still only itself.
    theirs = ok(await gql(MINE, token=supervisor.token))
    assert theirs["myAgentStatus"]["agentId"] == global_user(supervisor.user_id)
    assert theirs["myAgentProfile"] is None

    # Another tenant's owner has no profile and sees none of tenant A's.
    other = ok(await gql(MINE, token=tenant_b.token))
    assert other["myAgentProfile"] is None
    assert other["myAgentStatus"]["agentId"] != global_user(agent.user_id)
