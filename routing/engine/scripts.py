"""Loads the routing scripts as one Valkey function library (``FUNCTION LOAD``).

The ACD library (``lua/acd.lua``) is followed by one registered function per entry script
(``lua/<name>.lua``). A function library's top level runs once, at load time, so a call
pays only for its own work; with ``EVALSHA`` every call re-ran the whole library's
definitions (about a quarter of a routing decision's time inside Valkey).

The library and function names carry a hash of the source, so replicas running different
versions during a rolling deploy never call each other's code. A server that lost its
functions (restart without persistence, ``FUNCTION FLUSH``) gets the library again on the
first ``Function not found``.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from redis.asyncio import Redis
from redis.exceptions import ResponseError

LUA_DIR = Path(__file__).with_name("lua")
ENTRY_SCRIPTS = (
    "enqueue",
    "reject",
    "call_event",
    "agent_state",
    "membership",
    "timers",
    "outbox",
    "dial",
    "snapshot",
    "node_lost",
    "node_calls",
    "wrapup",
)


@cache
def library() -> tuple[str, str]:
    """The library's name and its full source (``#!lua`` header, library, entry functions)."""
    parts = [(LUA_DIR / "acd.lua").read_text()]
    parts += [(LUA_DIR / f"{name}.lua").read_text() for name in ENTRY_SCRIPTS]
    digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:12]
    name = f"acd_{digest}"
    body = [f"#!lua name={name}", parts[0]]
    for entry, text in zip(ENTRY_SCRIPTS, parts[1:], strict=True):
        body.append(
            f"redis.register_function('{name}_{entry}', function(keys, args)\n"
            f"begin(keys, args)\n{text}\nend)"
        )
    return name, "\n".join(body) + "\n"


def _missing(err: ResponseError) -> bool:
    return "function not found" in str(err).lower()


class Scripts:
    """Calls the routing functions on one Redis client (loading the library when missing)."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self.library, self.source = library()
        self._loaded = False

    @classmethod
    def register(cls, redis: Redis) -> Scripts:
        """The routing functions on ``redis`` (loaded lazily, on first use)."""
        return cls(redis)

    async def load(self) -> None:
        """Load (or reload) the library; idempotent, safe to race with other replicas."""
        await self.redis.function_load(self.source, replace=True)
        self._loaded = True

    async def call(self, name: str, keys: list[str], args: list[object]) -> object:
        """``FCALL`` entry ``name``; loads the library first when the server lacks it."""
        if not self._loaded:
            await self.load()
        function = f"{self.library}_{name}"
        try:
            return await self.redis.fcall(function, len(keys), *keys, *args)
        except ResponseError as err:
            if not _missing(err):
                raise
        await self.load()
        return await self.redis.fcall(function, len(keys), *keys, *args)
