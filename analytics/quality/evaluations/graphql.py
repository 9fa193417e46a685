"""GraphQL surface of QA evaluations: score a recorded call, then acknowledge or dispute."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import strawberry
from strawberry.types import Info

from analytics.quality.evaluations import service
from analytics.quality.models import QaEvaluation
from analytics.quality.schemas import DisputeIn, EvaluationIn
from analytics.quality.scorecards.graphql import QaScorecardVersionType
from analytics.reports.graphql import row_id_of
from tenants.graphql.context import RequestContext
from tenants.graphql.relay import (
    Connection,
    Node,
    connection,
    expect_global_id,
    page_request,
    to_global_id,
)
from tenants.input_validation import parse_input


class EvaluationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACKNOWLEDGED = "acknowledged"
    DISPUTED = "disputed"


QaEvaluationStatusEnum = strawberry.enum(EvaluationStatus, name="QaEvaluationStatus")


@strawberry.type
class QaAnswer:
    question_id: str
    value: int | None = strawberry.field(description="Yes/no: 1 or 0; a scale: 1..scaleMax")
    na: bool


@strawberry.type(description="A comment pinned to a moment of the recording.")
class QaComment:
    offset_seconds: float
    text: str


@strawberry.type(name="QaEvaluation", description="A scoring of one recorded call.")
class QaEvaluationType(Node):
    status: QaEvaluationStatusEnum  # type: ignore[valid-type]
    recording_id: strawberry.ID
    call_id: str
    call_at: datetime
    agent_id: strawberry.ID = strawberry.field(description="The evaluated agent's User id")
    queue_id: strawberry.ID | None
    evaluator_id: strawberry.ID | None
    answers: list[QaAnswer]
    comments: list[QaComment]
    overall_comment: str | None
    score: float | None = strawberry.field(
        description="0..100: weighted, N/A left out; 0 when an auto-fail question failed"
    )
    auto_failed: bool
    submitted_at: datetime | None
    acknowledged_at: datetime | None
    disputed_at: datetime | None
    dispute_reason: str | None
    created_at: datetime
    updated_at: datetime
    row: strawberry.Private[QaEvaluation]

    @strawberry.field(description="The scorecard version this evaluation was scored on.")
    async def scorecard(self, info: Info[RequestContext, None]) -> QaScorecardVersionType:
        version = await service.version_of(info.context.session, self.row)
        return QaScorecardVersionType.from_row(version)

    @classmethod
    def from_row(cls, row: QaEvaluation) -> QaEvaluationType:
        return cls(
            id=to_global_id("QaEvaluation", row.id),
            status=EvaluationStatus(row.status),
            recording_id=to_global_id("Recording", row.recording_id),
            call_id=row.call_id,
            call_at=row.call_at,
            agent_id=to_global_id("User", row.agent_id),
            queue_id=to_global_id("Queue", row.queue_id) if row.queue_id else None,
            evaluator_id=to_global_id("User", row.evaluator_id) if row.evaluator_id else None,
            answers=[
                QaAnswer(question_id=a["questionId"], value=a["value"], na=a["na"])
                for a in row.answers
            ],
            comments=[
                QaComment(offset_seconds=c["offsetSeconds"], text=c["text"]) for c in row.comments
            ],
            overall_comment=row.overall_comment,
            score=row.score,
            auto_failed=row.auto_failed,
            submitted_at=row.submitted_at,
            acknowledged_at=row.acknowledged_at,
            disputed_at=row.disputed_at,
            dispute_reason=row.dispute_reason,
            created_at=row.created_at,
            updated_at=row.updated_at,
            row=row,
        )


@strawberry.input(description="Which recorded call to evaluate: a recording id or a call id.")
class StartQaEvaluationInput:
    scorecard_id: strawberry.ID
    recording_id: strawberry.ID | None = None
    call_id: str | None = None


@strawberry.input
class QaAnswerInput:
    question_id: str
    value: int | None = None
    na: bool = False


@strawberry.input
class QaCommentInput:
    offset_seconds: float
    text: str


@strawberry.input(description="A draft's answers and comments (replacing the saved ones).")
class QaEvaluationInput:
    answers: list[QaAnswerInput] = strawberry.field(default_factory=list)
    comments: list[QaCommentInput] = strawberry.field(default_factory=list)
    overall_comment: str | None = None


@strawberry.type
class Query:
    @strawberry.field(
        description="Evaluations: supervisors see the tenant's, agents their own submitted ones."
    )
    async def qa_evaluations(
        self,
        info: Info[RequestContext, None],
        status: list[QaEvaluationStatusEnum] | None = None,  # type: ignore[valid-type]
        agent_id: strawberry.ID | None = None,
        recording_id: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[QaEvaluationType]:
        ctx = info.context
        page = await service.list_evaluations(
            session=ctx.session,
            principal=await ctx.principal(),
            page=page_request(first, after, max_page_size=ctx.max_page_size),
            statuses=[EvaluationStatus(s).value for s in status] if status else None,
            agent_id=row_id_of(agent_id, "User", "agentId") if agent_id else None,
            recording_id=expect_global_id(recording_id, "Recording") if recording_id else None,
        )
        return connection(page, QaEvaluationType.from_row)

    @strawberry.field(description="One evaluation the caller may see.")
    async def qa_evaluation(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> QaEvaluationType:
        return QaEvaluationType.from_row(await _get(info.context, id))


async def _get(ctx: RequestContext, id: strawberry.ID) -> QaEvaluation:
    return await service.get_evaluation(
        session=ctx.session,
        principal=await ctx.principal(),
        evaluation_id=expect_global_id(id, "QaEvaluation"),
    )


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Start a draft evaluation of a recorded call (supervisors).")
    async def start_qa_evaluation(
        self, info: Info[RequestContext, None], input: StartQaEvaluationInput
    ) -> QaEvaluationType:
        ctx = info.context
        row = await service.start_evaluation(
            session=ctx.session,
            principal=await ctx.principal(),
            scorecard_id=expect_global_id(input.scorecard_id, "QaScorecard"),
            recording_id=(
                expect_global_id(input.recording_id, "Recording") if input.recording_id else None
            ),
            call_id=input.call_id,
        )
        return QaEvaluationType.from_row(row)

    @strawberry.mutation(description="Save a draft's answers and time-pinned comments.")
    async def save_qa_evaluation(
        self, info: Info[RequestContext, None], id: strawberry.ID, input: QaEvaluationInput
    ) -> QaEvaluationType:
        ctx = info.context
        evaluation_in = parse_input(EvaluationIn, strawberry.asdict(input), camel=True)
        row = await service.save_evaluation(
            session=ctx.session,
            principal=await ctx.principal(),
            evaluation_id=expect_global_id(id, "QaEvaluation"),
            evaluation_in=evaluation_in,
        )
        return QaEvaluationType.from_row(row)

    @strawberry.mutation(description="Submit a draft: the agent sees it from now on.")
    async def submit_qa_evaluation(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> QaEvaluationType:
        ctx = info.context
        row = await service.submit_evaluation(
            session=ctx.session,
            principal=await ctx.principal(),
            evaluation_id=expect_global_id(id, "QaEvaluation"),
        )
        return QaEvaluationType.from_row(row)

    @strawberry.mutation(description="The evaluated agent acknowledges a submitted evaluation.")
    async def acknowledge_qa_evaluation(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> QaEvaluationType:
        ctx = info.context
        row = await service.acknowledge_evaluation(
            session=ctx.session,
            principal=await ctx.principal(),
            evaluation_id=expect_global_id(id, "QaEvaluation"),
        )
        return QaEvaluationType.from_row(row)

    @strawberry.mutation(description="The evaluated agent disputes a submitted evaluation.")
    async def dispute_qa_evaluation(
        self, info: Info[RequestContext, None], id: strawberry.ID, reason: str
    ) -> QaEvaluationType:
        ctx = info.context
        row = await service.dispute_evaluation(
            session=ctx.session,
            principal=await ctx.principal(),
            evaluation_id=expect_global_id(id, "QaEvaluation"),
            dispute_in=parse_input(DisputeIn, {"reason": reason}, camel=True),
        )
        return QaEvaluationType.from_row(row)


async def _resolve_evaluation(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    row = await service.get_evaluation(
        session=ctx.session, principal=await ctx.principal(), evaluation_id=row_id
    )
    return QaEvaluationType.from_row(row)


TYPES: list[type] = [QaEvaluationType]
NODE_RESOLVERS: dict = {"QaEvaluation": _resolve_evaluation}
