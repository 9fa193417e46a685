"""Loads the Lua scripts: each entry script is the ACD library followed by its own body."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from redis.asyncio import Redis
from redis.commands.core import AsyncScript

LUA_DIR = Path(__file__).with_name("lua")
ENTRY_SCRIPTS = ("enqueue", "reject", "call_event", "agent_state", "membership", "timers", "outbox")


@cache
def source(name: str) -> str:
    """The full text of script ``name`` (library + body)."""
    library = (LUA_DIR / "acd.lua").read_text()
    return library + "\n" + (LUA_DIR / f"{name}.lua").read_text()


@dataclass(frozen=True)
class Scripts:
    """The registered scripts of one Redis client (EVALSHA, reloaded on NOSCRIPT)."""

    enqueue: AsyncScript
    reject: AsyncScript
    call_event: AsyncScript
    agent_state: AsyncScript
    membership: AsyncScript
    timers: AsyncScript
    outbox: AsyncScript

    @classmethod
    def register(cls, redis: Redis) -> Scripts:
        """Register every entry script on ``redis``."""
        return cls(**{name: redis.register_script(source(name)) for name in ENTRY_SCRIPTS})
