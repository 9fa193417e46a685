"""Validated inputs of identity operations (``*In``)."""

from __future__ import annotations

from typing import Annotated

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from tenants.identity.roles import Role

MIN_PASSWORD_LENGTH = 12


def _check_email(value: str) -> str:
    # ``test_environment`` accepts the reserved ``.test`` TLD used by staging tenants.
    try:
        return validate_email(value, check_deliverability=False, test_environment=True).normalized
    except EmailNotValidError as err:
        raise ValueError(f"invalid email address: {err}") from err


EmailAddress = Annotated[str, Field(max_length=254), AfterValidator(_check_email)]
"""An email address, syntax-checked and normalised (no DNS look-up)."""


def _check_password(value: str) -> str:
    if len(value) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"password must be at least {MIN_PASSWORD_LENGTH} characters")
    if len(value) > 256:
        raise ValueError("password must be at most 256 characters")
    return value


class _Input(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")


class SignUpIn(_Input):
    """Self-service signup: a new tenant and its owner."""

    tenant_name: str = Field(min_length=2, max_length=120)
    admin_email: EmailAddress
    admin_password: str = Field(repr=False)
    admin_display_name: str = Field(default="", max_length=120)

    _password = field_validator("admin_password")(_check_password)


class LogInIn(_Input):
    """Credentials for one tenant."""

    tenant_slug: str = Field(min_length=1, max_length=63)
    email: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=256, repr=False)


class UserCreateIn(_Input):
    """A user created by an owner or admin."""

    email: EmailAddress
    password: str = Field(repr=False)
    role: Role
    display_name: str = Field(default="", max_length=120)

    _password = field_validator("password")(_check_password)


class UserUpdateIn(_Input):
    """Fields an owner or admin may change; None leaves a field as it is."""

    email: EmailAddress | None = None
    password: str | None = Field(default=None, repr=False)
    role: Role | None = None
    display_name: str | None = Field(default=None, max_length=120)

    @field_validator("password")
    @classmethod
    def _password(cls, value: str | None) -> str | None:
        return None if value is None else _check_password(value)


class ApiKeyCreateIn(_Input):
    """A new API key with one role."""

    name: str = Field(min_length=1, max_length=120)
    role: Role


class PasswordResetRequestIn(_Input):
    """Who forgot their password: a tenant slug and an email."""

    tenant_slug: str = Field(min_length=1, max_length=63)
    email: str = Field(min_length=1, max_length=254)


class PasswordResetIn(_Input):
    """A reset link's token and the new password."""

    token: str = Field(min_length=1, max_length=2048, repr=False)
    new_password: str = Field(repr=False)

    _password = field_validator("new_password")(_check_password)


class TenantUpdateIn(_Input):
    """What an owner or admin may change about the tenant itself."""

    name: str = Field(min_length=2, max_length=120)
