"""The screen pop's single statement: typed rows, both isolation walls, one round trip."""

from __future__ import annotations

import uuid
from datetime import UTC

from sqlalchemy import event

from api.clients import ApiServices
from tenants.graphql.relay import from_global_id
from tenants.identity.principal import Principal
from tenants.identity.roles import Role
from tenants.screen_pop import repository
from tenants.screen_pop.service import lookup_caller
from tests.conftest import GraphQL, TenantAccount
from tests.tenants.crm.conftest import create_customer
from tests.tenants.tickets.conftest import create_ticket, make_workflow

NUMBER = "+8613800138000"


async def _customer_with_ticket(gql: GraphQL, account: TenantAccount) -> tuple[dict, dict]:
    customer = await create_customer(
        gql, account, name="Li Na", phones=[NUMBER], customFields={}, tags=["loyal"]
    )
    workflow = await make_workflow(gql, account, member_ids=[])
    ticket = await create_ticket(gql, account, workflow, customerId=customer["id"])
    return customer, ticket


def _uuid(global_id: str) -> uuid.UUID:
    return from_global_id(global_id)[1]


async def test_rows_come_back_typed_like_orm_rows(
    gql: GraphQL, tenant_a: TenantAccount, services: ApiServices
) -> None:
    customer, ticket = await _customer_with_ticket(gql, tenant_a)
    tenant_id = _uuid(tenant_a.tenant_id)
    async with services.database.transaction(tenant_id) as session:
        rows = await repository.pop_by_e164(
            session, tenant_id=tenant_id, e164=NUMBER, tickets_limit=10, history_limit=10
        )
    assert rows is not None
    assert rows.customer.id == _uuid(customer["id"]) and rows.customer.tags == ["loyal"]
    [open_ticket] = rows.open_tickets
    assert open_ticket.id == _uuid(ticket["id"])
    assert open_ticket.customer_id == rows.customer.id
    assert open_ticket.created_at.tzinfo is not None
    assert open_ticket.created_at.utcoffset() == UTC.utcoffset(None)
    assert open_ticket.display_number == ticket["number"]
    [(entry, of_ticket)] = rows.history
    assert entry.ticket_id == of_ticket.id == open_ticket.id
    assert isinstance(entry.id, uuid.UUID) and entry.at.tzinfo is not None


async def test_tenant_b_cannot_read_tenant_a_pop_even_naming_tenant_a(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount, services: ApiServices
) -> None:
    await _customer_with_ticket(gql, tenant_a)
    tenant_a_id, tenant_b_id = _uuid(tenant_a.tenant_id), _uuid(tenant_b.tenant_id)
    # Wall 1: the statement filters the tenant it is given.
    async with services.database.transaction(tenant_b_id) as session:
        assert (
            await repository.pop_by_e164(
                session, tenant_id=tenant_b_id, e164=NUMBER, tickets_limit=10, history_limit=10
            )
            is None
        )
    # Wall 2: a session bound to B sees nothing of A even when the statement names A.
    async with services.database.transaction(tenant_b_id) as session:
        assert (
            await repository.pop_by_e164(
                session, tenant_id=tenant_a_id, e164=NUMBER, tickets_limit=10, history_limit=10
            )
            is None
        )


async def test_the_service_lookup_is_two_statements(
    gql: GraphQL, tenant_a: TenantAccount, services: ApiServices
) -> None:
    await _customer_with_ticket(gql, tenant_a)
    tenant_id = _uuid(tenant_a.tenant_id)
    principal = Principal(tenant_id=tenant_id, role=Role.AGENT, user_id=_uuid(tenant_a.owner_id))
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    async with services.database.transaction(tenant_id) as session:
        await lookup_caller(
            session=session, principal=principal, number=NUMBER, regions=services.regions
        )  # warm region
        event.listen(services.database.engine.sync_engine, "before_cursor_execute", count)
        try:
            pop = await lookup_caller(
                session=session,
                principal=principal,
                number="0086 138 0013 8000",
                regions=services.regions,
                recent_calls=services.recent_calls,
            )
        finally:
            event.remove(services.database.engine.sync_engine, "before_cursor_execute", count)
    assert pop.customer is not None and len(pop.open_tickets) == 1
    assert len(statements) == 2, statements
