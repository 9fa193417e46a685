"""Who may make which workflow transition: the rules in one place."""

from __future__ import annotations

from dataclasses import dataclass

from tenants.errors import Forbidden
from tenants.identity.principal import Principal
from tenants.identity.roles import SUPERVISORS
from tenants.tickets.schemas import Transition


@dataclass(frozen=True)
class StepOwnership:
    """How the caller relates to a ticket's current step."""

    is_assignee: bool
    in_owning_team: bool
    has_owning_role: bool
    at_last_step: bool

    @property
    def owns_step(self) -> bool:
        """The caller works this step: its assignee, in its team, or holding its role."""
        return self.is_assignee or self.in_owning_team or self.has_owning_role


def guard_transition(principal: Principal, action: Transition, ownership: StepOwnership) -> None:
    """Raise FORBIDDEN unless the caller's role may make ``action`` now.

    Supervisors, admins and owners may make any transition. Anyone else must own the
    current step; they may close only at the last step and never reopen.
    """
    if principal.role in SUPERVISORS:
        return
    if action is Transition.REOPEN:
        raise Forbidden(f"role {principal.role.value} may not reopen tickets")
    if not ownership.owns_step:
        raise Forbidden(f"role {principal.role.value} does not own this ticket's current step")
    if action is Transition.CLOSE and not ownership.at_last_step:
        raise Forbidden(f"role {principal.role.value} may close a ticket only at its last step")
