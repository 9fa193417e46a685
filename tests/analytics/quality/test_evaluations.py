"""Evaluations: server-side scores (weights, N/A, auto-fail), drafts and submission,
time-pinned comments, what agents see, acknowledge and dispute; roles and isolation."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from analytics.worker import EventWorker
from api.clients import ApiServices
from tests.analytics.conftest import T0, Publisher, tenant_uuid
from tests.analytics.quality.helpers import (
    ACKNOWLEDGE,
    DISPUTE,
    GET,
    LIST,
    SAVE,
    START,
    SUBMIT,
    answers,
    create_scorecard,
    ok,
    recorded_call,
    submitted,
)
from tests.analytics.reports.test_reports import qid, user
from tests.conftest import GraphQL, TenantAccount, error_code


@pytest.fixture
async def floor(
    gql: GraphQL,
    tenant_a: TenantAccount,
    services: ApiServices,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> dict:
    """Tenant A's scorecard, a supervisor, two agents and a recorded call of the first."""
    card = await create_scorecard(gql, tenant_a)
    supervisor_gid, supervisor = await user(gql, tenant_a, "SUPERVISOR")
    agent_gid, agent = await user(gql, tenant_a, "AGENT")
    _, other_agent = await user(gql, tenant_a, "AGENT")
    queue = uuid.uuid4()
    recording = await recorded_call(
        services, tenant_a, publish, make_worker, agent_gid=agent_gid, queue=queue, at=T0
    )
    return {
        "card": card["id"],
        "supervisor": supervisor,
        "supervisor_gid": supervisor_gid,
        "agent": agent,
        "agent_gid": agent_gid,
        "other_agent": other_agent,
        "queue": queue,
        "recording": recording,
    }


@pytest.mark.parametrize(
    ("greet", "empathy", "verify", "score", "failed"),
    [
        (1, 5, 1, 100.0, False),
        # greet 1·1 + empathy 2·(4-1)/4 + verify 1·1 = 3.5 of 4
        (1, 4, 1, 87.5, False),
        # empathy N/A leaves the denominator: greet 0 + verify 1 of 2
        (0, None, 1, 50.0, False),
        (1, 1, 1, 50.0, False),  # a scale's lowest value earns 0 but is no auto-fail here
        (1, 5, 0, 0.0, True),  # the auto-fail question failed
    ],
)
async def test_the_server_scores_weights_na_and_auto_fail(
    gql: GraphQL,
    floor: dict,
    greet: int,
    empathy: int | None,
    verify: int,
    score: float,
    failed: bool,
) -> None:
    done = await submitted(
        gql, floor["supervisor"], floor["card"], floor["recording"], answers(greet, empathy, verify)
    )
    assert (done["status"], done["score"], done["autoFailed"]) == ("SUBMITTED", score, failed)


async def test_a_draft_keeps_comments_by_time_and_is_scored_when_submitted(
    gql: GraphQL, floor: dict
) -> None:
    token = floor["supervisor"]
    draft = await ok(
        gql,
        START,
        {"input": {"scorecardId": floor["card"], "recordingId": floor["recording"]}},
        token,
    )
    assert draft["status"] == "DRAFT"
    assert (draft["agentId"], draft["queueId"]) == (floor["agent_gid"], qid(floor["queue"]))
    assert draft["evaluatorId"] == floor["supervisor_gid"]
    assert draft["callAt"].startswith("2026-03-02T09:00:00")
    saved = await ok(
        gql,
        SAVE,
        {
            "id": draft["id"],
            "input": {
                "answers": [{"questionId": "greet", "value": 1}],
                "comments": [
                    {"offsetSeconds": 42.5, "text": "Good hold etiquette"},
                    {"offsetSeconds": 3, "text": "Warm greeting"},
                ],
                "overallComment": "Solid call",
            },
        },
        token,
    )
    assert saved["comments"] == [
        {"offsetSeconds": 3.0, "text": "Warm greeting"},
        {"offsetSeconds": 42.5, "text": "Good hold etiquette"},
    ]
    assert (saved["score"], saved["overallComment"]) == (100.0, "Solid call")
    body = await gql(SUBMIT, {"id": draft["id"]}, token=token)
    assert error_code(body) == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["field"] == "answers"
    # The agent does not see a draft.
    assert error_code(await gql(GET, {"id": draft["id"]}, token=floor["agent"])) == "NOT_FOUND"
    assert (await ok(gql, LIST, {}, floor["agent"]))["edges"] == []
    await ok(gql, SAVE, {"id": draft["id"], "input": {"answers": answers(1, 3, 1)}}, token)
    done = await ok(gql, SUBMIT, {"id": draft["id"]}, token)
    assert (done["status"], done["score"]) == ("SUBMITTED", 75.0)
    again = await gql(SAVE, {"id": draft["id"], "input": {"answers": []}}, token=token)
    assert error_code(again) == "CONFLICT"


