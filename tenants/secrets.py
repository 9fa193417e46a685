"""Secrets that are configured in production and generated into ``var/`` in dev."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from pydantic import SecretStr

from tenants.settings import Settings


def local_secret(var_dir: Path, name: str, *, nbytes: int = 32) -> str:
    """Read ``var/secrets/<name>``, creating it (mode 0600) with a random value first."""
    folder = var_dir / "secrets"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(nbytes))
    return path.read_text().strip()


def _configured_or_local(settings: Settings, value: SecretStr | None, name: str) -> str:
    if value is not None and value.get_secret_value():
        return value.get_secret_value()
    if not settings.is_dev:
        raise RuntimeError(f"{name} is not configured")
    return local_secret(settings.var_dir, name)


def token_signing_key(settings: Settings) -> str:
    """The HMAC key that signs access tokens."""
    return _configured_or_local(settings, settings.auth.secret_key, "token-signing-key")


def call_control_secret(settings: Settings) -> str:
    """The shared secret Kamailio and the simulator send as ``X-Hotline-Secret``."""
    return _configured_or_local(settings, settings.call_control_secret, "call-control-secret")


def sip_auth_secret(settings: Settings) -> str:
    """The HMAC secret Kamailio's auth_ephemeral shares with the API (agents' SIP logins)."""
    return _configured_or_local(settings, settings.kamailio.sip_auth_secret, "sip-auth-secret")
