"""The one Settings object of every Hotline process.

Every value comes from the environment with the prefix ``HOTLINE_``; each external
system has its own section (``settings.database``, ``settings.redis`` ...), so
``HOTLINE_DATABASE_URL`` is ``settings.database.url``. Nothing else reads ``os.environ``.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = frozenset({"", "change-me", "changeme", "secret", "dev", "placeholder"})


class Environment(StrEnum):
    """Where the process runs; only ``dev`` and ``test`` accept generated secrets."""

    DEV = "dev"
    TEST = "test"
    PROD = "prod"


def _section(prefix: str) -> SettingsConfigDict:
    return SettingsConfigDict(env_prefix=prefix, extra="ignore", env_file=None)


class DatabaseSettings(BaseSettings):
    """PostgreSQL. Without ``url``, ``hotline up`` starts the embedded server."""

    model_config = _section("HOTLINE_DATABASE_")

    url: str | None = Field(default=None, description="Async SQLAlchemy URL of the app role")
    migration_url: str | None = Field(
        default=None, description="URL used by migrations (defaults to url)"
    )
    pool_size: int = Field(default=10, ge=1, le=200)
    echo: bool = False


class RedisSettings(BaseSettings):
    """Redis or Valkey. Without ``url``, ``hotline up`` starts embedded Valkey."""

    model_config = _section("HOTLINE_REDIS_")

    url: str | None = Field(default=None, description="redis:// URL")


class S3Settings(BaseSettings):
    """S3-compatible object storage for recordings (a local folder when unset)."""

    model_config = _section("HOTLINE_S3_")

    endpoint_url: str | None = None
    bucket: str = "hotline-recordings"
    region: str = "us-east-1"
    access_key_id: str | None = None
    secret_access_key: SecretStr | None = None


class ApiSettings(BaseSettings):
    """The public HTTP/GraphQL surface."""

    model_config = _section("HOTLINE_API_")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    max_query_depth: int = Field(default=12, ge=2, le=50)
    max_query_tokens: int = Field(default=2000, ge=100)
    max_aliases: int = Field(default=30, ge=1)
    max_page_size: int = Field(default=100, ge=1, le=1000)
    graphiql: bool | None = Field(default=None, description="Serve GraphiQL (default: dev only)")


class AuthSettings(BaseSettings):
    """Token signing and rate limits for identity."""

    model_config = _section("HOTLINE_AUTH_")

    secret_key: SecretStr | None = Field(
        default=None, description="HMAC key for tokens; generated into var/ in dev"
    )
    token_ttl_seconds: int = Field(default=12 * 3600, ge=60)
    signup_limit_per_ip: int = Field(default=10, ge=1, description="signups per IP per window")
    login_limit_per_ip: int = Field(default=60, ge=1, description="logins per IP per window")
    login_limit_per_account: int = Field(
        default=10, ge=1, description="failed-or-not logins per account per window"
    )
    rate_window_seconds: int = Field(default=300, ge=1)


class RoutingSettings(BaseSettings):
    """The routing tier (ACD) and its call-control API."""

    model_config = _section("HOTLINE_ROUTING_")

    host: str = "127.0.0.1"
    port: int = Field(default=8100, ge=1, le=65535)
    timer_interval_s: float = Field(
        default=0.2, gt=0, le=10, description="How often each replica fires due timers"
    )
    continue_timeout_s: float = Field(default=2.0, gt=0, description="Per continue request")
    continue_attempts: int = Field(default=5, ge=1, le=20, description="Continue retries")
    continue_backoff_s: float = Field(default=0.1, gt=0, description="First retry delay")
    outbox_lease_s: float = Field(
        default=15.0, ge=1, description="A replica owns sending its decision this long"
    )
    max_dispatch_in_flight: int = Field(
        default=500, ge=1, description="Orphaned decisions a replica re-sends at once"
    )
    callback_originate_url: str | None = Field(
        default=None, description="Where callbacks are dialled until the media plane does it"
    )
    redis_max_connections: int = Field(default=128, ge=4, description="Per routing process")
    metrics_refresh_s: float = Field(default=5.0, gt=0, description="Live gauge refresh")
    sip_domain: str = Field(
        default="hotline.invalid", description="Agent URIs: sip:<user>@<tenant slug>.<domain>"
    )


class MetricsSettings(BaseSettings):
    """Prometheus exposition."""

    model_config = _section("HOTLINE_METRICS_")

    tenant_label_cap: int = Field(default=200, ge=1, description="tenants labelled; rest 'other'")


class Settings(BaseSettings):
    """Process-wide settings, built once in each composition root."""

    model_config = SettingsConfigDict(env_prefix="HOTLINE_", extra="ignore", env_file=None)

    env: Environment = Environment.DEV
    var_dir: Path = Field(default=Path("var"), description="Local state: data, secrets, spool")
    log_level: str = "INFO"
    call_control_secret: SecretStr | None = Field(
        default=None, description="X-Hotline-Secret for the call-control API; generated in dev"
    )

    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    redis: RedisSettings = Field(default_factory=RedisSettings)
    s3: S3Settings = Field(default_factory=S3Settings)
    api: ApiSettings = Field(default_factory=ApiSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    routing: RoutingSettings = Field(default_factory=RoutingSettings)
    metrics: MetricsSettings = Field(default_factory=MetricsSettings)

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Settings:
        if self.env is Environment.PROD:
            for name, value in (
                ("HOTLINE_AUTH_SECRET_KEY", self.auth.secret_key),
                ("HOTLINE_CALL_CONTROL_SECRET", self.call_control_secret),
            ):
                if value is None or value.get_secret_value().strip().lower() in PLACEHOLDER_SECRETS:
                    raise ValueError(f"{name} must be set to a real secret when HOTLINE_ENV=prod")
                if len(value.get_secret_value()) < 32:
                    raise ValueError(f"{name} must be at least 32 characters")
        return self

    @property
    def is_dev(self) -> bool:
        """True where generated secrets and GraphiQL are acceptable."""
        return self.env is not Environment.PROD

    @cached_property
    def graphiql_enabled(self) -> bool:
        """GraphiQL is served in dev unless explicitly configured."""
        return self.api.graphiql if self.api.graphiql is not None else self.is_dev
