"""Scorecards: define, validate (field paths), version, archive; roles and isolation."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from analytics.worker import EventWorker
from api.clients import ApiServices
from tests.analytics.conftest import T0, Publisher
from tests.analytics.quality.helpers import (
    CREATE_SCORECARD,
    GET,
    START,
    UPDATE_SCORECARD,
    create_scorecard,
    ok,
    recorded_call,
    scorecard_input,
)
from tests.analytics.reports.test_reports import user
from tests.conftest import GraphQL, TenantAccount, error_code

LIST = """query($all: Boolean!) { qaScorecards(includeArchived: $all, first: 20) {
  edges { node { id name status version } } } }"""
ONE = "query($id: ID!) { qaScorecard(id: $id) { id name version } }"
NODE = "query($id: ID!) { node(id: $id) { id ... on QaScorecard { name } } }"
ARCHIVE = "mutation($id: ID!) { archiveQaScorecard(id: $id) { id status } }"
RESTORE = "mutation($id: ID!) { restoreQaScorecard(id: $id) { id status } }"


async def test_admin_defines_a_scorecard_and_supervisors_read_it(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    card = await create_scorecard(gql, tenant_a)
    assert (card["name"], card["status"], card["version"]) == ("Inbound quality", "ACTIVE", 1)
    empathy = card["sections"][0]["questions"][1]
    assert empathy == {
        "id": "empathy",
        "text": "Showed empathy",
        "type": "SCALE",
        "scaleMax": 5,
        "allowNa": True,
        "weight": 2.0,
        "autoFail": False,
    }
    assert card["sections"][1]["questions"][0]["autoFail"] is True
    _, supervisor = await user(gql, tenant_a, "SUPERVISOR")
    listed = await ok(gql, LIST, {"all": False}, supervisor)
    assert [e["node"]["id"] for e in listed["edges"]] == [card["id"]]
    assert (await ok(gql, NODE, {"id": card["id"]}, supervisor))["name"] == "Inbound quality"


async def test_questions_without_an_id_get_one(gql: GraphQL, tenant_a: TenantAccount) -> None:
    card = await create_scorecard(
        gql,
        tenant_a,
        sections=[{"title": "Only", "questions": [{"text": "Polite?", "type": "YES_NO"}]}],
    )
    question = card["sections"][0]["questions"][0]
    assert question["id"].startswith("q") and question["weight"] == 1.0


def _with_question(**question: Any) -> dict[str, Any]:
    base = {"text": "Q", "type": "YES_NO", **question}
    return {
        "sections": [
            {"title": "First", "questions": [{"text": "ok", "type": "YES_NO"}]},
            {"title": "Second", "questions": [base]},
        ]
    }


@pytest.mark.parametrize(
    ("override", "field"),
    [
        (_with_question(weight=0), "sections.1.questions.0.weight"),
        (_with_question(weight=-2), "sections.1.questions.0.weight"),
        (_with_question(type="SCALE"), "sections.1.questions.0.scaleMax"),
        (_with_question(type="SCALE", scaleMax=11), "sections.1.questions.0.scaleMax"),
        (_with_question(scaleMax=5), "sections.1.questions.0.scaleMax"),
        (_with_question(text="  "), "sections.1.questions.0.text"),
        (_with_question(id="has space"), "sections.1.questions.0.id"),
        (
            {
                "sections": [
                    {"title": "A", "questions": [{"id": "x", "text": "a", "type": "YES_NO"}]},
                    {"title": "B", "questions": [{"id": "x", "text": "b", "type": "YES_NO"}]},
                ]
            },
            "sections.1.questions.0.id",
        ),
        ({"sections": [{"title": "Empty", "questions": []}]}, "sections.0.questions"),
        ({"sections": []}, "sections"),
        ({"name": ""}, "name"),
    ],
)
async def test_bad_scorecards_name_the_field(
    gql: GraphQL, tenant_a: TenantAccount, override: dict, field: str
) -> None:
    body = await gql(CREATE_SCORECARD, {"input": scorecard_input(**override)}, token=tenant_a.token)
    assert error_code(body) == "BAD_USER_INPUT", body
    assert body["errors"][0]["extensions"]["field"] == field
    assert (await ok(gql, LIST, {"all": True}, tenant_a.token))["edges"] == []


async def test_editing_a_scorecard_in_use_makes_a_new_version(
    gql: GraphQL,
    tenant_a: TenantAccount,
    tenant_b: TenantAccount,
    services: ApiServices,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    card = await create_scorecard(gql, tenant_a)
    renamed = scorecard_input(name="Inbound quality (fixed typo)")
    edited = await ok(gql, UPDATE_SCORECARD, {"id": card["id"], "input": renamed}, tenant_a.token)
    assert edited["version"] == 1  # nobody used version 1 yet: edited in place

    agent_gid, _ = await user(gql, tenant_a, "AGENT")
    recording = await recorded_call(
        services, tenant_a, publish, make_worker, agent_gid=agent_gid, queue=uuid.uuid4(), at=T0
    )
    evaluation = await ok(
        gql, START, {"input": {"scorecardId": card["id"], "recordingId": recording}}, tenant_a.token
    )
    changed = scorecard_input(name="Inbound quality v2")
    changed["sections"][1]["questions"].append({"id": "close", "text": "Closed?", "type": "YES_NO"})
    edited = await ok(gql, UPDATE_SCORECARD, {"id": card["id"], "input": changed}, tenant_a.token)
    assert (edited["version"], edited["name"]) == (2, "Inbound quality v2")
    assert [q["id"] for q in edited["sections"][1]["questions"]] == ["verify", "close"]

    version_node = "query($id: ID!) { node(id: $id) { ... on QaScorecardVersion { version } } }"
    first_version = evaluation["scorecard"]["id"]
    assert (await ok(gql, version_node, {"id": first_version}, tenant_a.token)) == {"version": 1}
    body = await gql(version_node, {"id": first_version}, token=tenant_b.token)
    assert error_code(body) == "NOT_FOUND"
    kept = await ok(gql, GET, {"id": evaluation["id"]}, tenant_a.token)
    assert (kept["scorecard"]["version"], kept["scorecard"]["name"]) == (
        1,
        "Inbound quality (fixed typo)",
    )
    assert [q["id"] for q in kept["scorecard"]["sections"][1]["questions"]] == ["verify"]
    fresh = await ok(
        gql, START, {"input": {"scorecardId": card["id"], "recordingId": recording}}, tenant_a.token
    )
    assert fresh["scorecard"]["version"] == 2


async def test_archived_scorecards_take_no_new_evaluations_and_can_be_restored(
    gql: GraphQL,
    tenant_a: TenantAccount,
    services: ApiServices,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
) -> None:
    card = await create_scorecard(gql, tenant_a)
    agent_gid, _ = await user(gql, tenant_a, "AGENT")
    recording = await recorded_call(
        services, tenant_a, publish, make_worker, agent_gid=agent_gid, queue=uuid.uuid4(), at=T0
    )
    assert (await ok(gql, ARCHIVE, {"id": card["id"]}, tenant_a.token))["status"] == "ARCHIVED"
    assert (await ok(gql, LIST, {"all": False}, tenant_a.token))["edges"] == []
    assert len((await ok(gql, LIST, {"all": True}, tenant_a.token))["edges"]) == 1
    start = {"input": {"scorecardId": card["id"], "recordingId": recording}}
    assert error_code(await gql(START, start, token=tenant_a.token)) == "CONFLICT"
    body = await gql(
        UPDATE_SCORECARD, {"id": card["id"], "input": scorecard_input()}, token=tenant_a.token
    )
    assert error_code(body) == "CONFLICT"
    assert (await ok(gql, RESTORE, {"id": card["id"]}, tenant_a.token))["status"] == "ACTIVE"
    assert error_code(await gql(START, start, token=tenant_a.token)) is None


async def test_only_admins_define_and_agents_cannot_read(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    card = await create_scorecard(gql, tenant_a)
    _, supervisor = await user(gql, tenant_a, "SUPERVISOR")
    _, agent = await user(gql, tenant_a, "AGENT")
    body = await gql(CREATE_SCORECARD, {"input": scorecard_input()}, token=supervisor)
    assert error_code(body) == "FORBIDDEN"
    body = await gql(
        UPDATE_SCORECARD, {"id": card["id"], "input": scorecard_input()}, token=supervisor
    )
    assert error_code(body) == "FORBIDDEN"
    assert error_code(await gql(ARCHIVE, {"id": card["id"]}, token=supervisor)) == "FORBIDDEN"
    assert error_code(await gql(LIST, {"all": False}, token=agent)) == "FORBIDDEN"
    assert error_code(await gql(ONE, {"id": card["id"]}, token=agent)) == "FORBIDDEN"


async def test_tenant_b_sees_and_changes_no_scorecard_of_a(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount
) -> None:
    card = await create_scorecard(gql, tenant_a)
    assert (await ok(gql, LIST, {"all": True}, tenant_b.token))["edges"] == []
    for query, variables in [
        (ONE, {"id": card["id"]}),
        (NODE, {"id": card["id"]}),
        (UPDATE_SCORECARD, {"id": card["id"], "input": scorecard_input(name="Hijacked")}),
        (ARCHIVE, {"id": card["id"]}),
        (RESTORE, {"id": card["id"]}),
    ]:
        assert error_code(await gql(query, variables, token=tenant_b.token)) == "NOT_FOUND"
    again = await ok(gql, ONE, {"id": card["id"]}, tenant_a.token)
    assert (again["name"], again["version"]) == ("Inbound quality", 1)
    listed = await ok(gql, LIST, {"all": False}, tenant_a.token)
    assert [e["node"]["status"] for e in listed["edges"]] == ["ACTIVE"]
