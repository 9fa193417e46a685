"""Every QA query on the ORM tables; tenant tables only through ``scoped()``."""

from __future__ import annotations

import uuid

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.quality.models import QaEvaluation, QaScorecard, QaScorecardVersion
from tenants.database.pagination import Page, PageRequest, keyset_page
from tenants.database.scoping import scoped


async def scorecard(
    session: AsyncSession, *, tenant_id: uuid.UUID, scorecard_id: uuid.UUID
) -> QaScorecard | None:
    return await session.scalar(
        scoped(select(QaScorecard), tenant_id).where(QaScorecard.id == scorecard_id)
    )


async def scorecards(
    session: AsyncSession, *, tenant_id: uuid.UUID, page: PageRequest, include_archived: bool
) -> Page[QaScorecard]:
    statement = scoped(select(QaScorecard), tenant_id)
    if not include_archived:
        statement = statement.where(QaScorecard.status == "active")
    return await keyset_page(session, statement, QaScorecard, page)


async def version(
    session: AsyncSession, *, tenant_id: uuid.UUID, version_id: uuid.UUID
) -> QaScorecardVersion | None:
    return await session.scalar(
        scoped(select(QaScorecardVersion), tenant_id).where(QaScorecardVersion.id == version_id)
    )


async def version_of(
    session: AsyncSession, *, tenant_id: uuid.UUID, scorecard_id: uuid.UUID, number: int
) -> QaScorecardVersion | None:
    return await session.scalar(
        scoped(select(QaScorecardVersion), tenant_id).where(
            QaScorecardVersion.scorecard_id == scorecard_id, QaScorecardVersion.version == number
        )
    )


async def version_in_use(
    session: AsyncSession, *, tenant_id: uuid.UUID, version_id: uuid.UUID
) -> bool:
    used = scoped(select(QaEvaluation.id), tenant_id).where(
        QaEvaluation.scorecard_version_id == version_id
    )
    return bool(await session.scalar(select(exists(used))))


async def evaluation(
    session: AsyncSession, *, tenant_id: uuid.UUID, evaluation_id: uuid.UUID
) -> QaEvaluation | None:
    return await session.scalar(
        scoped(select(QaEvaluation), tenant_id).where(QaEvaluation.id == evaluation_id)
    )


async def evaluations(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    page: PageRequest,
    agent_id: uuid.UUID | None,
    statuses: list[str] | None,
    recording_id: uuid.UUID | None,
) -> Page[QaEvaluation]:
    statement = scoped(select(QaEvaluation), tenant_id)
    if agent_id is not None:
        statement = statement.where(QaEvaluation.agent_id == agent_id)
    if statuses is not None:
        statement = statement.where(QaEvaluation.status.in_(statuses))
    if recording_id is not None:
        statement = statement.where(QaEvaluation.recording_id == recording_id)
    return await keyset_page(session, statement, QaEvaluation, page)
