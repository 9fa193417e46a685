"""The clients one API process shares, built once by the composition root."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from redis.asyncio import Redis

from analytics.recent_calls import recent_calls
from media_plane.calls import MediaControl
from media_plane.graphql import AgentSipUsers
from media_plane.prompts.service import PromptUsage
from media_plane.recordings.store import RecordingStore, local_store_dir
from routing.config.directory import RoutingDirectory
from routing.directory_reader import PublishedProfiles
from routing.engine.engine import AcdEngine
from routing.flows.repository import flows_using_prompt
from tenants.crm.settings.regions import RegionCache
from tenants.database.session import Database
from tenants.identity.browser_session import BrowserSessions
from tenants.identity.principal_cache import PrincipalCache
from tenants.identity.rate_limit import RateLimiter
from tenants.identity.service import RateLimits
from tenants.identity.tokens import TokenSigner
from tenants.redis_connection import connect as connect_redis
from tenants.screen_pop.service import RecentCallsSource
from tenants.secrets import token_signing_key
from tenants.settings import Settings


def build_store(settings: Settings) -> RecordingStore:
    """S3 when configured, else the local folder store."""
    if settings.s3.in_use:
        from media_plane.recordings.s3_store import S3RecordingStore

        return S3RecordingStore(settings.s3)
    from media_plane.recordings.local_store import LocalRecordingStore

    return LocalRecordingStore(
        local_store_dir(settings),
        signing_key=hashlib.sha256(
            b"hotline-recording-playback:" + token_signing_key(settings).encode()
        ).digest(),
    )


@dataclass
class ApiServices:
    """Database, Redis and identity helpers for one process."""

    settings: Settings
    database: Database
    redis: Redis
    signer: TokenSigner
    rate_limits: RateLimits
    recording_store: RecordingStore
    media: MediaControl | None = None
    recent_calls: RecentCallsSource | None = recent_calls
    """The screen pop's recent calls: analytics facts."""
    prompt_usage: PromptUsage | None = flows_using_prompt
    """What uses a prompt (routing's flows and queue music), for deletePrompt."""
    principals: PrincipalCache = field(default_factory=PrincipalCache)
    """Recently confirmed bearer-token principals (one memory per process)."""
    regions: RegionCache = field(default_factory=RegionCache)
    """Recently read default phone regions of tenants (one memory per process)."""
    engine: AcdEngine = field(init=False)
    """The ACD engine on ``redis``; decisions are dispatched by routing replicas."""
    directory: RoutingDirectory = field(init=False)
    """Publishes routing configuration into ``redis`` (after each commit, and on sync)."""
    sip_users: AgentSipUsers = field(init=False)
    """The SIP user of an agent as routing published it (media plane's SIP credentials)."""
    browser_sessions: BrowserSessions = field(init=False)
    """Logged-out browser sessions (refused until their tokens expire)."""

    def __post_init__(self) -> None:
        self.engine = AcdEngine(
            self.redis,
            dispatches=False,
            max_call_s=self.settings.routing.max_call_duration_s,
        )
        self.directory = RoutingDirectory(self.redis)
        self.sip_users = PublishedProfiles(self.redis)
        self.browser_sessions = BrowserSessions(self.redis)

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
        redis = connect_redis(settings.redis.url)
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
