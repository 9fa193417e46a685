"""Run sipp scenarios from ``loadtest/sipp`` against the test Kamailio."""

from __future__ import annotations

import asyncio
import contextlib
import random
import socket
from dataclasses import dataclass
from pathlib import Path

SCENARIOS = Path(__file__).resolve().parents[2] / "loadtest" / "sipp"


def free_sip_port() -> int:
    """A port free for both UDP and TCP on 127.0.0.1 (SIP listens on both)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.bind(("127.0.0.1", 0))
            port = int(udp.getsockname()[1])
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
                try:
                    tcp.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
    raise RuntimeError("no free UDP+TCP port")


def free_udp_port() -> int:
    """A free UDP port (rtpengine ng)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.bind(("127.0.0.1", 0))
        return int(udp.getsockname()[1])


SIPP_MEDIA_PORTS = range(10_000, 20_000, 4)
"""Where sipp's media sockets go: below the kernel's ephemeral ports (32768 and up) and
apart from every rtpengine range the suite uses (20000-29999, 30000-30999, 40000-58199)."""

BIND_CHECK_S = 0.2
"""How long ``Sipp.start`` watches for sipp exiting at once because a port was taken."""


def free_sipp_media_port() -> int:
    """A base port whose next four UDP ports are free: sipp binds audio RTP/RTCP on the
    base and base+1, and video RTP/RTCP on base+2 and base+3 (a busy base+2 once made
    sipp exit before its INVITE)."""
    for _ in range(100):
        base = random.choice(SIPP_MEDIA_PORTS)
        try:
            with contextlib.ExitStack() as stack:
                for port in range(base, base + 4):
                    udp = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
                    udp.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError("no four free UDP ports for sipp's media")


@dataclass
class SippRun:
    """A finished sipp run."""

    returncode: int
    output: str
    messages: str

    @property
    def ok(self) -> bool:
        """sipp exits 0 when every call succeeded."""
        return self.returncode == 0


class Sipp:
    """One sipp process (started with ``start``, finished with ``wait``)."""

    def __init__(
        self,
        scenario: str | Path,
        *,
        workdir: Path,
        target: str | None = None,
        port: int | None = None,
        service: str = "hotline",
        calls: int = 1,
        rate: float | None = None,
        pause_ms: int | None = None,
        extra: list[str] | None = None,
        timeout_s: int = 60,
        local_ip: str = "127.0.0.1",
    ) -> None:
        self.scenario = scenario if isinstance(scenario, Path) else SCENARIOS / scenario
        self.workdir = workdir
        self.port = port or free_sip_port()
        self.media_port = free_sipp_media_port()
        self.name = f"{self.scenario.stem}-{self.port}"
        self.argv = [
            "sipp",
            *([target] if target else []),
            "-sf",
            str(self.scenario),
            "-i",
            local_ip,
            "-p",
            str(self.port),
            "-mi",
            "127.0.0.1",
            "-mp",
            str(self.media_port),
            "-s",
            service,
            "-m",
            str(calls),
            "-timeout",
            f"{timeout_s}s",
            "-timeout_error",
            "-nostdin",
            "-trace_msg",
            "-message_file",
            str(workdir / f"{self.name}.msg"),
            "-trace_err",
            "-error_file",
            str(workdir / f"{self.name}.err"),
            *(["-r", str(rate)] if rate is not None else []),
            *(["-d", str(pause_ms)] if pause_ms is not None else []),
            *(extra or []),
        ]
        self._process: asyncio.subprocess.Process | None = None

    async def start(self) -> Sipp:
        """Start sipp; returns self.

        A media port can still be taken between choosing it and sipp binding it (sipp binds
        four); sipp then exits at once, and is started again on new ones.
        """
        self.workdir.mkdir(parents=True, exist_ok=True)
        for _ in range(5):
            self._process = await asyncio.create_subprocess_exec(
                *self.argv,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
                stdin=asyncio.subprocess.DEVNULL,
                cwd=self.workdir,
            )
            try:
                await asyncio.wait_for(self._process.wait(), BIND_CHECK_S)
            except TimeoutError:
                return self  # still running: its sockets are bound
            if "Unable to bind" not in self.errors():
                return self  # finished or failed for another reason: wait() reports it
            self._rebind()
        return self

    def errors(self) -> str:
        """What sipp wrote to its error file so far."""
        errors = self.workdir / f"{self.name}.err"
        return errors.read_text(errors="replace") if errors.exists() else ""

    def messages_so_far(self) -> str:
        """The SIP messages sipp traced so far (it writes them as they go)."""
        msg = self.workdir / f"{self.name}.msg"
        return msg.read_text(errors="replace") if msg.exists() else ""

    def _rebind(self) -> None:
        """New media ports for the next start (the SIP port may already be registered
        as an agent's contact, so it stays)."""
        at = self.argv.index("-mp") + 1
        self.media_port = free_sipp_media_port()
        self.argv[at] = str(self.media_port)
        (self.workdir / f"{self.name}.err").unlink(missing_ok=True)

    async def wait(self, limit: float = 90) -> SippRun:
        """Wait for sipp to finish."""
        assert self._process is not None
        try:
            out, _ = await asyncio.wait_for(self._process.communicate(), limit)
        except TimeoutError:
            self._process.kill()
            out, _ = await self._process.communicate()
        messages = ""
        msg = self.workdir / f"{self.name}.msg"
        if msg.exists():
            messages = msg.read_text(errors="replace")
        return SippRun(
            returncode=self._process.returncode or 0,
            output=out.decode(errors="replace")[-3000:],
            messages=messages,
        )

    def kill(self) -> None:
        """Stop sipp if it still runs."""
        if self._process is not None and self._process.returncode is None:
            self._process.kill()

    async def run(self, limit: float = 90) -> SippRun:
        """Start and wait."""
        await self.start()
        return await self.wait(limit)
