"""Settings: sections, env prefixes and secret hygiene."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from tenants.secrets import call_control_secret, token_signing_key
from tenants.settings import AuthSettings, Environment, Settings


def test_sections_read_their_prefixed_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOTLINE_DATABASE_URL", "postgresql+asyncpg://u:p@db:5432/h")
    monkeypatch.setenv("HOTLINE_REDIS_URL", "redis://cache:6379/0")
    monkeypatch.setenv("HOTLINE_API_PORT", "9000")
    settings = Settings()
    assert settings.database.url == "postgresql+asyncpg://u:p@db:5432/h"
    assert settings.redis.url == "redis://cache:6379/0"
    assert settings.api.port == 9000


@pytest.mark.parametrize("secret", ["change-me", "secret", "short-but-real"])
def test_prod_refuses_placeholder_secrets(secret: str) -> None:
    with pytest.raises(ValidationError, match="HOTLINE_AUTH_SECRET_KEY"):
        Settings(
            env=Environment.PROD,
            auth=AuthSettings(secret_key=SecretStr(secret)),
            call_control_secret=SecretStr("c" * 40),
        )


def test_prod_requires_secrets() -> None:
    with pytest.raises(ValidationError, match="must be set"):
        Settings(env=Environment.PROD)


def test_prod_accepts_real_secrets() -> None:
    settings = Settings(
        env=Environment.PROD,
        auth=AuthSettings(secret_key=SecretStr("k" * 40)),
        call_control_secret=SecretStr("c" * 40),
    )
    assert token_signing_key(settings) == "k" * 40
    assert settings.graphiql_enabled is False


def test_dev_generates_secrets_once_into_var(tmp_path: Path) -> None:
    settings = Settings(env=Environment.DEV, var_dir=tmp_path)
    first = token_signing_key(settings)
    assert len(first) >= 32 and token_signing_key(settings) == first
    assert call_control_secret(settings) != first
    assert (tmp_path / "secrets" / "token-signing-key").stat().st_mode & 0o777 == 0o600
