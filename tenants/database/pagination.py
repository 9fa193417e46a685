"""Keyset pagination behind Relay connections: stable under inserts, O(page) per page."""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, and_, or_
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.errors import BadUserInput

Row = TypeVar("Row")


@dataclass(frozen=True)
class PageRequest:
    """``first`` rows after the opaque ``after`` cursor."""

    first: int
    after: str | None = None


@dataclass(frozen=True)
class Page(Generic[Row]):
    """One page of rows, each with its cursor."""

    items: list[tuple[str, Row]]
    has_next_page: bool
    has_previous_page: bool


def encode_cursor(created_at: datetime, row_id: uuid.UUID) -> str:
    """An opaque cursor for a row ordered by ``(created_at, id)``."""
    raw = f"{created_at.isoformat()}|{row_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    """The position a cursor points at; BAD_USER_INPUT when it is not one of ours."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        created, row_id = base64.urlsafe_b64decode(padded).decode().split("|", 1)
        return datetime.fromisoformat(created), uuid.UUID(row_id)
    except (ValueError, binascii.Error, UnicodeDecodeError) as err:
        raise BadUserInput("after: invalid cursor", field="after") from err


async def keyset_page(
    session: AsyncSession, statement: Select[Any], model: Any, page: PageRequest
) -> Page[Any]:
    """Run ``statement`` ordered by ``(created_at, id)`` from the cursor on."""
    if page.after is not None:
        created, row_id = decode_cursor(page.after)
        statement = statement.where(
            or_(model.created_at > created, and_(model.created_at == created, model.id > row_id))
        )
    statement = statement.order_by(model.created_at, model.id).limit(page.first + 1)
    rows = list(await session.scalars(statement))
    return Page(
        items=[(encode_cursor(r.created_at, r.id), r) for r in rows[: page.first]],
        has_next_page=len(rows) > page.first,
        has_previous_page=page.after is not None,
    )
