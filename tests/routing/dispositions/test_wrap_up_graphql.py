"""wrapUpCall / finishWrapUp / wrapUp through GraphQL, on the real engine and PostgreSQL."""

from __future__ import annotations

from redis.asyncio import Redis

from routing.engine.engine import AcdEngine
from tests.conftest import GraphQL, TenantAccount, error_code
from tests.routing.conftest import new_call
from tests.routing.dispositions.test_dispositions import DELETE, UPDATE, create
from tests.routing.live.test_graphql import SET_STATE, SIGN_IN, gid, make_user, tenant_raw
from tests.routing.routing_config import publish_agent, publish_queue, publish_tenant

STATUS_FIELDS = """
state callId queueId wrapUpSeconds endsAt requireDisposition overdue
disposition { code } call { from }"""
WRAP_UP = f"query {{ wrapUp {{ {STATUS_FIELDS} }} }}"
WRAP_UP_CALL = f"""
mutation($i: WrapUpCallInput!) {{ wrapUpCall(input: $i) {{ {STATUS_FIELDS} }} }}"""
FINISH = f"mutation {{ finishWrapUp {{ {STATUS_FIELDS} }} }}"


async def handled_call(
    gql: GraphQL, redis: Redis, tenant: TenantAccount, **queue_fields: object
) -> tuple[str, str, str]:
    """An agent who just handled a call of a queue: (agent token, call id, queue id)."""
    tid = tenant_raw(tenant)
    await publish_tenant(redis, tid, slug=tenant.slug)
    queue = await publish_queue(redis, tid, **queue_fields)  # type: ignore[arg-type]
    agent = await make_user(gql, tenant, "agent")
    await publish_agent(redis, tid, agent.user_id, queues=[queue])
    await gql(SIGN_IN, {"input": {"queueId": gid("Queue", queue)}}, token=agent.token)
    await gql(SET_STATE, {"input": {"state": "available"}}, token=agent.token)
    engine = AcdEngine(redis)
    call = new_call(queue)
    await engine.enqueue(tenant_id=tid, call=call)
    await engine.call_event(tenant_id=tid, call_id=call.call_id, event_type="answered")
    await engine.call_event(tenant_id=tid, call_id=call.call_id, event_type="ended", by="caller")
    return agent.token, call.call_id, queue


async def test_required_disposition_then_available(
    gql: GraphQL, redis: Redis, tenant_a: TenantAccount
) -> None:
    token, call_id, queue = await handled_call(
        gql, redis, tenant_a, wrapup_s=60, require_disposition=1
    )
    status = (await gql(WRAP_UP, token=token))["data"]["wrapUp"]
    assert status["state"] == "acw"
    assert status["callId"] == call_id
    assert status["queueId"] == gid("Queue", queue)
    assert status["wrapUpSeconds"] == 60 and status["endsAt"]
    assert status["requireDisposition"] is True and status["disposition"] is None
    assert status["call"]["from"] == "+33612345678"

    refused = await gql(FINISH, token=token)
    assert error_code(refused) == "CONFLICT"
    available = await gql(SET_STATE, {"input": {"state": "available"}}, token=token)
    assert error_code(available) == "CONFLICT"

    sale = await create(gql, tenant_a, "sale", requiresNote=True)
    lost = await create(gql, tenant_a, "lost")
    await gql(
        UPDATE,
        {"id": lost["id"], "i": {"code": "lost", "label": "Lost", "active": False}},
        token=tenant_a.token,
    )
    archived = await gql(
        WRAP_UP_CALL, {"i": {"callId": call_id, "dispositionId": lost["id"]}}, token=token
    )
    assert error_code(archived) == "BAD_USER_INPUT"
    assert archived["errors"][0]["extensions"]["field"] == "dispositionId"
    no_note = await gql(
        WRAP_UP_CALL, {"i": {"callId": call_id, "dispositionId": sale["id"]}}, token=token
    )
    assert no_note["errors"][0]["extensions"]["field"] == "note"
    long_note = await gql(
        WRAP_UP_CALL,
        {"i": {"callId": call_id, "dispositionId": sale["id"], "note": "x" * 2001}},
        token=token,
    )
    assert long_note["errors"][0]["extensions"]["field"] == "note"
    refused_all = await gql(SET_STATE, {"input": {"state": "available"}}, token=token)
    assert error_code(refused_all) == "CONFLICT", "failed wrap-ups recorded nothing"

    wrapped = await gql(
        WRAP_UP_CALL,
        {"i": {"callId": call_id, "dispositionId": sale["id"], "note": "renewal", "finish": True}},
        token=token,
    )
    assert "errors" not in wrapped, wrapped
    assert wrapped["data"]["wrapUpCall"]["state"] == "available"
    used = await gql(DELETE, {"id": sale["id"]}, token=tenant_a.token)
    assert error_code(used) == "CONFLICT", "a used code archives, it is not deleted"
    renamed = await gql(
        UPDATE, {"id": sale["id"], "i": {"code": "other", "label": "x"}}, token=tenant_a.token
    )
    assert error_code(renamed) == "CONFLICT"


async def test_finish_early_without_the_rule(
    gql: GraphQL, redis: Redis, tenant_a: TenantAccount
) -> None:
    token, _, _ = await handled_call(gql, redis, tenant_a, wrapup_s=60)
    finished = await gql(FINISH, token=token)
    assert finished["data"]["finishWrapUp"]["state"] == "available"
    again = await gql(FINISH, token=token)
    assert error_code(again) == "BAD_USER_INPUT", "not in wrap-up any more"


async def test_another_tenant_sees_and_changes_nothing(
    gql: GraphQL, redis: Redis, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    token, call_id, _ = await handled_call(gql, redis, tenant_a, wrapup_s=60, require_disposition=1)
    theirs = await create(gql, tenant_b, "sale")
    foreign_code = await gql(
        WRAP_UP_CALL, {"i": {"callId": call_id, "dispositionId": theirs["id"]}}, token=token
    )
    assert error_code(foreign_code) == "NOT_FOUND"
    ours = await create(gql, tenant_a, "sale")
    outsider = await make_user(gql, tenant_b, "agent")
    foreign_call = await gql(
        WRAP_UP_CALL, {"i": {"callId": call_id, "dispositionId": ours["id"]}}, token=outsider.token
    )
    assert error_code(foreign_call) == "NOT_FOUND"
    outsider_view = (await gql(WRAP_UP, token=outsider.token))["data"]["wrapUp"]
    assert outsider_view["callId"] is None and outsider_view["state"] == "offline"
    still = (await gql(WRAP_UP, token=token))["data"]["wrapUp"]
    assert still["state"] == "acw" and still["disposition"] is None
