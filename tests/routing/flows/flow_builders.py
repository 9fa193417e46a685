"""Flow definitions for the interpreter and validation tests (ids as the API shows them)."""

from __future__ import annotations

import copy
import uuid
from typing import Any

from routing.flows.validation import KnownIds
from tenants.graphql.relay import to_global_id

WELCOME, MENU, INVALID, TIMEOUT, ACCOUNT, CLOSED, BYE = (uuid.uuid4() for _ in range(7))
SALES, SUPPORT, VIPQ = (uuid.uuid4() for _ in range(3))
GOLD = uuid.uuid4()
KNOWN = KnownIds(
    queues=frozenset({SALES, SUPPORT, VIPQ}),
    prompts=frozenset({WELCOME, MENU, INVALID, TIMEOUT, ACCOUNT, CLOSED, BYE}),
    skills=frozenset({GOLD}),
)
PARIS_HOURS = {"tz": "Europe/Paris", "windows": {"mon": [["09:00", "18:00"]]}}


def prompt(row: uuid.UUID) -> str:
    return to_global_id("Prompt", row)


def queue(row: uuid.UUID) -> str:
    return to_global_id("Queue", row)


def skill(row: uuid.UUID) -> str:
    return to_global_id("Skill", row)


def two_level_menu() -> dict[str, Any]:
    """Welcome, hours, a VIP branch, a menu (1 sales, 2 support with an account number)."""
    return {
        "start": "welcome",
        "hours": copy.deepcopy(PARIS_HOURS),
        "holidays": ["2026-12-25"],
        "nodes": {
            "welcome": {"type": "play", "prompt": prompt(WELCOME), "next": "hours"},
            "hours": {"type": "hours", "open": "vip", "closed": "closed", "holiday": "bye"},
            "closed": {"type": "voicemail", "prompt": prompt(CLOSED), "queue": queue(SUPPORT)},
            "bye": {"type": "hangup", "prompt": prompt(BYE)},
            "vip": {
                "type": "crm",
                "condition": {"kind": "vip"},
                "then": "vipPriority",
                "else": "menu1",
            },
            "vipPriority": {"type": "set", "priority": 50, "next": "vipQueue"},
            "vipQueue": {"type": "enqueue", "queue": queue(VIPQ), "preferLastAgent": True},
            "menu1": {
                "type": "menu",
                "prompt": prompt(MENU),
                "options": {"1": "sales", "2": "account"},
                "timeoutS": 4,
                "retries": 1,
                "invalidPrompt": prompt(INVALID),
                "timeoutPrompt": prompt(TIMEOUT),
                "fallback": "sales",
            },
            "sales": {"type": "enqueue", "queue": queue(SALES)},
            "account": {
                "type": "collect",
                "prompt": prompt(ACCOUNT),
                "variable": "account",
                "minDigits": 4,
                "maxDigits": 8,
                "retries": 0,
                "invalidPrompt": prompt(INVALID),
                "next": "gold",
                "fallback": "support",
            },
            "gold": {
                "type": "crm",
                "condition": {"kind": "custom_field", "name": "tier", "equals": "Gold"},
                "then": "goldSkills",
                "else": "support",
            },
            "goldSkills": {
                "type": "set",
                "skills": [{"skillId": skill(GOLD), "minLevel": 5}],
                "next": "support",
            },
            "support": {"type": "enqueue", "queue": queue(SUPPORT)},
        },
    }
