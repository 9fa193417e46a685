"""Prompts: espeak-ng text-to-speech cached per text and voice, uploads checked and
converted to 8 kHz mono 16-bit WAV, deletion guarded by use, and tenant isolation."""

from __future__ import annotations

import io
import subprocess
import uuid
import wave
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from api.clients import ApiServices
from media_plane.prompts import audio
from media_plane.recordings.local_store import LocalRecordingStore
from tests.conftest import GraphQL, TenantAccount, error_code
from tests.routing.config.helpers import create_queue, ok, raw_id, tenant_uuid
from tests.routing.flows.graphql_docs import CREATE_FLOW, publish

PROMPT_FIELDS = "id name kind text voice durationMs sizeBytes playbackUrl"
CREATE_TTS = f"""mutation($input: CreateTtsPromptInput!) {{
  createTtsPrompt(input: $input) {{ {PROMPT_FIELDS} }}
}}"""
PROMPTS = f"{{ prompts(first: 50) {{ edges {{ node {{ {PROMPT_FIELDS} }} }} }} }}"
DELETE = "mutation($id: ID!) { deletePrompt(id: $id) }"
NODE = "query($id: ID!) { node(id: $id) { id } }"


async def tts(gql: GraphQL, account: TenantAccount, name: str, words: str, voice: str = "EN_US"):
    body = await gql(
        CREATE_TTS, {"input": {"name": name, "text": words, "voice": voice}}, token=account.token
    )
    return ok(body)["createTtsPrompt"]


def store_root(services: ApiServices) -> Path:
    store = services.recording_store
    assert isinstance(store, LocalRecordingStore)
    return store.root


def tenant_files(services: ApiServices, account: TenantAccount) -> list[Path]:
    folder = store_root(services) / tenant_uuid(account) / "prompts"
    return sorted(p for p in folder.rglob("*.wav")) if folder.exists() else []


async def played(client: httpx.AsyncClient, url: str) -> wave.Wave_read:
    response = await client.get(url)
    assert response.status_code == 200, response.text
    return wave.open(io.BytesIO(response.content), "rb")


def media_format(handle: wave.Wave_read) -> tuple[int, int, int]:
    return handle.getframerate(), handle.getnchannels(), handle.getsampwidth()


def synth(tmp_path: Path, name: str, seconds: float, *extra: str) -> bytes:
    path = tmp_path / name
    subprocess.run(
        ["sox", "-n", *extra, str(path), "synth", str(seconds), "sine", "440"], check=True
    )
    return path.read_bytes()


async def upload(
    client: httpx.AsyncClient, account: TenantAccount, name: str, data: bytes, kind: str = "upload"
) -> httpx.Response:
    return await client.post(
        "/v1/prompts/upload",
        params={"name": name, "kind": kind},
        content=data,
        headers={"Authorization": f"Bearer {account.token}", "Content-Type": "audio/wav"},
    )


async def test_english_and_mandarin_tts_in_the_media_format(
    gql: GraphQL, tenant_a: TenantAccount, client: httpx.AsyncClient
) -> None:
    english = await tts(gql, tenant_a, "Welcome", "Press 1 for sales, 2 for support.")
    mandarin = await tts(gql, tenant_a, "欢迎", "销售请按一。支持请按二。", voice="CMN")
    assert english["kind"] == "TTS" and english["voice"] == "EN_US"
    assert mandarin["voice"] == "CMN"
    for prompt in (english, mandarin):
        assert prompt["durationMs"] > 1000
        handle = await played(client, prompt["playbackUrl"])
        assert media_format(handle) == (8000, 1, 2)
        samples = handle.readframes(handle.getnframes())
        assert (
            max(
                abs(int.from_bytes(samples[i : i + 2], "little", signed=True))
                for i in range(0, len(samples), 2)
            )
            > 1000
        )  # not silence


