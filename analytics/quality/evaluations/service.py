"""Evaluation use cases: a supervisor scores a recorded call; its agent acknowledges or
disputes it.

Supervisors and up see every evaluation of the tenant; an agent sees only their own, and
only once submitted. Anything else, like another tenant's, is NOT_FOUND.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from analytics.quality import repository
from analytics.quality.calls import recorded_call
from analytics.quality.models import QaEvaluation, QaScorecardVersion
from analytics.quality.schemas import DisputeIn, EvaluationIn
from analytics.quality.scorecards import service as scorecards
from analytics.quality.scoring import check_answers, questions, score
from tenants.database.pagination import Page, PageRequest
from tenants.errors import BadUserInput, Conflict, Forbidden, NotFound
from tenants.identity.principal import Principal
from tenants.identity.roles import MANAGERS, SUPERVISORS, Role

DRAFT, SUBMITTED, ACKNOWLEDGED, DISPUTED = "draft", "submitted", "acknowledged", "disputed"
_NO_AGENT = uuid.UUID(int=0)


def _visible_to_agent(principal: Principal, row: QaEvaluation) -> bool:
    return row.agent_id == principal.user_id and row.status != DRAFT


async def get_evaluation(
    *, session: AsyncSession, principal: Principal, evaluation_id: uuid.UUID
) -> QaEvaluation:
    row = await repository.evaluation(
        session, tenant_id=principal.tenant_id, evaluation_id=evaluation_id
    )
    if row is None or (principal.role not in SUPERVISORS and not _visible_to_agent(principal, row)):
        raise NotFound("no QaEvaluation with this id")
    return row


async def list_evaluations(
    *,
    session: AsyncSession,
    principal: Principal,
    page: PageRequest,
    statuses: list[str] | None,
    agent_id: uuid.UUID | None,
    recording_id: uuid.UUID | None,
) -> Page[QaEvaluation]:
    """Supervisors: the tenant's (filtered); agents: their own submitted ones."""
    if principal.role not in SUPERVISORS:
        agent_id = principal.user_id if principal.role is Role.AGENT else _NO_AGENT
        agent_id = agent_id or _NO_AGENT
        statuses = [s for s in (statuses or [SUBMITTED, ACKNOWLEDGED, DISPUTED]) if s != DRAFT]
    return await repository.evaluations(
        session,
        tenant_id=principal.tenant_id,
        page=page,
        agent_id=agent_id,
        statuses=statuses,
        recording_id=recording_id,
    )


async def version_of(session: AsyncSession, row: QaEvaluation) -> QaScorecardVersion:
    found = await repository.version(
        session, tenant_id=row.tenant_id, version_id=row.scorecard_version_id
    )
    assert found is not None, "an evaluation keeps its scorecard version"
    return found


async def start_evaluation(
    *,
    session: AsyncSession,
    principal: Principal,
    scorecard_id: uuid.UUID,
    recording_id: uuid.UUID | None,
    call_id: str | None,
) -> QaEvaluation:
    """A draft evaluation of a recorded call on the scorecard's current version."""
    principal.require(SUPERVISORS, "evaluate calls")
    card = await scorecards.get_scorecard(
        session=session, principal=principal, scorecard_id=scorecard_id
    )
    if card.status != scorecards.ACTIVE:
        raise Conflict("this scorecard is archived")
    call = await recorded_call(
        session, tenant_id=principal.tenant_id, recording_id=recording_id, call_id=call_id
    )
    version = await scorecards.current_version(session, card)
    row = QaEvaluation(
        tenant_id=principal.tenant_id,
        scorecard_version_id=version.id,
        recording_id=call.recording_id,
        call_id=call.call_id,
        call_at=call.call_at,
        agent_id=call.agent_id,
        queue_id=call.queue_id,
        evaluator_id=principal.user_id,
        status=DRAFT,
        answers=[],
        comments=[],
    )
    session.add(row)
    await session.flush()
    await session.refresh(row)
    return row


