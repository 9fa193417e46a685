"""GraphQL surface of QA scorecards: define, edit (versioned), archive, read."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

import strawberry
from strawberry.types import Info

from analytics.quality.models import QaScorecard, QaScorecardVersion
from analytics.quality.schemas import QuestionType, ScorecardIn
from analytics.quality.scorecards import service
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

QaQuestionTypeEnum = strawberry.enum(QuestionType, name="QaQuestionType")


class ScorecardStatus(StrEnum):
    ACTIVE = "active"
    ARCHIVED = "archived"


QaScorecardStatusEnum = strawberry.enum(ScorecardStatus, name="QaScorecardStatus")


@strawberry.type(description="A question: yes/no or a 1..scaleMax scale, perhaps N/A.")
class QaQuestion:
    id: str
    text: str
    type: QaQuestionTypeEnum  # type: ignore[valid-type]
    scale_max: int | None
    allow_na: bool
    weight: float
    auto_fail: bool = strawberry.field(
        description="Answering no (or a scale's lowest value) fails the whole evaluation"
    )


@strawberry.type
class QaSection:
    title: str
    questions: list[QaQuestion]


def sections_of(definition: dict[str, Any]) -> list[QaSection]:
    return [
        QaSection(
            title=s["title"],
            questions=[
                QaQuestion(
                    id=q["id"],
                    text=q["text"],
                    type=QuestionType(q["type"]),
                    scale_max=q["scaleMax"],
                    allow_na=q["allowNa"],
                    weight=q["weight"],
                    auto_fail=q["autoFail"],
                )
                for q in s["questions"]
            ],
        )
        for s in definition["sections"]
    ]


@strawberry.type(name="QaScorecardVersion", description="A scorecard as it was at one version.")
class QaScorecardVersionType(Node):
    scorecard_id: strawberry.ID
    version: int
    name: str
    description: str | None
    sections: list[QaSection]
    created_at: datetime

    @classmethod
    def from_row(cls, row: QaScorecardVersion) -> QaScorecardVersionType:
        return cls(
            id=to_global_id("QaScorecardVersion", row.id),
            scorecard_id=to_global_id("QaScorecard", row.scorecard_id),
            version=row.version,
            name=row.name,
            description=row.description,
            sections=sections_of(row.definition),
            created_at=row.created_at,
        )


@strawberry.type(name="QaScorecard", description="A QA scorecard with its current version.")
class QaScorecardType(Node):
    name: str
    status: QaScorecardStatusEnum  # type: ignore[valid-type]
    version: int = strawberry.field(description="The current version's number")
    description: str | None
    sections: list[QaSection]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_rows(cls, card: QaScorecard, current: QaScorecardVersion) -> QaScorecardType:
        return cls(
            id=to_global_id("QaScorecard", card.id),
            name=card.name,
            status=ScorecardStatus(card.status),
            version=card.current_version,
            description=current.description,
            sections=sections_of(current.definition),
            created_at=card.created_at,
            updated_at=card.updated_at,
        )


async def scorecard_type(ctx: RequestContext, card: QaScorecard) -> QaScorecardType:
    return QaScorecardType.from_rows(card, await service.current_version(ctx.session, card))


@strawberry.input
class QaQuestionInput:
    id: str | None = strawberry.field(default=None, description="Keep to edit a question")
    text: str
    type: QaQuestionTypeEnum  # type: ignore[valid-type]
    scale_max: int | None = None
    allow_na: bool = False
    weight: float = 1.0
    auto_fail: bool = False


@strawberry.input
class QaSectionInput:
    title: str
    questions: list[QaQuestionInput]


@strawberry.input(description="A scorecard's whole definition; an edit replaces it.")
class QaScorecardInput:
    name: str
    description: str | None = None
    sections: list[QaSectionInput]


def scorecard_in(value: QaScorecardInput) -> ScorecardIn:
    return parse_input(ScorecardIn, strawberry.asdict(value), camel=True)


@strawberry.type
class Query:
    @strawberry.field(description="The tenant's scorecards (supervisors and up).")
    async def qa_scorecards(
        self,
        info: Info[RequestContext, None],
        include_archived: bool = False,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[QaScorecardType]:
        ctx = info.context
        page = await service.list_scorecards(
            session=ctx.session,
            principal=await ctx.principal(),
            page=page_request(first, after, max_page_size=ctx.max_page_size),
            include_archived=include_archived,
        )
        current = {
            card.id: await service.current_version(ctx.session, card) for _, card in page.items
        }
        return connection(page, lambda card: QaScorecardType.from_rows(card, current[card.id]))

    @strawberry.field(description="One scorecard (supervisors and up).")
    async def qa_scorecard(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> QaScorecardType:
        ctx = info.context
        card = await service.get_scorecard(
            session=ctx.session,
            principal=await ctx.principal(),
            scorecard_id=expect_global_id(id, "QaScorecard"),
        )
        return await scorecard_type(ctx, card)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Define a scorecard (owners and admins).")
    async def create_qa_scorecard(
        self, info: Info[RequestContext, None], input: QaScorecardInput
    ) -> QaScorecardType:
        ctx = info.context
        card = await service.create_scorecard(
            session=ctx.session, principal=await ctx.principal(), scorecard_in=scorecard_in(input)
        )
        return await scorecard_type(ctx, card)

    @strawberry.mutation(
        description="Replace a scorecard's definition; once evaluations use the current "
        "version, this makes a new version and they keep theirs."
    )
    async def update_qa_scorecard(
        self, info: Info[RequestContext, None], id: strawberry.ID, input: QaScorecardInput
    ) -> QaScorecardType:
        ctx = info.context
        principal = await ctx.principal()
        row_id = expect_global_id(id, "QaScorecard")
        card = await service.update_scorecard(
            session=ctx.session,
            principal=principal,
            scorecard_id=row_id,
            scorecard_in=scorecard_in(input),
        )
        return await scorecard_type(ctx, card)

    @strawberry.mutation(description="Archive a scorecard: no new evaluations use it.")
    async def archive_qa_scorecard(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> QaScorecardType:
        return await _set_archived(info.context, id, archived=True)

    @strawberry.mutation(description="Bring an archived scorecard back.")
    async def restore_qa_scorecard(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> QaScorecardType:
        return await _set_archived(info.context, id, archived=False)


async def _set_archived(
    ctx: RequestContext, id: strawberry.ID, *, archived: bool
) -> QaScorecardType:
    card = await service.set_archived(
        session=ctx.session,
        principal=await ctx.principal(),
        scorecard_id=expect_global_id(id, "QaScorecard"),
        archived=archived,
    )
    return await scorecard_type(ctx, card)


async def _resolve_scorecard(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    card = await service.get_scorecard(
        session=ctx.session, principal=await ctx.principal(), scorecard_id=row_id
    )
    return await scorecard_type(ctx, card)


async def _resolve_version(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    version = await service.get_version(
        session=ctx.session, principal=await ctx.principal(), version_id=row_id
    )
    return QaScorecardVersionType.from_row(version)


TYPES: list[type] = [QaScorecardType, QaScorecardVersionType]
NODE_RESOLVERS: dict = {"QaScorecard": _resolve_scorecard, "QaScorecardVersion": _resolve_version}
