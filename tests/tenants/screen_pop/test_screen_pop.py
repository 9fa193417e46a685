"""Screen pop and ``classify_caller``: every spelling of a number finds its customer."""

from __future__ import annotations

import pytest

from api.clients import ApiServices
from tenants.crm.callers import classify_caller
from tenants.graphql.relay import from_global_id
from tests.conftest import GraphQL, TenantAccount, error_code
from tests.tenants.crm.conftest import create_customer

LOOKUP = """
query($n: String!) {
  lookupCaller(number: $n) {
    number customer { id name } recentCalls { callId }
    openTickets { id number status } lastInteractions { kind summary ticket { id } }
  }
}"""
SET_REGION = "mutation($r: String!) { updateCrmSettings(defaultRegion: $r) { defaultRegion } }"

SPELLINGS = [
    ("+86 138 0013 8000", "US"),
    ("+86-138-0013-8000", "US"),
    ("+8613800138000", "US"),
    ("008613800138000", "US"),
    ("008613800138000", "CN"),
    ("13800138000", "CN"),
    ("138 0013 8000", "CN"),
    ("tel:+86-138-0013-8000", "US"),
    ("tel:+8613800138000;phone-context=example.com", "US"),
    (" +86 (138) 0013.8000 ", "US"),
]


@pytest.mark.parametrize(("spelling", "region"), SPELLINGS)
async def test_every_spelling_of_a_number_finds_the_customer(
    gql: GraphQL, tenant_a: TenantAccount, spelling: str, region: str
) -> None:
    customer = await create_customer(gql, tenant_a, name="Wang Wei", phones=["+8613800138000"])
    await gql(SET_REGION, {"r": region}, token=tenant_a.token)
    body = await gql(LOOKUP, {"n": spelling}, token=tenant_a.token)
    assert "errors" not in body, body
    pop = body["data"]["lookupCaller"]
    assert pop["number"] == "+8613800138000"
    assert pop["customer"] == {"id": customer["id"], "name": "Wang Wei"}
    assert pop["recentCalls"] == []


async def test_unknown_and_invalid_numbers(gql: GraphQL, tenant_a: TenantAccount) -> None:
    unknown = await gql(LOOKUP, {"n": "+1 202 555 0143"}, token=tenant_a.token)
    assert unknown["data"]["lookupCaller"] == {
        "number": "+12025550143",
        "customer": None,
        "recentCalls": [],
        "openTickets": [],
        "lastInteractions": [],
    }
    invalid = await gql(LOOKUP, {"n": "hello"}, token=tenant_a.token)
    assert error_code(invalid) == "BAD_USER_INPUT"
    assert "hello" in invalid["errors"][0]["message"]
    assert error_code(await gql(LOOKUP, {"n": "+12025550143"})) == "UNAUTHENTICATED"


async def test_tenant_b_cannot_pop_tenant_a_customer(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount, services: ApiServices
) -> None:
    await create_customer(gql, tenant_a, name="A only", phones=["+8613800138000"], category="VIP")
    body = await gql(LOOKUP, {"n": "+8613800138000"}, token=tenant_b.token)
    assert body["data"]["lookupCaller"]["customer"] is None
    _, tenant_b_id = from_global_id(tenant_b.tenant_id)
    async with services.database.transaction() as session:
        info = await classify_caller(
            session=session,
            tenant_id=tenant_b_id,
            number="+8613800138000",
            regions=services.regions,
        )
    assert info.customer_id is None and not info.is_vip


@pytest.mark.parametrize(
    ("category", "vip", "blacklisted"),
    [
        ("VIP", True, False),
        ("blacklist", False, True),
        ("prospect", False, False),
        (None, False, False),
    ],
)
async def test_classify_caller_for_routing(
    gql: GraphQL,
    tenant_a: TenantAccount,
    services: ApiServices,
    category: str | None,
    vip: bool,
    blacklisted: bool,
) -> None:
    await gql(SET_REGION, {"r": "CN"}, token=tenant_a.token)
    fields = {"category": category} if category else {}
    customer = await create_customer(gql, tenant_a, name="C", phones=["13800138000"], **fields)
    _, tenant_id = from_global_id(tenant_a.tenant_id)
    _, customer_id = from_global_id(customer["id"])
    async with services.database.transaction() as session:
        info = await classify_caller(
            session=session, tenant_id=tenant_id, number="138-0013-8000", regions=services.regions
        )
        unknown = await classify_caller(
            session=session, tenant_id=tenant_id, number="anonymous", regions=services.regions
        )
    assert info.customer_id == customer_id
    assert info.category_name == category
    assert (info.is_vip, info.is_blacklisted) == (vip, blacklisted)
    assert unknown.customer_id is None and not unknown.is_blacklisted


async def test_screen_pop_lists_open_tickets_and_last_interactions(
    gql: GraphQL, tenant_a: TenantAccount, services: ApiServices
) -> None:
    from tenants.identity.principal import Principal
    from tenants.identity.roles import Role
    from tenants.screen_pop.service import lookup_caller
    from tests.tenants.tickets.conftest import TRANSITION, create_ticket, make_workflow

    customer = await create_customer(gql, tenant_a, name="Repeat", phones=["+8613800138000"])
    workflow = await make_workflow(gql, tenant_a, member_ids=[])
    open_one = await create_ticket(gql, tenant_a, workflow, customerId=customer["id"])
    closed = await create_ticket(gql, tenant_a, workflow, customerId=customer["id"])
    body = await gql(
        TRANSITION, {"input": {"id": closed["id"], "action": "CLOSE"}}, token=tenant_a.token
    )
    assert "errors" not in body
    await create_ticket(gql, tenant_a, workflow)  # someone else's ticket
    pop = (await gql(LOOKUP, {"n": "008613800138000"}, token=tenant_a.token))["data"][
        "lookupCaller"
    ]
    assert [t["id"] for t in pop["openTickets"]] == [open_one["id"]]
    assert [i["kind"] for i in pop["lastInteractions"]] == ["ticket"] * 3
    assert pop["lastInteractions"][0]["ticket"]["id"] == closed["id"]
    assert "close" in pop["lastInteractions"][0]["summary"]
    _, tenant_id = from_global_id(tenant_a.tenant_id)
    _, owner_id = from_global_id(tenant_a.owner_id)
    principal = Principal(tenant_id=tenant_id, role=Role.AGENT, user_id=owner_id)
    async with services.database.transaction(tenant_id) as session:
        whole = await lookup_caller(
            session=session,
            principal=principal,
            number=" tel:+8613800138000",
            regions=services.regions,
        )
    assert whole.e164 == "+8613800138000"
    assert [t.number for t in whole.open_tickets] == [int(open_one["number"][2:])]
    assert len(whole.last_interactions) == 3 and whole.recent_calls == []
