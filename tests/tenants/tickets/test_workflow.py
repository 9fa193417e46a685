"""Workflow transitions: which role may advance, send back, reassign, close and reopen."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.conftest import GraphQL, TenantAccount, error_code
from tests.tenants.crm.conftest import user_token
from tests.tenants.tickets.conftest import TRANSITION, create_ticket, make_workflow


@dataclass(frozen=True)
class Case:
    """Start a ticket at ``step`` (closed or with ``assignee``), then ``actor`` does ``action``."""

    actor: str
    step: int
    action: str
    expect: str  # an error code, or "step:<n>" / "closed" / "open:<n>"
    assignee: str | None = None
    target: str | None = None
    closed: bool = False


CASES = [
    Case("outsider", 1, "ADVANCE", "FORBIDDEN"),
    Case("tech", 1, "ADVANCE", "step:2"),
    Case("tech", 1, "SEND_BACK", "step:0"),
    Case("tech", 1, "CLOSE", "FORBIDDEN"),
    Case("outsider", 1, "REASSIGN", "FORBIDDEN", target="tech"),
    Case("tech", 1, "REASSIGN", "step:1", target="tech2"),
    Case("supervisor", 1, "REASSIGN", "BAD_USER_INPUT", target="outsider"),
    Case("supervisor", 1, "CLOSE", "closed"),
    Case("outsider", 0, "ADVANCE", "step:1"),
    Case("outsider", 0, "SEND_BACK", "CONFLICT"),
    Case("tech", 2, "ADVANCE", "FORBIDDEN"),
    Case("supervisor", 2, "ADVANCE", "CONFLICT"),
    Case("supervisor", 2, "SEND_BACK", "step:1"),
    Case("tech", 2, "CLOSE", "closed", assignee="tech"),
    Case("outsider", 2, "CLOSE", "FORBIDDEN"),
    Case("outsider", 2, "REOPEN", "FORBIDDEN", closed=True),
    Case("supervisor", 2, "REOPEN", "open:2", closed=True),
    Case("supervisor", 1, "REOPEN", "CONFLICT"),
    Case("supervisor", 2, "CLOSE", "CONFLICT", closed=True),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.actor}-{c.action}-at{c.step}")
async def test_transition_table(gql: GraphQL, tenant_a: TenantAccount, case: Case) -> None:
    users = {}
    for name, role in (
        ("outsider", "agent"),
        ("tech", "agent"),
        ("tech2", "agent"),
        ("supervisor", "supervisor"),
    ):
        users[name] = await user_token(gql, tenant_a, role)
    workflow = await make_workflow(gql, tenant_a, member_ids=[users["tech"][0], users["tech2"][0]])
    ticket = await create_ticket(gql, tenant_a, workflow)

    async def move(action: str, token: str, **extra: str) -> dict:
        return await gql(
            TRANSITION, {"input": {"id": ticket["id"], "action": action, **extra}}, token=token
        )

    for _ in range(case.step):
        assert "errors" not in await move("ADVANCE", tenant_a.token)
    if case.assignee:
        body = await move("REASSIGN", tenant_a.token, assigneeId=users[case.assignee][0])
        assert "errors" not in body, body
    if case.closed:
        assert "errors" not in await move("CLOSE", tenant_a.token)
    extra = {"assigneeId": users[case.target][0]} if case.target else {}
    body = await move(case.action, users[case.actor][1], **extra)
    if case.expect.isupper():
        assert error_code(body) == case.expect, body
        return
    assert "errors" not in body, body
    result = body["data"]["transitionTicket"]
    kind, _, index = case.expect.partition(":")
    if kind == "closed":
        assert result["status"] == "CLOSED" and result["closedAt"] and result["stepDueAt"] is None
        return
    assert result["status"] == "OPEN"
    assert result["currentStep"]["id"] == workflow.step_ids[int(index)]
    assert result["stepDueAt"] is not None
    if case.target:
        assert result["assignee"]["id"] == users[case.target][0]


async def test_advance_with_assignee_and_send_back_to_a_chosen_step(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    tech_id, _ = await user_token(gql, tenant_a, "agent")
    workflow = await make_workflow(gql, tenant_a, member_ids=[tech_id])
    ticket = await create_ticket(gql, tenant_a, workflow)

    async def move(**data: str) -> dict:
        body = await gql(TRANSITION, {"input": {"id": ticket["id"], **data}}, token=tenant_a.token)
        assert "errors" not in body, body
        return body["data"]["transitionTicket"]

    advanced = await move(action="ADVANCE", assigneeId=tech_id, comment="to tech")
    assert advanced["assignee"]["id"] == tech_id
    assert (await move(action="ADVANCE"))["assignee"] is None
    back = await move(action="SEND_BACK", toStepId=workflow.step_ids[0])
    assert back["currentStep"]["id"] == workflow.step_ids[0]
    wrong = await gql(
        TRANSITION,
        {"input": {"id": ticket["id"], "action": "SEND_BACK", "toStepId": workflow.step_ids[2]}},
        token=tenant_a.token,
    )
    assert error_code(wrong) == "CONFLICT"  # already at the first step
    history = await gql(
        "query($id: ID!) { ticket(id: $id) { history { action detail } } }",
        {"id": ticket["id"]},
        token=tenant_a.token,
    )
    actions = [h["action"] for h in history["data"]["ticket"]["history"]]
    assert actions == ["created", "advance", "advance", "send_back"]
    assert history["data"]["ticket"]["history"][1]["detail"]["comment"] == "to tech"
