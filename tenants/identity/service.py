"""Identity use cases: signup, login, authentication, users and API keys.

Services flush, never commit: the edge that opened the transaction commits it.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from tenants.database.conflicts import flush_or_conflict
from tenants.database.pagination import Page, PageRequest
from tenants.database.session import bind_tenant
from tenants.errors import BadUserInput, Conflict, Forbidden, NotFound, Unauthenticated
from tenants.identity import api_keys, repository
from tenants.identity.models import ApiKey, Tenant, User
from tenants.identity.passwords import hash_password, verify_password
from tenants.identity.principal import Principal
from tenants.identity.principal_cache import PrincipalCache
from tenants.identity.rate_limit import RateLimiter
from tenants.identity.roles import MANAGERS, Role
from tenants.identity.schemas import (
    ApiKeyCreateIn,
    LogInIn,
    SignUpIn,
    TenantUpdateIn,
    UserCreateIn,
    UserUpdateIn,
)
from tenants.identity.tokens import TokenClaims, TokenSigner

_SLUG_INVALID = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class AuthResult:
    """What signup and login return: a token and who it is for."""

    token: str
    tenant: Tenant
    user: User


@dataclass(frozen=True)
class RateLimits:
    """The limiter and limits identity applies at its entry points."""

    limiter: RateLimiter
    signup_per_ip: int
    login_per_ip: int
    login_per_account: int
    api_key_per_minute: int | None = None


def slugify(name: str) -> str:
    """A URL-safe slug of a tenant name (``Acme Support`` → ``acme-support``)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = _SLUG_INVALID.sub("-", ascii_name.lower()).strip("-")[:50].strip("-")
    return slug or f"tenant-{secrets.token_hex(3)}"


async def _unique_slug(session: AsyncSession, name: str) -> str:
    base = slugify(name)
    taken = await repository.slugs_like(session, base)
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


async def sign_up(
    *,
    session: AsyncSession,
    signup_in: SignUpIn,
    signer: TokenSigner,
    limits: RateLimits,
    client_ip: str,
) -> AuthResult:
    """Create a tenant and its owner in the caller's transaction (all or nothing)."""
    await limits.limiter.hit("signup", client_ip, limit=limits.signup_per_ip)
    tenant = Tenant(
        id=uuid.uuid4(),
        name=signup_in.tenant_name,
        slug=await _unique_slug(session, signup_in.tenant_name),
    )
    session.add(tenant)
    await flush_or_conflict(session, "a tenant with this slug already exists")
    await bind_tenant(session, tenant.id)
    owner = User(
        id=uuid.uuid4(),
        tenant_id=tenant.id,
        email=signup_in.admin_email,
        password_hash=hash_password(signup_in.admin_password),
        role=Role.OWNER.value,
        display_name=signup_in.admin_display_name,
    )
    session.add(owner)
    await flush_or_conflict(session, "email already in use")
    await session.refresh(tenant)
    await session.refresh(owner)
    token = signer.issue(TokenClaims(user_id=owner.id, tenant_id=tenant.id, role=Role.OWNER))
    return AuthResult(token=token, tenant=tenant, user=owner)


async def log_in(
    *,
    session: AsyncSession,
    login_in: LogInIn,
    signer: TokenSigner,
    limits: RateLimits,
    client_ip: str,
) -> AuthResult:
    """Check credentials for one tenant; every failure looks the same to the caller."""
    await limits.limiter.hit("login-ip", client_ip, limit=limits.login_per_ip)
    account = f"{login_in.tenant_slug.lower()}:{login_in.email.lower()}"
    await limits.limiter.hit("login-account", account, limit=limits.login_per_account)
    tenant = await repository.tenant_by_slug(session, login_in.tenant_slug)
    user: User | None = None
    if tenant is not None and tenant.status == "active":
        await bind_tenant(session, tenant.id)
        user = await repository.user_by_email(session, tenant_id=tenant.id, email=login_in.email)
    valid = verify_password(user.password_hash if user else None, login_in.password)
    if tenant is None or user is None or not valid or not user.active:
        raise Unauthenticated("invalid credentials")
    user.last_login_at = datetime.now(UTC)
    await session.flush()
    token = signer.issue(TokenClaims(user_id=user.id, tenant_id=tenant.id, role=Role(user.role)))
    return AuthResult(token=token, tenant=tenant, user=user)


