"""Scorecard use cases: define, edit (a new version once one is in use), archive, read."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from analytics.quality import repository
from analytics.quality.models import QaScorecard, QaScorecardVersion
from analytics.quality.schemas import ScorecardIn
from analytics.quality.scoring import new_question_id
from tenants.database.pagination import Page, PageRequest
from tenants.errors import BadUserInput, Conflict, NotFound
from tenants.identity.principal import Principal
from tenants.identity.roles import MANAGERS, SUPERVISORS

ACTIVE, ARCHIVED = "active", "archived"


def definition_of(scorecard_in: ScorecardIn) -> dict[str, Any]:
    """The stored definition: every question with a stable id unique in the scorecard."""
    seen: set[str] = set()
    sections = []
    for s_index, section in enumerate(scorecard_in.sections):
        items = []
        for q_index, question in enumerate(section.questions):
            question_id = question.id or new_question_id()
            if question_id in seen:
                path = f"sections.{s_index}.questions.{q_index}.id"
                raise BadUserInput(f"{path}: used twice in this scorecard", field=path)
            seen.add(question_id)
            items.append(
                {
                    "id": question_id,
                    "text": question.text,
                    "type": question.type.value,
                    "scaleMax": question.scale_max,
                    "allowNa": question.allow_na,
                    "weight": question.weight,
                    "autoFail": question.auto_fail,
                }
            )
        sections.append({"title": section.title, "questions": items})
    return {"sections": sections}


async def create_scorecard(
    *, session: AsyncSession, principal: Principal, scorecard_in: ScorecardIn
) -> QaScorecard:
    """A new scorecard at version 1 (owners and admins)."""
    principal.require(MANAGERS, "define scorecards")
    definition = definition_of(scorecard_in)
    card = QaScorecard(tenant_id=principal.tenant_id, name=scorecard_in.name, current_version=1)
    session.add(card)
    await session.flush()
    session.add(
        QaScorecardVersion(
            tenant_id=principal.tenant_id,
            scorecard_id=card.id,
            version=1,
            name=scorecard_in.name,
            description=scorecard_in.description,
            definition=definition,
            created_by=principal.user_id,
        )
    )
    await session.flush()
    await session.refresh(card)
    return card


async def get_scorecard(
    *, session: AsyncSession, principal: Principal, scorecard_id: uuid.UUID
) -> QaScorecard:
    """One scorecard of the tenant (supervisors and up)."""
    principal.require(SUPERVISORS, "read scorecards")
    card = await repository.scorecard(
        session, tenant_id=principal.tenant_id, scorecard_id=scorecard_id
    )
    if card is None:
        raise NotFound("no QaScorecard with this id")
    return card


async def list_scorecards(
    *, session: AsyncSession, principal: Principal, page: PageRequest, include_archived: bool
) -> Page[QaScorecard]:
    principal.require(SUPERVISORS, "read scorecards")
    return await repository.scorecards(
        session, tenant_id=principal.tenant_id, page=page, include_archived=include_archived
    )


async def get_version(
    *, session: AsyncSession, principal: Principal, version_id: uuid.UUID
) -> QaScorecardVersion:
    """One version of a scorecard of the tenant (supervisors and up)."""
    principal.require(SUPERVISORS, "read scorecards")
    found = await repository.version(session, tenant_id=principal.tenant_id, version_id=version_id)
    if found is None:
        raise NotFound("no QaScorecardVersion with this id")
    return found


async def current_version(session: AsyncSession, card: QaScorecard) -> QaScorecardVersion:
    found = await repository.version_of(
        session, tenant_id=card.tenant_id, scorecard_id=card.id, number=card.current_version
    )
    assert found is not None, "a scorecard always has its current version"
    return found


async def update_scorecard(
    *,
    session: AsyncSession,
    principal: Principal,
    scorecard_id: uuid.UUID,
    scorecard_in: ScorecardIn,
) -> QaScorecard:
    """Replace the definition; a version an evaluation uses stays frozen, so that edit
    makes the next version instead."""
    principal.require(MANAGERS, "edit scorecards")
    card = await get_scorecard(session=session, principal=principal, scorecard_id=scorecard_id)
    if card.status == ARCHIVED:
        raise Conflict("this scorecard is archived; restore it before editing")
    definition = definition_of(scorecard_in)
    latest = await current_version(session, card)
    if await repository.version_in_use(
        session, tenant_id=principal.tenant_id, version_id=latest.id
    ):
        card.current_version += 1
        session.add(
            QaScorecardVersion(
                tenant_id=principal.tenant_id,
                scorecard_id=card.id,
                version=card.current_version,
                name=scorecard_in.name,
                description=scorecard_in.description,
                definition=definition,
                created_by=principal.user_id,
            )
        )
    else:
        latest.name = scorecard_in.name
        latest.description = scorecard_in.description
        latest.definition = definition
    card.name = scorecard_in.name
    await session.flush()
    await session.refresh(card)
    return card


async def set_archived(
    *, session: AsyncSession, principal: Principal, scorecard_id: uuid.UUID, archived: bool
) -> QaScorecard:
    """Archive (no new evaluations; existing ones keep it) or restore a scorecard."""
    principal.require(MANAGERS, "archive scorecards")
    card = await get_scorecard(session=session, principal=principal, scorecard_id=scorecard_id)
    card.status = ARCHIVED if archived else ACTIVE
    await session.flush()
    await session.refresh(card)
    return card
