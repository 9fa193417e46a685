"""Recordings in a local folder (the embedded default), with HMAC-signed playback URLs."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import time
import urllib.parse
from pathlib import Path

from media_plane.recordings.store import (
    IntegrityMismatch,
    StoredObject,
    StoreUnavailable,
    file_sha256,
)

PLAYBACK_PATH = "/v1/recordings/playback"


class LocalRecordingStore:
    """Objects as files under ``root/<key>``, with a ``.meta.json`` sidecar."""

    name = "local"

    def __init__(self, root: Path, *, signing_key: bytes, base_url: str = "") -> None:
        self.root = root
        self.signing_key = signing_key
        self.base_url = base_url.rstrip("/")

    def path_of(self, key: str) -> Path:
        """The file of ``key``; refuses keys that would leave the root."""
        root = self.root.resolve()
        path = (root / key).resolve()
        if root not in path.parents:
            raise ValueError("key outside the store")
        return path

    def put_file(
        self, *, key: str, path: Path, content_type: str, sha256: str, metadata: dict[str, str]
    ) -> StoredObject:
        """Copy atomically, fsync, then re-hash the stored copy."""
        target = self.path_of(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".part")
            shutil.copyfile(path, partial)
            with partial.open("rb") as handle:
                os.fsync(handle.fileno())
            partial.replace(target)
            sidecar = {"content_type": content_type, "metadata": metadata | {"sha256": sha256}}
            target.with_name(target.name + ".meta.json").write_text(json.dumps(sidecar))
        except OSError as err:
            raise StoreUnavailable(f"local store write of {key} failed: {err}") from err
        if file_sha256(target) != sha256:
            raise IntegrityMismatch(f"{key}: stored bytes do not match the local checksum")
        return StoredObject(
            key=key,
            size=target.stat().st_size,
            sha256=sha256,
            content_type=content_type,
            metadata=sidecar["metadata"],
        )

    def content_type(self, key: str) -> str:
        """The content type recorded at upload."""
        sidecar = self.path_of(key).with_name(self.path_of(key).name + ".meta.json")
        try:
            return str(json.loads(sidecar.read_text())["content_type"])
        except (OSError, ValueError, KeyError):
            return "application/octet-stream"

    def _signature(self, key: str, expires: int, download: str | None = None) -> str:
        message = f"{key}\n{expires}" + (f"\n{download}" if download is not None else "")
        return hmac.new(self.signing_key, message.encode(), hashlib.sha256).hexdigest()

    def playback_url(self, key: str, *, expires_in: int, download_name: str | None = None) -> str:
        """A signed API URL (``/v1/recordings/playback``) valid for ``expires_in`` seconds.

        A download URL signs its file name too, so a playback URL cannot become one.
        """
        expires = int(time.time()) + expires_in
        params: dict[str, str | int] = {"key": key, "expires": expires}
        if download_name is not None:
            params["download"] = download_name
        params["signature"] = self._signature(key, expires, download_name)
        return f"{self.base_url}{PLAYBACK_PATH}?{urllib.parse.urlencode(params)}"

    def check_signature(
        self, key: str, expires: int, signature: str, download: str | None = None
    ) -> bool:
        """True when the URL was signed by this store and has not expired."""
        if expires < time.time():
            return False
        return hmac.compare_digest(self._signature(key, expires, download), signature)
