"""The two RecordingStore implementations: S3 (real moto server over HTTP) and local."""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import boto3
import httpx
import pytest

from media_plane.recordings.local_store import LocalRecordingStore
from media_plane.recordings.s3_store import S3RecordingStore
from media_plane.recordings.store import (
    IntegrityMismatch,
    StoreUnavailable,
    file_sha256,
    key_safe_call_id,
    recording_key,
)
from tests.media_plane.recordings.conftest import MotoS3


def _file(tmp_path: Path, size: int) -> tuple[Path, str]:
    path = tmp_path / f"rec-{uuid.uuid4().hex}.wav"
    path.write_bytes(os.urandom(size))
    return path, file_sha256(path)


def _raw_client(moto: MotoS3):
    return boto3.client(
        "s3",
        endpoint_url=moto.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def test_key_layout() -> None:
    tenant = uuid.UUID("6b1d3c4e-0000-4000-8000-000000000001")
    when = datetime(2026, 3, 7, 23, 59, tzinfo=UTC)
    key = recording_key(tenant_id=tenant, call_id="abc@host", started_at=when, extension="wav")
    assert key == f"{tenant}/recordings/2026/03/07/abc@host.wav"
    odd = key_safe_call_id("../a b/c")
    assert "/" not in odd and " " not in odd and not odd.startswith(".")
    assert key_safe_call_id("../a b/c") != key_safe_call_id("../a_b/c")


def test_s3_upload_is_verified_with_metadata_and_encryption(
    tmp_path: Path, running_moto: MotoS3
) -> None:
    store = S3RecordingStore(running_moto.settings())
    path, digest = _file(tmp_path, 200_000)
    stored = store.put_file(
        key="t1/recordings/2026/01/02/call-1.wav",
        path=path,
        content_type="audio/wav",
        sha256=digest,
        metadata={"tenant-id": "t1", "call-id": "call-1@host"},
    )
    assert stored.sha256 == digest and stored.size == 200_000
    raw = _raw_client(running_moto)
    head = raw.head_object(Bucket=store.bucket, Key=stored.key)
    assert head["ServerSideEncryption"] == "AES256"
    assert head["ContentType"] == "audio/wav"
    assert head["Metadata"] == {"tenant-id": "t1", "call-id": "call-1@host", "sha256": digest}
    body = raw.get_object(Bucket=store.bucket, Key=stored.key)["Body"].read()
    assert hashlib.sha256(body).hexdigest() == digest


def test_s3_large_file_goes_multipart(tmp_path: Path, running_moto: MotoS3) -> None:
    settings = running_moto.settings(
        multipart_threshold_bytes=5 * 1024 * 1024, multipart_chunk_bytes=5 * 1024 * 1024
    )
    store = S3RecordingStore(settings)
    path, digest = _file(tmp_path, 11 * 1024 * 1024)
    stored = store.put_file(
        key="t/big.wav", path=path, content_type="audio/wav", sha256=digest, metadata={}
    )
    assert stored.size == 11 * 1024 * 1024
    head = _raw_client(running_moto).head_object(Bucket=store.bucket, Key="t/big.wav")
    assert head["ETag"].strip('"').endswith("-3")  # three parts
    assert head["ServerSideEncryption"] == "AES256"


def test_s3_checksum_mismatch_is_refused(tmp_path: Path, running_moto: MotoS3) -> None:
    store = S3RecordingStore(running_moto.settings())
    path, _ = _file(tmp_path, 1000)
    with pytest.raises(IntegrityMismatch):
        store.put_file(
            key="t/x.wav", path=path, content_type="audio/wav", sha256="0" * 64, metadata={}
        )


def test_s3_presigned_url_plays_back(tmp_path: Path, running_moto: MotoS3) -> None:
    store = S3RecordingStore(running_moto.settings())
    path, digest = _file(tmp_path, 5000)
    store.put_file(key="t/p.wav", path=path, content_type="audio/wav", sha256=digest, metadata={})
    url = store.playback_url("t/p.wav", expires_in=60)
    assert "X-Amz-Expires=60" in url and "X-Amz-Signature=" in url
    response = httpx.get(url)
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == digest
    tampered = httpx.get(url.replace("t/p.wav", "t/q.wav"))
    assert tampered.status_code in (403, 404)


def test_s3_down_is_reported_as_unavailable(tmp_path: Path, running_moto: MotoS3) -> None:
    store = S3RecordingStore(running_moto.settings())
    path, digest = _file(tmp_path, 1000)
    running_moto.stop()
    started = time.monotonic()
    with pytest.raises(StoreUnavailable):
        store.put_file(
            key="t/down.wav", path=path, content_type="audio/wav", sha256=digest, metadata={}
        )
    assert time.monotonic() - started < 30
    running_moto.start()
    stored = store.put_file(
        key="t/down.wav", path=path, content_type="audio/wav", sha256=digest, metadata={}
    )
    assert stored.sha256 == digest


def test_local_store_put_verify_and_signed_url(tmp_path: Path) -> None:
    store = LocalRecordingStore(tmp_path / "store", signing_key=b"k" * 32)
    path, digest = _file(tmp_path, 3000)
    stored = store.put_file(
        key="t/recordings/2026/01/01/c.wav",
        path=path,
        content_type="audio/wav",
        sha256=digest,
        metadata={"tenant-id": "t"},
    )
    assert stored.metadata == {"tenant-id": "t", "sha256": digest}
    target = store.path_of(stored.key)
    assert file_sha256(target) == digest
    assert store.content_type(stored.key) == "audio/wav"
    url = httpx.URL(store.playback_url(stored.key, expires_in=60))
    assert url.path == "/v1/recordings/playback"
    params = url.params
    assert store.check_signature(params["key"], int(params["expires"]), params["signature"])
    assert not store.check_signature("t/other.wav", int(params["expires"]), params["signature"])
    assert not store.check_signature(params["key"], int(time.time()) - 1, params["signature"])
    with pytest.raises(ValueError):
        store.path_of("../../etc/passwd")
