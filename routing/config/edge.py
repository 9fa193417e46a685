"""What every routing-configuration resolver shares: the caller, the publications the edge
applies after its commit, and input conversion (global ids → row ids, GraphQL names kept
for error messages).
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import strawberry
from strawberry.types import Info

from routing.config.directory import RoutingDirectory
from routing.config.publishing import Publications
from tenants.errors import BadUserInput, NotFound
from tenants.graphql.context import RequestContext
from tenants.graphql.relay import expect_global_id
from tenants.identity.principal import Principal


def skill_ref(global_id: str, field: str) -> str:
    # An unknown skill is bad input (the skill is data the caller chose, not the target).
    try:
        return str(expect_global_id(global_id, "Skill"))
    except NotFound as err:
        raise BadUserInput(f"{field}: unknown skill", field=field) from err


def queue_ref(global_id: str, field: str) -> str:
    try:
        return str(expect_global_id(global_id, "Queue"))
    except NotFound as err:
        raise NotFound(f"{field}: queue not found", field=field) from err


def set_fields(source: object, names: list[str]) -> dict[str, Any]:
    """The fields the client sent (explicit nulls included), keyed by GraphQL name."""
    result: dict[str, Any] = {}
    for name in names:
        value = getattr(source, name)
        if value is strawberry.UNSET:
            continue
        camel = name.split("_")[0] + "".join(p.title() for p in name.split("_")[1:])
        result[camel] = value
    return result


@runtime_checkable
class RoutingConfigServices(Protocol):
    """The client routing's configuration resolvers read from the context."""

    @property
    def directory(self) -> RoutingDirectory:
        """The publisher of the routing configuration into Redis."""


def directory_of(ctx: RequestContext[RoutingConfigServices]) -> RoutingDirectory:
    """The process's routing directory, built by the composition root."""
    return ctx.services.directory


def publications_of(ctx: RequestContext[RoutingConfigServices]) -> Publications:
    """A record of Redis writes that the edge applies after this request commits."""
    publications = Publications()

    async def publish() -> None:
        await publications.apply(directory_of(ctx))

    ctx.after_commit(publish)
    return publications


async def principal_of(info: Info[RequestContext, None]) -> Principal:
    return await info.context.principal()
