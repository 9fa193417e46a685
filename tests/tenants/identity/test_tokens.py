"""Access tokens: a remembered verification never outlives the token or trusts a forgery."""

from __future__ import annotations

import time
import uuid

import pytest

from tenants.errors import Unauthenticated
from tenants.identity import tokens
from tenants.identity.roles import Role
from tenants.identity.tokens import TokenClaims, TokenSigner

CLAIMS = TokenClaims(user_id=uuid.uuid4(), tenant_id=uuid.uuid4(), role=Role.AGENT)


def test_a_verified_token_verifies_again_with_the_same_claims() -> None:
    signer = TokenSigner("k" * 32, ttl_seconds=60)
    token = signer.issue(CLAIMS)
    assert signer.verify(token) == CLAIMS
    assert signer.verify(token) == CLAIMS


def test_a_tampered_token_is_refused_even_after_the_original_was_verified() -> None:
    signer = TokenSigner("k" * 32, ttl_seconds=60)
    token = signer.issue(CLAIMS)
    signer.verify(token)
    head, payload, signature = token.split(".")
    forged = f"{head}.{payload}.{signature[::-1]}"
    assert forged != token
    with pytest.raises(Unauthenticated):
        signer.verify(forged)
    other = TokenSigner("x" * 32, ttl_seconds=60)
    with pytest.raises(Unauthenticated):
        other.verify(token)


def test_a_remembered_token_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    signer = TokenSigner("k" * 32, ttl_seconds=5)
    token = signer.issue(CLAIMS)
    assert signer.verify(token) == CLAIMS
    later = time.time() + 6
    monkeypatch.setattr(tokens.time, "time", lambda: later)
    with pytest.raises(Unauthenticated, match="expired"):
        signer.verify(token)
    with pytest.raises(Unauthenticated, match="expired"):
        signer.verify(token)