async def test_the_same_text_and_voice_is_rendered_once(
    gql: GraphQL, tenant_a: TenantAccount, services: ApiServices
) -> None:
    first = await tts(gql, tenant_a, "Hold 1", "Please hold.")
    [stored] = tenant_files(services, tenant_a)
    # Mark the stored render: a second render would overwrite it.
    marker = stored.read_bytes()[:44] + b"\x00\x01" * 100
    stored.write_bytes(marker)
    second = await tts(gql, tenant_a, "Hold 2", "Please hold.")
    assert tenant_files(services, tenant_a) == [stored]
    assert stored.read_bytes() == marker
    assert second["sizeBytes"] == first["sizeBytes"]
    other_voice = await tts(gql, tenant_a, "Hold 3", "Please hold.", voice="CMN")
    assert len(tenant_files(services, tenant_a)) == 2
    assert other_voice["id"] != second["id"]
    async with services.database.transaction(uuid.UUID(tenant_uuid(tenant_a))) as s:
        renders = await s.scalar(text("SELECT count(*) FROM prompt_renders"))
    assert renders == 2


async def test_bad_tts_input(gql: GraphQL, tenant_a: TenantAccount) -> None:
    empty = await gql(
        CREATE_TTS, {"input": {"name": "x", "text": "  ", "voice": "EN_US"}}, token=tenant_a.token
    )
    assert error_code(empty) == "BAD_USER_INPUT"
    assert empty["errors"][0]["extensions"]["field"] == "text"
    voice = await gql(
        CREATE_TTS, {"input": {"name": "x", "text": "hi", "voice": "KLINGON"}}, token=tenant_a.token
    )
    assert error_code(voice) == "BAD_USER_INPUT"
    await tts(gql, tenant_a, "Taken", "hello")
    taken = await gql(
        CREATE_TTS,
        {"input": {"name": "taken", "text": "hi", "voice": "EN_US"}},
        token=tenant_a.token,
    )
    assert error_code(taken) == "CONFLICT"


async def test_wav_and_mp3_uploads_are_converted(
    client: httpx.AsyncClient, gql: GraphQL, tenant_a: TenantAccount, tmp_path: Path
) -> None:
    wav = synth(tmp_path, "in.wav", 2, "-r", "44100", "-c", "2")
    mp3 = synth(tmp_path, "in.mp3", 3, "-r", "22050", "-c", "1")
    assert audio.sniff(mp3) == "mp3"
    made_wav = await upload(client, tenant_a, "Greeting", wav)
    made_mp3 = await upload(client, tenant_a, "Jingle", mp3, kind="music")
    assert made_wav.status_code == 200, made_wav.text
    assert made_mp3.status_code == 200, made_mp3.text
    assert abs(made_wav.json()["durationMs"] - 2000) <= 50
    assert made_mp3.json()["kind"] == "MUSIC"
    listed = {
        e["node"]["name"]: e["node"]
        for e in ok(await gql(PROMPTS, token=tenant_a.token))["prompts"]["edges"]
    }
    assert listed["Greeting"]["kind"] == "UPLOAD"
    for name in ("Greeting", "Jingle"):
        handle = await played(client, listed[name]["playbackUrl"])
        assert media_format(handle) == (8000, 1, 2)


async def test_bad_uploads_are_refused_and_store_nothing(
    client: httpx.AsyncClient,
    gql: GraphQL,
    tenant_a: TenantAccount,
    services: ApiServices,
    tmp_path: Path,
) -> None:
    too_long = synth(tmp_path, "long.wav", audio.MAX_PROMPT_SECONDS + 1, "-r", "8000", "-c", "1")
    bad: dict[str, bytes] = {
        "text": b"this is not audio at all, just words" * 10,
        "empty": b"",
        "oversized": b"RIFF\x00\x00\x00\x00WAVE" + b"\x00" * audio.MAX_UPLOAD_BYTES,
        "corrupt": b"RIFF\x24\x00\x00\x00WAVEfmt garbage that sox cannot read",
        "too long": too_long,
    }
    for label, data in bad.items():
        response = await upload(client, tenant_a, label, data)
        assert response.status_code == 422, (label, response.text)
        assert response.json()["code"] == "BAD_USER_INPUT", label
    assert ok(await gql(PROMPTS, token=tenant_a.token))["prompts"]["edges"] == []
    assert tenant_files(services, tenant_a) == []
    absurd = await upload(client, tenant_a, "absurd", b"\x00" * (3 * audio.MAX_UPLOAD_BYTES))
    assert absurd.status_code == 413


