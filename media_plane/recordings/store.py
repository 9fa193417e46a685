"""Where finished recordings live: the ``RecordingStore`` interface and object keys.

Two implementations: ``S3RecordingStore`` (boto3) and ``LocalRecordingStore`` (a folder,
the embedded default). The composition roots pick one from the settings
(``api.clients.build_store``).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol, runtime_checkable

from tenants.database.session import Database
from tenants.settings import Settings

_SAFE_CALL_ID = re.compile(r"[^A-Za-z0-9._@-]")


class StoreUnavailable(Exception):
    """The store could not be reached or refused the write; retry later."""


class IntegrityMismatch(Exception):
    """The stored object differs from the local file (size, checksum or flags)."""


@dataclass(frozen=True)
class StoredObject:
    """An object as the store reports it after the upload was verified."""

    key: str
    size: int
    sha256: str
    content_type: str
    metadata: dict[str, str] = field(default_factory=dict)
    server_side_encryption: str | None = None


class RecordingStore(Protocol):
    """Uploads verified recordings and hands out short-lived playback URLs."""

    name: str

    def put_file(
        self, *, key: str, path: Path, content_type: str, sha256: str, metadata: dict[str, str]
    ) -> StoredObject:
        """Store ``path`` under ``key``; return only once the stored copy is verified."""
        ...

    def playback_url(self, key: str, *, expires_in: int, download_name: str | None = None) -> str:
        """A URL that lets its holder read ``key`` for ``expires_in`` seconds.

        With ``download_name`` the audio comes as an attachment of that file name.
        """
        ...


@runtime_checkable
class RecordingServices(Protocol):
    """The clients the recordings' GraphQL and playback endpoint read from the process."""

    @property
    def recording_store(self) -> RecordingStore:
        """Where recordings are (the composition root picks it from the settings)."""

    @property
    def database(self) -> Database:
        """The access log writes its entries in transactions of their own."""


def attachment(filename: str) -> str:
    """A ``Content-Disposition`` header value for a download of ``filename``."""
    safe = _SAFE_CALL_ID.sub("_", filename)[:200] or "recording"
    return f'attachment; filename="{safe}"'


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def key_safe_call_id(call_id: str) -> str:
    """The call id as an object-key segment; altered ids get a hash so they stay unique."""
    safe = _SAFE_CALL_ID.sub("_", call_id)[:128].strip(".") or "call"
    if safe != call_id:
        safe += "-" + hashlib.sha256(call_id.encode()).hexdigest()[:10]
    return safe


def recording_key(
    *, tenant_id: uuid.UUID, call_id: str, started_at: datetime, extension: str
) -> str:
    """``<tenant>/recordings/<yyyy>/<mm>/<dd>/<call>.<ext>`` (the date in UTC)."""
    return f"{tenant_id}/recordings/{started_at:%Y/%m/%d}/{key_safe_call_id(call_id)}.{extension}"


def spool_dir(settings: Settings) -> Path:
    """rtpengine's recording folder (its ``--recording-dir``)."""
    return settings.recordings.spool_dir or settings.var_dir / "recordings" / "spool"


def local_store_dir(settings: Settings) -> Path:
    """The local folder store's root."""
    return settings.recordings.local_store_dir or settings.var_dir / "recordings" / "store"
