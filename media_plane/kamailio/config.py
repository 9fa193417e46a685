"""Render ``infra/kamailio/hotline.cfg`` from settings.

The template marks every setting with ``@@NAME@@`` (Kamailio's own syntax is full of ``$``,
so no general-purpose template engine fits). Values are validated here so that nothing
rendered can break out of the string or condition it lands in.
"""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from tenants.secrets import call_control_secret, sip_auth_secret
from tenants.settings import Settings

TEMPLATE = Path(__file__).with_name("hotline.cfg")
"""``infra/kamailio/hotline.cfg``: this package's ``hotline.cfg`` is a symlink to it, which the
wheel (and so the media image) carries as a copy."""

# rtpengine flags (media-plane.md, verified): the browser leg is ICE + DTLS-SRTP with
# rtcp-mux offered (Chrome rejects the offer without it); the SIP leg is plain RTP.
RTP_OFFER_WEBRTC = (
    "replace-origin replace-session-connection ICE=force DTLS=passive RTP/SAVPF SDES-off "
    "rtcp-mux-offer generate-mid"
)
RTP_OFFER_PLAIN = "replace-origin replace-session-connection ICE=remove RTP/AVP rtcp-mux-demux"
RTP_ANSWER_PLAIN = "replace-origin replace-session-connection ICE=remove RTP/AVP rtcp-mux-demux"

SCANNER_USER_AGENTS = (
    "friendly-scanner",
    "sipvicious",
    "sipcli",
    "sip-scan",
    "sipscan",
    "VaxSIPUserAgent",
    "iWar",
    "sundayddr",
    "SIVuS",
    "pplsip",
)
"""User-Agent substrings of known SIP scanners and war-diallers: dropped without an answer."""

GATEWAY_REPLY_TIMEOUT_MS = 3000
"""A callback gateway that sends no reply at all (not even 100) within this loses the call
to the next gateway of its set."""

_SAFE_TOKEN = re.compile(r"^[A-Za-z0-9._~+/=-]{8,256}$")
_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
_HOSTNAME = re.compile(rf"^{_LABEL}(\.{_LABEL})*$")
_URL = re.compile(r"^https?://[A-Za-z0-9.\-\[\]:]+(/[A-Za-z0-9._~/-]*)?$")
_NODE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.\-\[\]:]+$")


class ConfigError(ValueError):
    """A setting that cannot be rendered safely into Kamailio's config."""


