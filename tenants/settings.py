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

from tenants import redis_keys

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
    pool_size: int = Field(default=10, ge=1, le=200, description="Connections per process")
    echo: bool = Field(default=False, description="Log every SQL statement")


class RedisSettings(BaseSettings):
    """Redis or Valkey. Without ``url``, ``hotline up`` starts embedded Valkey."""

    model_config = _section("HOTLINE_REDIS_")

    url: str | None = Field(
        default=None,
        description="redis:// URL, or redis+cluster://host:port,host:port for a cluster",
    )


class S3Settings(BaseSettings):
    """S3-compatible object storage for recordings (a local folder when unset)."""

    model_config = _section("HOTLINE_S3_")

    endpoint_url: str | None = Field(
        default=None, description="S3-compatible endpoint (unset: local folder store)"
    )
    bucket: str = Field(default="hotline-recordings", description="Bucket for recordings")
    region: str = Field(default="us-east-1", description="S3 region")
    access_key_id: str | None = Field(
        default=None, description="S3 access key (unset: boto3 chain)"
    )
    secret_access_key: SecretStr | None = Field(default=None, description="S3 secret key")
    enabled: bool | None = Field(
        default=None, description="Use S3 for recordings (default: when an endpoint or key is set)"
    )
    create_bucket: bool = Field(default=False, description="Create the bucket if missing (dev)")
    server_side_encryption: str | None = Field(
        default="AES256", description="ServerSideEncryption on uploads (AES256, aws:kms or unset)"
    )
    multipart_threshold_bytes: int = Field(default=16 * 1024 * 1024, ge=5 * 1024 * 1024)
    multipart_chunk_bytes: int = Field(default=8 * 1024 * 1024, ge=5 * 1024 * 1024)
    timeout_seconds: float = Field(default=10.0, gt=0)

    @property
    def in_use(self) -> bool:
        """True when recordings go to S3 rather than the local folder store."""
        if self.enabled is not None:
            return self.enabled
        return bool(self.endpoint_url or self.access_key_id)


class RecordingsSettings(BaseSettings):
    """The recordings agent: rtpengine's spool → stereo audio → object storage."""

    model_config = _section("HOTLINE_RECORDINGS_")

    spool_dir: Path | None = Field(
        default=None, description="rtpengine --recording-dir (default var/recordings/spool)"
    )
    local_store_dir: Path | None = Field(
        default=None, description="Local folder store (default var/recordings/store)"
    )
    formats: list[str] = Field(default_factory=lambda: ["wav"], description="wav and/or mp3")
    poll_seconds: float = Field(default=1.0, gt=0)
    retry_initial_seconds: float = Field(default=1.0, gt=0)
    retry_max_seconds: float = Field(default=300.0, gt=0)
    delete_spool_after_upload: bool = True
    playback_ttl_seconds: int = Field(default=300, ge=10, le=7 * 24 * 3600)
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    metrics_host: str = "127.0.0.1"


class ApiSettings(BaseSettings):
    """The public HTTP/GraphQL surface."""

    model_config = _section("HOTLINE_API_")

    host: str = Field(default="127.0.0.1", description="API listen address")
    port: int = Field(default=8000, ge=1, le=65535, description="API listen port")
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024, description="Larger bodies get 413")
    max_query_depth: int = Field(default=12, ge=2, le=50, description="GraphQL depth limit")
    max_query_tokens: int = Field(default=2000, ge=100, description="GraphQL document size limit")
    max_aliases: int = Field(default=30, ge=1, description="GraphQL alias limit")
    max_page_size: int = Field(
        default=100, ge=1, le=1000, description="Largest first: on a connection"
    )
    max_import_bytes: int = Field(
        default=20 * 1024 * 1024, ge=1024, description="Body cap of CSV import uploads"
    )
    graphiql: bool | None = Field(default=None, description="Serve GraphiQL (default: dev only)")
    cookie_secure: bool | None = Field(
        default=None, description="Secure flag on session cookies (default: in prod)"
    )
    public_url: str | None = Field(
        default=None, description="The web app's public URL, for links (default: host:port)"
    )
    web_dir: str = Field(default="web/dist", description="The built web app served at /")


class AuthSettings(BaseSettings):
    """Token signing and rate limits for identity."""

    model_config = _section("HOTLINE_AUTH_")

    secret_key: SecretStr | None = Field(
        default=None, description="HMAC key for tokens; generated into var/ in dev"
    )
    token_ttl_seconds: int = Field(default=12 * 3600, ge=60, description="Access token lifetime")
    signup_limit_per_ip: int = Field(default=10, ge=1, description="signups per IP per window")
    login_limit_per_ip: int = Field(default=60, ge=1, description="logins per IP per window")
    login_limit_per_account: int = Field(
        default=10, ge=1, description="failed-or-not logins per account per window"
    )
    rate_window_seconds: int = Field(default=300, ge=1, description="Rate-limit window")
    api_key_limit_per_minute: int = Field(
        default=1200, ge=1, description="requests per API key per minute (GraphQL and CRM HTTP)"
    )


