"""Customers over GraphQL: phones, categories, custom fields, filters, on real PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import GraphQL, TenantAccount, error_code
from tests.tenants.crm.conftest import (
    CREATE_CUSTOMER,
    CREATE_FIELD,
    UPDATE_CUSTOMER,
    create_customer,
    user_token,
)

SET_REGION = "mutation($r: String!) { updateCrmSettings(defaultRegion: $r) { defaultRegion } }"
CATEGORIES = "{ customerCategories { id name routing } }"
CUSTOMER = "query($id: ID!) { customer(id: $id) { id name phones { e164 raw } } }"
CUSTOMERS = """
query($filter: CustomerFilter, $order: CustomerOrder, $first: Int, $after: String) {
  customers(filter: $filter, orderBy: $order, first: $first, after: $after) {
    edges { cursor node { id name } }
    pageInfo { hasNextPage endCursor }
  }
}"""


async def test_customer_keeps_raw_phones_and_matches_by_e164(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    customer = await create_customer(
        gql,
        tenant_a,
        name="Grace Hopper",
        phones=["+86 138 0013 8000", "(202) 555-0143", "+86-138-0013-8000"],
        emails=["grace@example.com"],
        tags=["navy", "cobol"],
        company="USN",
        notes="prefers mornings",
    )
    assert customer["phones"] == [
        {"e164": "+8613800138000", "raw": "+86 138 0013 8000"},
        {"e164": "+12025550143", "raw": "(202) 555-0143"},
    ]
    assert customer["tags"] == ["navy", "cobol"]
    assert customer["emails"] == ["grace@example.com"]
    read = await gql(CUSTOMER, {"id": customer["id"]}, token=tenant_a.token)
    assert read["data"]["customer"]["name"] == "Grace Hopper"


async def test_a_number_belongs_to_one_customer_and_conflict_names_the_holder(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    await create_customer(gql, tenant_a, name="First Holder", phones=["+1 202 555 0143"])
    body = await gql(
        CREATE_CUSTOMER,
        {"input": {"name": "Second", "phones": ["tel:+12025550143"]}},
        token=tenant_a.token,
    )
    assert error_code(body) == "CONFLICT"
    assert "First Holder" in body["errors"][0]["message"]
    listed = await gql(CUSTOMERS, {"filter": {"namePrefix": "Second"}}, token=tenant_a.token)
    assert listed["data"]["customers"]["edges"] == []
    # Another tenant may hold the same number.
    await create_customer(gql, tenant_b, name="Other tenant", phones=["+12025550143"])


async def test_invalid_phone_is_bad_user_input_quoting_the_number(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    body = await gql(
        CREATE_CUSTOMER,
        {"input": {"name": "X", "phones": ["12-not-a-number"]}},
        token=tenant_a.token,
    )
    assert error_code(body) == "BAD_USER_INPUT"
    assert "12-not-a-number" in body["errors"][0]["message"]


async def test_region_setting_reads_national_numbers_and_only_admins_set_it(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    national = await gql(
        CREATE_CUSTOMER, {"input": {"name": "Li", "phones": ["13800138000"]}}, token=tenant_a.token
    )
    assert error_code(national) == "BAD_USER_INPUT"  # read as a US number: invalid
    _, agent = await user_token(gql, tenant_a, "agent")
    assert error_code(await gql(SET_REGION, {"r": "CN"}, token=agent)) == "FORBIDDEN"
    assert error_code(await gql(SET_REGION, {"r": "XX"}, token=tenant_a.token)) == "BAD_USER_INPUT"
    body = await gql(SET_REGION, {"r": "cn"}, token=tenant_a.token)
    assert body["data"]["updateCrmSettings"]["defaultRegion"] == "CN"
    customer = await create_customer(gql, tenant_a, name="Li", phones=["13800138000"])
    assert customer["phones"] == [{"e164": "+8613800138000", "raw": "13800138000"}]


async def test_default_categories_and_category_crud(gql: GraphQL, tenant_a: TenantAccount) -> None:
    body = await gql(CATEGORIES, token=tenant_a.token)
    names = {c["name"]: c["routing"] for c in body["data"]["customerCategories"]}
    assert names == {
        "VIP": "PRIORITY",
        "blacklist": "REJECT",
        "prospect": "NONE",
        "follow-up": "NONE",
    }
    created = await gql(
        'mutation { createCustomerCategory(input: {name: "partner"}) { id name routing } }',
        token=tenant_a.token,
    )
    category_id = created["data"]["createCustomerCategory"]["id"]
    dup = await gql(
        'mutation { createCustomerCategory(input: {name: "VIP"}) { id } }', token=tenant_a.token
    )
    assert error_code(dup) == "CONFLICT"
    renamed = await gql(
        "mutation($id: ID!) { updateCustomerCategory(id: $id, input: "
        '{name: "gold partner", routing: PRIORITY}) { name routing } }',
        {"id": category_id},
        token=tenant_a.token,
    )
    assert renamed["data"]["updateCustomerCategory"] == {
        "name": "gold partner",
        "routing": "PRIORITY",
    }
    customer = await create_customer(gql, tenant_a, name="P", category="Gold Partner")
    assert customer["category"]["name"] == "gold partner"
    unknown = await gql(
        CREATE_CUSTOMER, {"input": {"name": "Q", "category": "nope"}}, token=tenant_a.token
    )
    assert error_code(unknown) == "BAD_USER_INPUT"
    _, agent = await user_token(gql, tenant_a, "agent")
    forbidden = await gql(
        'mutation { createCustomerCategory(input: {name: "x"}) { id } }', token=agent
    )
    assert error_code(forbidden) == "FORBIDDEN"
    deleted = await gql(
        "mutation($id: ID!) { deleteCustomerCategory(id: $id) { deletedId } }",
        {"id": category_id},
        token=tenant_a.token,
    )
    assert deleted["data"]["deleteCustomerCategory"]["deletedId"] == category_id
    read = await gql(
        "query($id: ID!) { customer(id: $id) { category { id } } }",
        {"id": customer["id"]},
        token=tenant_a.token,
    )
    assert read["data"]["customer"]["category"] is None


FIELD_DEFINITIONS: list[dict[str, Any]] = [
    {"key": "nickname", "label": "Nickname", "type": "TEXT"},
    {"key": "score", "label": "Score", "type": "NUMBER"},
    {"key": "birthday", "label": "Birthday", "type": "DATE"},
    {"key": "tier", "label": "Tier", "type": "SELECT", "options": ["gold", "silver"]},
    {"key": "topics", "label": "Topics", "type": "MULTI_SELECT", "options": ["a", "b", "c"]},
    {"key": "consent", "label": "Consent", "type": "BOOLEAN"},
    {"key": "fax", "label": "Fax", "type": "PHONE"},
    {"key": "billing", "label": "Billing", "type": "EMAIL"},
]

GOOD_AND_BAD = [
    ("nickname", "Amazing Grace", "Amazing Grace", 42),
    ("score", 7.5, 7.5, "high"),
    ("birthday", "1906-12-09", "1906-12-09", "December"),
    ("tier", "gold", "gold", "bronze"),
    ("topics", ["c", "a"], ["a", "c"], ["z"]),
    ("consent", True, True, "yes"),
    ("fax", "+1 (202) 555-0143", "+12025550143", "555"),
    ("billing", "Bill@Example.com", "Bill@example.com", "not-an-email"),
]


@pytest.mark.parametrize(("key", "good", "stored", "bad"), GOOD_AND_BAD)
async def test_custom_field_values_are_validated_by_type(
    gql: GraphQL, tenant_a: TenantAccount, key: str, good: Any, stored: Any, bad: Any
) -> None:
    definition = next(d for d in FIELD_DEFINITIONS if d["key"] == key)
    created = await gql(CREATE_FIELD, {"input": definition}, token=tenant_a.token)
    assert "errors" not in created, created
    customer = await create_customer(gql, tenant_a, name="Typed", customFields={key: good})
    assert customer["customFields"] == {key: stored}
    body = await gql(
        CREATE_CUSTOMER,
        {"input": {"name": "Bad", "customFields": {key: bad}}},
        token=tenant_a.token,
    )
    assert error_code(body) == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["field"] == f"customFields.{key}"


async def test_custom_field_rules_required_unique_default_and_unknown(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    for definition in (
        {"key": "region", "label": "Region", "type": "TEXT", "default": "north"},
        {"key": "account_no", "label": "Account", "type": "TEXT", "unique": True},
        {"key": "source", "label": "Source", "type": "TEXT", "required": True},
    ):
        body = await gql(CREATE_FIELD, {"input": definition}, token=tenant_a.token)
        assert "errors" not in body, body
    missing = await gql(CREATE_CUSTOMER, {"input": {"name": "M"}}, token=tenant_a.token)
    assert error_code(missing) == "BAD_USER_INPUT"
    assert "source" in missing["errors"][0]["message"]
    first = await create_customer(
        gql, tenant_a, name="U1", customFields={"source": "web", "account_no": "A-1"}
    )
    assert first["customFields"] == {"source": "web", "account_no": "A-1", "region": "north"}
    taken = await gql(
        CREATE_CUSTOMER,
        {"input": {"name": "U2", "customFields": {"source": "web", "account_no": "A-1"}}},
        token=tenant_a.token,
    )
    assert error_code(taken) == "CONFLICT"
    assert "U1" in taken["errors"][0]["message"]
    unknown = await gql(
        CREATE_CUSTOMER,
        {"input": {"name": "U3", "customFields": {"source": "x", "nope": 1}}},
        token=tenant_a.token,
    )
    assert error_code(unknown) == "BAD_USER_INPUT"
    assert unknown["errors"][0]["extensions"]["field"] == "customFields.nope"
    cleared = await gql(
        UPDATE_CUSTOMER,
        {"input": {"id": first["id"], "customFields": {"source": None}}},
        token=tenant_a.token,
    )
    assert error_code(cleared) == "BAD_USER_INPUT"
    bad_select = await gql(
        CREATE_FIELD,
        {"input": {"key": "k", "label": "K", "type": "SELECT"}},
        token=tenant_a.token,
    )
    assert error_code(bad_select) == "BAD_USER_INPUT"
    dup = await gql(
        CREATE_FIELD,
        {"input": {"key": "source", "label": "S", "type": "TEXT"}},
        token=tenant_a.token,
    )
    assert error_code(dup) == "CONFLICT"


async def test_update_replaces_phones_and_keeps_the_rest(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    owner_id, _ = await user_token(gql, tenant_a, "agent")
    customer = await create_customer(gql, tenant_a, name="Old", phones=["+12025550143"])
    body = await gql(
        UPDATE_CUSTOMER,
        {
            "input": {
                "id": customer["id"],
                "name": "New",
                "phones": ["+1 202 555 0143", "+44 20 7946 0958"],
                "ownerId": owner_id,
                "category": "VIP",
            }
        },
        token=tenant_a.token,
    )
    updated = body["data"]["updateCustomer"]
    assert updated["name"] == "New"
    assert [p["e164"] for p in updated["phones"]] == ["+12025550143", "+442079460958"]
    assert updated["owner"]["id"] == owner_id
    assert updated["category"]["name"] == "VIP"
    assert updated["tags"] == customer["tags"]
    other = await create_customer(gql, tenant_a, name="Other", phones=["+33 1 42 68 53 00"])
    clash = await gql(
        UPDATE_CUSTOMER,
        {"input": {"id": other["id"], "phones": ["+442079460958"]}},
        token=tenant_a.token,
    )
    assert error_code(clash) == "CONFLICT"
    assert "New" in clash["errors"][0]["message"]


async def test_delete_customer_frees_its_numbers_and_needs_a_supervisor(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    customer = await create_customer(gql, tenant_a, name="Gone", phones=["+12025550143"])
    delete = "mutation($id: ID!) { deleteCustomer(id: $id) { deletedId } }"
    _, agent = await user_token(gql, tenant_a, "agent")
    assert error_code(await gql(delete, {"id": customer["id"]}, token=agent)) == "FORBIDDEN"
    body = await gql(delete, {"id": customer["id"]}, token=tenant_a.token)
    assert body["data"]["deleteCustomer"]["deletedId"] == customer["id"]
    gone = await gql(CUSTOMER, {"id": customer["id"]}, token=tenant_a.token)
    assert error_code(gone) == "NOT_FOUND"
    await create_customer(gql, tenant_a, name="Reuses", phones=["+12025550143"])


async def _names(gql: GraphQL, account: TenantAccount, **variables: Any) -> list[str]:
    body = await gql(CUSTOMERS, variables, token=account.token)
    assert "errors" not in body, body
    return [edge["node"]["name"] for edge in body["data"]["customers"]["edges"]]


async def test_filters_sort_and_pagination(gql: GraphQL, tenant_a: TenantAccount) -> None:
    owner_id, _ = await user_token(gql, tenant_a, "agent")
    await gql(
        CREATE_FIELD,
        {"input": {"key": "tier", "label": "T", "type": "SELECT", "options": ["gold", "silver"]}},
        token=tenant_a.token,
    )
    await create_customer(gql, tenant_a, name="Alice", phones=["+8613800138000"], tags=["x"])
    await create_customer(
        gql,
        tenant_a,
        name="alfred",
        category="VIP",
        ownerId=owner_id,
        customFields={"tier": "gold"},
    )
    await create_customer(
        gql, tenant_a, name="Bob_%", tags=["x", "y"], customFields={"tier": "silver"}
    )
    await create_customer(gql, tenant_a, name="Carol")
    assert sorted(await _names(gql, tenant_a, filter={"namePrefix": "AL"})) == ["Alice", "alfred"]
    assert await _names(gql, tenant_a, filter={"namePrefix": "Bob_"}) == ["Bob_%"]
    assert await _names(gql, tenant_a, filter={"namePrefix": "B%"}) == []
    assert await _names(gql, tenant_a, filter={"phone": "008613800138000"}) == ["Alice"]
    assert await _names(gql, tenant_a, filter={"category": "vip"}) == ["alfred"]
    assert sorted(await _names(gql, tenant_a, filter={"tag": "x"})) == ["Alice", "Bob_%"]
    assert await _names(gql, tenant_a, filter={"ownerId": owner_id}) == ["alfred"]
    assert await _names(gql, tenant_a, filter={"customFields": {"tier": "silver"}}) == ["Bob_%"]
    bad = await gql(
        CUSTOMERS, {"filter": {"customFields": {"tier": "bronze"}}}, token=tenant_a.token
    )
    assert error_code(bad) == "BAD_USER_INPUT"
    by_name = await _names(gql, tenant_a, order={"field": "NAME"})
    assert by_name == sorted(by_name)
    assert await _names(gql, tenant_a, order={"field": "NAME", "descending": True}) == by_name[::-1]
    seen: list[str] = []
    after = None
    while True:
        body = await gql(
            CUSTOMERS,
            {"order": {"field": "NAME"}, "first": 3, "after": after},
            token=tenant_a.token,
        )
        conn = body["data"]["customers"]
        seen += [edge["node"]["name"] for edge in conn["edges"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert seen == by_name
    too_many = await gql(CUSTOMERS, {"first": 10_000}, token=tenant_a.token)
    assert error_code(too_many) == "BAD_USER_INPUT"
    bad_cursor = await gql(CUSTOMERS, {"after": "garbage"}, token=tenant_a.token)
    assert error_code(bad_cursor) == "BAD_USER_INPUT"
