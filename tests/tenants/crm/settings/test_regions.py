"""The process's memory of tenants' default regions: TTL, invalidation, one entry per tenant."""

from __future__ import annotations

import uuid

import pytest

from api.clients import ApiServices
from tenants.crm.schemas import CrmSettingsIn
from tenants.crm.settings import regions as regions_module
from tenants.crm.settings import service
from tenants.crm.settings.regions import RegionCache
from tenants.graphql.relay import from_global_id
from tenants.identity.principal import Principal
from tenants.identity.roles import Role
from tests.conftest import GraphQL, TenantAccount

SET_REGION = "mutation($r: String!) { updateCrmSettings(defaultRegion: $r) { defaultRegion } }"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(regions_module.time, "monotonic", fake)
    return fake


def test_a_region_is_remembered_for_the_ttl_only(clock: FakeClock) -> None:
    cache = RegionCache(ttl_s=2.0)
    tenant = uuid.uuid4()
    assert cache.recall(tenant) is None
    cache.remember(tenant, "CN")
    clock.now += 1.9
    assert cache.recall(tenant) == "CN"
    clock.now += 0.1
    assert cache.recall(tenant) is None


def test_forget_drops_only_that_tenant(clock: FakeClock) -> None:
    cache = RegionCache()
    a, b = uuid.uuid4(), uuid.uuid4()
    cache.remember(a, "CN")
    cache.remember(b, "DE")
    cache.forget(a)
    assert cache.recall(a) is None
    assert cache.recall(b) == "DE"


def test_tenants_never_share_an_entry(clock: FakeClock) -> None:
    cache = RegionCache()
    a, b = uuid.uuid4(), uuid.uuid4()
    cache.remember(b, "DE")
    assert cache.recall(a) is None
    cache.remember(a, "CN")
    assert (cache.recall(a), cache.recall(b)) == ("CN", "DE")


def test_the_memory_is_bounded(clock: FakeClock) -> None:
    cache = RegionCache(max_entries=3)
    tenants = [uuid.uuid4() for _ in range(4)]
    for tenant in tenants:
        cache.remember(tenant, "US")
    assert len(cache._entries) <= 3
    assert cache.recall(tenants[-1]) == "US"


def test_each_cache_is_its_own_memory() -> None:
    tenant = uuid.uuid4()
    one, other = RegionCache(), RegionCache()
    one.remember(tenant, "CN")
    assert other.recall(tenant) is None


def _uuid(global_id: str) -> uuid.UUID:
    return from_global_id(global_id)[1]


async def test_tenant_region_reads_once_and_update_forgets(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount, services: ApiServices
) -> None:
    cache = RegionCache()
    a, b = _uuid(tenant_a.tenant_id), _uuid(tenant_b.tenant_id)
    assert "errors" not in await gql(SET_REGION, {"r": "DE"}, token=tenant_b.token)
    async with services.database.transaction(b) as session:
        assert await service.tenant_region(session, tenant_id=b, regions=cache) == "DE"
    async with services.database.transaction(a) as session:
        # Tenant B's region is never served to tenant A.
        assert await service.tenant_region(session, tenant_id=a, regions=cache) == "US"
    assert "errors" not in await gql(SET_REGION, {"r": "CN"}, token=tenant_a.token)
    async with services.database.transaction(a) as session:
        # Another process's memory keeps the old region for its TTL ...
        assert await service.tenant_region(session, tenant_id=a, regions=cache) == "US"
        # ... the database (no memory) has the new one at once.
        assert await service.tenant_region(session, tenant_id=a) == "CN"
    principal = Principal(tenant_id=a, role=Role.OWNER, user_id=_uuid(tenant_a.owner_id))
    async with services.database.transaction(a) as session:
        await service.update_settings(
            session=session,
            principal=principal,
            settings_in=CrmSettingsIn(default_region="GB"),
            regions=cache,
        )
    async with services.database.transaction(a) as session:
        # The process that made the change forgets at once.
        assert await service.tenant_region(session, tenant_id=a, regions=cache) == "GB"
    async with services.database.transaction(b) as session:
        assert await service.tenant_region(session, tenant_id=b, regions=cache) == "DE"


async def test_the_api_process_forgets_its_own_change_at_once(
    gql: GraphQL, tenant_a: TenantAccount, services: ApiServices
) -> None:
    a = _uuid(tenant_a.tenant_id)
    async with services.database.transaction(a) as session:
        assert await service.tenant_region(session, tenant_id=a, regions=services.regions) == "US"
    assert "errors" not in await gql(SET_REGION, {"r": "CN"}, token=tenant_a.token)
    assert services.regions.recall(a) is None
    async with services.database.transaction(a) as session:
        assert await service.tenant_region(session, tenant_id=a, regions=services.regions) == "CN"
