"""Disposition codes: managers keep them, agents read the active ones, used codes archive."""

from __future__ import annotations

import uuid

from tests.conftest import GraphQL, TenantAccount, error_code
from tests.routing.live.test_graphql import make_user

FIELDS = "id code label active requiresNote used"
LIST = f"query($all: Boolean!) {{ dispositions(includeArchived: $all) {{ {FIELDS} }} }}"
CREATE = f"mutation($i: DispositionInput!) {{ createDisposition(input: $i) {{ {FIELDS} }} }}"
UPDATE = f"""
mutation($id: ID!, $i: DispositionInput!) {{
  updateDisposition(id: $id, input: $i) {{ {FIELDS} }}
}}"""
DELETE = "mutation($id: ID!) { deleteDisposition(id: $id) }"


async def create(gql: GraphQL, tenant: TenantAccount, code: str, **extra: object) -> dict:
    body = await gql(
        CREATE, {"i": {"code": code, "label": code.title(), **extra}}, token=tenant.token
    )
    assert "errors" not in body, body
    return body["data"]["createDisposition"]


async def codes(gql: GraphQL, token: str, *, archived: bool = False) -> list[str]:
    body = await gql(LIST, {"all": archived}, token=token)
    return [d["code"] for d in body["data"]["dispositions"]]


async def test_crud_with_clear_errors(gql: GraphQL, tenant_a: TenantAccount) -> None:
    sale = await create(gql, tenant_a, "Sale", requiresNote=True)
    assert sale["code"] == "sale"
    assert sale["requiresNote"] is True
    assert sale["active"] is True
    assert sale["used"] is False
    duplicate = await gql(CREATE, {"i": {"code": "SALE", "label": "x"}}, token=tenant_a.token)
    assert error_code(duplicate) == "CONFLICT"
    assert duplicate["errors"][0]["extensions"]["field"] == "code"
    bad = await gql(CREATE, {"i": {"code": "no answer!", "label": "x"}}, token=tenant_a.token)
    assert error_code(bad) == "BAD_USER_INPUT"
    assert bad["errors"][0]["extensions"]["field"] == "code"
    empty = await gql(CREATE, {"i": {"code": "ok", "label": " "}}, token=tenant_a.token)
    assert empty["errors"][0]["extensions"]["field"] == "label"
    other = await create(gql, tenant_a, "no_answer")
    clash = await gql(
        UPDATE, {"id": other["id"], "i": {"code": "sale", "label": "x"}}, token=tenant_a.token
    )
    assert error_code(clash) == "CONFLICT"
    archived = await gql(
        UPDATE,
        {"id": other["id"], "i": {"code": "no_answer", "label": "No answer", "active": False}},
        token=tenant_a.token,
    )
    assert archived["data"]["updateDisposition"]["active"] is False
    assert await codes(gql, tenant_a.token) == ["sale"]
    assert await codes(gql, tenant_a.token, archived=True) == ["no_answer", "sale"]
    gone = await gql(DELETE, {"id": other["id"]}, token=tenant_a.token)
    assert gone["data"]["deleteDisposition"] == other["id"]
    assert await codes(gql, tenant_a.token, archived=True) == ["sale"]
    missing = await gql(DELETE, {"id": other["id"]}, token=tenant_a.token)
    assert error_code(missing) == "NOT_FOUND"


async def test_another_tenant_sees_and_changes_nothing(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    sale = await create(gql, tenant_a, "sale")
    assert await codes(gql, tenant_b.token, archived=True) == []
    changed = await gql(
        UPDATE, {"id": sale["id"], "i": {"code": "hacked", "label": "x"}}, token=tenant_b.token
    )
    assert error_code(changed) == "NOT_FOUND"
    deleted = await gql(DELETE, {"id": sale["id"]}, token=tenant_b.token)
    assert error_code(deleted) == "NOT_FOUND"
    node = await gql(
        "query($id: ID!) { node(id: $id) { id } }", {"id": sale["id"]}, token=tenant_b.token
    )
    assert error_code(node) == "NOT_FOUND"
    # tenant B may reuse the code: codes are unique per tenant only
    await create(gql, tenant_b, "sale")
    assert await codes(gql, tenant_a.token, archived=True) == ["sale"]
    malformed = await gql(DELETE, {"id": str(uuid.uuid4())}, token=tenant_a.token)
    assert error_code(malformed) == "NOT_FOUND"


async def test_agents_read_active_codes_but_may_not_change_them(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    agent = await make_user(gql, tenant_a, "agent")
    await create(gql, tenant_a, "sale")
    assert await codes(gql, agent.token) == ["sale"]
    forbidden = await gql(CREATE, {"i": {"code": "nap", "label": "Nap"}}, token=agent.token)
    assert error_code(forbidden) == "FORBIDDEN"
