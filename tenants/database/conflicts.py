"""Flushing a unit of work, with a violated constraint answered as CONFLICT."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.errors import Conflict


def constraint_name(err: IntegrityError) -> str | None:
    """The name of the violated constraint, when the driver reports it."""
    cause = getattr(err.orig, "__cause__", None)
    return getattr(cause, "constraint_name", None) or getattr(err.orig, "constraint_name", None)


async def flush_or_conflict(
    session: AsyncSession,
    message: str,
    *,
    fields: Mapping[str, tuple[str, str]] | None = None,
) -> None:
    """Flush; a violated constraint becomes CONFLICT with ``message``.

    ``fields`` maps constraint names to their own ``(message, field)``, so the error names
    the input field (an empty field names none); other constraints keep ``message``.
    """
    try:
        await session.flush()
    except IntegrityError as err:
        if fields is None:
            raise Conflict(message) from err
        own_message, field = fields.get(constraint_name(err) or "", (message, ""))
        raise Conflict(own_message, field=field or None) from err