async def test_a_call_is_found_by_its_call_id_too(gql: GraphQL, floor: dict) -> None:
    token = floor["supervisor"]
    by_recording = await ok(
        gql,
        START,
        {"input": {"scorecardId": floor["card"], "recordingId": floor["recording"]}},
        token,
    )
    by_call = await ok(
        gql,
        START,
        {"input": {"scorecardId": floor["card"], "callId": by_recording["callId"]}},
        token,
    )
    assert by_call["recordingId"] == floor["recording"]
    body = await gql(
        START, {"input": {"scorecardId": floor["card"], "callId": "nope"}}, token=token
    )
    assert error_code(body) == "NOT_FOUND"
    body = await gql(START, {"input": {"scorecardId": floor["card"]}}, token=token)
    assert error_code(body) == "BAD_USER_INPUT"


@pytest.mark.parametrize(
    ("input_", "field"),
    [
        ({"answers": [{"questionId": "nope", "value": 1}]}, "answers.0.questionId"),
        ({"answers": [{"questionId": "greet", "value": 2}]}, "answers.0.value"),
        ({"answers": [{"questionId": "greet", "value": 1, "na": True}]}, "answers.0.value"),
        ({"answers": [{"questionId": "empathy", "value": 0}]}, "answers.0.value"),
        ({"answers": [{"questionId": "empathy", "value": 6}]}, "answers.0.value"),
        ({"answers": [{"questionId": "verify", "na": True}]}, "answers.0.na"),
        (
            {"answers": [{"questionId": "greet", "value": 1}, {"questionId": "greet", "value": 0}]},
            "answers.1.questionId",
        ),
        ({"comments": [{"offsetSeconds": -1, "text": "x"}]}, "comments.0.offsetSeconds"),
        ({"comments": [{"offsetSeconds": 500, "text": "x"}]}, "comments.0.offsetSeconds"),
        ({"comments": [{"offsetSeconds": 1, "text": " "}]}, "comments.0.text"),
    ],
)
async def test_bad_answers_name_the_field(
    gql: GraphQL, floor: dict, input_: dict, field: str
) -> None:
    token = floor["supervisor"]
    draft = await ok(
        gql,
        START,
        {"input": {"scorecardId": floor["card"], "recordingId": floor["recording"]}},
        token,
    )
    body = await gql(SAVE, {"id": draft["id"], "input": input_}, token=token)
    assert error_code(body) == "BAD_USER_INPUT", body
    assert body["errors"][0]["extensions"]["field"] == field


async def test_the_agent_acknowledges_or_disputes_their_own_and_supervisors_see_disputes(
    gql: GraphQL, floor: dict
) -> None:
    first = await submitted(
        gql, floor["supervisor"], floor["card"], floor["recording"], answers(1, 5, 1)
    )
    second = await submitted(
        gql, floor["supervisor"], floor["card"], floor["recording"], answers(0, 2, 0)
    )
    agent, other = floor["agent"], floor["other_agent"]
    mine = await ok(gql, LIST, {}, agent)
    assert {e["node"]["id"] for e in mine["edges"]} == {first["id"], second["id"]}
    assert (await ok(gql, LIST, {}, other))["edges"] == []
    for query, variables in [
        (GET, {"id": first["id"]}),
        (ACKNOWLEDGE, {"id": first["id"]}),
        (DISPUTE, {"id": second["id"], "reason": "not mine"}),
    ]:
        assert error_code(await gql(query, variables, token=other)) == "NOT_FOUND"
    # Supervisors do not acknowledge on the agent's behalf.
    assert error_code(await gql(ACKNOWLEDGE, {"id": first["id"]}, token=floor["supervisor"])) == (
        "FORBIDDEN"
    )
    assert (await ok(gql, ACKNOWLEDGE, {"id": first["id"]}, agent))["status"] == "ACKNOWLEDGED"
    assert error_code(await gql(ACKNOWLEDGE, {"id": first["id"]}, token=agent)) == "CONFLICT"
    body = await gql(DISPUTE, {"id": second["id"], "reason": "  "}, token=agent)
    assert error_code(body) == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["field"] == "reason"
    disputed = await ok(gql, DISPUTE, {"id": second["id"], "reason": "I did verify at 0:40"}, agent)
    assert (disputed["status"], disputed["disputeReason"]) == ("DISPUTED", "I did verify at 0:40")
    disputes = await ok(gql, LIST, {"status": ["DISPUTED"]}, floor["supervisor"])
    assert [e["node"]["id"] for e in disputes["edges"]] == [second["id"]]
    # The agent cannot score, and cannot change a supervisor's draft.
    start = {"input": {"scorecardId": floor["card"], "recordingId": floor["recording"]}}
    assert error_code(await gql(START, start, token=agent)) == "FORBIDDEN"


