"""Recordings in S3 (or any S3-compatible store) through boto3."""

from __future__ import annotations

import hashlib
import logging
import urllib.parse
from pathlib import Path

import boto3
from boto3.s3.transfer import S3UploadFailedError, TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from media_plane.recordings.store import (
    IntegrityMismatch,
    StoredObject,
    StoreUnavailable,
    attachment,
)
from tenants.settings import S3Settings

log = logging.getLogger("hotline.recordings.s3")

_TRANSIENT = (BotoCoreError, ClientError, S3UploadFailedError, OSError)


def _meta_value(value: str) -> str:
    # S3 user metadata travels in HTTP headers: ASCII only.
    return urllib.parse.quote(value, safe="@:._-=/ ")


class S3RecordingStore:
    """Uploads with multipart above a threshold, SSE, metadata, and a read-back check."""

    name = "s3"

    def __init__(self, settings: S3Settings, *, client: object | None = None) -> None:
        self.settings = settings
        self.bucket = settings.bucket
        secret = settings.secret_access_key
        self.client = client or boto3.client(
            "s3",
            endpoint_url=settings.endpoint_url,
            region_name=settings.region,
            aws_access_key_id=settings.access_key_id,
            aws_secret_access_key=secret.get_secret_value() if secret else None,
            config=Config(
                signature_version="s3v4",
                connect_timeout=settings.timeout_seconds,
                read_timeout=settings.timeout_seconds,
                # The recordings agent owns retries (with backoff, across restarts).
                retries={"max_attempts": 1, "mode": "standard"},
                s3={"addressing_style": "path"} if settings.endpoint_url else None,
            ),
        )
        self.transfer = TransferConfig(
            multipart_threshold=settings.multipart_threshold_bytes,
            multipart_chunksize=settings.multipart_chunk_bytes,
            max_concurrency=4,
        )
        self._bucket_checked = False

    def _ensure_bucket(self) -> None:
        if self._bucket_checked or not self.settings.create_bucket:
            return
        try:
            self.client.head_bucket(Bucket=self.bucket)  # type: ignore[attr-defined]
        except ClientError as err:
            if err.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket"):
                raise
            self.client.create_bucket(Bucket=self.bucket)  # type: ignore[attr-defined]
        self._bucket_checked = True

    def put_file(
        self, *, key: str, path: Path, content_type: str, sha256: str, metadata: dict[str, str]
    ) -> StoredObject:
        """Upload ``path`` and verify size, checksum, metadata and encryption."""
        extra: dict[str, object] = {
            "ContentType": content_type,
            "Metadata": {name: _meta_value(value) for name, value in metadata.items()}
            | {"sha256": sha256},
        }
        if self.settings.server_side_encryption:
            extra["ServerSideEncryption"] = self.settings.server_side_encryption
        try:
            self._ensure_bucket()
            self.client.upload_file(  # type: ignore[attr-defined]
                str(path), self.bucket, key, ExtraArgs=extra, Config=self.transfer
            )
            return self.verify(key=key, size=path.stat().st_size, sha256=sha256)
        except IntegrityMismatch:
            raise
        except _TRANSIENT as err:
            raise StoreUnavailable(f"s3 upload of {key} failed: {err}") from err

    def verify(self, *, key: str, size: int, sha256: str) -> StoredObject:
        """Check the stored object against the local file; read it back to hash it."""
        head = self.client.head_object(Bucket=self.bucket, Key=key)  # type: ignore[attr-defined]
        metadata = dict(head.get("Metadata", {}))
        if head["ContentLength"] != size:
            raise IntegrityMismatch(f"{key}: {head['ContentLength']} bytes stored, {size} sent")
        if metadata.get("sha256") != sha256:
            raise IntegrityMismatch(f"{key}: checksum metadata missing or different")
        wanted_sse = self.settings.server_side_encryption
        if wanted_sse and head.get("ServerSideEncryption") != wanted_sse:
            raise IntegrityMismatch(f"{key}: not stored with {wanted_sse} encryption")
        body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]  # type: ignore[attr-defined]
        digest = hashlib.sha256()
        for chunk in body.iter_chunks(1024 * 1024):
            digest.update(chunk)
        if digest.hexdigest() != sha256:
            raise IntegrityMismatch(f"{key}: stored bytes do not match the local checksum")
        return StoredObject(
            key=key,
            size=size,
            sha256=sha256,
            content_type=head.get("ContentType", ""),
            metadata=metadata,
            server_side_encryption=head.get("ServerSideEncryption"),
        )

    def playback_url(self, key: str, *, expires_in: int, download_name: str | None = None) -> str:
        """A presigned GET URL (signed locally; no request is made).

        With ``download_name`` the response is an attachment of that name.
        """
        params = {"Bucket": self.bucket, "Key": key}
        if download_name is not None:
            params["ResponseContentDisposition"] = attachment(download_name)
        return self.client.generate_presigned_url(  # type: ignore[attr-defined]
            "get_object", Params=params, ExpiresIn=expires_in
        )
