"""The import rules of CONVENTIONS.md "Rooms and imports", checked on the source with ``ast``.

``api → (routing, media_plane, analytics, tenants)``, ``routing → (media_plane, tenants)``,
``analytics → tenants``, ``media_plane → tenants``. No production module imports ``tests``,
and none imports ``api`` except the drivers ``infra/`` and ``loadtest/``, which run it
(``loadtest`` also uses ``infra``'s tooling). No two modules import each other, directly or
round a longer circle. Every import counts, also one inside a function or under
``TYPE_CHECKING``: a deferred import is still an arrow.

The one documented exception is the Alembic aggregator ``tenants/database/models.py``,
which imports every room's models so that Alembic sees one metadata.
"""

from __future__ import annotations

from tests.architecture.imports import ROOMS, Import, cycles, graph, imports_of

ALLOWED: dict[str, frozenset[str]] = {
    "api": frozenset(ROOMS),
    "routing": frozenset({"routing", "media_plane", "tenants"}),
    "analytics": frozenset({"analytics", "tenants"}),
    "media_plane": frozenset({"media_plane", "tenants"}),
    "tenants": frozenset({"tenants"}),
    "loadtest": frozenset({*ROOMS, "loadtest", "infra"}),
    "infra": frozenset({*ROOMS, "infra"}),
}
"""The rooms (and drivers) each room may import."""

AGGREGATOR = "tenants.database.models"


def _room(module: str) -> str:
    return module.split(".", 1)[0]


def arrows_back(imports: dict[str, set[Import]]) -> list[str]:
    """Imports the room rules forbid, as ``importer -> target (line)``."""
    found = []
    for importer, targets in sorted(imports.items()):
        room = _room(importer)
        if room == "tests" or importer == AGGREGATOR:
            continue
        for imp in sorted(targets, key=lambda i: (i.target, i.line)):
            if _room(imp.target) in ALLOWED[room]:
                continue
            found.append(f"{importer} -> {imp.target} (line {imp.line})")
    return found


def circles(imports: dict[str, set[Import]]) -> list[list[str]]:
    edges = {
        importer: {imp.target for imp in targets}
        for importer, targets in imports.items()
        if importer != AGGREGATOR
    }
    return sorted(sorted(component) for component in cycles(edges))


def test_no_arrow_back_up() -> None:
    found = arrows_back(graph())
    assert not found, "imports against CONVENTIONS.md's rooms:\n" + "\n".join(found)


def test_no_circle_between_modules() -> None:
    found = circles(graph())
    assert not found, "modules that import each other:\n" + "\n".join(map(str, found))


def test_the_checks_catch_an_arrow_and_a_circle() -> None:
    known = {"tenants.a", "tenants.b", "api.app", "routing.x", "tests.helper", "analytics.y"}
    sources = {
        "tenants.a": "from tenants import b\nfrom api.app import create_app\n",
        "tenants.b": "def f():\n    from tenants.a import g\n",
        "routing.x": "import analytics.y\nfrom tests import helper\n",
        "analytics.y": "import json\n",
    }
    imports = {m: set(imports_of(m, s, known, package=False)) for m, s in sources.items()}
    assert arrows_back(imports) == [
        "routing.x -> analytics.y (line 1)",
        "routing.x -> tests.helper (line 2)",
        "tenants.a -> api.app (line 2)",
    ]
    assert circles(imports) == [["tenants.a", "tenants.b"]]


def test_relative_imports_resolve() -> None:
    known = {"tenants.crm", "tenants.crm.models", "tenants.crm.service", "tenants.errors"}
    source = "from . import models\nfrom ..errors import Conflict\n"
    targets = {i.target for i in imports_of("tenants.crm.service", source, known, package=False)}
    assert targets == {"tenants.crm.models", "tenants.errors"}
