"""Use cases of a ticket's comments and attachments, and reads of its children.

Services flush, never commit: the edge that opened the transaction commits it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tenants.errors import BadUserInput, NotFound
from tenants.identity.principal import Principal
from tenants.tickets import repository
from tenants.tickets.models import TicketAttachment, TicketComment, TicketHistory
from tenants.tickets.schemas import AttachmentIn, CommentIn
from tenants.tickets.tickets_service import get_ticket


async def add_comment(
    *, session: AsyncSession, principal: Principal, ticket_id: uuid.UUID, comment_in: CommentIn
) -> TicketComment:
    """Comment on a ticket (recorded in its trail)."""
    ticket = await get_ticket(session=session, principal=principal, ticket_id=ticket_id)
    comment = TicketComment(
        id=uuid.uuid4(),
        tenant_id=principal.tenant_id,
        ticket_id=ticket.id,
        author_id=principal.user_id,
        body=comment_in.body,
    )
    session.add(comment)
    await session.flush()
    await repository.add_history(
        session,
        ticket=ticket,
        actor_id=principal.user_id,
        action="commented",
        detail={"comment_id": str(comment.id)},
    )
    await session.flush()
    await session.refresh(comment)
    return comment


async def add_attachment(
    *,
    session: AsyncSession,
    principal: Principal,
    ticket_id: uuid.UUID,
    attachment_in: AttachmentIn,
) -> TicketAttachment:
    """Record a file attached to a ticket (its bytes are already in object storage)."""
    ticket = await get_ticket(session=session, principal=principal, ticket_id=ticket_id)
    prefix = f"{principal.tenant_id}/"
    if not attachment_in.storage_key.startswith(prefix):
        raise BadUserInput(f"storageKey: must start with {prefix}", field="storageKey")
    attachment = TicketAttachment(
        id=uuid.uuid4(),
        tenant_id=principal.tenant_id,
        ticket_id=ticket.id,
        filename=attachment_in.filename,
        content_type=attachment_in.content_type,
        size_bytes=attachment_in.size_bytes,
        storage_key=attachment_in.storage_key,
        uploaded_by=principal.user_id,
    )
    session.add(attachment)
    await session.flush()
    await repository.add_history(
        session,
        ticket=ticket,
        actor_id=principal.user_id,
        action="attachment_added",
        detail={"attachment_id": str(attachment.id), "filename": attachment.filename},
    )
    await session.flush()
    await session.refresh(attachment)
    return attachment


async def comments_of(
    *, session: AsyncSession, tenant_id: uuid.UUID, ticket_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[TicketComment]]:
    """Each ticket's comments, oldest first.

    For DataLoaders under tickets already read through the caller's tenant: ``tenant_id``
    is theirs, and scopes this read too.
    """
    return await repository.comments_of(session, tenant_id=tenant_id, ticket_ids=ticket_ids)


async def attachments_of(
    *, session: AsyncSession, tenant_id: uuid.UUID, ticket_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[TicketAttachment]]:
    """Each ticket's attachments, oldest first (for DataLoaders, as ``comments_of``)."""
    return await repository.attachments_of(session, tenant_id=tenant_id, ticket_ids=ticket_ids)


async def history_of(
    *, session: AsyncSession, tenant_id: uuid.UUID, ticket_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[TicketHistory]]:
    """Each ticket's trail, oldest first (for DataLoaders, as ``comments_of``)."""
    return await repository.history_of(session, tenant_id=tenant_id, ticket_ids=ticket_ids)


async def get_child(
    *, session: AsyncSession, principal: Principal, model: type[Any], row_id: uuid.UUID
) -> Any:
    """One comment, attachment or history entry of the tenant."""
    row = await repository.one_of(session, model, tenant_id=principal.tenant_id, row_id=row_id)
    if row is None:
        raise NotFound(f"{model.__name__} not found")
    return row


CHILD_MODELS = {
    "TicketComment": TicketComment,
    "TicketAttachment": TicketAttachment,
    "TicketHistoryEntry": TicketHistory,
}