def menu_flow(prompt_id: str, queue_id: str) -> dict[str, Any]:
    return {
        "start": "menu",
        "nodes": {
            "menu": {
                "type": "menu",
                "prompt": prompt_id,
                "options": {"1": "sales"},
                "invalidPrompt": prompt_id,
                "fallback": "sales",
            },
            "sales": {"type": "enqueue", "queue": queue_id},
        },
    }


async def test_a_prompt_a_flow_uses_cannot_be_deleted(
    gql: GraphQL, tenant_a: TenantAccount
) -> None:
    menu = await tts(gql, tenant_a, "Menu", "Press 1 for sales.")
    spare = await tts(gql, tenant_a, "Spare", "Unused.")
    queue = await create_queue(gql, tenant_a)
    body = await gql(
        CREATE_FLOW,
        {"input": {"name": "IVR", "draft": menu_flow(menu["id"], queue["id"])}},
        token=tenant_a.token,
    )
    flow = ok(body)["createCallFlow"]
    await publish(gql, tenant_a, flow["id"])
    refused = await gql(DELETE, {"id": menu["id"]}, token=tenant_a.token)
    assert error_code(refused) == "CONFLICT"
    assert "IVR" in refused["errors"][0]["message"]
    assert (
        ok(await gql(DELETE, {"id": spare["id"]}, token=tenant_a.token))["deletePrompt"]
        == spare["id"]
    )
    names = [
        e["node"]["name"] for e in ok(await gql(PROMPTS, token=tenant_a.token))["prompts"]["edges"]
    ]
    assert names == ["Menu"]


async def test_tenant_b_sees_and_changes_nothing(
    gql: GraphQL, tenant_a: TenantAccount, tenant_b: TenantAccount, client: httpx.AsyncClient
) -> None:
    prompt = await tts(gql, tenant_a, "Mine", "Tenant A only.")
    b = tenant_b.token
    assert ok(await gql(PROMPTS, token=b))["prompts"]["edges"] == []
    assert error_code(await gql(NODE, {"id": prompt["id"]}, token=b)) == "NOT_FOUND"
    assert error_code(await gql(DELETE, {"id": prompt["id"]}, token=b)) == "NOT_FOUND"
    queue_b = await create_queue(gql, tenant_b)
    stolen = await gql(
        CREATE_FLOW,
        {"input": {"name": "IVR", "draft": menu_flow(prompt["id"], queue_b["id"])}},
        token=b,
    )
    assert error_code(stolen) == "BAD_USER_INPUT"
    assert stolen["errors"][0]["extensions"]["field"] == "nodes.menu.prompt"
    assert (
        ok(await gql(NODE, {"id": prompt["id"]}, token=tenant_a.token))["node"]["id"]
        == prompt["id"]
    )
    assert raw_id(prompt["id"])


async def test_supervisors_read_prompts_and_only_admins_change_them(
    gql: GraphQL, tenant_a: TenantAccount, client: httpx.AsyncClient
) -> None:
    from tests.routing.config.helpers import add_member

    prompt = await tts(gql, tenant_a, "Shared", "Hello.")
    supervisor = await add_member(gql, tenant_a, "supervisor")
    listed = ok(await gql(PROMPTS, token=supervisor.token))["prompts"]["edges"]
    assert [e["node"]["id"] for e in listed] == [prompt["id"]]
    create = {"input": {"name": "x", "text": "hi", "voice": "EN_US"}}
    assert error_code(await gql(CREATE_TTS, create, token=supervisor.token)) == "FORBIDDEN"
    assert (
        error_code(await gql(DELETE, {"id": prompt["id"]}, token=supervisor.token)) == "FORBIDDEN"
    )
    agent = await add_member(gql, tenant_a, "agent")
    assert error_code(await gql(PROMPTS, token=agent.token)) == "FORBIDDEN"
    refused = await client.post(
        "/v1/prompts/upload",
        params={"name": "x"},
        content=b"RIFF\x00\x00\x00\x00WAVE",
        headers={"Authorization": f"Bearer {agent.token}"},
    )
    assert refused.status_code == 403
