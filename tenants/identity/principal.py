"""Who is calling: a signed-in user or an API key, always within one tenant."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from tenants.errors import Forbidden
from tenants.identity.roles import Role


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of a request."""

    tenant_id: uuid.UUID
    role: Role
    user_id: uuid.UUID | None = None
    api_key_id: uuid.UUID | None = None

    def require(self, allowed: frozenset[Role], action: str) -> None:
        """Raise FORBIDDEN unless the caller's role is in ``allowed``."""
        if self.role not in allowed:
            raise Forbidden(f"role {self.role.value} may not {action}")
