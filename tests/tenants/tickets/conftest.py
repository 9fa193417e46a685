"""Helpers for ticket tests: a team, a three-step category and tickets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.conftest import GraphQL, TenantAccount

CREATE_TEAM = """
mutation($input: TeamInput!) { createTeam(input: $input) { id name members { id } } }
"""
CREATE_CATEGORY = """
mutation($input: TicketCategoryInput!) {
  createTicketCategory(input: $input) {
    id name fields { key type required options }
    steps { id name position role slaSeconds team { id } }
  }
}"""
TICKET_FIELDS = """
  id number subject description fields priority status callId stepDueAt dueAt closedAt
  customer { id name } assignee { id } currentStep { id name position }
"""
CREATE_TICKET = f"""
mutation($input: CreateTicketInput!) {{ createTicket(input: $input) {{ {TICKET_FIELDS} }} }}
"""
TRANSITION = f"""
mutation($input: TransitionTicketInput!) {{
  transitionTicket(input: $input) {{ {TICKET_FIELDS} }}
}}"""


@dataclass(frozen=True)
class Workflow:
    """A repair category: desk (role agent) → technical (team) → follow-up (role supervisor)."""

    team_id: str
    category_id: str
    step_ids: list[str]


async def make_workflow(
    gql: GraphQL, account: TenantAccount, *, member_ids: list[str], sla_seconds: int = 3600
) -> Workflow:
    """Create a team with ``member_ids`` and a repair category; fails the test on errors."""
    team = await gql(
        CREATE_TEAM, {"input": {"name": "Technical", "memberIds": member_ids}}, token=account.token
    )
    assert "errors" not in team, team
    team_id = team["data"]["createTeam"]["id"]
    category = await gql(
        CREATE_CATEGORY,
        {
            "input": {
                "name": "Repair",
                "fields": [
                    {"key": "serial", "label": "Serial", "type": "TEXT", "required": True},
                    {"key": "model", "label": "Model", "type": "SELECT", "options": ["X1", "X2"]},
                ],
                "steps": [
                    {"name": "Service desk", "role": "AGENT", "slaSeconds": sla_seconds},
                    {"name": "Technical", "teamId": team_id, "slaSeconds": sla_seconds},
                    {"name": "Follow-up", "role": "SUPERVISOR", "slaSeconds": sla_seconds},
                ],
            }
        },
        token=account.token,
    )
    assert "errors" not in category, category
    data = category["data"]["createTicketCategory"]
    return Workflow(
        team_id=team_id, category_id=data["id"], step_ids=[s["id"] for s in data["steps"]]
    )


async def create_ticket(
    gql: GraphQL, account: TenantAccount, workflow: Workflow, **fields: Any
) -> dict[str, Any]:
    """Open a repair ticket; fails the test on any error."""
    data = {
        "categoryId": workflow.category_id,
        "subject": "Broken",
        "fields": {"serial": "S-1"},
        **fields,
    }
    body = await gql(CREATE_TICKET, {"input": data}, token=account.token)
    assert "errors" not in body, body
    return body["data"]["createTicket"]
