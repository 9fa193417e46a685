"""What the CRM's resolvers share (and the tickets' reuse): optional references by global id
and the payload of a delete.
"""

from __future__ import annotations

import uuid

import strawberry

from tenants.errors import BadUserInput, NotFound
from tenants.graphql.relay import (
    expect_global_id,
)


def optional_global_id(
    global_id: strawberry.ID | None, type_name: str, field: str
) -> uuid.UUID | None:
    """The row id of an optional reference; BAD_USER_INPUT when it names something else."""
    if global_id is None:
        return None
    try:
        return expect_global_id(global_id, type_name)
    except NotFound as err:
        raise BadUserInput(f"{field}: not a {type_name} id", field=field) from err


@strawberry.type
class DeletePayload:
    deleted_id: strawberry.ID
