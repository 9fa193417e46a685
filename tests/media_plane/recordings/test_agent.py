"""The recordings agent end to end: spool → stereo WAV → store → row → event → spool cleared."""

from __future__ import annotations

import io
import uuid
import wave
from array import array
from datetime import UTC, datetime
from pathlib import Path

import boto3
import pytest
from prometheus_client import REGISTRY
from sqlalchemy import select

from api.clients import ApiServices
from media_plane.recordings.agent import RecordingsAgent
from media_plane.recordings.local_store import LocalRecordingStore
from media_plane.recordings.models import Recording
from media_plane.recordings.s3_store import S3RecordingStore
from media_plane.recordings.store import file_sha256
from tenants import redis_keys
from tenants.database.scoping import scoped
from tenants.graphql.relay import from_global_id
from tenants.settings import RecordingsSettings, Settings
from tests.conftest import TenantAccount
from tests.media_plane.recordings import synthetic
from tests.media_plane.recordings.conftest import MotoS3
from tests.media_plane.recordings.proxy import CuttableProxy


class FakeClock:
    """A monotonic clock the test advances by hand (backoff without sleeping)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def tenant_uuid(account: TenantAccount) -> uuid.UUID:
    return from_global_id(account.tenant_id)[1]


def agent_settings(settings: Settings, spool: Path, **recordings: object) -> Settings:
    return settings.model_copy(
        update={
            "recordings": RecordingsSettings(
                spool_dir=spool, retry_initial_seconds=1, retry_max_seconds=60, **recordings
            )
        }
    )


def stereo_channels(data: bytes) -> tuple[array, array]:
    with wave.open(io.BytesIO(data), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (2, 2, 8000)
        frames = array("h", wav.readframes(wav.getnframes()))
    return frames[0::2], frames[1::2]


def assert_caller_left_agent_right(data: bytes) -> None:
    left, right = stereo_channels(data)
    assert synthetic.rms(left) > 1000 and synthetic.rms(right) > 1000
    assert synthetic.goertzel_power(left, 440) > 50 * synthetic.goertzel_power(left, 1000)
    assert synthetic.goertzel_power(right, 1000) > 50 * synthetic.goertzel_power(right, 440)


def metric(name: str, labels: dict[str, str] | None = None) -> float:
    return REGISTRY.get_sample_value(name, labels or {}) or 0.0


async def rows_of(services: ApiServices, tenant: uuid.UUID) -> list[Recording]:
    async with services.database.transaction(tenant) as session:
        return list(await session.scalars(scoped(select(Recording), tenant)))


async def test_local_store_pipeline(
    tmp_path: Path, settings: Settings, services: ApiServices, tenant_a: TenantAccount
) -> None:
    tenant = tenant_uuid(tenant_a)
    agent_user = uuid.uuid4()
    spool = tmp_path / "spool"
    pcap, meta = synthetic.two_party_call(
        spool, "local-1@example.com", seconds=1.0, metadata=f"tenant={tenant}|agent={agent_user}"
    )
    running, _ = synthetic.two_party_call(spool / "running", "still-talking")
    synthetic.write_metadata(
        spool, "still-talking", pcap_path=running, offer_sdp=None, answer_sdp=None, ended=False
    )
    store = LocalRecordingStore(tmp_path / "store", signing_key=b"k" * 32)
    config = agent_settings(settings, spool, formats=["wav", "mp3"])
    agent = RecordingsAgent(
        settings=config, database=services.database, redis=services.redis, store=store
    )
    stored = await agent.scan_once()

    assert [row.format for row in stored] == ["wav", "mp3"]
    wav_row = stored[0]
    # rtpengine writes local time; the key's date is the call's start in UTC.
    day = datetime(2026, 11, 23, 10, 0).astimezone().astimezone(UTC)
    assert wav_row.key == f"{tenant}/recordings/{day:%Y/%m/%d}/local-1@example.com.wav"
    assert wav_row.started_at == day
    assert wav_row.channels == 2 and wav_row.agent_id == agent_user
    assert 1000 <= wav_row.duration_ms <= 1050
    stored_file = store.path_of(wav_row.key)
    assert file_sha256(stored_file) == wav_row.sha256
    assert stored_file.stat().st_size == wav_row.size_bytes
    assert_caller_left_agent_right(stored_file.read_bytes())
    assert {row.id for row in await rows_of(services, tenant)} == {row.id for row in stored}

    entries = await services.redis.xrange(redis_keys.events(tenant))
    events = [fields for _, fields in entries if fields["type"] == "recording.stored"]
    assert {e["recording_id"] for e in events} == {str(row.id) for row in stored}
    wav_event = next(e for e in events if e["recording_id"] == str(wav_row.id))
    assert wav_event["call_id"] == "local-1@example.com"
    assert wav_event["key"] == wav_row.key
    assert wav_event["bytes"] == str(wav_row.size_bytes)
    assert wav_event["sha256"] == wav_row.sha256
    assert wav_event["tenant_id"] == str(tenant) and wav_event["v"] == "1"
    assert await services.redis.sismember(redis_keys.EVENT_STREAMS, redis_keys.events(tenant))

    assert not meta.exists() and not pcap.exists()
    assert not list((spool / "hotline").glob("*.wav"))
    assert len(list((spool / "tmp").glob("*.tmp"))) == 1  # the running call is left alone
    assert await agent.scan_once() == []


async def test_tenant_from_call_index(
    tmp_path: Path, settings: Settings, services: ApiServices, tenant_a: TenantAccount
) -> None:
    tenant = tenant_uuid(tenant_a)
    call_id = f"redis-{uuid.uuid4().hex}"
    await services.redis.set(redis_keys.call_index(call_id), str(tenant))
    spool = tmp_path / "spool"
    synthetic.two_party_call(spool, call_id, seconds=0.4)
    store = LocalRecordingStore(tmp_path / "store", signing_key=b"k" * 32)
    agent = RecordingsAgent(
        settings=agent_settings(settings, spool),
        database=services.database,
        redis=services.redis,
        store=store,
    )
    [row] = await agent.scan_once()
    assert row.tenant_id == tenant and row.call_id == call_id
    assert row.agent_id is None
    assert row.key.endswith(f"/{call_id}.wav")


async def test_unknown_tenant_stays_pending(
    tmp_path: Path, settings: Settings, services: ApiServices
) -> None:
    spool = tmp_path / "spool"
    _, meta = synthetic.two_party_call(spool, f"orphan-{uuid.uuid4().hex}", seconds=0.2)
    clock = FakeClock()
    agent = RecordingsAgent(
        settings=agent_settings(settings, spool),
        database=services.database,
        redis=services.redis,
        store=LocalRecordingStore(tmp_path / "store", signing_key=b"k" * 32),
        clock=clock,
    )
    failed = metric("hotline_recordings_failed_total", {"stage": "tenant"})
    assert await agent.scan_once() == []
    assert metric("hotline_recordings_failed_total", {"stage": "tenant"}) == failed + 1
    assert metric("hotline_recordings_pending") == 1
    assert meta.exists()
    assert await agent.scan_once() == []  # backing off: not retried yet
    assert metric("hotline_recordings_failed_total", {"stage": "tenant"}) == failed + 1


async def test_s3_outage_is_retried_and_nothing_is_lost(
    tmp_path: Path,
    settings: Settings,
    services: ApiServices,
    tenant_a: TenantAccount,
    running_moto: MotoS3,
) -> None:
    tenant = tenant_uuid(tenant_a)
    spool = tmp_path / "spool"
    call_id = f"s3-{uuid.uuid4().hex[:8]}@pbx"
    pcap, meta = synthetic.two_party_call(spool, call_id, seconds=1.0, metadata=f"tenant={tenant}")
    s3_settings = running_moto.settings()
    store = S3RecordingStore(s3_settings)
    clock = FakeClock()
    agent = RecordingsAgent(
        settings=agent_settings(settings, spool),
        database=services.database,
        redis=services.redis,
        store=store,
        clock=clock,
    )
    failed = metric("hotline_recordings_failed_total", {"stage": "upload"})
    running_moto.stop()
    assert await agent.scan_once() == []
    assert await agent.scan_once() == []  # within the backoff: no second attempt
    clock.now += 1.01
    assert await agent.scan_once() == []  # second attempt, still down
    assert metric("hotline_recordings_failed_total", {"stage": "upload"}) == failed + 2
    assert agent.retry_delay(2) == 2 and agent.retry_delay(10) == 60
    assert metric("hotline_recordings_pending") == 1
    assert meta.exists() and pcap.exists()  # the spool is untouched while S3 is down
    assert await rows_of(services, tenant) == []

    running_moto.start()
    clock.now += 1.5
    assert await agent.scan_once() == []  # backoff (2 s) not over yet
    clock.now += 1.0
    [row] = await agent.scan_once()
    assert metric("hotline_recordings_pending") == 0
    assert not meta.exists() and not pcap.exists()

    raw = boto3.client(
        "s3",
        endpoint_url=running_moto.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    head = raw.head_object(Bucket=s3_settings.bucket, Key=row.key)
    assert head["ServerSideEncryption"] == "AES256"
    assert head["ContentType"] == "audio/wav"
    assert head["Metadata"]["tenant-id"] == str(tenant)
    assert head["Metadata"]["call-id"] == call_id
    assert head["Metadata"]["sha256"] == row.sha256
    body = raw.get_object(Bucket=s3_settings.bucket, Key=row.key)["Body"].read()
    assert len(body) == row.size_bytes
    assert_caller_left_agent_right(body)
    assert row.key.startswith(f"{tenant}/recordings/")
    [db_row] = await rows_of(services, tenant)
    assert db_row.id == row.id and db_row.sha256 == row.sha256 and db_row.storage == "s3"


async def test_tenant_b_never_sees_tenant_a_rows(
    tmp_path: Path,
    settings: Settings,
    services: ApiServices,
    tenant_a: TenantAccount,
    tenant_b: TenantAccount,
) -> None:
    """Row-level security: even an unscoped query bound to tenant B finds nothing of A's."""
    spool = tmp_path / "spool"
    synthetic.two_party_call(spool, "rls", seconds=0.2, metadata=f"tenant={tenant_uuid(tenant_a)}")
    agent = RecordingsAgent(
        settings=agent_settings(settings, spool),
        database=services.database,
        redis=services.redis,
        store=LocalRecordingStore(tmp_path / "store", signing_key=b"k" * 32),
    )
    [row] = await agent.scan_once()
    async with services.database.transaction(tenant_uuid(tenant_b)) as session:
        assert list(await session.scalars(select(Recording).where(Recording.id == row.id))) == []


