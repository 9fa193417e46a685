"""The tickets' DataLoaders (steps, categories, teams, each ticket's comments, attachments
and trail), per request and tenant."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from tenants.graphql.context import RequestContext
from tenants.graphql.loaders import tenant_loader
from tenants.tickets import comments_service, repository
from tenants.tickets.models import (
    Team,
    TicketAttachment,
    TicketCategory,
    TicketComment,
    TicketHistory,
    WorkflowStep,
)


def steps(ctx: RequestContext, tenant_id: uuid.UUID) -> DataLoader[uuid.UUID, WorkflowStep | None]:
    """Workflow steps by id."""

    async def fetch(tenant: uuid.UUID, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, WorkflowStep]:
        return await repository.steps_by_ids(ctx.session, tenant_id=tenant, ids=ids)

    return tenant_loader(ctx, "tickets.steps", tenant_id, fetch)


def category_steps(
    ctx: RequestContext, tenant_id: uuid.UUID
) -> DataLoader[uuid.UUID, list[WorkflowStep] | None]:
    """Each category's steps in order."""

    async def fetch(
        tenant: uuid.UUID, ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[WorkflowStep]]:
        return await repository.steps_of(ctx.session, tenant_id=tenant, category_ids=ids)

    return tenant_loader(ctx, "tickets.category_steps", tenant_id, fetch)


def categories(
    ctx: RequestContext, tenant_id: uuid.UUID
) -> DataLoader[uuid.UUID, TicketCategory | None]:
    """Ticket categories by id."""

    async def fetch(tenant: uuid.UUID, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, TicketCategory]:
        return await repository.categories_by_ids(ctx.session, tenant_id=tenant, ids=ids)

    return tenant_loader(ctx, "tickets.categories", tenant_id, fetch)


def teams(ctx: RequestContext, tenant_id: uuid.UUID) -> DataLoader[uuid.UUID, Team | None]:
    """Teams by id."""

    async def fetch(tenant: uuid.UUID, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Team]:
        return await repository.teams_by_ids(ctx.session, tenant_id=tenant, ids=ids)

    return tenant_loader(ctx, "tickets.teams", tenant_id, fetch)


def team_members(
    ctx: RequestContext, tenant_id: uuid.UUID
) -> DataLoader[uuid.UUID, list[uuid.UUID] | None]:
    """Member user ids of each team."""

    async def fetch(
        tenant: uuid.UUID, ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[uuid.UUID]]:
        return await repository.team_member_ids(ctx.session, tenant_id=tenant, team_ids=ids)

    return tenant_loader(ctx, "tickets.team_members", tenant_id, fetch)


def comments(
    ctx: RequestContext, tenant_id: uuid.UUID
) -> DataLoader[uuid.UUID, list[TicketComment] | None]:
    """Each ticket's comments, oldest first."""

    async def fetch(
        tenant: uuid.UUID, ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[TicketComment]]:
        return await comments_service.comments_of(
            session=ctx.session, tenant_id=tenant, ticket_ids=ids
        )

    return tenant_loader(ctx, "tickets.comments", tenant_id, fetch)


def attachments(
    ctx: RequestContext, tenant_id: uuid.UUID
) -> DataLoader[uuid.UUID, list[TicketAttachment] | None]:
    """Each ticket's attachments, oldest first."""

    async def fetch(
        tenant: uuid.UUID, ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[TicketAttachment]]:
        return await comments_service.attachments_of(
            session=ctx.session, tenant_id=tenant, ticket_ids=ids
        )

    return tenant_loader(ctx, "tickets.attachments", tenant_id, fetch)


def history(
    ctx: RequestContext, tenant_id: uuid.UUID
) -> DataLoader[uuid.UUID, list[TicketHistory] | None]:
    """Each ticket's trail, oldest first."""

    async def fetch(
        tenant: uuid.UUID, ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[TicketHistory]]:
        return await comments_service.history_of(
            session=ctx.session, tenant_id=tenant, ticket_ids=ids
        )

    return tenant_loader(ctx, "tickets.history", tenant_id, fetch)
