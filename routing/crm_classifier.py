"""The CRM-backed ``CallerClassifier``: blacklist, VIP and sticky agent from PostgreSQL."""

from __future__ import annotations

import uuid

from routing.classification import UNKNOWN_CALLER, CallerCategory, CallerClass
from tenants.crm.callers import classify_caller
from tenants.crm.settings.regions import RegionCache
from tenants.database.session import Database
from tenants.tickets.tickets_service import sticky_assignee


class CrmCallerClassifier:
    """Classifies a calling number with ``tenants.crm`` and ``tenants.tickets``.

    One short read-only transaction per call, bound to the tenant (row-level security
    applies). A returning caller with an open, assigned ticket names that assignee as the
    sticky agent; the engine waits for them up to the queue's ``sticky_agent_s``. The
    tenants' default regions come from ``regions``, the process's memory of them.
    """

    def __init__(self, database: Database, regions: RegionCache) -> None:
        self.database = database
        self.regions = regions

    async def classify(self, *, tenant_id: str, number: str) -> CallerClass:
        """The caller's class in ``tenant_id``; ``UNKNOWN_CALLER`` when not a customer."""
        tenant = uuid.UUID(tenant_id)
        async with self.database.transaction(tenant) as session:
            info = await classify_caller(
                session=session, tenant_id=tenant, number=number, regions=self.regions
            )
            if info.customer_id is None:
                return UNKNOWN_CALLER
            if info.is_blacklisted:
                return CallerClass(
                    category=CallerCategory.BLACKLISTED, customer_id=str(info.customer_id)
                )
            sticky = await sticky_assignee(
                session=session, tenant_id=tenant, customer_id=info.customer_id
            )
        return CallerClass(
            category=CallerCategory.VIP if info.is_vip else CallerCategory.NORMAL,
            customer_id=str(info.customer_id),
            sticky_agent_id=str(sticky) if sticky else None,
        )
