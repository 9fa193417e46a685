"""Tenant B sees and changes nothing of tenant A's CRM records (both walls)."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from api.clients import ApiServices
from tenants.crm.models import Customer, CustomerCategory, CustomerPhone, CustomFieldDefinition
from tenants.graphql.relay import from_global_id
from tests.conftest import GraphQL, TenantAccount, error_code
from tests.tenants.crm.conftest import CREATE_FIELD, create_customer

NODE = "query($id: ID!) { node(id: $id) { id } }"
MUTATIONS = {
    "Customer": [
        ('mutation($id: ID!) { updateCustomer(input: {id: $id, name: "B"}) { id } }', {}),
        ("mutation($id: ID!) { deleteCustomer(id: $id) { deletedId } }", {}),
    ],
    "CustomerCategory": [
        (
            'mutation($id: ID!) { updateCustomerCategory(id: $id, input: {name: "B"}) { id } }',
            {},
        ),
        ("mutation($id: ID!) { deleteCustomerCategory(id: $id) { deletedId } }", {}),
    ],
    "CustomField": [
        (
            "mutation($id: ID!) { updateCustomField(id: $id, "
            'input: {key: "tier", label: "B", type: TEXT}) { id } }',
            {},
        ),
        ("mutation($id: ID!) { deleteCustomField(id: $id) { deletedId } }", {}),
    ],
}


async def test_tenant_b_sees_and_changes_no_crm_object_of_tenant_a(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    field = await gql(
        CREATE_FIELD,
        {"input": {"key": "tier", "label": "Tier", "type": "TEXT"}},
        token=tenant_a.token,
    )
    field_id = field["data"]["createCustomField"]["id"]
    customer = await create_customer(
        gql,
        tenant_a,
        name="Secret",
        phones=["+12025550143"],
        category="VIP",
        customFields={"tier": "gold"},
        tags=["t"],
    )
    ids = {
        "Customer": customer["id"],
        "CustomerCategory": customer["category"]["id"],
        "CustomField": field_id,
    }
    for type_name, global_id in ids.items():
        assert error_code(await gql(NODE, {"id": global_id}, token=tenant_b.token)) == "NOT_FOUND"
        for document, extra in MUTATIONS[type_name]:
            body = await gql(document, {"id": global_id, **extra}, token=tenant_b.token)
            assert error_code(body) == "NOT_FOUND", (type_name, body)
        own = await gql(NODE, {"id": global_id}, token=tenant_a.token)
        assert own["data"]["node"]["id"] == global_id
    read = await gql(
        "query($id: ID!) { customer(id: $id) { id } }", {"id": customer["id"]}, token=tenant_b.token
    )
    assert error_code(read) == "NOT_FOUND"
    lists = await gql(
        "{ customers { edges { node { id } } } customFields { id } customerCategories { id } }",
        token=tenant_b.token,
    )
    assert lists["data"]["customers"]["edges"] == []
    assert lists["data"]["customFields"] == []
    assert customer["category"]["id"] not in {c["id"] for c in lists["data"]["customerCategories"]}
    for variables in (
        {"filter": {"phone": "+12025550143"}},
        {"filter": {"namePrefix": "Sec"}},
        {"filter": {"tag": "t"}},
    ):
        body = await gql(
            "query($filter: CustomerFilter) "
            "{ customers(filter: $filter) { edges { node { id } } } }",
            variables,
            token=tenant_b.token,
        )
        assert body["data"]["customers"]["edges"] == []
    # B may use the same number and field key without touching A's.
    await create_customer(gql, tenant_b, name="Mine", phones=["+12025550143"])
    after = await gql(
        "query($id: ID!) { customer(id: $id) { name phones { e164 } category { name } "
        "customFields } customFields { label } }",
        {"id": customer["id"]},
        token=tenant_a.token,
    )
    assert after["data"]["customer"] == {
        "name": "Secret",
        "phones": [{"e164": "+12025550143"}],
        "category": {"name": "VIP"},
        "customFields": {"tier": "gold"},
    }
    assert after["data"]["customFields"] == [{"label": "Tier"}]


async def test_row_level_security_hides_other_tenants_rows_from_unscoped_queries(
    gql: GraphQL, services: ApiServices, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    await gql(
        CREATE_FIELD, {"input": {"key": "k", "label": "K", "type": "TEXT"}}, token=tenant_a.token
    )
    await create_customer(gql, tenant_a, name="Walled", phones=["+12025550143"], category="VIP")
    _, tenant_b_id = from_global_id(tenant_b.tenant_id)
    _, tenant_a_id = from_global_id(tenant_a.tenant_id)
    async with services.database.transaction(tenant_b_id) as session:
        for model in (Customer, CustomerPhone, CustomerCategory, CustomFieldDefinition):
            tenants = set(await session.scalars(select(model.tenant_id)))
            assert tenant_a_id not in tenants, model
    async with services.database.transaction(tenant_a_id) as session:
        assert await session.scalar(select(Customer.name).where(Customer.name == "Walled"))
        assert isinstance(tenant_a_id, uuid.UUID)


async def test_crm_settings_are_per_tenant(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    set_region = "mutation($r: String!) { updateCrmSettings(defaultRegion: $r) { defaultRegion } }"
    assert "errors" not in await gql(set_region, {"r": "CN"}, token=tenant_a.token)
    assert "errors" not in await gql(set_region, {"r": "GB"}, token=tenant_b.token)
    read = "{ crmSettings { defaultRegion } }"
    assert (await gql(read, token=tenant_a.token))["data"]["crmSettings"]["defaultRegion"] == "CN"
    assert (await gql(read, token=tenant_b.token))["data"]["crmSettings"]["defaultRegion"] == "GB"
    # A national number is read with each tenant's own region.
    a = await create_customer(gql, tenant_a, name="CN caller", phones=["13800138000"])
    assert a["phones"][0]["e164"] == "+8613800138000"
    b = await create_customer(gql, tenant_b, name="GB caller", phones=["020 7946 0958"])
    assert b["phones"][0]["e164"] == "+442079460958"
