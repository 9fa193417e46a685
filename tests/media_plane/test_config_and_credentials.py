"""Rendering Kamailio's config from settings, and agents' ephemeral SIP credentials."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pydantic import SecretStr

from media_plane.kamailio.config import ConfigError, KamailioConfig, render, write
from media_plane.sip.credentials import (
    credentials_for_agent,
    issue_credentials,
    tenant_sip_domain,
)
from tenants.settings import Environment, KamailioSettings, Settings


def settings(tmp_path: Path) -> Settings:
    return Settings(
        env=Environment.TEST,
        var_dir=tmp_path,
        call_control_secret=SecretStr("cc-secret-1234567890-abcdefghijklmnop"),
        kamailio=KamailioSettings(sip_auth_secret=SecretStr("sip-secret-1234567890")),
    )


def test_defaults_render_the_documented_addresses(tmp_path: Path) -> None:
    config = KamailioConfig.from_settings(settings(tmp_path), dispatcher_file=tmp_path / "d")
    text = render(config)
    for line in (
        "listen=udp:127.0.0.1:5060",
        "listen=tcp:127.0.0.1:5060",
        "listen=tcp:127.0.0.1:5066",
        "listen=tcp:127.0.0.1:5080",
        'modparam("rtpengine", "rtpengine_sock", "udp:127.0.0.1:2223")',
        '"http://127.0.0.1:8100/v1/calls"',
        "X-Hotline-Secret: cc-secret-1234567890",
        'modparam("auth_ephemeral", "secret", "sip-secret-1234567890")',
        '$si == "127.0.0.1"',
        "http://127.0.0.1:5080/continue",
    ):
        assert line in text, line
    assert not re.search(r"@@[A-Z_]+@@", text)


def test_written_config_is_private(tmp_path: Path) -> None:
    config = KamailioConfig.from_settings(settings(tmp_path), dispatcher_file=tmp_path / "d")
    path = write(config, tmp_path / "k.cfg")
    assert path.stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("routing_url", 'http://x/"; exit; "'),
        ("call_control_secret", 'abc"def$ghi'),
        ("sip_auth_secret", "short"),
        ("sip_domain", "bad domain"),
        ("rpc_host", "localhost"),
        ("rpc_allowed_sources", ['1.2.3.4" || 1 == 1']),
        ("rpc_allowed_sources", ["10.0.0.1/8"]),
        ("rpc_allowed_sources", ['10.0.0.0/8", "x']),
        ("ws_port", 5060),
        ("rtpengine_nodes", []),
        ("node", "a b"),
        ("sip_trusted_sources", ['1.2.3.4" || 1 == 1']),
        ("flood_max_requests", 0),
        ("auth_ban_seconds", "60!g"),
    ],
)
def test_unsafe_values_are_refused(tmp_path: Path, field: str, value: object) -> None:
    config = KamailioConfig.from_settings(settings(tmp_path), dispatcher_file=tmp_path / "d")
    with pytest.raises(ConfigError):
        render(dataclasses.replace(config, **{field: value}))


@pytest.mark.skipif(
    shutil.which("kamailio") is None and not Path("/usr/sbin/kamailio").exists(),
    reason="kamailio not installed",
)
def test_rendered_config_passes_kamailio_syntax_check(tmp_path: Path) -> None:
    config = KamailioConfig.from_settings(settings(tmp_path), dispatcher_file=tmp_path / "d")
    config = dataclasses.replace(config, rpc_allowed_sources=["127.0.0.1", "10.244.0.0/16"])
    (tmp_path / "d").write_text("")
    path = write(config, tmp_path / "k.cfg")
    kamailio = shutil.which("kamailio") or "/usr/sbin/kamailio"
    result = subprocess.run([kamailio, "-c", "-f", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]


def test_credentials_match_auth_ephemeral_formula() -> None:
    creds = issue_credentials(
        secret="s3cret", agent="agent-1", domain="acme.sip.example", ttl_seconds=60, now=1000
    )
    assert creds.username == "1060:agent-1@acme.sip.example"
    expected = base64.b64encode(
        hmac.new(b"s3cret", b"1060:agent-1@acme.sip.example", hashlib.sha1).digest()
    ).decode()
    assert creds.password == expected
    assert creds.uri == "sip:agent-1@acme.sip.example"
    assert creds.expires_at == 1060


def test_tenant_domains_and_bad_ids() -> None:
    assert tenant_sip_domain(slug="acme", base_domain="sip.x") == "acme.sip.x"
    with pytest.raises(ValueError):
        tenant_sip_domain(slug="Bad Slug", base_domain="sip.x")
    with pytest.raises(ValueError):
        issue_credentials(secret="s", agent="a@b", domain="d", ttl_seconds=1)


def test_credentials_for_agent_uses_generated_secret_in_dev(tmp_path: Path) -> None:
    s = Settings(env=Environment.DEV, var_dir=tmp_path)
    first = credentials_for_agent(s, agent="a1", tenant_slug="acme")
    again = credentials_for_agent(s, agent="a1", tenant_slug="acme")
    assert (tmp_path / "secrets" / "sip-auth-secret").exists()
    assert first.domain == "acme.sip.hotline.localhost"
    assert first.password == again.password or first.expires_at != again.expires_at


def test_websocket_origins_and_rpc_sources_render_as_conditions(tmp_path: Path) -> None:
    config = KamailioConfig.from_settings(settings(tmp_path), dispatcher_file=tmp_path / "d")
    config = dataclasses.replace(
        config,
        allowed_ws_origins=["https://app.example.com", "http://127.0.0.1:8000"],
        rpc_allowed_sources=["127.0.0.1", "10.0.0.5"],
    )
    text = render(config)
    assert (
        '$hdr(Origin) == "https://app.example.com" || $hdr(Origin) == "http://127.0.0.1:8000"'
        in text
    )
    assert '$si == "127.0.0.1" || $si == "10.0.0.5"' in text
    pods = render(dataclasses.replace(config, rpc_allowed_sources=["10.244.0.0/16", "::1"]))
    assert 'is_in_subnet("$si", "10.244.0.0/16") || $si == "::1"' in pods
    with pytest.raises(ConfigError):
        render(dataclasses.replace(config, allowed_ws_origins=['https://x" || 1 == 1 || "']))


def test_edge_limits_and_trusted_sources_render(tmp_path: Path) -> None:
    config = KamailioConfig.from_settings(settings(tmp_path), dispatcher_file=tmp_path / "d")
    config = dataclasses.replace(
        config, sip_trusted_sources=["203.0.113.0/24"], flood_max_requests=90, auth_ban_seconds=600
    )
    text = render(config)
    for line in (
        '#!substdef "!FLOOD_WINDOW_S!2!g"',
        '#!substdef "!FLOOD_MAX_REQUESTS!90!g"',
        '#!substdef "!FLOOD_BAN_S!60!g"',
        '#!substdef "!AUTH_FAIL_MAX!10!g"',
        '#!substdef "!AUTH_FAIL_WINDOW_S!60!g"',
        '#!substdef "!AUTH_BAN_S!600!g"',
        'if ($si == "127.0.0.1" || is_in_subnet("$si", "203.0.113.0/24")) return;',
        "friendly-scanner|sipvicious|sipcli",
    ):
        assert line in text, line
    # With no trusted source at all, nobody is exempt (the RPC condition would allow any).
    bare = render(dataclasses.replace(config, rpc_allowed_sources=[], sip_trusted_sources=[]))
    assert "if (1 == 0) return;" in bare


def test_the_packaged_template_is_infras() -> None:
    from media_plane.kamailio.config import TEMPLATE

    infra = Path(__file__).resolve().parents[2] / "infra" / "kamailio" / "hotline.cfg"
    assert TEMPLATE.is_symlink() and TEMPLATE.resolve() == infra.resolve()
