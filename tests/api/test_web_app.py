"""The web app is served at / with client-side routes, cache rules and security headers."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from api.clients import ApiServices
from api.http.web_app import CONTENT_SECURITY_POLICY
from tenants.settings import Settings

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A stand-in build folder with the shape Vite writes (index.html, hashed assets)."""
    root = tmp_path_factory.mktemp("dist")
    (root / "assets").mkdir()
    (root / "index.html").write_text(
        '<!doctype html><script type="module" src="/assets/index-AbC123.js"></script>'
    )
    (root / "assets" / "index-AbC123.js").write_text("console.log('hotline')")
    (root / "favicon.svg").write_text("<svg/>")
    return root


async def _client(settings: Settings, services: ApiServices, web_dir: Path) -> httpx.AsyncClient:
    configured = settings.model_copy(
        update={"api": settings.api.model_copy(update={"web_dir": str(web_dir)})}
    )
    transport = httpx.ASGITransport(app=create_app(configured, services))
    return httpx.AsyncClient(transport=transport, base_url="http://hotline.test")


@pytest.fixture
async def web(
    settings: Settings, services: ApiServices, built: Path
) -> AsyncIterator[httpx.AsyncClient]:
    async with await _client(settings, services, built) as http:
        yield http


async def test_root_and_client_routes_serve_index_uncached(web: httpx.AsyncClient) -> None:
    for path in ("/", "/admin/queues", "/t/acme", "/reset-password?token=x"):
        response = await web.get(path, headers={"accept": "text/html,*/*"})
        assert response.status_code == 200, path
        assert "index-AbC123.js" in response.text
        assert response.headers["cache-control"] == "no-cache"
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["content-type"].startswith("text/html")


async def test_hashed_assets_are_immutable(web: httpx.AsyncClient) -> None:
    response = await web.get("/assets/index-AbC123.js")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_missing_files_and_api_paths_are_404_not_index(web: httpx.AsyncClient) -> None:
    for path in ("/assets/nope.js", "/v1/crm/nothing", "/robots.txt", "/graphql/x"):
        response = await web.get(path, headers={"accept": "text/html"})
        assert response.status_code == 404, path
        assert "index-AbC123.js" not in response.text
    escape = await web.get("/assets/..%2F..%2Fetc%2Fpasswd")
    assert escape.status_code == 404


async def test_api_clients_get_json_404(web: httpx.AsyncClient) -> None:
    response = await web.get("/admin/queues", headers={"accept": "application/json"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


async def test_public_files_are_served(web: httpx.AsyncClient) -> None:
    response = await web.get("/favicon.svg")
    assert response.status_code == 200
    assert response.text == "<svg/>"


async def test_csp_forbids_inline_and_foreign_code(web: httpx.AsyncClient) -> None:
    policy = (await web.get("/")).headers["content-security-policy"]
    directives = dict(d.split(" ", 1) for d in policy.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "http" not in policy


async def test_security_headers_on_api_responses(web: httpx.AsyncClient) -> None:
    response = await web.post("/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 200
    assert response.json()["data"]["__typename"] == "Query"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "same-origin"


async def test_unbuilt_app_says_what_to_do(
    settings: Settings, services: ApiServices, tmp_path: Path
) -> None:
    async with await _client(settings, services, tmp_path / "missing") as http:
        response = await http.get("/")
        assert response.status_code == 503
        assert "Node.js 20" in response.text
        ok = await http.post("/graphql", json={"query": "{ __typename }"})
        assert ok.status_code == 200


def test_committed_schema_is_current() -> None:
    printed = subprocess.run(
        [str(Path(sys.executable).parent / "hotline"), "schema"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    committed = (REPO / "web" / "schema.graphql").read_text()
    assert printed == committed, (
        "web/schema.graphql is stale: run `hotline schema > web/schema.graphql`"
    )
