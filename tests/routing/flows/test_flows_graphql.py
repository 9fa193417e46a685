"""Call flows through GraphQL: drafts, validation naming the node, atomic publishing,
version pinning in Redis, numbers that run a flow, archiving, and tenant isolation."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from api.clients import ApiServices
from tests.conftest import GraphQL, TenantAccount, error_code
from tests.routing.config.helpers import (
    CREATE_NUMBER,
    DELETE_QUEUE,
    DELETE_SKILL,
    UPDATE_NUMBER,
    create_queue,
    create_skill,
    fresh_number,
    ok,
    raw_id,
    tenant_uuid,
)
from tests.routing.flows.graphql_docs import (
    ARCHIVE,
    FLOW,
    FLOWS,
    PUBLISH,
    UPDATE_DRAFT,
    create_flow,
    enqueue_flow,
    publish,
)


def field_of(body: dict) -> str | None:
    return body["errors"][0]["extensions"].get("field")


async def test_create_list_get_with_the_default_draft(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    flow = await create_flow(gql, tenant_a, description="Front door")
    assert flow["draft"] == {"start": "hangup", "nodes": {"hangup": {"type": "hangup"}}}
    assert flow["publishedVersionId"] is None
    assert flow["archived"] is False
    listed = ok(await gql(FLOWS, token=tenant_a.token))["callFlows"]["edges"]
    assert [e["node"] for e in listed] == [flow]
    got = ok(await gql(FLOW, {"id": flow["id"]}, token=tenant_a.token))["callFlow"]
    assert got["versions"]["edges"] == []
    duplicate = await gql(
        'mutation { createCallFlow(input: {name: "main ivr"}) { id } }', token=tenant_a.token
    )
    assert error_code(duplicate) == "CONFLICT"


async def test_draft_with_a_missing_target_names_the_node_and_changes_nothing(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    queue = await create_queue(gql, tenant_a)
    flow = await create_flow(gql, tenant_a, enqueue_flow(queue["id"]))
    broken = enqueue_flow(queue["id"])
    broken["nodes"]["known"]["then"] = "nowhere"
    body = await gql(
        UPDATE_DRAFT, {"input": {"id": flow["id"], "draft": broken}}, token=tenant_a.token
    )
    assert error_code(body) == "BAD_USER_INPUT"
    assert field_of(body) == "nodes.known.then"
    assert "node known" in body["errors"][0]["message"]
    got = ok(await gql(FLOW, {"id": flow["id"]}, token=tenant_a.token))["callFlow"]
    assert got["draft"] == enqueue_flow(queue["id"])


async def test_another_tenants_queue_in_a_flow_is_bad_input(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    foreign = await create_queue(gql, tenant_b)
    body = await gql(
        'mutation($d: JSON!) { createCallFlow(input: {name: "x", draft: $d}) { id } }',
        {"d": enqueue_flow(foreign["id"])},
        token=tenant_a.token,
    )
    assert error_code(body) == "BAD_USER_INPUT"
    assert field_of(body) == "nodes.queue.queue"
    assert ok(await gql(FLOWS, token=tenant_a.token))["callFlows"]["edges"] == []


async def test_publish_pins_versions_and_republishes_the_number(
    gql: GraphQL, tenant_a: TenantAccount, redis: Redis
) -> None:
    queue = await create_queue(gql, tenant_a)
    flow = await create_flow(gql, tenant_a, enqueue_flow(queue["id"]))
    e164 = fresh_number()
    unpublished = await gql(
        CREATE_NUMBER,
        {"input": {"number": e164, "queueId": queue["id"], "callFlowId": flow["id"]}},
        token=tenant_a.token,
    )
    assert error_code(unpublished) == "BAD_USER_INPUT"
    assert field_of(unpublished) == "callFlowId"

    first = await publish(gql, tenant_a, flow["id"])
    assert first["number"] == 1
    assert first["definition"] == enqueue_flow(queue["id"])
    number = ok(
        await gql(
            CREATE_NUMBER,
            {"input": {"number": e164, "queueId": queue["id"], "callFlowId": flow["id"]}},
            token=tenant_a.token,
        )
    )["createPhoneNumber"]
    flow_of = "query($id: ID!) { node(id: $id) { ... on PhoneNumber { callFlowId } } }"
    shown = ok(await gql(flow_of, {"id": number["id"]}, token=tenant_a.token))["node"]
    assert shown == {"callFlowId": flow["id"]}
    did = json.loads(await redis.get(f"hotline:did:{e164}"))
    assert did == {
        "tenant_id": tenant_uuid(tenant_a),
        "queue_id": raw_id(queue["id"]),
        "flow_id": raw_id(flow["id"]),
        "flow_version_id": raw_id(first["id"]),
    }

    changed = enqueue_flow(queue["id"], number="+33123456789")
    ok(
        await gql(
            UPDATE_DRAFT, {"input": {"id": flow["id"], "draft": changed}}, token=tenant_a.token
        )
    )
    # Editing the draft changes nothing new calls run until the next publish.
    assert json.loads(await redis.get(f"hotline:did:{e164}"))["flow_version_id"] == raw_id(
        first["id"]
    )
    second = await publish(gql, tenant_a, flow["id"])
    assert second["number"] == 2
    did = json.loads(await redis.get(f"hotline:did:{e164}"))
    assert did["flow_version_id"] == raw_id(second["id"])
    # A call that started on version 1 still reads version 1, unchanged.
    tenant = tenant_uuid(tenant_a)
    v1 = json.loads(await redis.get(f"{{t:{tenant}}}:flow-version:{raw_id(first['id'])}"))
    v2 = json.loads(await redis.get(f"{{t:{tenant}}}:flow-version:{raw_id(second['id'])}"))
    assert v1 == enqueue_flow(queue["id"])
    assert v2 == changed
    got = ok(await gql(FLOW, {"id": flow["id"]}, token=tenant_a.token))["callFlow"]
    assert got["publishedVersionId"] == second["id"]
    versions = [e["node"] for e in got["versions"]["edges"]]
    assert [v["number"] for v in versions] == [1, 2]
    assert versions[0]["definition"] == enqueue_flow(queue["id"])

    ok(
        await gql(
            UPDATE_NUMBER, {"input": {"id": number["id"], "callFlowId": None}}, token=tenant_a.token
        )
    )
    assert json.loads(await redis.get(f"hotline:did:{e164}")) == {
        "tenant_id": tenant,
        "queue_id": raw_id(queue["id"]),
    }


async def test_a_failed_publish_leaves_no_version(gql: GraphQL, tenant_a: TenantAccount) -> None:
    queue = await create_queue(gql, tenant_a)
    flow = await create_flow(gql, tenant_a, enqueue_flow(queue["id"]))
    first = await publish(gql, tenant_a, flow["id"])
    skill = await create_skill(gql, tenant_a, "Doomed")
    draft = enqueue_flow(queue["id"])
    draft["nodes"]["known"]["then"] = "needs"
    draft["nodes"]["needs"] = {
        "type": "set",
        "skills": [{"skillId": skill["id"], "minLevel": 2}],
        "next": "queue",
    }
    ok(await gql(UPDATE_DRAFT, {"input": {"id": flow["id"], "draft": draft}}, token=tenant_a.token))
    ok(await gql(DELETE_SKILL, {"id": skill["id"]}, token=tenant_a.token))
    body = await gql(PUBLISH, {"id": flow["id"]}, token=tenant_a.token)
    assert error_code(body) == "BAD_USER_INPUT"
    assert field_of(body) == "nodes.needs.skills.0.skillId"
    got = ok(await gql(FLOW, {"id": flow["id"]}, token=tenant_a.token))["callFlow"]
    assert got["publishedVersionId"] == first["id"]
    assert [e["node"]["number"] for e in got["versions"]["edges"]] == [1]


async def test_a_queue_a_live_flow_names_cannot_be_deleted(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    queue = await create_queue(gql, tenant_a, name="Named by IVR")
    flow = await create_flow(gql, tenant_a, enqueue_flow(queue["id"]))
    refused = await gql(DELETE_QUEUE, {"id": queue["id"]}, token=tenant_a.token)
    assert error_code(refused) == "CONFLICT"
    assert "call flow Main IVR" in refused["errors"][0]["message"]
    ok(await gql(ARCHIVE, {"id": flow["id"]}, token=tenant_a.token))
    ok(await gql(DELETE_QUEUE, {"id": queue["id"]}, token=tenant_a.token))


async def test_concurrent_publishes_get_distinct_versions(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    flow = await create_flow(gql, tenant_a)
    bodies = await asyncio.gather(
        *(gql(PUBLISH, {"id": flow["id"]}, token=tenant_a.token) for _ in range(3))
    )
    numbers = sorted(ok(b)["publishCallFlow"]["number"] for b in bodies)
    assert numbers == [1, 2, 3]


async def test_published_versions_are_immutable_in_the_database(
    gql: GraphQL, tenant_a: TenantAccount, services: ApiServices
) -> None:
    flow = await create_flow(gql, tenant_a)
    version = await publish(gql, tenant_a, flow["id"])
    with pytest.raises(DBAPIError, match="immutable"):
        async with services.database.transaction(uuid.UUID(tenant_uuid(tenant_a))) as session:
            await session.execute(
                text("UPDATE call_flow_versions SET definition = '{}' WHERE id = :id"),
                {"id": raw_id(version["id"])},
            )


async def test_archive_is_refused_while_a_number_runs_the_flow(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    queue = await create_queue(gql, tenant_a)
    flow = await create_flow(gql, tenant_a)
    await publish(gql, tenant_a, flow["id"])
    number = ok(
        await gql(
            CREATE_NUMBER,
            {"input": {"number": fresh_number(), "queueId": queue["id"], "callFlowId": flow["id"]}},
            token=tenant_a.token,
        )
    )["createPhoneNumber"]
    refused = await gql(ARCHIVE, {"id": flow["id"]}, token=tenant_a.token)
    assert error_code(refused) == "CONFLICT"
    assert number["number"] in refused["errors"][0]["message"]
    ok(
        await gql(
            UPDATE_NUMBER, {"input": {"id": number["id"], "callFlowId": None}}, token=tenant_a.token
        )
    )
    archived = ok(await gql(ARCHIVE, {"id": flow["id"]}, token=tenant_a.token))["archiveCallFlow"]
    assert archived["archived"] is True
    assert ok(await gql(FLOWS, token=tenant_a.token))["callFlows"]["edges"] == []
    listed = ok(await gql(FLOWS, {"archived": True}, token=tenant_a.token))["callFlows"]["edges"]
    assert [e["node"]["id"] for e in listed] == [flow["id"]]
    assert error_code(await gql(PUBLISH, {"id": flow["id"]}, token=tenant_a.token)) == "CONFLICT"
    again = await gql(
        CREATE_NUMBER,
        {"input": {"number": fresh_number(), "queueId": queue["id"], "callFlowId": flow["id"]}},
        token=tenant_a.token,
    )
    assert error_code(again) == "NOT_FOUND"


async def test_tenant_b_sees_and_changes_nothing(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    queue_a = await create_queue(gql, tenant_a)
    flow = await create_flow(gql, tenant_a, enqueue_flow(queue_a["id"]))
    version = await publish(gql, tenant_a, flow["id"])
    b = tenant_b.token
    assert ok(await gql(FLOWS, token=b))["callFlows"]["edges"] == []
    assert error_code(await gql(FLOW, {"id": flow["id"]}, token=b)) == "NOT_FOUND"
    node = "query($id: ID!) { node(id: $id) { id } }"
    assert error_code(await gql(node, {"id": flow["id"]}, token=b)) == "NOT_FOUND"
    assert error_code(await gql(node, {"id": version["id"]}, token=b)) == "NOT_FOUND"
    update = {"input": {"id": flow["id"], "name": "Stolen"}}
    assert error_code(await gql(UPDATE_DRAFT, update, token=b)) == "NOT_FOUND"
    assert error_code(await gql(PUBLISH, {"id": flow["id"]}, token=b)) == "NOT_FOUND"
    assert error_code(await gql(ARCHIVE, {"id": flow["id"]}, token=b)) == "NOT_FOUND"
    queue_b = await create_queue(gql, tenant_b)
    foreign_flow = await gql(
        CREATE_NUMBER,
        {"input": {"number": fresh_number(), "queueId": queue_b["id"], "callFlowId": flow["id"]}},
        token=b,
    )
    assert error_code(foreign_flow) == "NOT_FOUND"
    got = ok(await gql(FLOW, {"id": flow["id"]}, token=tenant_a.token))["callFlow"]
    assert got["name"] == "Main IVR" and got["archived"] is False
    assert [e["node"]["number"] for e in got["versions"]["edges"]] == [1]
    assert (
        ok(await gql(node, {"id": version["id"]}, token=tenant_a.token))["node"]["id"]
        == version["id"]
    )


async def test_agents_cannot_edit_flows(gql: GraphQL, tenant_a: TenantAccount) -> None:
    from tests.routing.config.helpers import add_member

    agent = await add_member(gql, tenant_a, "agent")
    body = await gql('mutation { createCallFlow(input: {name: "x"}) { id } }', token=agent.token)
    assert error_code(body) == "FORBIDDEN"


async def test_a_sync_restores_the_flow_versions_and_the_flow_did(
    gql: GraphQL, tenant_a: TenantAccount, redis: Redis, services: ApiServices
) -> None:
    queue = await create_queue(gql, tenant_a)
    flow = await create_flow(gql, tenant_a, enqueue_flow(queue["id"]))
    first = await publish(gql, tenant_a, flow["id"])
    second = await publish(gql, tenant_a, flow["id"])
    e164 = fresh_number()
    ok(
        await gql(
            CREATE_NUMBER,
            {"input": {"number": e164, "queueId": queue["id"], "callFlowId": flow["id"]}},
            token=tenant_a.token,
        )
    )
    tenant = tenant_uuid(tenant_a)
    version_keys = [f"{{t:{tenant}}}:flow-version:{raw_id(v['id'])}" for v in (first, second)]
    await redis.delete(f"hotline:did:{e164}", *version_keys)
    async with services.database.transaction() as session:
        await services.directory.sync_tenant(session, uuid.UUID(tenant))
    assert json.loads(await redis.get(f"hotline:did:{e164}"))["flow_version_id"] == raw_id(
        second["id"]
    )
    for key in version_keys:
        assert json.loads(await redis.get(key)) == enqueue_flow(queue["id"])
