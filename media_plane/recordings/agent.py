"""The recordings agent (``hotline recordings``): rtpengine's spool → storage → row → event.

It polls ``<spool>/metadata`` (rtpengine moves a call's metadata file there when the
recording ends). For each finished call it resolves the tenant, converts the pcap to
stereo audio, uploads and verifies every format, upserts the rows, publishes
``recording.stored`` and only then removes the spool files, metadata file last: a
metadata file in the spool is a recording not yet safely stored. Any failure leaves
everything in place and retries with exponential backoff; ``hotline_recordings_pending``
counts what waits and ``hotline_recordings_failed_total`` every failed attempt.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from prometheus_client import start_http_server
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from media_plane.recordings import service
from media_plane.recordings.audio_files import CONTENT_TYPES, mp3_available, write_audio
from media_plane.recordings.events import publish_recording_stored
from media_plane.recordings.metrics import (
    RECORDING_STORE_SECONDS,
    RECORDINGS_FAILED,
    RECORDINGS_PENDING,
    RECORDINGS_STORED,
)
from media_plane.recordings.models import Recording
from media_plane.recordings.pcap import PcapError, read_udp
from media_plane.recordings.rtpengine_meta import RecordingMetadata, parse_metadata_file
from media_plane.recordings.stereo import StereoAudio, build_stereo
from media_plane.recordings.store import (
    IntegrityMismatch,
    RecordingStore,
    StoreUnavailable,
    file_sha256,
    recording_key,
    spool_dir,
)
from media_plane.recordings.tenancy import resolve_call_owner
from tenants.database.session import Database
from tenants.identity.repository import tenant_by_id
from tenants.redis_connection import connect as connect_redis
from tenants.settings import Settings

log = logging.getLogger("hotline.recordings")


class StageFailed(Exception):
    """One step of storing a recording failed; everything stays in the spool."""

    def __init__(self, stage: str, message: str) -> None:
        super().__init__(f"{stage}: {message}")
        self.stage = stage


def _short(err: Exception) -> str:
    """A database error without the statement and parameters SQLAlchemy appends."""
    return f"{type(err).__name__}: {getattr(err, 'orig', None) or err}"


@dataclass
class _Backoff:
    failures: int = 0
    next_attempt: float = 0.0


class RecordingsAgent:
    """Moves finished recordings from rtpengine's spool into the recording store."""

    def __init__(
        self,
        *,
        settings: Settings,
        database: Database,
        redis: Redis,
        store: RecordingStore,
        spool: Path | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.database = database
        self.redis = redis
        self.store = store
        self.spool = spool or spool_dir(settings)
        self.work = self.spool / "hotline"
        self.clock = clock
        self._backoff: dict[Path, _Backoff] = {}
        self.formats = [f for f in settings.recordings.formats if f in CONTENT_TYPES]
        if "mp3" in self.formats and not mp3_available():
            log.warning("mp3 recordings need the lameenc package; storing WAV only")
            self.formats.remove("mp3")
        self.formats = self.formats or ["wav"]

    def prepare(self) -> None:
        """Create the spool folders (rtpengine also creates them when it starts)."""
        for folder in ("metadata", "pcaps", "tmp", "hotline"):
            (self.spool / folder).mkdir(parents=True, exist_ok=True)

    def finished(self) -> list[Path]:
        """Metadata files of ended calls still in the spool."""
        return sorted((self.spool / "metadata").glob("rtpengine-meta-*.txt"))

    def retry_delay(self, failures: int) -> float:
        """Exponential backoff: initial * 2^(failures-1), capped."""
        config = self.settings.recordings
        return min(config.retry_initial_seconds * 2 ** (failures - 1), config.retry_max_seconds)

    async def scan_once(self) -> list[Recording]:
        """Try every due finished recording once; returns the rows stored."""
        pending = self.finished()
        self._backoff = {path: self._backoff[path] for path in pending if path in self._backoff}
        RECORDINGS_PENDING.set(len(pending))
        stored: list[Recording] = []
        for path in pending:
            state = self._backoff.get(path)
            if state is not None and state.next_attempt > self.clock():
                continue
            started = time.perf_counter()
            try:
                stored.extend(await self.process(path))
            except StageFailed as failure:
                RECORDINGS_FAILED.labels(failure.stage).inc()
                state = self._backoff.setdefault(path, _Backoff())
                state.failures += 1
                delay = self.retry_delay(state.failures)
                state.next_attempt = self.clock() + delay
                log.warning(
                    "recording %s not stored (attempt %s, retry in %.0fs): %s",
                    path.name,
                    state.failures,
                    delay,
                    failure,
                )
                continue
            RECORDING_STORE_SECONDS.observe(time.perf_counter() - started)
            self._backoff.pop(path, None)
        RECORDINGS_PENDING.set(len(self.finished()))
        return stored

    def _pcap_of(self, metadata: RecordingMetadata) -> Path:
        candidates = []
        if metadata.pcap_path is not None:
            candidates += [metadata.pcap_path, self.spool / "pcaps" / metadata.pcap_path.name]
        candidates.append(
            self.spool / "pcaps" / f"{metadata.path.stem.removeprefix('rtpengine-meta-')}.pcap"
        )
        for candidate in candidates:
            if candidate.is_file():
                return candidate
        raise StageFailed("convert", f"pcap of {metadata.path.name} not found")

    def _convert(
        self, pcap: Path, metadata: RecordingMetadata
    ) -> tuple[StereoAudio, dict[str, Path]]:
        audio = build_stereo(read_udp(pcap), metadata)
        self.work.mkdir(parents=True, exist_ok=True)
        outputs = {}
        for audio_format in self.formats:
            output = self.work / f"{pcap.stem}.{audio_format}"
            write_audio(audio, output, audio_format)
            outputs[audio_format] = output
        return audio, outputs

    async def process(self, meta_path: Path) -> list[Recording]:
        """Store one finished recording; raises ``StageFailed`` leaving the spool intact."""
        try:
            metadata = parse_metadata_file(meta_path)
        except (OSError, ValueError) as err:
            raise StageFailed("parse", str(err)) from err
        try:
            owner = await resolve_call_owner(metadata, self.redis)
        except RedisError as err:
            raise StageFailed("tenant", f"redis: {err}") from err
        if owner is None:
            raise StageFailed("tenant", f"no tenant known for call {metadata.call_id!r}")
        try:
            async with self.database.transaction() as session:
                tenant = await tenant_by_id(session, owner.tenant_id)
        except (SQLAlchemyError, OSError) as err:
            raise StageFailed("database", _short(err)) from err
        if tenant is None:
            raise StageFailed("tenant", f"call {metadata.call_id!r} names unknown tenant")
        pcap = self._pcap_of(metadata)
        try:
            audio, outputs = await asyncio.to_thread(self._convert, pcap, metadata)
        except (OSError, PcapError, ValueError) as err:
            raise StageFailed("convert", str(err)) from err
        call_id = owner.call_id or metadata.call_id
        started_at = metadata.start_time or datetime.fromtimestamp(pcap.stat().st_mtime, UTC)
        uploads = []
        for audio_format, output in outputs.items():
            digest = await asyncio.to_thread(file_sha256, output)
            key = recording_key(
                tenant_id=owner.tenant_id,
                call_id=call_id,
                started_at=started_at,
                extension=audio_format,
            )
            object_metadata = {"tenant-id": str(owner.tenant_id), "call-id": call_id}
            if call_id != metadata.call_id:
                object_metadata["sip-call-id"] = metadata.call_id
            if owner.agent_id:
                object_metadata["agent-id"] = str(owner.agent_id)
            try:
                stored = await asyncio.to_thread(
                    self.store.put_file,
                    key=key,
                    path=output,
                    content_type=CONTENT_TYPES[audio_format],
                    sha256=digest,
                    metadata=object_metadata,
                )
            except (StoreUnavailable, IntegrityMismatch) as err:
                raise StageFailed("upload", str(err)) from err
            uploads.append((audio_format, stored))
        try:
            async with self.database.transaction(owner.tenant_id) as session:
                rows = [
                    await service.save_recording(
                        session=session,
                        tenant_id=owner.tenant_id,
                        call_id=call_id,
                        agent_id=owner.agent_id,
                        storage=self.store.name,
                        key=stored.key,
                        audio_format=audio_format,
                        content_type=CONTENT_TYPES[audio_format],
                        size_bytes=stored.size,
                        sha256=stored.sha256,
                        duration_ms=round(audio.duration_seconds * 1000),
                        channels=2,
                        started_at=started_at,
                    )
                    for audio_format, stored in uploads
                ]
        except (SQLAlchemyError, OSError) as err:
            raise StageFailed("database", _short(err)) from err
        try:
            for row in rows:
                await publish_recording_stored(self.redis, row)
        except RedisError as err:
            raise StageFailed("event", str(err)) from err
        for row in rows:
            RECORDINGS_STORED.labels(row.format).inc()
            log.info(
                "recording of call %s stored: %s (%s bytes, sha256 %s)",
                row.call_id,
                row.key,
                row.size_bytes,
                row.sha256,
            )
        self._finish(meta_path, pcap, list(outputs.values()))
        return rows

    def _finish(self, meta_path: Path, pcap: Path, outputs: list[Path]) -> None:
        """Clear the spool; the metadata file goes last (it marks the call pending)."""
        if self.settings.recordings.delete_spool_after_upload:
            for path in (*outputs, pcap, meta_path):
                path.unlink(missing_ok=True)
            return
        done = self.work / "done"
        done.mkdir(parents=True, exist_ok=True)
        for path in (*outputs, pcap, meta_path):
            if path.exists():
                shutil.move(str(path), done / path.name)

    async def run(self, stop: asyncio.Event) -> None:
        """Scan until ``stop`` is set."""
        self.prepare()
        log.info("recordings agent watching %s (store: %s)", self.spool, self.store.name)
        while not stop.is_set():
            try:
                await self.scan_once()
            except Exception:  # the loop must survive anything one scan hits
                log.exception("recordings scan failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.settings.recordings.poll_seconds)


async def serve(
    settings: Settings, *, store: RecordingStore, stop: asyncio.Event | None = None
) -> None:
    """Build the agent's clients from ``settings`` and run it, storing into ``store`` (which
    the composition root picked), until ``stop`` (or a signal)."""
    if not settings.database.url or not settings.redis.url:
        raise RuntimeError("the recordings agent needs HOTLINE_DATABASE_URL and HOTLINE_REDIS_URL")
    database = Database(settings.database.url, pool_size=2)
    redis = connect_redis(settings.redis.url, decode_responses=False)
    agent = RecordingsAgent(settings=settings, database=database, redis=redis, store=store)
    own_stop = stop is None
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    if own_stop:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
    try:
        await agent.run(stop)
    finally:
        await database.dispose()
        await redis.aclose()


def run(settings: Settings, store: RecordingStore) -> None:
    """Entry point of ``hotline recordings``: blocks until SIGINT/SIGTERM."""
    if settings.recordings.metrics_port:
        start_http_server(settings.recordings.metrics_port, addr=settings.recordings.metrics_host)
    asyncio.run(serve(settings, store=store))
