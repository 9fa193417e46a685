"""GraphQL documents and helpers for the call-flow tests."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQL, TenantAccount
from tests.routing.config.helpers import ok

FLOW_FIELDS = "id name description draft publishedVersionId archived"
VERSION_FIELDS = "id flowId number definition publishedAt"
CREATE_FLOW = f"""
mutation($input: CreateCallFlowInput!) {{ createCallFlow(input: $input) {{ {FLOW_FIELDS} }} }}"""
UPDATE_DRAFT = f"""
mutation($input: UpdateCallFlowDraftInput!) {{
  updateCallFlowDraft(input: $input) {{ {FLOW_FIELDS} }}
}}"""
PUBLISH = f"mutation($id: ID!) {{ publishCallFlow(id: $id) {{ {VERSION_FIELDS} }} }}"
ARCHIVE = f"mutation($id: ID!) {{ archiveCallFlow(id: $id) {{ {FLOW_FIELDS} }} }}"
FLOW = f"""query($id: ID!) {{ callFlow(id: $id) {{ {FLOW_FIELDS}
  versions(first: 50) {{ edges {{ node {{ {VERSION_FIELDS} }} }} }} }} }}"""
FLOWS = f"""query($archived: Boolean! = false) {{
  callFlows(first: 50, archived: $archived) {{ edges {{ node {{ {FLOW_FIELDS} }} }} }}
}}"""


def enqueue_flow(queue_id: str, *, number: str = "+14155550100") -> dict[str, Any]:
    """Ask for an account number; known callers go to ``queue_id``, others to a number."""
    return {
        "start": "account",
        "nodes": {
            "account": {
                "type": "collect",
                "variable": "account",
                "next": "known",
                "fallback": "queue",
            },
            "known": {
                "type": "crm",
                "condition": {"kind": "known_customer"},
                "then": "queue",
                "else": "away",
            },
            "queue": {"type": "enqueue", "queue": queue_id},
            "away": {"type": "transfer", "number": number},
        },
    }


async def create_flow(
    gql: GraphQL, account: TenantAccount, draft: dict[str, Any] | None = None, **fields: Any
) -> dict[str, Any]:
    payload: dict[str, Any] = {"name": fields.pop("name", "Main IVR"), **fields}
    if draft is not None:
        payload["draft"] = draft
    body = await gql(CREATE_FLOW, {"input": payload}, token=account.token)
    return ok(body)["createCallFlow"]


async def publish(gql: GraphQL, account: TenantAccount, flow_id: str) -> dict[str, Any]:
    return ok(await gql(PUBLISH, {"id": flow_id}, token=account.token))["publishCallFlow"]