async def authenticate(
    *,
    session: AsyncSession,
    credential: str,
    signer: TokenSigner,
    principals: PrincipalCache,
    limits: RateLimits | None = None,
) -> Principal:
    """The principal behind a bearer token or API key; binds the session to its tenant.

    With ``limits``, every use of an API key counts against its per-minute limit (keyed by
    the key's visible prefix, before any lookup, so guessing secrets is throttled too).
    """
    if credential.startswith(f"{api_keys.KEY_PREFIX}_"):
        parts = api_keys.split_key(credential)
        if parts is not None and limits is not None and limits.api_key_per_minute:
            await limits.limiter.hit(
                "api-key", parts[0], limit=limits.api_key_per_minute, window_seconds=60
            )
        return await _authenticate_api_key(session, credential)
    claims = signer.verify(credential)
    await bind_tenant(session, claims.tenant_id)
    role = principals.recall(claims.tenant_id, claims.user_id)
    if role is None:
        user = await repository.user_by_id(
            session, tenant_id=claims.tenant_id, user_id=claims.user_id
        )
        if user is None or not user.active:
            raise Unauthenticated("user is no longer active")
        role = Role(user.role)
        principals.remember(claims.tenant_id, claims.user_id, role)
    return Principal(tenant_id=claims.tenant_id, role=role, user_id=claims.user_id)


async def _authenticate_api_key(session: AsyncSession, credential: str) -> Principal:
    parts = api_keys.split_key(credential)
    if parts is None:
        raise Unauthenticated("invalid API key")
    prefix, secret = parts
    key = await repository.api_key_by_prefix(session, prefix)
    if (
        key is None
        or key.revoked_at is not None
        or not api_keys.secret_matches(secret, key.secret_hash)
    ):
        raise Unauthenticated("invalid API key")
    await bind_tenant(session, key.tenant_id)
    await repository.touch_api_key(
        session, tenant_id=key.tenant_id, key_id=key.id, at=datetime.now(UTC)
    )
    return Principal(tenant_id=key.tenant_id, role=Role(key.role), api_key_id=key.id)


def _guard_owner_role(principal: Principal, *roles: Role | None) -> None:
    if Role.OWNER in roles and principal.role is not Role.OWNER:
        raise Forbidden("only an owner may grant or change the owner role")


async def get_user(*, session: AsyncSession, principal: Principal, user_id: uuid.UUID) -> User:
    """One user of the caller's tenant: managers see all, others only themselves."""
    if principal.role not in MANAGERS and principal.user_id != user_id:
        raise NotFound("user not found")
    user = await repository.user_by_id(session, tenant_id=principal.tenant_id, user_id=user_id)
    if user is None:
        raise NotFound("user not found")
    return user


async def list_users(
    *, session: AsyncSession, principal: Principal, page: PageRequest, active: bool | None = None
) -> Page[User]:
    """The tenant's users (managers only)."""
    principal.require(MANAGERS, "list users")
    return await repository.list_users(
        session, tenant_id=principal.tenant_id, page=page, active=active
    )


async def create_user(
    *, session: AsyncSession, principal: Principal, user_in: UserCreateIn
) -> User:
    """Add a user to the caller's tenant."""
    principal.require(MANAGERS, "create users")
    _guard_owner_role(principal, user_in.role)
    if await repository.user_by_email(session, tenant_id=principal.tenant_id, email=user_in.email):
        raise Conflict(f"email {user_in.email} is already in use in this tenant", field="email")
    user = User(
        id=uuid.uuid4(),
        tenant_id=principal.tenant_id,
        email=user_in.email,
        password_hash=hash_password(user_in.password),
        role=user_in.role.value,
        display_name=user_in.display_name,
    )
    session.add(user)
    await flush_or_conflict(session, f"email {user_in.email} is already in use in this tenant")
    await session.refresh(user)
    return user


