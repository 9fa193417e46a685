"""API key material: ``hlk_<prefix>_<secret>``; only a SHA-256 of the secret is stored.

The secret has 256 bits of entropy, so a fast hash is as safe as a slow one here and
keeps per-request authentication cheap.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

KEY_PREFIX = "hlk"


@dataclass(frozen=True)
class KeyMaterial:
    """A freshly generated key: the full key is shown once, the rest is stored."""

    prefix: str
    secret_hash: str
    full_key: str


def generate_key() -> KeyMaterial:
    """A new random API key."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return KeyMaterial(
        prefix=prefix, secret_hash=hash_secret(secret), full_key=f"{KEY_PREFIX}_{prefix}_{secret}"
    )


def hash_secret(secret: str) -> str:
    """The stored form of a key secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def split_key(full_key: str) -> tuple[str, str] | None:
    """``(prefix, secret)`` of a well-formed key, else None."""
    parts = full_key.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def secret_matches(secret: str, secret_hash: str) -> bool:
    """Constant-time comparison of a presented secret with the stored hash."""
    return hmac.compare_digest(hash_secret(secret), secret_hash)