class RoutingSettings(BaseSettings):
    """The routing tier (ACD) and its call-control API."""

    model_config = _section("HOTLINE_ROUTING_")

    host: str = Field(default="127.0.0.1", description="Call-control API listen address")
    port: int = Field(default=8100, ge=1, le=65535, description="Call-control API listen port")
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
        default=None,
        description="Dial callbacks through this HTTP endpoint (the simulator's) instead",
    )
    callback_sip_host: str = Field(
        default="127.0.0.1",
        description="Address the callback bridge's SIP sockets bind (Kamailio must reach it)",
    )
    moh_file: str | None = Field(
        default=None,
        description="Music on hold for queued callers, a file rtpengine reads (unset: ringback)",
    )
    redis_max_connections: int = Field(default=128, ge=4, description="Per routing process")
    metrics_refresh_s: float = Field(default=5.0, gt=0, description="Live gauge refresh")
    sip_domain: str | None = Field(
        default=None,
        description="Agent URIs: sip:<user>@<tenant slug>.<domain> (default: Kamailio's domain)",
    )
    # Reconciliation with the media plane (routing/nodes/).
    max_call_duration_s: float = Field(
        default=4 * 3600, ge=0, description="A connected call is ended past this (0: never)"
    )
    node_lease_s: float = Field(
        default=6.0, ge=1, le=60, description="A node is lost this long after its last heartbeat"
    )
    node_check_s: float = Field(
        default=1.0, gt=0, le=10, description="How often a replica checks the nodes' leases"
    )
    node_sweep_s: float = Field(
        default=15.0, gt=0, description="How often routing compares its calls with a node's dialogs"
    )
    node_sweep_grace_s: float = Field(
        default=10.0, ge=0, description="A call this young is never ended by the sweep"
    )
    continue_max_resends: int = Field(
        default=3, ge=0, le=50, description="Re-sends of one call's continue before it is abandoned"
    )


class KamailioSettings(BaseSettings):
    """Kamailio (SIP edge): listeners, JSON-RPC, tenant SIP domains. Rendered into its config."""

    model_config = _section("HOTLINE_KAMAILIO_")

    binary: str = Field(default="kamailio", description="kamailio executable (PATH or absolute)")
    node: str = Field(default="kamailio-1", description="this node's name in call-control requests")
    sip_host: str = "127.0.0.1"
    sip_port: int = Field(default=5060, ge=1, le=65535)
    ws_host: str = "127.0.0.1"
    ws_port: int = Field(default=5066, ge=1, le=65535)
    rpc_host: str = "127.0.0.1"
    rpc_port: int = Field(default=5080, ge=1, le=65535)
    rpc_path: str = "/RPC"
    rpc_allowed_sources: list[str] = Field(
        default_factory=lambda: ["127.0.0.1"],
        description="source addresses or networks (CIDR) allowed on JSON-RPC and /continue",
    )
    rpc_timeout_seconds: float = Field(default=2.0, gt=0)
    routing_url: str | None = Field(
        default=None, description="call-control base URL (default: the routing host and port)"
    )
    sip_domain: str = Field(
        default="sip.hotline.localhost", description="base domain; tenants get <slug>.<domain>"
    )
    sip_auth_secret: SecretStr | None = Field(
        default=None, description="autheph HMAC secret for agents' SIP credentials"
    )
    sip_credential_ttl_seconds: int = Field(default=12 * 3600, ge=60)
    children: int = Field(default=4, ge=1, le=64, description="SIP worker processes")
    queue_timeout_seconds: int = Field(default=600, ge=10, description="longest hold in queue")
    ring_timeout_seconds: int = Field(default=20, ge=1, description="default agent ring time")
    allowed_ws_origins: list[str] = Field(
        default_factory=list, description="WebSocket Origins accepted (empty: any)"
    )
    dispatcher_targets: list[str] = Field(
        default_factory=list, description="set:uri pairs for outbound gateways, e.g. 1:sip:gw"
    )
    sip_trusted_sources: list[str] = Field(
        default_factory=list,
        description="SIP peers (carriers, SBCs; addresses or CIDR) never rate-limited or banned",
    )
    flood_window_seconds: int = Field(default=2, ge=1, le=60, description="pike sampling window")
    flood_max_requests: int = Field(
        default=60, ge=1, le=86400, description="initial SIP requests per source per window"
    )
    flood_ban_seconds: int = Field(default=60, ge=1, le=86400, description="flood ban time")
    auth_fail_max: int = Field(
        default=10, ge=1, le=1000, description="failed SIP authentications before a ban"
    )
    auth_fail_window_seconds: int = Field(default=60, ge=1, le=86400)
    auth_ban_seconds: int = Field(default=300, ge=1, le=86400, description="auth ban time")
    callback_gateway_set: int | None = Field(
        default=None,
        ge=1,
        description="dispatcher set callbacks are dialled through (unset: none via Kamailio)",
    )


