"""Skills: CRUD, names unique per tenant, roles."""

from __future__ import annotations

from tests.conftest import GraphQL, TenantAccount, error_code
from tests.routing.config.helpers import (
    CREATE_SKILL,
    DELETE_SKILL,
    SKILLS,
    UPDATE_SKILL,
    add_member,
    create_queue,
    create_skill,
    ok,
)


async def test_create_list_rename_delete(gql: GraphQL, tenant_a: TenantAccount) -> None:
    billing = await create_skill(gql, tenant_a, "Billing")
    await create_skill(gql, tenant_a, "French")
    names = [
        e["node"]["name"] for e in ok(await gql(SKILLS, token=tenant_a.token))["skills"]["edges"]
    ]
    assert names == ["Billing", "French"]

    renamed = ok(
        await gql(
            UPDATE_SKILL, {"input": {"id": billing["id"], "name": "Invoices"}}, token=tenant_a.token
        )
    )["updateSkill"]
    assert renamed == {"id": billing["id"], "name": "Invoices"}

    assert ok(await gql(DELETE_SKILL, {"id": billing["id"]}, token=tenant_a.token)) == {
        "deleteSkill": billing["id"]
    }
    names = [
        e["node"]["name"] for e in ok(await gql(SKILLS, token=tenant_a.token))["skills"]["edges"]
    ]
    assert names == ["French"]


async def test_name_is_unique_per_tenant_case_insensitively(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    await create_skill(gql, tenant_a, "Spanish")
    duplicate = await gql(CREATE_SKILL, {"name": "spanish"}, token=tenant_a.token)
    assert error_code(duplicate) == "CONFLICT"
    assert duplicate["errors"][0]["extensions"]["field"] == "name"
    # Another tenant may use the same name.
    await create_skill(gql, tenant_b, "Spanish")


async def test_blank_name_is_bad_input(gql: GraphQL, tenant_a: TenantAccount) -> None:
    body = await gql(CREATE_SKILL, {"name": "   "}, token=tenant_a.token)
    assert error_code(body) == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["field"] == "name"


async def test_skill_required_by_a_queue_cannot_be_deleted(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    skill = await create_skill(gql, tenant_a, "Tier 2")
    await create_queue(
        gql, tenant_a, name="Escalations", requiredSkills=[{"skillId": skill["id"], "minLevel": 5}]
    )
    body = await gql(DELETE_SKILL, {"id": skill["id"]}, token=tenant_a.token)
    assert error_code(body) == "CONFLICT"
    assert "Escalations" in body["errors"][0]["message"]
    assert len(ok(await gql(SKILLS, token=tenant_a.token))["skills"]["edges"]) == 1


async def test_roles(gql: GraphQL, tenant_a: TenantAccount) -> None:
    skill = await create_skill(gql, tenant_a, "Sales")
    supervisor = await add_member(gql, tenant_a, "supervisor")
    agent = await add_member(gql, tenant_a, "agent")
    admin = await add_member(gql, tenant_a, "admin")

    assert len(ok(await gql(SKILLS, token=supervisor.token))["skills"]["edges"]) == 1
    assert error_code(await gql(SKILLS, token=agent.token)) == "FORBIDDEN"
    assert error_code(await gql(SKILLS)) == "UNAUTHENTICATED"
    for member in (supervisor, agent):
        assert error_code(await gql(CREATE_SKILL, {"name": "X"}, token=member.token)) == "FORBIDDEN"
        body = await gql(
            UPDATE_SKILL, {"input": {"id": skill["id"], "name": "Y"}}, token=member.token
        )
        assert error_code(body) == "FORBIDDEN"
        assert (
            error_code(await gql(DELETE_SKILL, {"id": skill["id"]}, token=member.token))
            == "FORBIDDEN"
        )
    ok(await gql(CREATE_SKILL, {"name": "Retention"}, token=admin.token))
    names = {
        e["node"]["name"] for e in ok(await gql(SKILLS, token=tenant_a.token))["skills"]["edges"]
    }
    assert names == {"Sales", "Retention"}
