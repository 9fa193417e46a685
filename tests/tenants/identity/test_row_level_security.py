"""The second wall: PostgreSQL RLS holds even when the repository helper is bypassed."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from api.clients import ApiServices
from tenants.database.session import bind_tenant
from tenants.graphql.relay import from_global_id
from tests.conftest import GraphQL, TenantAccount
from tests.tenants.identity.test_users_and_keys import CREATE_KEY


def _uuid(global_id: str) -> uuid.UUID:
    return from_global_id(global_id)[1]


async def test_app_role_is_not_superuser_and_cannot_bypass_rls(services: ApiServices) -> None:
    async with services.database.transaction() as session:
        row = (
            await session.execute(
                text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
            )
        ).one()
    assert tuple(row) == (False, False)


@pytest.mark.parametrize("table", ["users", "api_keys"])
async def test_raw_sql_sees_only_the_bound_tenant(
    services: ApiServices,
    gql: GraphQL,
    tenant_a: TenantAccount,
    tenant_b: TenantAccount,
    table: str,
) -> None:
    await gql(CREATE_KEY, {"input": {"name": "k", "role": "AGENT"}}, token=tenant_a.token)
    a_id, b_id = _uuid(tenant_a.tenant_id), _uuid(tenant_b.tenant_id)
    async with services.database.transaction(tenant_id=b_id) as session:
        # No WHERE clause at all: RLS alone must hide tenant A's rows.
        tenants_seen = set((await session.scalars(text(f"SELECT tenant_id FROM {table}"))).all())
        leaked = await session.scalar(
            text(f"SELECT count(*) FROM {table} WHERE tenant_id = :a"), {"a": a_id}
        )
    assert a_id not in tenants_seen
    assert leaked == 0
    async with services.database.transaction(tenant_id=a_id) as session:
        own = await session.scalar(
            text(f"SELECT count(*) FROM {table} WHERE tenant_id = :a"), {"a": a_id}
        )
    assert own >= 1


async def test_unbound_session_sees_no_tenant_rows(
    services: ApiServices, tenant_a: TenantAccount
) -> None:
    async with services.database.transaction() as session:
        assert await session.scalar(text("SELECT count(*) FROM users")) == 0


async def test_raw_update_and_delete_cannot_touch_another_tenant(
    services: ApiServices, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    a_id, b_id = _uuid(tenant_a.tenant_id), _uuid(tenant_b.tenant_id)
    async with services.database.transaction(tenant_id=b_id) as session:
        updated = await session.execute(
            text("UPDATE users SET display_name = 'pwned' WHERE tenant_id = :a"), {"a": a_id}
        )
        deleted = await session.execute(text("DELETE FROM users WHERE tenant_id = :a"), {"a": a_id})
    assert updated.rowcount == 0 and deleted.rowcount == 0
    async with services.database.transaction(tenant_id=a_id) as session:
        names = (await session.scalars(text("SELECT display_name FROM users"))).all()
    assert names and "pwned" not in names


async def test_insert_into_another_tenant_is_refused(
    services: ApiServices, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    a_id, b_id = _uuid(tenant_a.tenant_id), _uuid(tenant_b.tenant_id)
    with pytest.raises(DBAPIError, match="row-level security"):
        async with services.database.sessions() as session, session.begin():
            await bind_tenant(session, b_id)
            await session.execute(
                text(
                    "INSERT INTO users (id, tenant_id, email, password_hash, role) "
                    "VALUES (:id, :a, 'x@example.com', 'h', 'agent')"
                ),
                {"id": uuid.uuid4(), "a": a_id},
            )