class RtpengineSettings(BaseSettings):
    """rtpengine (media relay): the local node and the static node list."""

    model_config = _section("HOTLINE_RTPENGINE_")

    binary: str = Field(default="rtpengine", description="rtpengine executable")
    ng_host: str = "127.0.0.1"
    ng_port: int = Field(default=2223, ge=1, le=65535)
    interface: str = Field(default="127.0.0.1", description="media address rtpengine binds")
    port_min: int = Field(default=30000, ge=1024, le=65535)
    port_max: int = Field(default=30999, ge=1024, le=65535)
    recording_dir: Path | None = Field(
        default=None, description="pcap spool (default: var/recordings/spool)"
    )
    nodes: list[str] = Field(default_factory=list, description="extra static ng nodes, host:port")
    registry_key: str = Field(
        default=redis_keys.RTPENGINE_NODES, description="Redis set of dynamic ng nodes"
    )
    timeout_seconds: float = Field(default=1.0, gt=0)
    retries: int = Field(default=2, ge=0, le=10)
    dtmf_log_host: str = Field(
        default="127.0.0.1", description="Where rtpengine sends DTMF events (routing listens)"
    )
    dtmf_log_port: int | None = Field(
        default=None, ge=1, le=65535, description="DTMF event port (unset: no DTMF events)"
    )


class WorkerSettings(BaseSettings):
    """The analytics worker's HTTP side (probes and ``/metrics``)."""

    model_config = _section("HOTLINE_WORKER_")

    host: str = Field(default="127.0.0.1", description="Probe and /metrics listen address")
    port: int | None = Field(
        default=None, ge=1, le=65535, description="Probe and /metrics port (unset: none)"
    )


class MetricsSettings(BaseSettings):
    """Prometheus exposition."""

    model_config = _section("HOTLINE_METRICS_")

    tenant_label_cap: int = Field(default=200, ge=1, description="tenants labelled; rest 'other'")


class Settings(BaseSettings):
    """Process-wide settings, built once in each composition root."""

    model_config = SettingsConfigDict(env_prefix="HOTLINE_", extra="ignore", env_file=None)

    env: Environment = Field(
        default=Environment.DEV, description="dev, test or prod; prod refuses placeholder secrets"
    )
    var_dir: Path = Field(default=Path("var"), description="Local state: data, secrets, spool")
    log_level: str = Field(default="INFO", description="Log level of every process")
    call_control_secret: SecretStr | None = Field(
        default=None, description="X-Hotline-Secret for the call-control API; generated in dev"
    )

    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    redis: RedisSettings = Field(default_factory=RedisSettings)
    s3: S3Settings = Field(default_factory=S3Settings)
    api: ApiSettings = Field(default_factory=ApiSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    routing: RoutingSettings = Field(default_factory=RoutingSettings)
    worker: WorkerSettings = Field(default_factory=WorkerSettings)
    metrics: MetricsSettings = Field(default_factory=MetricsSettings)
    recordings: RecordingsSettings = Field(default_factory=RecordingsSettings)
    kamailio: KamailioSettings = Field(default_factory=KamailioSettings)
    rtpengine: RtpengineSettings = Field(default_factory=RtpengineSettings)

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Settings:
        for name, value in (
            ("HOTLINE_AUTH_SECRET_KEY", self.auth.secret_key),
            ("HOTLINE_CALL_CONTROL_SECRET", self.call_control_secret),
        ):
            if value is None:
                if self.env is Environment.PROD:
                    raise ValueError(f"{name} must be set when HOTLINE_ENV=prod")
                continue  # generated into var/secrets outside prod
            secret = value.get_secret_value()
            if self.env is not Environment.DEV and (
                secret.strip().lower() in PLACEHOLDER_SECRETS or len(secret) < 32
            ):
                raise ValueError(
                    f"{name} is a placeholder or shorter than 32 characters "
                    f"(refused when HOTLINE_ENV={self.env.value})"
                )
        return self

    @property
    def is_dev(self) -> bool:
        """True where generated secrets and GraphiQL are acceptable."""
        return self.env is not Environment.PROD

    @property
    def secure_cookies(self) -> bool:
        """Session cookies carry ``Secure`` (and responses HSTS): by default outside dev/test."""
        configured = self.api.cookie_secure
        return configured if configured is not None else not self.is_dev

    @cached_property
    def graphiql_enabled(self) -> bool:
        """GraphiQL is served in dev unless explicitly configured."""
        return self.api.graphiql if self.api.graphiql is not None else self.is_dev
