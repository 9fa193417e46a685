"""GraphQL surface of identity: signup, login, me, users and API keys."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from enum import Enum

import strawberry
from strawberry.types import Info

from tenants.errors import NotFound
from tenants.graphql.context import RequestContext
from tenants.graphql.relay import (
    Connection,
    Node,
    connection,
    expect_global_id,
    page_request,
    to_global_id,
)
from tenants.identity import models, password_reset, service
from tenants.identity import repository as identity_repository
from tenants.identity.schemas import (
    ApiKeyCreateIn,
    LogInIn,
    PasswordResetIn,
    PasswordResetRequestIn,
    SignUpIn,
    TenantUpdateIn,
    UserCreateIn,
    UserUpdateIn,
)
from tenants.input_validation import given_fields, parse_input

log = logging.getLogger("hotline.identity")

RoleEnum = strawberry.enum(
    Enum(
        "Role", {"OWNER": "owner", "ADMIN": "admin", "SUPERVISOR": "supervisor", "AGENT": "agent"}
    ),
    description="A role within one tenant.",
)


@strawberry.type(name="Tenant")
class TenantType(Node):
    slug: str
    name: str
    plan: str
    status: str
    created_at: datetime

    @classmethod
    def from_row(cls, row: models.Tenant) -> TenantType:
        return cls(
            id=to_global_id("Tenant", row.id),
            slug=row.slug,
            name=row.name,
            plan=row.plan,
            status=row.status,
            created_at=row.created_at,
        )


@strawberry.type(name="User")
class UserType(Node):
    email: str
    role: str
    display_name: str
    active: bool
    created_at: datetime
    last_login_at: datetime | None

    @classmethod
    def from_row(cls, row: models.User) -> UserType:
        return cls(
            id=to_global_id("User", row.id),
            email=row.email,
            role=row.role,
            display_name=row.display_name,
            active=row.active,
            created_at=row.created_at,
            last_login_at=row.last_login_at,
        )


@strawberry.type(name="ApiKey")
class ApiKeyType(Node):
    name: str
    prefix: str
    role: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def from_row(cls, row: models.ApiKey) -> ApiKeyType:
        return cls(
            id=to_global_id("ApiKey", row.id),
            name=row.name,
            prefix=row.prefix,
            role=row.role,
            created_at=row.created_at,
            last_used_at=row.last_used_at,
            revoked_at=row.revoked_at,
        )


@strawberry.type
class AuthPayload:
    token: str
    tenant: TenantType
    user: UserType


@strawberry.type
class CreateApiKeyPayload:
    api_key: ApiKeyType
    secret: str = strawberry.field(description="The full key. It is shown only this once.")


@strawberry.input
class SignUpInput:
    tenant_name: str
    admin_email: str
    admin_password: str
    admin_display_name: str | None = None


@strawberry.input
class LogInInput:
    tenant_slug: str
    email: str
    password: str


@strawberry.input
class RequestPasswordResetInput:
    tenant_slug: str
    email: str


@strawberry.input
class ResetPasswordInput:
    token: str = strawberry.field(description="The token of the reset link")
    new_password: str


@strawberry.input
class UpdateTenantInput:
    name: str


@strawberry.input
class CreateUserInput:
    email: str
    password: str
    role: RoleEnum  # type: ignore[valid-type]
    display_name: str | None = None


@strawberry.input
class UpdateUserInput:
    id: strawberry.ID
    email: str | None = None
    password: str | None = None
    role: RoleEnum | None = None  # type: ignore[valid-type]
    display_name: str | None = None


@strawberry.input
class CreateApiKeyInput:
    name: str
    role: RoleEnum  # type: ignore[valid-type]


def _auth_payload(result: service.AuthResult) -> AuthPayload:
    return AuthPayload(
        token=result.token,
        tenant=TenantType.from_row(result.tenant),
        user=UserType.from_row(result.user),
    )


@strawberry.type
class Query:
    @strawberry.field(description="The signed-in user (null for an API key).")
    async def me(self, info: Info[RequestContext, None]) -> UserType | None:
        ctx = info.context
        principal = await ctx.principal()
        if principal.user_id is None:
            return None
        user = await service.get_user(
            session=ctx.session, principal=principal, user_id=principal.user_id
        )
        return UserType.from_row(user)

    @strawberry.field(description="The caller's tenant.")
    async def tenant(self, info: Info[RequestContext, None]) -> TenantType:
        ctx = info.context
        principal = await ctx.principal()
        row = await identity_repository.tenant_by_id(ctx.session, principal.tenant_id)
        if row is None:
            raise NotFound("tenant not found")
        return TenantType.from_row(row)

    @strawberry.field(description="The tenant's users (owners and admins).")
    async def users(
        self,
        info: Info[RequestContext, None],
        first: int | None = None,
        after: str | None = None,
        active: bool | None = None,
    ) -> Connection[UserType]:
        ctx = info.context
        page = await service.list_users(
            session=ctx.session,
            principal=await ctx.principal(),
            page=page_request(first, after, max_page_size=ctx.max_page_size),
            active=active,
        )
        return connection(page, UserType.from_row)

    @strawberry.field(description="The tenant's API keys (owners and admins).")
    async def api_keys(
        self, info: Info[RequestContext, None], first: int | None = None, after: str | None = None
    ) -> Connection[ApiKeyType]:
        ctx = info.context
        page = await service.list_api_keys(
            session=ctx.session,
            principal=await ctx.principal(),
            page=page_request(first, after, max_page_size=ctx.max_page_size),
        )
        return connection(page, ApiKeyType.from_row)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Create a tenant and its owner; returns a token and sets the browser session."
    )
    async def sign_up(self, info: Info[RequestContext, None], input: SignUpInput) -> AuthPayload:
        ctx = info.context
        signup_in = parse_input(
            SignUpIn,
            given_fields(
                tenant_name=input.tenant_name,
                admin_email=input.admin_email,
                admin_password=input.admin_password,
                admin_display_name=input.admin_display_name,
            ),
        )
        result = await service.sign_up(
            session=ctx.session,
            signup_in=signup_in,
            signer=ctx.signer,
            limits=ctx.rate_limits,
            client_ip=ctx.client_ip,
        )
        ctx.start_browser_session(result.token)
        return _auth_payload(result)

    @strawberry.mutation(
        description="Sign in to a tenant; returns a token and sets the browser session."
    )
    async def log_in(self, info: Info[RequestContext, None], input: LogInInput) -> AuthPayload:
        ctx = info.context
        login_in = parse_input(
            LogInIn,
            given_fields(tenant_slug=input.tenant_slug, email=input.email, password=input.password),
        )
        result = await service.log_in(
            session=ctx.session,
            login_in=login_in,
            signer=ctx.signer,
            limits=ctx.rate_limits,
            client_ip=ctx.client_ip,
        )
        ctx.start_browser_session(result.token)
        return _auth_payload(result)

    @strawberry.mutation(description="End the browser session: its cookie stops working.")
    async def log_out(self, info: Info[RequestContext, None]) -> bool:
        ctx = info.context
        if ctx.cookie_session and ctx.credential:
            await ctx.principal()  # a cookie log-out needs the CSRF token too
        await ctx.end_browser_session()
        return True

    @strawberry.mutation(
        description="Send a password-reset link (in dev: to the log); always true."
    )
    async def request_password_reset(
        self, info: Info[RequestContext, None], input: RequestPasswordResetInput
    ) -> bool:
        ctx = info.context
        request_in = parse_input(
            PasswordResetRequestIn,
            given_fields(tenant_slug=input.tenant_slug, email=input.email),
            camel=True,
        )
        link = await password_reset.request_reset(
            session=ctx.session,
            request_in=request_in,
            signer=ctx.signer,
            limits=ctx.rate_limits,
            client_ip=ctx.client_ip,
        )
        if link is not None:
            log.warning(
                "password reset for %s in %s (no mail relay configured): %s%s",
                request_in.email,
                request_in.tenant_slug,
                ctx.public_base_url,
                link,
            )
        return True

    @strawberry.mutation(description="Set a new password with a reset link's token.")
    async def reset_password(
        self, info: Info[RequestContext, None], input: ResetPasswordInput
    ) -> bool:
        ctx = info.context
        reset_in = parse_input(
            PasswordResetIn,
            given_fields(token=input.token, new_password=input.new_password),
            camel=True,
        )
        await password_reset.reset_password(
            session=ctx.session, reset_in=reset_in, signer=ctx.signer, principals=ctx.principals
        )
        return True

    @strawberry.mutation(description="Change the tenant's name (owners and admins).")
    async def update_tenant(
        self, info: Info[RequestContext, None], input: UpdateTenantInput
    ) -> TenantType:
        ctx = info.context
        tenant_in = parse_input(TenantUpdateIn, given_fields(name=input.name), camel=True)
        row = await service.update_tenant(
            session=ctx.session, principal=await ctx.principal(), tenant_in=tenant_in
        )
        return TenantType.from_row(row)

    @strawberry.mutation
    async def create_user(
        self, info: Info[RequestContext, None], input: CreateUserInput
    ) -> UserType:
        ctx = info.context
        user_in = parse_input(
            UserCreateIn,
            given_fields(
                email=input.email,
                password=input.password,
                role=input.role,
                display_name=input.display_name,
            ),
        )
        user = await service.create_user(
            session=ctx.session, principal=await ctx.principal(), user_in=user_in
        )
        return UserType.from_row(user)

    @strawberry.mutation
    async def update_user(
        self, info: Info[RequestContext, None], input: UpdateUserInput
    ) -> UserType:
        ctx = info.context
        principal = await ctx.principal()
        user_id = expect_global_id(input.id, "User")
        user_in = parse_input(
            UserUpdateIn,
            given_fields(
                email=input.email,
                password=input.password,
                role=input.role,
                display_name=input.display_name,
            ),
        )
        user = await service.update_user(
            session=ctx.session,
            principal=principal,
            user_id=user_id,
            user_in=user_in,
            principals=ctx.principals,
        )
        return UserType.from_row(user)

    @strawberry.mutation
    async def deactivate_user(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> UserType:
        ctx = info.context
        principal = await ctx.principal()
        user = await service.deactivate_user(
            session=ctx.session,
            principal=principal,
            user_id=expect_global_id(id, "User"),
            principals=ctx.principals,
        )
        return UserType.from_row(user)

    @strawberry.mutation
    async def create_api_key(
        self, info: Info[RequestContext, None], input: CreateApiKeyInput
    ) -> CreateApiKeyPayload:
        ctx = info.context
        key_in = parse_input(ApiKeyCreateIn, given_fields(name=input.name, role=input.role))
        key, secret = await service.create_api_key(
            session=ctx.session, principal=await ctx.principal(), key_in=key_in
        )
        return CreateApiKeyPayload(api_key=ApiKeyType.from_row(key), secret=secret)

    @strawberry.mutation
    async def revoke_api_key(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> ApiKeyType:
        ctx = info.context
        principal = await ctx.principal()
        key = await service.revoke_api_key(
            session=ctx.session, principal=principal, key_id=expect_global_id(id, "ApiKey")
        )
        return ApiKeyType.from_row(key)


async def _resolve_user(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    user = await service.get_user(
        session=ctx.session, principal=await ctx.principal(), user_id=row_id
    )
    return UserType.from_row(user)


async def _resolve_api_key(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    key = await service.get_api_key(
        session=ctx.session, principal=await ctx.principal(), key_id=row_id
    )
    return ApiKeyType.from_row(key)


async def _resolve_tenant(ctx: RequestContext, row_id: uuid.UUID) -> Node:
    principal = await ctx.principal()
    row = await identity_repository.tenant_by_id(ctx.session, row_id)
    if row is None or row.id != principal.tenant_id:
        raise NotFound("no Tenant with this id")
    return TenantType.from_row(row)


NODE_RESOLVERS = {"User": _resolve_user, "ApiKey": _resolve_api_key, "Tenant": _resolve_tenant}
"""How ``node(id:)`` loads each identity type, always through the service's tenant checks."""

TYPES = [TenantType, UserType, ApiKeyType]
