"""Prompt uploads over REST: the body is the audio file (WAV or MP3).

``POST /v1/prompts/upload?name=…&kind=upload|music`` answers the new prompt as JSON.
Bodies up to twice ``audio.MAX_UPLOAD_BYTES`` reach the handler, so an oversized file is a
400 BAD_USER_INPUT with a message (the body limit's 413 only stops absurd bodies).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from media_plane.prompts import audio, service
from media_plane.prompts.models import Prompt
from tenants.graphql.relay import to_global_id
from tenants.identity import browser_session
from tenants.identity import service as identity_service
from tenants.input_validation import parse_input

UPLOAD_PATH_PREFIX = "/v1/prompts/"
UPLOAD_BODY_LIMIT = 2 * audio.MAX_UPLOAD_BYTES

router = APIRouter(prefix="/v1/prompts", tags=["prompts"])


def prompt_json(prompt: Prompt) -> dict[str, Any]:
    return {
        "id": to_global_id("Prompt", prompt.id),
        "name": prompt.name,
        "kind": prompt.kind.upper(),
        "durationMs": prompt.duration_ms,
        "sizeBytes": prompt.size_bytes,
    }


@router.post("/upload")
async def upload_prompt(
    request: Request,
    name: str = Query(description="The prompt's name, unique in the tenant"),
    kind: str = Query(default="upload", description="upload (a prompt) or music (on hold)"),
) -> dict[str, Any]:
    """Store an uploaded WAV/MP3 as a prompt, converted to 8 kHz mono 16-bit WAV."""
    services = request.app.state.services
    data = await request.body()
    prompt_in = parse_input(service.UploadPromptIn, {"name": name, "kind": kind}, camel=True)
    async with services.database.transaction() as session:
        principal = await identity_service.authenticate(
            session=session,
            credential=await browser_session.http_credential(
                request, signer=services.signer, sessions=services.browser_sessions
            ),
            signer=services.signer,
            principals=services.principals,
            limits=services.rate_limits,
        )
        prompt = await service.upload_prompt(
            session=session,
            principal=principal,
            prompt_in=prompt_in,
            data=data,
            store=services.recording_store,
        )
        return prompt_json(prompt)
