"""Row-level security DDL (the second isolation wall), used by every migration.

Policies key on ``app.tenant_id``, which the session sets with ``SET LOCAL`` inside
each transaction. ``FORCE`` makes the policies bind the table owner too, so even a
deployment whose app and migration roles are the same stays walled.
"""

from __future__ import annotations

CURRENT_TENANT = "NULLIF(current_setting('app.tenant_id', true), '')::uuid"


def enable_tenant_rls_sql(table: str, *, extra_read_condition: str | None = None) -> list[str]:
    """SQL statements that put ``table`` behind the tenant policy."""
    read = f"tenant_id = {CURRENT_TENANT}"
    if extra_read_condition:
        read = f"({read}) OR ({extra_read_condition})"
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY tenant_read ON {table} FOR SELECT USING ({read})",
        f"CREATE POLICY tenant_insert ON {table} FOR INSERT "
        f"WITH CHECK (tenant_id = {CURRENT_TENANT})",
        f"CREATE POLICY tenant_update ON {table} FOR UPDATE USING (tenant_id = {CURRENT_TENANT}) "
        f"WITH CHECK (tenant_id = {CURRENT_TENANT})",
        f"CREATE POLICY tenant_delete ON {table} FOR DELETE USING (tenant_id = {CURRENT_TENANT})",
    ]