@pytest.mark.parametrize("formats", [["wav"]])
def test_formats_setting_is_validated(formats: list[str]) -> None:
    assert RecordingsSettings(formats=formats).formats == formats


async def test_unknown_tenant_id_is_not_uploaded(
    tmp_path: Path, settings: Settings, services: ApiServices
) -> None:
    """A tenant id that names no tenant never reaches storage (no orphan objects)."""
    spool = tmp_path / "spool"
    _, meta = synthetic.two_party_call(
        spool, "ghost", seconds=0.2, metadata=f"tenant={uuid.uuid4()}"
    )
    store_root = tmp_path / "store"
    agent = RecordingsAgent(
        settings=agent_settings(settings, spool),
        database=services.database,
        redis=services.redis,
        store=LocalRecordingStore(store_root, signing_key=b"k" * 32),
    )
    failed = metric("hotline_recordings_failed_total", {"stage": "tenant"})
    assert await agent.scan_once() == []
    assert metric("hotline_recordings_failed_total", {"stage": "tenant"}) == failed + 1
    assert meta.exists() and not store_root.exists()


async def test_s3_dropping_mid_multipart_upload_is_retried(
    tmp_path: Path,
    settings: Settings,
    services: ApiServices,
    tenant_a: TenantAccount,
    running_moto: MotoS3,
) -> None:
    """S3 goes away after 3 MiB of a two-part upload; the retry stores the whole file."""
    tenant = tenant_uuid(tenant_a)
    spool = tmp_path / "spool"
    pcap, meta = synthetic.two_party_call(
        spool, "long-call", seconds=200, metadata=f"tenant={tenant}"
    )
    proxy = CuttableProxy(running_moto.port)
    try:
        s3_settings = running_moto.settings(
            endpoint_url=proxy.endpoint_url,
            multipart_threshold_bytes=5 * 1024 * 1024,
            multipart_chunk_bytes=5 * 1024 * 1024,
        )
        clock = FakeClock()
        agent = RecordingsAgent(
            settings=agent_settings(settings, spool),
            database=services.database,
            redis=services.redis,
            store=S3RecordingStore(s3_settings),
            clock=clock,
        )
        proxy.cut_after(3 * 1024 * 1024)
        failed = metric("hotline_recordings_failed_total", {"stage": "upload"})
        assert await agent.scan_once() == []
        assert proxy.down
        assert metric("hotline_recordings_failed_total", {"stage": "upload"}) == failed + 1
        assert meta.exists() and pcap.exists()
        assert await rows_of(services, tenant) == []

        proxy.restore()
        clock.now += 1.01
        [row] = await agent.scan_once()
        assert row.size_bytes > 6 * 1024 * 1024
        assert not meta.exists() and not pcap.exists()
        raw = boto3.client(
            "s3",
            endpoint_url=running_moto.endpoint_url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        head = raw.head_object(Bucket=s3_settings.bucket, Key=row.key)
        assert head["ETag"].strip('"').endswith("-2")
        assert head["ContentLength"] == row.size_bytes
        assert head["Metadata"]["sha256"] == row.sha256
    finally:
        proxy.close()