async def update_user(
    *,
    session: AsyncSession,
    principal: Principal,
    user_id: uuid.UUID,
    user_in: UserUpdateIn,
    principals: PrincipalCache,
) -> User:
    """Change a user's email, password, role or name."""
    principal.require(MANAGERS, "update users")
    user = await get_user(session=session, principal=principal, user_id=user_id)
    _guard_owner_role(principal, Role(user.role), user_in.role)
    if (
        user_in.role is not None
        and user.id == principal.user_id
        and user_in.role != Role(user.role)
    ):
        raise BadUserInput("you cannot change your own role", field="role")
    if user_in.email is not None and user_in.email.lower() != user.email.lower():
        if await repository.user_by_email(
            session, tenant_id=principal.tenant_id, email=user_in.email
        ):
            raise Conflict(f"email {user_in.email} is already in use in this tenant", field="email")
        user.email = user_in.email
    if user_in.password is not None:
        user.password_hash = hash_password(user_in.password)
    if user_in.role is not None:
        user.role = user_in.role.value
        principals.forget(principal.tenant_id, user.id)
    if user_in.display_name is not None:
        user.display_name = user_in.display_name
    await flush_or_conflict(session, "email already in use in this tenant")
    await session.refresh(user)
    return user


async def deactivate_user(
    *, session: AsyncSession, principal: Principal, user_id: uuid.UUID, principals: PrincipalCache
) -> User:
    """Disable a user's sign-in; their tokens stop working at once."""
    principal.require(MANAGERS, "deactivate users")
    user = await get_user(session=session, principal=principal, user_id=user_id)
    _guard_owner_role(principal, Role(user.role))
    if user.id == principal.user_id:
        raise BadUserInput("you cannot deactivate yourself", field="id")
    user.active = False
    principals.forget(principal.tenant_id, user.id)
    await session.flush()
    await session.refresh(user)
    return user


async def list_api_keys(
    *, session: AsyncSession, principal: Principal, page: PageRequest
) -> Page[ApiKey]:
    """The tenant's API keys (managers only)."""
    principal.require(MANAGERS, "list API keys")
    return await repository.list_api_keys(session, tenant_id=principal.tenant_id, page=page)


async def get_api_key(*, session: AsyncSession, principal: Principal, key_id: uuid.UUID) -> ApiKey:
    """One API key of the tenant (managers only)."""
    principal.require(MANAGERS, "read API keys")
    key = await repository.api_key_by_id(session, tenant_id=principal.tenant_id, key_id=key_id)
    if key is None:
        raise NotFound("API key not found")
    return key


async def create_api_key(
    *, session: AsyncSession, principal: Principal, key_in: ApiKeyCreateIn
) -> tuple[ApiKey, str]:
    """A new key and its full secret, which is never shown again."""
    principal.require(MANAGERS, "create API keys")
    _guard_owner_role(principal, key_in.role)
    material = api_keys.generate_key()
    key = ApiKey(
        id=uuid.uuid4(),
        tenant_id=principal.tenant_id,
        name=key_in.name,
        prefix=material.prefix,
        secret_hash=material.secret_hash,
        role=key_in.role.value,
        created_by=principal.user_id,
    )
    session.add(key)
    await flush_or_conflict(session, "API key prefix collision; try again")
    await session.refresh(key)
    return key, material.full_key


async def revoke_api_key(
    *, session: AsyncSession, principal: Principal, key_id: uuid.UUID
) -> ApiKey:
    """Revoke a key; idempotent."""
    key = await get_api_key(session=session, principal=principal, key_id=key_id)
    _guard_owner_role(principal, Role(key.role))
    if key.revoked_at is None:
        key.revoked_at = datetime.now(UTC)
        await session.flush()
    return key


async def update_tenant(
    *, session: AsyncSession, principal: Principal, tenant_in: TenantUpdateIn
) -> Tenant:
    """Rename the caller's tenant (owners and admins); the slug, its URL, stays."""
    principal.require(MANAGERS, "change the tenant's settings")
    tenant = await repository.tenant_by_id(session, principal.tenant_id)
    if tenant is None:
        raise NotFound("tenant not found")
    tenant.name = tenant_in.name
    await session.flush()
    await session.refresh(tenant)
    return tenant
