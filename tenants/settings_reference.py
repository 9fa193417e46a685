"""The reference of every ``HOTLINE_*`` variable, generated from ``Settings`` itself."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings

from tenants.settings import Settings


@dataclass(frozen=True)
class EnvironmentVariable:
    """One setting as an operator sets it."""

    name: str
    default: str
    description: str


def _default(field: FieldInfo) -> str:
    if field.default_factory is not None:
        return "(section)"
    value = field.default
    if value is None:
        return "unset"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, (list, tuple, frozenset, set)):
        return ",".join(str(item) for item in value) or "empty"
    return str(value)


def environment_variables() -> Iterator[EnvironmentVariable]:
    """Every variable ``Settings`` reads, in declaration order."""
    top = str(Settings.model_config.get("env_prefix", ""))
    for name, field in Settings.model_fields.items():
        section = field.annotation
        if isinstance(section, type) and issubclass(section, BaseSettings):
            prefix = str(section.model_config.get("env_prefix", ""))
            for sub_name, sub_field in section.model_fields.items():
                yield EnvironmentVariable(
                    (prefix + sub_name).upper(), _default(sub_field), sub_field.description or ""
                )
        else:
            yield EnvironmentVariable(
                (top + name).upper(), _default(field), field.description or ""
            )


def markdown_table() -> str:
    """The README's configuration table."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    for var in environment_variables():
        default = var.default.replace("|", "/")
        lines.append(f"| `{var.name}` | `{default}` | {var.description.replace('|', '/')} |")
    return "\n".join(lines)