async def test_only_its_evaluator_or_an_admin_edits_a_draft(
    gql: GraphQL, tenant_a: TenantAccount, floor: dict
) -> None:
    draft = await ok(
        gql,
        START,
        {"input": {"scorecardId": floor["card"], "recordingId": floor["recording"]}},
        floor["supervisor"],
    )
    _, colleague = await user(gql, tenant_a, "SUPERVISOR")
    body = await gql(SAVE, {"id": draft["id"], "input": {"answers": []}}, token=colleague)
    assert error_code(body) == "FORBIDDEN"
    assert error_code(await gql(SUBMIT, {"id": draft["id"]}, token=colleague)) == "FORBIDDEN"
    saved = await gql(
        SAVE, {"id": draft["id"], "input": {"answers": answers(1, 5, 1)}}, token=tenant_a.token
    )
    assert error_code(saved) is None


async def test_tenant_b_sees_and_changes_no_evaluation_of_a(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount, floor: dict
) -> None:
    done = await submitted(
        gql, floor["supervisor"], floor["card"], floor["recording"], answers(1, 5, 1)
    )
    draft = await ok(
        gql,
        START,
        {"input": {"scorecardId": floor["card"], "recordingId": floor["recording"]}},
        floor["supervisor"],
    )
    b_card = await create_scorecard(gql, tenant_b)
    _, b_agent = await user(gql, tenant_b, "AGENT")
    assert (await ok(gql, LIST, {}, tenant_b.token))["edges"] == []
    node = "query($id: ID!) { node(id: $id) { id } }"
    for token in (tenant_b.token, b_agent):
        for query, variables in [
            (GET, {"id": done["id"]}),
            (node, {"id": done["id"]}),
            (SAVE, {"id": draft["id"], "input": {"answers": answers(0, 1, 0)}}),
            (SUBMIT, {"id": draft["id"]}),
            (ACKNOWLEDGE, {"id": done["id"]}),
            (DISPUTE, {"id": done["id"], "reason": "hijack"}),
        ]:
            body = await gql(query, variables, token=token)
            assert error_code(body) in ("NOT_FOUND", "FORBIDDEN"), body
            if token == tenant_b.token:
                assert error_code(body) == "NOT_FOUND"
    # B cannot evaluate A's recording with its own scorecard, nor A's scorecard at all.
    for start in (
        {"scorecardId": b_card["id"], "recordingId": floor["recording"]},
        {"scorecardId": floor["card"], "recordingId": floor["recording"]},
    ):
        body = await gql(START, {"input": start}, token=tenant_b.token)
        assert error_code(body) == "NOT_FOUND"
    kept = await ok(gql, GET, {"id": done["id"]}, tenant_a.token)
    assert (kept["status"], kept["score"]) == ("SUBMITTED", 100.0)
    still = await ok(gql, GET, {"id": draft["id"]}, tenant_a.token)
    assert (still["status"], still["answers"]) == ("DRAFT", [])


async def test_row_level_security_hides_qa_rows_from_tenant_b(
    gql: GraphQL,
    tenant_a: TenantAccount,
    tenant_b: TenantAccount,
    services: ApiServices,
    floor: dict,
) -> None:
    await submitted(gql, floor["supervisor"], floor["card"], floor["recording"], answers(1, 5, 1))
    a, b = tenant_uuid(tenant_a), tenant_uuid(tenant_b)
    tables = ("qa_scorecards", "qa_scorecard_versions", "qa_evaluations")
    async with services.database.transaction(a) as session:
        for table in tables:
            assert await session.scalar(text(f"SELECT count(*) FROM {table}")) == 1, table
    # Unscoped SQL bound to tenant B sees none of A's rows and cannot write as A.
    async with services.database.transaction(b) as session:
        for table in tables:
            count = await session.scalar(
                text(f"SELECT count(*) FROM {table} WHERE tenant_id = :a"), {"a": a}
            )
            assert count == 0, table
    with pytest.raises(DBAPIError, match="row-level security"):
        async with services.database.transaction(b) as session:
            await session.execute(
                text("INSERT INTO qa_scorecards (id, tenant_id, name) VALUES (:id, :a, 'x')"),
                {"id": uuid.uuid4(), "a": a},
            )
