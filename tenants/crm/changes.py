"""What every CRM change shares: a flush whose integrity error becomes CONFLICT."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.errors import Conflict


async def _flush_or_conflict(session: AsyncSession, message: str) -> None:
    try:
        await session.flush()
    except IntegrityError as err:
        raise Conflict(message) from err
