"""GraphQL surface of the media plane: live calls, force hang-up, agents' SIP credentials."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Protocol, runtime_checkable

import strawberry
from strawberry.types import Info

from media_plane import calls
from media_plane.sip.credentials import credentials_for_agent
from tenants.errors import BadUserInput, DomainError, ErrorCode, NotFound
from tenants.graphql.context import RequestContext
from tenants.identity import repository as identity_repository
from tenants.identity.principal import Principal


class MediaNotConfigured(DomainError):
    """This API process has no media-plane clients."""

    code = ErrorCode.INTERNAL


class AgentSipUsers(Protocol):
    """The SIP user routing dials for an agent (routing's published agent profile)."""

    async def sip_user(self, *, tenant_id: uuid.UUID, user_id: uuid.UUID) -> str | None: ...


@runtime_checkable
class MediaServices(Protocol):
    """The clients the media plane's GraphQL reads from the context."""

    @property
    def media(self) -> calls.MediaControl | None:
        """Kamailio and rtpengine control; None in a process without a media plane."""

    @property
    def sip_users(self) -> AgentSipUsers: ...


def _control(ctx: RequestContext[MediaServices]) -> calls.MediaControl:
    control = ctx.services.media
    if control is None:
        raise MediaNotConfigured("the media plane is not configured")
    return control


@strawberry.type(name="LiveCall")
class LiveCallType:
    call_id: strawberry.ID = strawberry.field(description="Routing's call id.")
    sip_call_id: str
    agent: str | None
    caller: str
    number: str
    answered: bool
    started_at: datetime | None

    @classmethod
    def from_call(cls, call: calls.LiveCall) -> LiveCallType:
        return cls(
            call_id=strawberry.ID(call.call_id),
            sip_call_id=call.sip_call_id,
            agent=call.agent,
            caller=call.caller,
            number=call.number,
            answered=call.answered,
            started_at=datetime.fromtimestamp(call.started_at, UTC) if call.started_at else None,
        )


@strawberry.type(name="SipCredentials")
class SipCredentialsType:
    username: str
    password: str
    uri: str
    domain: str
    websocket_url: str
    expires_at: datetime


@strawberry.type
class HangUpCallPayload:
    call: LiveCallType


@strawberry.type
class ListenPayload:
    listen_id: strawberry.ID
    call_id: strawberry.ID


async def _tenant_slug(ctx: RequestContext, principal: Principal) -> str:
    slug = await identity_repository.tenant_slug(ctx.session, principal.tenant_id)
    if slug is None:
        raise NotFound("tenant not found")
    return slug


@strawberry.type
class Query:
    @strawberry.field(description="Live calls of your tenant (supervisors, admins, owners).")
    async def live_calls(self, info: Info[RequestContext, None]) -> list[LiveCallType]:
        ctx = info.context
        found = await calls.list_live_calls(control=_control(ctx), principal=await ctx.principal())
        return [LiveCallType.from_call(c) for c in found]

    @strawberry.field(description="Short-lived SIP credentials for your softphone (users only).")
    async def sip_credentials(self, info: Info[RequestContext, None]) -> SipCredentialsType:
        ctx = info.context
        principal = await ctx.principal()
        if principal.user_id is None:
            raise BadUserInput("SIP credentials are issued to users, not API keys")
        creds = credentials_for_agent(
            ctx.settings,
            agent=await _sip_user(ctx, principal.tenant_id, principal.user_id),
            tenant_slug=await _tenant_slug(ctx, principal),
        )
        k = ctx.settings.kamailio
        return SipCredentialsType(
            username=creds.username,
            password=creds.password,
            uri=creds.uri,
            domain=creds.domain,
            websocket_url=f"ws://{k.ws_host}:{k.ws_port}",
            expires_at=datetime.fromtimestamp(creds.expires_at, UTC),
        )


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Force hang-up of a live call of your tenant (BYE both ways).")
    async def hang_up_call(
        self, info: Info[RequestContext, None], call_id: strawberry.ID
    ) -> HangUpCallPayload:
        ctx = info.context
        call = await calls.hang_up_call(
            control=_control(ctx), principal=await ctx.principal(), call_id=str(call_id)
        )
        return HangUpCallPayload(call=LiveCallType.from_call(call))

    @strawberry.mutation(
        description="Listen in: your registered softphone rings with both parties' audio."
    )
    async def listen_to_call(
        self, info: Info[RequestContext, None], call_id: strawberry.ID
    ) -> ListenPayload:
        ctx = info.context
        principal = await ctx.principal()
        session = await calls.listen_to_call(
            control=_control(ctx),
            principal=principal,
            call_id=str(call_id),
            tenant_slug=await _tenant_slug(ctx, principal),
        )
        return ListenPayload(
            listen_id=strawberry.ID(session.listen_id), call_id=strawberry.ID(session.call_id)
        )

    @strawberry.mutation(description="Stop listening in (hangs up your listen leg).")
    async def stop_listening(
        self, info: Info[RequestContext, None], listen_id: strawberry.ID
    ) -> ListenPayload:
        ctx = info.context
        session = await calls.stop_listening(
            control=_control(ctx), principal=await ctx.principal(), listen_id=str(listen_id)
        )
        return ListenPayload(
            listen_id=strawberry.ID(session.listen_id), call_id=strawberry.ID(session.call_id)
        )


TYPES: list[type] = [LiveCallType, SipCredentialsType, HangUpCallPayload, ListenPayload]
NODE_RESOLVERS: dict = {}


async def _sip_user(
    ctx: RequestContext[MediaServices], tenant_id: uuid.UUID, user_id: uuid.UUID
) -> str:
    """The SIP user routing dials for this agent: the profile's ``sip_user`` as published in
    the routing directory, else the user id's hex."""
    published = await ctx.services.sip_users.sip_user(tenant_id=tenant_id, user_id=user_id)
    return published or user_id.hex
