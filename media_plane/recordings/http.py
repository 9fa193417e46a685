"""Playback of the local folder store through signed, expiring API URLs.

S3 recordings are played from presigned S3 URLs; the local store (the embedded
default) has no server of its own, so the API serves ``/v1/recordings/playback`` and
checks the HMAC signature and expiry that ``LocalRecordingStore.playback_url`` made.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from media_plane.recordings.local_store import PLAYBACK_PATH, LocalRecordingStore
from media_plane.recordings.store import RecordingServices, attachment

router = APIRouter(tags=["recordings"])


def _error(status: int, message: str, code: str) -> JSONResponse:
    return JSONResponse({"detail": message, "code": code}, status_code=status)


@router.get(PLAYBACK_PATH)
async def playback(
    request: Request, key: str, expires: int, signature: str, download: str | None = None
) -> Response:
    """The recording's audio, if the URL's signature is valid and unexpired."""
    services: RecordingServices = request.app.state.services
    store = services.recording_store
    if not isinstance(store, LocalRecordingStore):
        return _error(404, "recordings are not served by this API", "NOT_FOUND")
    if not store.check_signature(key, expires, signature, download):
        return _error(403, "invalid or expired playback URL", "FORBIDDEN")
    try:
        path = store.path_of(key)
    except ValueError:
        return _error(404, "no such recording", "NOT_FOUND")
    if not path.is_file():
        return _error(404, "no such recording", "NOT_FOUND")
    return FileResponse(
        path,
        media_type=store.content_type(key),
        headers={"Cache-Control": "private, no-store"}
        | ({"Content-Disposition": attachment(download)} if download is not None else {}),
    )