@dataclass(frozen=True)
class KamailioConfig:
    """Everything the template needs, already resolved (ports, secrets, node list)."""

    sip_host: str
    sip_port: int
    ws_host: str
    ws_port: int
    rpc_host: str
    rpc_port: int
    routing_url: str
    call_control_secret: str
    sip_auth_secret: str
    rtpengine_nodes: list[str]
    sip_domain: str
    node: str = "kamailio-1"
    rpc_path: str = "/RPC"
    rpc_allowed_sources: list[str] = field(default_factory=lambda: ["127.0.0.1"])
    allowed_ws_origins: list[str] = field(default_factory=list)
    dispatcher_file: str = "/dev/null"
    children: int = 4
    tcp_children: int = 4
    queue_timeout_seconds: int = 600
    ring_timeout_seconds: int = 20
    debug: int = 2
    direct_relay_prefix: str | None = None
    callback_gateway_set: int | None = None
    sip_trusted_sources: list[str] = field(default_factory=list)
    """Peers never rate-limited or banned (carriers, SBCs), besides ``rpc_allowed_sources``."""
    flood_window_seconds: int = 2
    flood_max_requests: int = 60
    flood_ban_seconds: int = 60
    auth_fail_max: int = 10
    auth_fail_window_seconds: int = 60
    auth_ban_seconds: int = 300

    @property
    def rpc_url(self) -> str:
        """Where the JSON-RPC client posts."""
        return f"http://{self.rpc_host}:{self.rpc_port}{self.rpc_path}"

    @property
    def continue_url(self) -> str:
        """The ``continue_url`` sent to routing with every new call."""
        return f"http://{self.rpc_host}:{self.rpc_port}/continue"

    @classmethod
    def from_settings(cls, settings: Settings, *, dispatcher_file: Path) -> KamailioConfig:
        """Resolve the config of this node from process settings (secrets from var/ in dev)."""
        k, r = settings.kamailio, settings.rtpengine
        nodes = [f"udp:{r.ng_host}:{r.ng_port}"] + [f"udp:{n}" for n in r.nodes]
        return cls(
            sip_host=k.sip_host,
            sip_port=k.sip_port,
            ws_host=k.ws_host,
            ws_port=k.ws_port,
            rpc_host=k.rpc_host,
            rpc_port=k.rpc_port,
            rpc_path=k.rpc_path,
            rpc_allowed_sources=list(k.rpc_allowed_sources),
            allowed_ws_origins=list(k.allowed_ws_origins),
            routing_url=k.routing_url or f"http://{settings.routing.host}:{settings.routing.port}",
            call_control_secret=call_control_secret(settings),
            sip_auth_secret=sip_auth_secret(settings),
            rtpengine_nodes=nodes,
            sip_domain=k.sip_domain,
            node=k.node,
            dispatcher_file=str(dispatcher_file),
            children=k.children,
            tcp_children=k.children,
            queue_timeout_seconds=k.queue_timeout_seconds,
            ring_timeout_seconds=k.ring_timeout_seconds,
            callback_gateway_set=k.callback_gateway_set,
            sip_trusted_sources=list(k.sip_trusted_sources),
            flood_window_seconds=k.flood_window_seconds,
            flood_max_requests=k.flood_max_requests,
            flood_ban_seconds=k.flood_ban_seconds,
            auth_fail_max=k.auth_fail_max,
            auth_fail_window_seconds=k.auth_fail_window_seconds,
            auth_ban_seconds=k.auth_ban_seconds,
        )

    def validate(self) -> None:
        """Refuse values that could break the rendered config."""
        for name in ("sip_host", "ws_host", "rpc_host"):
            _ip(getattr(self, name), name)
        for source in [*self.rpc_allowed_sources, *self.sip_trusted_sources]:
            _source(source)
        for name in (
            "flood_window_seconds",
            "flood_max_requests",
            "flood_ban_seconds",
            "auth_fail_max",
            "auth_fail_window_seconds",
            "auth_ban_seconds",
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or not 1 <= value <= 86400:
                raise ConfigError(f"{name} must be a whole number from 1 to 86400")
        if (
            len({(self.sip_host, self.sip_port), (self.ws_host, self.ws_port)}) < 2
            or len({self.sip_port, self.ws_port, self.rpc_port}) < 3
        ):
            raise ConfigError("SIP, WebSocket and JSON-RPC need distinct ports")
        if not _URL.match(self.routing_url.rstrip("/")):
            raise ConfigError(f"routing_url {self.routing_url!r} is not a plain http(s) URL")
        for name in ("call_control_secret", "sip_auth_secret"):
            if not _SAFE_TOKEN.match(getattr(self, name)):
                raise ConfigError(f"{name} must be 8-256 characters of [A-Za-z0-9._~+/=-]")
        if not _HOSTNAME.match(self.sip_domain):
            raise ConfigError(f"sip_domain {self.sip_domain!r} is not a hostname")
        if not _NODE.match(self.node):
            raise ConfigError(f"node {self.node!r} must be [A-Za-z0-9._-]")
        if not re.match(r"^/[A-Za-z0-9_-]+$", self.rpc_path):
            raise ConfigError("rpc_path must look like /RPC")
        if self.direct_relay_prefix is not None and not re.match(
            r"^[A-Za-z0-9-]{1,32}$", self.direct_relay_prefix
        ):
            raise ConfigError("direct_relay_prefix must be [A-Za-z0-9-]")
        if self.callback_gateway_set is not None and not (
            isinstance(self.callback_gateway_set, int) and 1 <= self.callback_gateway_set <= 9999
        ):
            raise ConfigError("callback_gateway_set must be a dispatcher set number")
        if not self.rtpengine_nodes:
            raise ConfigError("at least one rtpengine node is required")
        for node in self.rtpengine_nodes:
            if not re.match(r"^udp6?:[A-Za-z0-9.\-\[\]:]+:\d+(=\d+)?$", node):
                raise ConfigError(f"rtpengine node {node!r} must be udp:host:port")
        for origin in self.allowed_ws_origins:
            if not _ORIGIN.match(origin):
                raise ConfigError(f"WebSocket origin {origin!r} must be scheme://host[:port]")


def _ip(value: str, name: str) -> None:
    try:
        ipaddress.ip_address(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an IP address, not {value!r}") from exc


def _source(value: str) -> None:
    """An address or a network (``10.0.0.0/8``): a routing replica in Kubernetes has an
    address from the pod network, not a fixed one."""
    try:
        if "/" in value:
            ipaddress.ip_network(value, strict=True)
        else:
            ipaddress.ip_address(value)
    except ValueError as exc:
        raise ConfigError(
            f"rpc_allowed_sources entries must be IP addresses or networks, not {value!r}"
        ) from exc


def _source_condition(sources: list[str]) -> str:
    """``$si`` is one of ``sources`` (addresses compare as strings, networks by ipops)."""
    if not sources:
        return "1 == 1"
    return " || ".join(
        f'is_in_subnet("$si", "{source}")' if "/" in source else f'$si == "{source}"'
        for source in sources
    )


def _trusted_condition(config: KamailioConfig) -> str:
    """``$si`` is exempt from the edge's rate limits and bans: Hotline's own sources and the
    trusted SIP peers. With none listed, nobody is (unlike the RPC condition)."""
    sources = [*config.rpc_allowed_sources, *config.sip_trusted_sources]
    return _source_condition(sources) if sources else "1 == 0"


def _or_condition(variable: str, values: list[str]) -> str:
    if not values:
        return "1 == 1"
    return " || ".join(f'{variable} == "{value}"' for value in values)


def _direct_relay_block(prefix: str | None) -> str:
    """Benchmark baseline only: relay INVITEs to ``<prefix>…`` R-URIs straight to the R-URI,
    with the same rtpengine handling but no call control. Absent unless configured."""
    if prefix is None:
        return ""
    return f"""	if (is_method("INVITE") && $rU =~ "^{prefix}") {{
		dlg_manage();
		rtpengine_offer("{RTP_OFFER_PLAIN}");
		t_on_reply("AGENT_REPLY");
		route(RELAY);
	}}"""


def _callback_out_block(gateway_set: int | None) -> str:
    """Relay to the first gateway of ``gateway_set`` by priority (the next ones when it
    fails: ``failure_route[CALLBACK_GATEWAY_FAILED]``), or refuse: no set configured."""
    if gateway_set is None:
        return """	sl_send_reply("503", "Callbacks Not Configured");
	exit;"""
    return f"""	if (!ds_select_domain("{gateway_set}", "8")) {{
		sl_send_reply("503", "No Gateway");
		exit;
	}}
	t_set_fr(0, {GATEWAY_REPLY_TIMEOUT_MS});
	t_on_failure("CALLBACK_GATEWAY_FAILED");
	route(RELAY);"""


def render(config: KamailioConfig, template: Path = TEMPLATE) -> str:
    """The config text for ``config`` (validated first)."""
    config.validate()
    domain_re = "^[a-z0-9-]+\\\\." + re.escape(config.sip_domain).replace("\\", "\\\\") + "$"
    values = {
        "DEBUG": str(config.debug),
        "CHILDREN": str(config.children),
        "TCP_CHILDREN": str(config.tcp_children),
        "SIP_HOST": config.sip_host,
        "SIP_PORT": str(config.sip_port),
        "WS_HOST": config.ws_host,
        "WS_PORT": str(config.ws_port),
        "RPC_HOST": config.rpc_host,
        "RPC_PORT": str(config.rpc_port),
        "RPC_PATH": config.rpc_path,
        "RPC_SOURCE_COND": _source_condition(config.rpc_allowed_sources),
        "EDGE_TRUSTED_COND": _trusted_condition(config),
        "SCANNER_UA_RE": "(" + "|".join(SCANNER_USER_AGENTS) + ")",
        "FLOOD_WINDOW_S": str(config.flood_window_seconds),
        "FLOOD_MAX_REQUESTS": str(config.flood_max_requests),
        "FLOOD_BAN_S": str(config.flood_ban_seconds),
        "AUTH_FAIL_MAX": str(config.auth_fail_max),
        "AUTH_FAIL_WINDOW_S": str(config.auth_fail_window_seconds),
        "AUTH_BAN_S": str(config.auth_ban_seconds),
        "WS_ORIGIN_COND": _or_condition("$hdr(Origin)", config.allowed_ws_origins),
        "ROUTING_URL": config.routing_url.rstrip("/"),
        "CALL_CONTROL_SECRET": config.call_control_secret,
        "SIP_AUTH_SECRET": config.sip_auth_secret,
        "RTPENGINE_SOCKS": " ".join(config.rtpengine_nodes),
        "SIP_DOMAIN": config.sip_domain,
        "TENANT_DOMAIN_RE": domain_re,
        "NODE": config.node,
        "CONTINUE_URL": config.continue_url,
        "RPC_URL": config.rpc_url,
        "DISPATCHER_FILE": config.dispatcher_file,
        "QUEUE_TIMEOUT_S": str(config.queue_timeout_seconds),
        "QUEUE_TIMEOUT_MS": str(config.queue_timeout_seconds * 1000),
        "RING_TIMEOUT_MS": str(config.ring_timeout_seconds * 1000),
        "RTP_OFFER_WEBRTC": RTP_OFFER_WEBRTC,
        "RTP_OFFER_PLAIN": RTP_OFFER_PLAIN,
        "RTP_ANSWER_PLAIN": RTP_ANSWER_PLAIN,
        "DIRECT_RELAY_BLOCK": _direct_relay_block(config.direct_relay_prefix),
        "CALLBACK_OUT_BLOCK": _callback_out_block(config.callback_gateway_set),
    }
    text = template.read_text()
    for name, value in values.items():
        text = text.replace(f"@@{name}@@", value)
    leftover = re.findall(r"@@[A-Z_]+@@", text)
    if leftover:
        raise ConfigError(f"template placeholders without a value: {sorted(set(leftover))}")
    return text


def write(config: KamailioConfig, path: Path) -> Path:
    """Render into ``path`` with mode 0600: the file holds the shared secrets."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(render(config))
    return path


def node_config(settings: Settings, runtime_dir: Path) -> KamailioConfig:
    """This node's config, as ``hotline up`` and ``hotline kamailio-config`` (the Helm
    chart's init container) both resolve it; writes the dispatcher list into
    ``runtime_dir``."""
    dispatcher = write_dispatcher_list(
        list(settings.kamailio.dispatcher_targets), runtime_dir / "dispatcher.list"
    )
    return KamailioConfig.from_settings(settings, dispatcher_file=dispatcher)


def write_dispatcher_list(targets: list[str], path: Path) -> Path:
    """The dispatcher list file from ``set:uri`` pairs (empty is valid)."""
    lines = ["# rendered by hotline: setid destination"]
    for target in targets:
        set_id, _, uri = target.partition(":")
        if not set_id.isdigit() or not uri.startswith("sip:"):
            raise ConfigError(f"dispatcher target {target!r} must be <set>:sip:<host>[:port]")
        lines.append(f"{set_id} {uri}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path
