"""Validated inputs of CRM operations (``*In``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tenants.crm.custom_fields.values import FieldType
from tenants.crm.phones import MAX_RAW_LENGTH, is_region
from tenants.identity.schemas import EmailAddress

Tag = Annotated[str, Field(min_length=1, max_length=64)]
RawPhone = Annotated[str, Field(min_length=1, max_length=MAX_RAW_LENGTH)]


class _Input(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")


class CategoryRouting(StrEnum):
    """What routing does with a caller of this category."""

    NONE = "none"
    PRIORITY = "priority"
    REJECT = "reject"


class CustomerCreateIn(_Input):
    """A new customer; phones are raw spellings, normalised by the service."""

    name: str = Field(min_length=1, max_length=200)
    company: str | None = Field(default=None, max_length=200)
    emails: list[EmailAddress] = Field(default_factory=list, max_length=20)
    phones: list[RawPhone] = Field(default_factory=list, max_length=20)
    category: str | None = Field(default=None, max_length=64)
    tags: list[Tag] = Field(default_factory=list, max_length=50)
    owner_id: uuid.UUID | None = None
    notes: str = Field(default="", max_length=20_000)
    custom_fields: dict[str, Any] = Field(default_factory=dict)
    external_id: str | None = Field(default=None, min_length=1, max_length=128)


class CustomerUpdateIn(_Input):
    """Fields to change; an absent field is left as it is. ``phones`` replaces the set."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    company: str | None = Field(default=None, max_length=200)
    emails: list[EmailAddress] | None = Field(default=None, max_length=20)
    phones: list[RawPhone] | None = Field(default=None, max_length=20)
    category: str | None = Field(default=None, max_length=64)
    clear_category: bool = False
    tags: list[Tag] | None = Field(default=None, max_length=50)
    owner_id: uuid.UUID | None = None
    clear_owner: bool = False
    notes: str | None = Field(default=None, max_length=20_000)
    custom_fields: dict[str, Any] | None = None
    external_id: str | None = Field(default=None, min_length=1, max_length=128)


class CustomerSort(StrEnum):
    """Orders a customer list can take."""

    NAME = "name"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


class CustomerFilterIn(_Input):
    """Every condition must hold (AND)."""

    name_prefix: str | None = Field(default=None, min_length=1, max_length=200)
    phone: str | None = Field(default=None, max_length=MAX_RAW_LENGTH)
    category: str | None = Field(default=None, max_length=64)
    tag: str | None = Field(default=None, max_length=64)
    owner_id: uuid.UUID | None = None
    custom_fields: dict[str, Any] | None = None
    updated_since: datetime | None = None
    mine: bool = False


class CategoryIn(_Input):
    """A customer category (create, or update when an id is given to the service)."""

    name: str = Field(min_length=1, max_length=64)
    routing: CategoryRouting = CategoryRouting.NONE
    position: int = Field(default=0, ge=0, le=10_000)


class CustomFieldIn(_Input):
    """A custom field definition."""

    key: str = Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1, max_length=120)
    type: FieldType
    required: bool = False
    unique: bool = False
    default: Any = None
    options: list[Annotated[str, Field(min_length=1, max_length=120)]] = Field(
        default_factory=list, max_length=200
    )
    position: int = Field(default=0, ge=0, le=10_000)

    @field_validator("options")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("options must be distinct")
        return value


class CrmSettingsIn(_Input):
    """Tenant-level CRM settings."""

    default_region: str = Field(min_length=2, max_length=2)

    @field_validator("default_region")
    @classmethod
    def _known_region(cls, value: str) -> str:
        if not is_region(value):
            raise ValueError(f"unknown region {value!r} (use an ISO 3166 code such as US or CN)")
        return value.upper()
