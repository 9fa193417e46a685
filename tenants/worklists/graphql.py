"""GraphQL subscription of the work lists: a missed-call task or a notification changed."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import aclosing

import strawberry
from strawberry.types import Info

from tenants.errors import NotFound
from tenants.followups import service as followups
from tenants.followups.graphql import MissedCallType
from tenants.graphql.connection import ConnectionContext
from tenants.graphql.context import RequestContext
from tenants.notifications import service as notifications
from tenants.notifications.graphql import NotificationType
from tenants.worklists.listener import Notice, worklist_notices


@strawberry.type(description="A work-list item that changed (committed), as it is now.")
class WorkListChange:
    kind: str = strawberry.field(description="missed_call or notification")
    missed_call: MissedCallType | None
    notification: NotificationType | None


async def _change(ctx: RequestContext, notice: Notice) -> WorkListChange | None:
    principal = await ctx.principal()
    try:
        if notice.kind == "missed_call":
            row = await followups.get_missed_call(
                session=ctx.session, principal=principal, task_id=notice.row_id
            )
            return WorkListChange(
                kind=notice.kind, missed_call=MissedCallType.from_row(row), notification=None
            )
        if notice.kind == "notification":
            # Someone else's notification is NOT_FOUND: it is skipped, never shown.
            note = await notifications.get_notification(
                session=ctx.session, principal=principal, notification_id=notice.row_id
            )
            return WorkListChange(
                kind=notice.kind, missed_call=None, notification=NotificationType.from_row(note)
            )
    except NotFound:
        return None
    return None


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description=(
            "Your work lists as they change: missed-call tasks of your tenant and your own "
            "notifications (ticket SLA reminders…), each pushed once committed."
        )
    )
    async def work_list_changes(
        self, info: Info[RequestContext, None]
    ) -> AsyncGenerator[WorkListChange, None]:
        ctx = info.context
        if not isinstance(ctx, ConnectionContext):
            raise NotFound("subscribe over the WebSocket")
        principal = await ctx.principal()
        source = worklist_notices(ctx.database, principal.tenant_id)
        async with aclosing(source) as notices:
            async for notice in notices:
                async with ctx.event_session(principal.tenant_id):
                    change = await _change(ctx, notice)
                    if change is not None:
                        yield change


TYPES: list[type] = [WorkListChange]