async def _editable(
    session: AsyncSession, principal: Principal, evaluation_id: uuid.UUID
) -> QaEvaluation:
    principal.require(SUPERVISORS, "evaluate calls")
    row = await get_evaluation(session=session, principal=principal, evaluation_id=evaluation_id)
    if row.evaluator_id != principal.user_id and principal.role not in MANAGERS:
        raise Forbidden("only its evaluator or an admin may change this evaluation")
    if row.status != DRAFT:
        raise Conflict("this evaluation is already submitted")
    return row


async def save_evaluation(
    *,
    session: AsyncSession,
    principal: Principal,
    evaluation_id: uuid.UUID,
    evaluation_in: EvaluationIn,
    duration_seconds: float | None = None,
) -> QaEvaluation:
    """Replace a draft's answers and comments; the score follows."""
    row = await _editable(session, principal, evaluation_id)
    version = await version_of(session, row)
    check_answers(version.definition, evaluation_in.answers)
    if duration_seconds is None:
        call = await recorded_call(
            session, tenant_id=principal.tenant_id, recording_id=row.recording_id
        )
        duration_seconds = call.duration_seconds
    for index, comment in enumerate(evaluation_in.comments):
        if comment.offset_seconds > duration_seconds + 1:
            path = f"comments.{index}.offsetSeconds"
            raise BadUserInput(f"{path}: after the end of the recording", field=path)
    row.answers = [
        {"questionId": a.question_id, "value": a.value, "na": a.na} for a in evaluation_in.answers
    ]
    row.comments = sorted(
        ({"offsetSeconds": c.offset_seconds, "text": c.text} for c in evaluation_in.comments),
        key=lambda c: c["offsetSeconds"],
    )
    row.overall_comment = evaluation_in.overall_comment
    result = score(version.definition, row.answers)
    row.score, row.auto_failed = result.score, result.auto_failed
    await session.flush()
    await session.refresh(row)
    return row


async def submit_evaluation(
    *, session: AsyncSession, principal: Principal, evaluation_id: uuid.UUID
) -> QaEvaluation:
    """Publish a draft to its agent once every question has an answer (or N/A)."""
    row = await _editable(session, principal, evaluation_id)
    version = await version_of(session, row)
    answered = {a["questionId"] for a in row.answers if a.get("na") or a.get("value") is not None}
    for question in questions(version.definition):
        if question["id"] not in answered:
            raise BadUserInput(
                f"answers: question {question['text']!r} has no answer", field="answers"
            )
    result = score(version.definition, row.answers)
    row.score, row.auto_failed = result.score, result.auto_failed
    row.status = SUBMITTED
    row.submitted_at = datetime.now(UTC)
    await session.flush()
    await session.refresh(row)
    return row


async def _agents_own(
    session: AsyncSession, principal: Principal, evaluation_id: uuid.UUID, action: str
) -> QaEvaluation:
    row = await get_evaluation(session=session, principal=principal, evaluation_id=evaluation_id)
    if row.agent_id != principal.user_id:
        raise Forbidden(f"only the evaluated agent may {action} this evaluation")
    if row.status != SUBMITTED:
        raise Conflict(f"only a submitted evaluation can be {action}d (this one is {row.status})")
    return row


async def acknowledge_evaluation(
    *, session: AsyncSession, principal: Principal, evaluation_id: uuid.UUID
) -> QaEvaluation:
    row = await _agents_own(session, principal, evaluation_id, "acknowledge")
    row.status = ACKNOWLEDGED
    row.acknowledged_at = datetime.now(UTC)
    await session.flush()
    await session.refresh(row)
    return row


async def dispute_evaluation(
    *, session: AsyncSession, principal: Principal, evaluation_id: uuid.UUID, dispute_in: DisputeIn
) -> QaEvaluation:
    row = await _agents_own(session, principal, evaluation_id, "dispute")
    row.status = DISPUTED
    row.disputed_at = datetime.now(UTC)
    row.dispute_reason = dispute_in.reason
    await session.flush()
    await session.refresh(row)
    return row
