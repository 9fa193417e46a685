"""Relay conventions: opaque global ids, the ``Node`` interface and connections."""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Callable
from typing import Generic, TypeVar

import strawberry

from tenants.database.pagination import Page, PageRequest
from tenants.errors import BadUserInput, NotFound

NodeType = TypeVar("NodeType")
Row = TypeVar("Row")


def to_global_id(type_name: str, row_id: uuid.UUID) -> strawberry.ID:
    """The opaque id clients see for ``type_name`` row ``row_id``."""
    return strawberry.ID(base64.urlsafe_b64encode(f"{type_name}:{row_id}".encode()).decode())


def from_global_id(global_id: str) -> tuple[str, uuid.UUID]:
    """``(type_name, uuid)`` of a global id; NOT_FOUND when it is malformed.

    A malformed id is reported as not found, like another tenant's id, so ids leak nothing.
    """
    try:
        padded = global_id + "=" * (-len(global_id) % 4)
        type_name, raw = base64.urlsafe_b64decode(padded.encode()).decode().split(":", 1)
        return type_name, uuid.UUID(raw)
    except (ValueError, binascii.Error, UnicodeDecodeError) as err:
        raise NotFound("no object with this id") from err


def expect_global_id(global_id: str, type_name: str) -> uuid.UUID:
    """The row id of a global id that must name ``type_name``."""
    kind, row_id = from_global_id(global_id)
    if kind != type_name:
        raise NotFound(f"no {type_name} with this id")
    return row_id


@strawberry.interface(description="An object with a globally unique, opaque id.")
class Node:
    id: strawberry.ID


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[NodeType]):
    cursor: str
    node: NodeType


@strawberry.type
class Connection(Generic[NodeType]):
    edges: list[Edge[NodeType]]
    page_info: PageInfo

    @strawberry.field
    def nodes(self) -> list[NodeType]:
        return [edge.node for edge in self.edges]


def page_request(first: int | None, after: str | None, *, max_page_size: int) -> PageRequest:
    """Validate Relay arguments against the page-size cap."""
    size = 20 if first is None else first
    if size < 0:
        raise BadUserInput("first must not be negative", field="first")
    if size > max_page_size:
        raise BadUserInput(f"first must be at most {max_page_size}", field="first")
    return PageRequest(first=size, after=after)


def connection(page: Page[Row], to_node: Callable[[Row], NodeType]) -> Connection[NodeType]:
    """A Relay connection of ``page`` with each row converted by ``to_node``."""
    edges = [Edge(cursor=cursor, node=to_node(row)) for cursor, row in page.items]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )
