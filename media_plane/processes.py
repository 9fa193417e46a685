"""Run rtpengine and Kamailio as child processes of ``hotline up`` (and of the tests).

rtpengine starts first: Kamailio pings it at startup and disables a silent node for a
while. Each process is stopped by its own PID (``ChildProcess``), nothing else.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from media_plane.kamailio.config import KamailioConfig, node_config, write
from media_plane.rtpengine.client import RtpengineClient
from tenants.embedded.process import ChildProcess, wait_until
from tenants.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RtpengineOptions:
    """One rtpengine node's command line."""

    ng_host: str
    ng_port: int
    interface: str
    port_min: int
    port_max: int
    recording_dir: Path
    binary: str = "rtpengine"
    dtmf_log_dest: str | None = None
    """``host:port`` that receives a JSON datagram per DTMF event (routing listens)."""

    @classmethod
    def from_settings(cls, settings: Settings) -> RtpengineOptions:
        """The local node of ``settings`` (spool under ``var/`` by default)."""
        r = settings.rtpengine
        return cls(
            ng_host=r.ng_host,
            ng_port=r.ng_port,
            interface=r.interface,
            port_min=r.port_min,
            port_max=r.port_max,
            recording_dir=r.recording_dir or settings.var_dir / "recordings" / "spool",
            binary=r.binary,
            dtmf_log_dest=(
                f"{r.dtmf_log_host}:{r.dtmf_log_port}" if r.dtmf_log_port is not None else None
            ),
        )

    def argv(self, executable: str) -> list[str]:
        """The foreground command line (userspace forwarding, pcap recording)."""
        return [
            executable,
            "--config-file=none",  # or it also reads /etc/rtpengine/rtpengine.conf
            "--table=-1",  # no kernel module here: userspace forwarding
            f"--interface={self.interface}",
            f"--listen-ng={self.ng_host}:{self.ng_port}",
            f"--port-min={self.port_min}",
            f"--port-max={self.port_max}",
            "--delete-delay=0",
            "--recording-method=pcap",
            f"--recording-dir={self.recording_dir}",
            *([f"--dtmf-log-dest={self.dtmf_log_dest}"] if self.dtmf_log_dest else []),
            "--foreground",
            "--log-stderr",
        ]


@dataclass
class MediaPlane:
    """The running media processes; ``stop()`` ends them, Kamailio first."""

    rtpengine: ChildProcess
    kamailio: ChildProcess
    kamailio_config: KamailioConfig
    notes: list[str] = field(default_factory=list)

    def stop(self) -> None:
        """Stop Kamailio, then rtpengine (each by its PID)."""
        self.kamailio.stop()
        self.rtpengine.stop()


def missing_binaries(*names: str) -> list[str]:
    """The executables in ``names`` that are not installed."""
    return [name for name in names if _which(name) is None]


def resolve_binary(name: str) -> str:
    """The path of an installed executable (``FileNotFoundError`` when missing)."""
    found = _which(name)
    if found is None:
        raise FileNotFoundError(name)
    return found


def _which(name: str) -> str | None:
    if "/" in name:
        return name if Path(name).exists() else None
    return shutil.which(name) or next(
        (str(p / name) for p in (Path("/usr/sbin"), Path("/usr/bin")) if (p / name).exists()),
        None,
    )


def _ng_ping(host: str, port: int, timeout: float = 0.3) -> bool:
    async def ping() -> bool:
        client = RtpengineClient(host, port, timeout=timeout, retries=0)
        try:
            return await client.is_alive()
        finally:
            await client.aclose()

    return asyncio.run(ping())


def _http_ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=0.5).status_code == 200
    except httpx.HTTPError:
        return False


def _udp_bound(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def start_rtpengine(
    options: RtpengineOptions, log_path: Path, timeout: float = 15.0
) -> ChildProcess:
    """Start rtpengine and wait until its ng port answers ``ping``."""
    executable = _which(options.binary)
    if executable is None:
        raise FileNotFoundError(options.binary)
    # rtpengine creates metadata/ pcaps/ tmp/ only at startup, under an existing folder.
    options.recording_dir.mkdir(parents=True, exist_ok=True)
    process = ChildProcess(name="rtpengine", argv=options.argv(executable), log_path=log_path)
    process.start()
    try:
        wait_until(
            lambda: not process.running() or _ng_ping(options.ng_host, options.ng_port),
            timeout=timeout,
            what="rtpengine ng ping",
        )
        if not process.running():
            raise RuntimeError(f"rtpengine exited:\n{process.log_tail()}")
    except BaseException:
        process.stop()
        raise
    return process


def kamailio_argv(executable: str, runtime_dir: Path) -> list[str]:
    """Kamailio in the foreground on ``runtime_dir/kamailio.cfg`` (``hotline up`` and the
    Helm chart's media pod run this same command line)."""
    return [
        executable,
        "-f",
        str(runtime_dir / "kamailio.cfg"),
        "-Y",
        str(runtime_dir),
        "-DD",
        "-E",
    ]


def start_kamailio(
    config: KamailioConfig,
    runtime_dir: Path,
    *,
    binary: str = "kamailio",
    timeout: float = 15.0,
) -> ChildProcess:
    """Render the config into ``runtime_dir``, check it, start Kamailio, wait for /healthz."""
    executable = _which(binary)
    if executable is None:
        raise FileNotFoundError(binary)
    runtime_dir.mkdir(parents=True, exist_ok=True)
    write(config, runtime_dir / "kamailio.cfg")
    process = ChildProcess(
        name="kamailio",
        argv=kamailio_argv(executable, runtime_dir),
        log_path=runtime_dir / "kamailio.log",
    )
    process.start()
    health = f"http://{config.rpc_host}:{config.rpc_port}/healthz"
    try:
        wait_until(
            lambda: (
                not process.running()
                or (_udp_bound(config.sip_host, config.sip_port) and _http_ok(health))
            ),
            timeout=timeout,
            what="kamailio",
        )
        if not process.running():
            raise RuntimeError(f"kamailio exited:\n{process.log_tail()}")
    except BaseException:
        process.stop()
        raise
    return process


def start_media_plane(settings: Settings) -> MediaPlane | None:
    """Start rtpengine, wait for its ping, then Kamailio; ``None`` when not installed.

    The caller owns the result and must call ``stop()`` (``media_plane_running`` does).
    """
    k, r = settings.kamailio, settings.rtpengine
    missing = missing_binaries(r.binary, k.binary)
    if missing:
        log.warning("media plane not started: %s not installed", ", ".join(missing))
        return None
    runtime = (settings.var_dir / "run" / "kamailio").resolve()
    options = dataclasses.replace(
        RtpengineOptions.from_settings(settings),
        recording_dir=RtpengineOptions.from_settings(settings).recording_dir.resolve(),
    )
    rtpengine = start_rtpengine(options, (settings.var_dir / "log" / "rtpengine.log").resolve())
    try:
        config = node_config(settings, runtime)
        kamailio = start_kamailio(config, runtime, binary=k.binary)
    except BaseException:
        rtpengine.stop()
        raise
    notes = [
        f"rtpengine   ng udp:{r.ng_host}:{r.ng_port}  media {r.interface}:{r.port_min}-{r.port_max}"
        f"  (pid {rtpengine.pid})",
        f"Kamailio    sip {k.sip_host}:{k.sip_port} udp+tcp  ws://{k.ws_host}:{k.ws_port}"
        f"  rpc {config.rpc_url}  (pid {kamailio.pid})",
    ]
    return MediaPlane(rtpengine=rtpengine, kamailio=kamailio, kamailio_config=config, notes=notes)


@contextmanager
def media_plane_running(settings: Settings) -> Iterator[MediaPlane | None]:
    """``with media_plane_running(settings) as media:`` for ``hotline up``; stops on exit."""
    media = start_media_plane(settings)
    try:
        yield media
    finally:
        if media is not None:
            media.stop()
