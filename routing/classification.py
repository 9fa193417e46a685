"""Who is calling, as far as routing cares: the CRM's answer behind an injectable protocol."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class CallerCategory(StrEnum):
    """How routing treats a caller."""

    NORMAL = "normal"
    VIP = "vip"
    BLACKLISTED = "blacklisted"


@dataclass(frozen=True)
class CallerClass:
    """The classification of one calling number within one tenant."""

    category: CallerCategory = CallerCategory.NORMAL
    customer_id: str | None = None
    sticky_agent_id: str | None = None


UNKNOWN_CALLER = CallerClass()


class CallerClassifier(Protocol):
    """Looks a calling number up (in the CRM) at ingress."""

    async def classify(self, *, tenant_id: str, number: str) -> CallerClass:
        """The caller's class; ``UNKNOWN_CALLER`` when nothing is known."""
        ...


class NoCrmClassifier:
    """No CRM configured: every caller is an unknown, normal caller."""

    async def classify(self, *, tenant_id: str, number: str) -> CallerClass:
        """Always ``UNKNOWN_CALLER``."""
        return UNKNOWN_CALLER
