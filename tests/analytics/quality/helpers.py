"""Scorecards, recorded calls and evaluations for the QA tests, through the real paths:
GraphQL for QA, routing's events through the analytics worker, the recordings service."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from analytics.worker import EventWorker
from api.clients import ApiServices
from media_plane.recordings import service as recordings
from tenants.graphql.relay import from_global_id, to_global_id
from tests.analytics.conftest import Publisher, drain, tenant_uuid
from tests.analytics.reports.test_reports import call
from tests.conftest import GraphQL, TenantAccount

SCORECARD_FIELDS = """id name status version description
  sections { title questions { id text type scaleMax allowNa weight autoFail } }"""
CREATE_SCORECARD = f"""
mutation($input: QaScorecardInput!) {{
  createQaScorecard(input: $input) {{ {SCORECARD_FIELDS} }} }}"""
UPDATE_SCORECARD = f"""
mutation($id: ID!, $input: QaScorecardInput!) {{
  updateQaScorecard(id: $id, input: $input) {{ {SCORECARD_FIELDS} }} }}"""
EVALUATION_FIELDS = """id status recordingId callId callAt agentId queueId evaluatorId score
  autoFailed overallComment disputeReason answers { questionId value na }
  comments { offsetSeconds text } scorecard { id version name sections { questions { id } } }"""
START = f"""
mutation($input: StartQaEvaluationInput!) {{
  startQaEvaluation(input: $input) {{ {EVALUATION_FIELDS} }} }}"""
SAVE = f"""
mutation($id: ID!, $input: QaEvaluationInput!) {{
  saveQaEvaluation(id: $id, input: $input) {{ {EVALUATION_FIELDS} }} }}"""
SUBMIT = f"mutation($id: ID!) {{ submitQaEvaluation(id: $id) {{ {EVALUATION_FIELDS} }} }}"
GET = f"query($id: ID!) {{ qaEvaluation(id: $id) {{ {EVALUATION_FIELDS} }} }}"
ACKNOWLEDGE = "mutation($id: ID!) { acknowledgeQaEvaluation(id: $id) { id status } }"
DISPUTE = """mutation($id: ID!, $reason: String!) {
  disputeQaEvaluation(id: $id, reason: $reason) { id status disputeReason } }"""
LIST = """query($status: [QaEvaluationStatus!]) {
  qaEvaluations(status: $status, first: 50) { edges { node { id status agentId } } } }"""


def scorecard_input(**override: Any) -> dict[str, Any]:
    """Greeting (yes/no, weight 1), empathy (1..5, weight 2, N/A allowed), and an
    auto-fail compliance question."""
    return {
        "name": "Inbound quality",
        "description": "How we score inbound calls",
        "sections": [
            {
                "title": "Opening",
                "questions": [
                    {"id": "greet", "text": "Greeted by name?", "type": "YES_NO", "weight": 1},
                    {
                        "id": "empathy",
                        "text": "Showed empathy",
                        "type": "SCALE",
                        "scaleMax": 5,
                        "allowNa": True,
                        "weight": 2,
                    },
                ],
            },
            {
                "title": "Compliance",
                "questions": [
                    {
                        "id": "verify",
                        "text": "Verified identity?",
                        "type": "YES_NO",
                        "weight": 1,
                        "autoFail": True,
                    }
                ],
            },
        ],
        **override,
    }


async def create_scorecard(gql: GraphQL, account: TenantAccount, **override: Any) -> dict:
    body = await gql(CREATE_SCORECARD, {"input": scorecard_input(**override)}, token=account.token)
    assert "errors" not in body, body
    return body["data"]["createQaScorecard"]


async def recorded_call(
    services: ApiServices,
    account: TenantAccount,
    publish: Publisher,
    make_worker: Callable[..., EventWorker],
    *,
    agent_gid: str,
    queue: uuid.UUID,
    at: datetime,
    duration_ms: int = 90_000,
) -> str:
    """An answered call in ``queue`` (routing's events, applied by the worker) and its
    stored recording, whose row names no agent: QA finds it from the call's facts."""
    tenant = tenant_uuid(account)
    agent = from_global_id(agent_gid)[1]
    call_id = str(await call(publish, tenant, queue, at, wait=5, agent=agent))
    await drain(make_worker())
    content = b"RIFF" + uuid.uuid4().bytes
    source = Path(services.settings.var_dir) / f"{uuid.uuid4().hex}.wav"
    source.write_bytes(content)
    digest = hashlib.sha256(content).hexdigest()
    stored = services.recording_store.put_file(
        key=f"{tenant}/recordings/{call_id}.wav",
        path=source,
        content_type="audio/wav",
        sha256=digest,
        metadata={},
    )
    async with services.database.transaction(tenant) as session:
        row = await recordings.save_recording(
            session=session,
            tenant_id=tenant,
            call_id=call_id,
            agent_id=None,
            storage=services.recording_store.name,
            key=stored.key,
            audio_format="wav",
            content_type="audio/wav",
            size_bytes=stored.size,
            sha256=digest,
            duration_ms=duration_ms,
            channels=2,
            started_at=at,
        )
    return to_global_id("Recording", row.id)


async def ok(gql: GraphQL, query: str, variables: dict, token: str) -> dict:
    body = await gql(query, variables, token=token)
    assert "errors" not in body, body
    return next(iter(body["data"].values()))


async def submitted(
    gql: GraphQL, token: str, scorecard_id: str, recording_id: str, answers: list[dict]
) -> dict:
    """A supervisor's (``token``) evaluation, saved with ``answers`` and submitted."""
    started = await ok(
        gql, START, {"input": {"scorecardId": scorecard_id, "recordingId": recording_id}}, token
    )
    await ok(gql, SAVE, {"id": started["id"], "input": {"answers": answers}}, token)
    return await ok(gql, SUBMIT, {"id": started["id"]}, token)


def answers(greet: int | None, empathy: int | None, verify: int | None) -> list[dict]:
    """Answers to ``scorecard_input``'s questions; None for empathy means N/A."""
    return [
        {"questionId": "greet", "value": greet},
        {"questionId": "empathy", "value": empathy, "na": empathy is None},
        {"questionId": "verify", "value": verify},
    ]
