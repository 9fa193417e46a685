"""Fault tests share routing's fixtures (a Valkey client, fresh tenant ids)."""

from tests.routing.conftest import redis, tenant_id

__all__ = ["redis", "tenant_id"]
