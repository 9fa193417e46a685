"""Fixed-window rate limits kept in Redis, shared by every API replica."""

from __future__ import annotations

from redis.asyncio import Redis

from tenants.errors import RateLimited

_INCR_WITH_TTL = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('TTL', KEYS[1])}
"""


class RateLimiter:
    """Counts attempts per key within a window and refuses past the limit."""

    def __init__(self, redis: Redis, *, window_seconds: int) -> None:
        self._redis = redis
        self._window = window_seconds
        self._script = redis.register_script(_INCR_WITH_TTL)

    async def hit(
        self, bucket: str, subject: str, *, limit: int, window_seconds: int | None = None
    ) -> None:
        """Count one attempt; raise RATE_LIMITED when ``limit`` is exceeded within the window
        (the limiter's own, unless ``window_seconds`` is given)."""
        window = window_seconds or self._window
        count, ttl = await self._script(keys=[f"ratelimit:{bucket}:{subject}"], args=[window])
        if int(count) > limit:
            retry_after = max(int(ttl), 1)
            raise RateLimited(
                f"too many {bucket} attempts; retry in {retry_after}s", retry_after=retry_after
            )
