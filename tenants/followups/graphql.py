"""GraphQL surface of missed-call follow-ups: list, assign, close."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import strawberry
from strawberry.types import Info

from tenants.crm import loaders as crm_loaders
from tenants.followups import service
from tenants.followups.models import MissedCall
from tenants.graphql.context import RequestContext
from tenants.graphql.relay import (
    Connection,
    Node,
    connection,
    expect_global_id,
    page_request,
    to_global_id,
)
from tenants.identity.graphql import UserType


class MissedCallStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


StatusEnum = strawberry.enum(MissedCallStatus, name="MissedCallStatus")


@strawberry.type(name="MissedCall")
class MissedCallType(Node):
    call_id: str
    number: str
    wait_ms: int
    status: StatusEnum  # type: ignore[valid-type]
    disposition: str | None
    queue_id: strawberry.ID | None
    customer_id: strawberry.ID | None
    created_at: datetime
    closed_at: datetime | None
    row: strawberry.Private[MissedCall]

    @classmethod
    def from_row(cls, row: MissedCall) -> MissedCallType:
        return cls(
            id=to_global_id("MissedCall", row.id),
            call_id=row.call_id,
            number=row.number,
            wait_ms=row.wait_ms,
            status=MissedCallStatus(row.status),
            disposition=row.disposition,
            queue_id=to_global_id("Queue", row.queue_id) if row.queue_id else None,
            customer_id=to_global_id("Customer", row.customer_id) if row.customer_id else None,
            created_at=row.created_at,
            closed_at=row.closed_at,
            row=row,
        )

    @strawberry.field
    async def assignee(self, info: Info[RequestContext, None]) -> UserType | None:
        if self.row.assignee_id is None:
            return None
        user = await crm_loaders.users(info.context, self.row.tenant_id).load(self.row.assignee_id)
        return UserType.from_row(user) if user else None


@strawberry.type
class Query:
    @strawberry.field(description="Missed-call follow-up tasks, oldest first.")
    async def missed_calls(
        self,
        info: Info[RequestContext, None],
        status: StatusEnum | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[MissedCallType]:
        ctx = info.context
        page = await service.list_missed_calls(
            session=ctx.session,
            principal=await ctx.principal(),
            status=status.value if status is not None else None,
            page=page_request(first, after, max_page_size=ctx.max_page_size),
        )
        return connection(page, MissedCallType.from_row)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Assign an open task (null unassigns it).")
    async def assign_missed_call(
        self,
        info: Info[RequestContext, None],
        id: strawberry.ID,
        assignee_id: strawberry.ID | None = None,
    ) -> MissedCallType:
        ctx = info.context
        row = await service.assign_missed_call(
            session=ctx.session,
            principal=await ctx.principal(),
            task_id=expect_global_id(id, "MissedCall"),
            assignee_id=expect_global_id(assignee_id, "User") if assignee_id else None,
        )
        return MissedCallType.from_row(row)

    @strawberry.mutation(description="Close an open task with a disposition.")
    async def close_missed_call(
        self, info: Info[RequestContext, None], id: strawberry.ID, disposition: str
    ) -> MissedCallType:
        ctx = info.context
        row = await service.close_missed_call(
            session=ctx.session,
            principal=await ctx.principal(),
            task_id=expect_global_id(id, "MissedCall"),
            disposition=disposition,
        )
        return MissedCallType.from_row(row)


async def _resolve_missed_call(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    row = await service.get_missed_call(
        session=ctx.session, principal=await ctx.principal(), task_id=row_id
    )
    return MissedCallType.from_row(row)


NODE_RESOLVERS = {"MissedCall": _resolve_missed_call}
TYPES = [MissedCallType]
