"""The clients one API process shares, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

from analytics.recent_calls import recent_calls
from media_plane.calls import MediaControl
from media_plane.recordings.store import RecordingStore, build_store
from tenants.database.session import Database
from tenants.identity.rate_limit import RateLimiter
from tenants.identity.service import RateLimits
from tenants.identity.tokens import TokenSigner
from tenants.screen_pop.service import RecentCallsSource
from tenants.secrets import token_signing_key
from tenants.settings import Settings


@dataclass
class ApiServices:
    """Database, Redis and identity helpers for one process."""

    settings: Settings
    database: Database
    redis: Redis
    signer: TokenSigner
    rate_limits: RateLimits
    recording_store: RecordingStore | None = None
    media: MediaControl | None = None
    recent_calls: RecentCallsSource = recent_calls
    """The screen pop's recent calls: analytics facts."""

    @classmethod
    def build(cls, settings: Settings) -> ApiServices:
        """Connect to the configured database and Redis (lazily; no I/O here)."""
        if not settings.database.url or not settings.redis.url:
            raise RuntimeError(
                "HOTLINE_DATABASE_URL and HOTLINE_REDIS_URL are required "
                "(or use `hotline up`, which starts embedded ones)"
            )
        database = Database(
            settings.database.url,
            pool_size=settings.database.pool_size,
            echo=settings.database.echo,
        )
        redis = Redis.from_url(settings.redis.url, decode_responses=True)
        auth = settings.auth
        return cls(
            settings=settings,
            database=database,
            redis=redis,
            signer=TokenSigner(token_signing_key(settings), ttl_seconds=auth.token_ttl_seconds),
            rate_limits=RateLimits(
                limiter=RateLimiter(redis, window_seconds=auth.rate_window_seconds),
                signup_per_ip=auth.signup_limit_per_ip,
                login_per_ip=auth.login_limit_per_ip,
                login_per_account=auth.login_limit_per_account,
                api_key_per_minute=auth.api_key_limit_per_minute,
            ),
            recording_store=build_store(settings),
            media=MediaControl.from_settings(settings),
        )

    async def close(self) -> None:
        """Release pooled connections."""
        await self.database.dispose()
        await self.redis.aclose()
        if self.media is not None:
            await self.media.aclose()
