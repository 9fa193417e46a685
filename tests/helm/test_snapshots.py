"""Golden snapshots of the rendered chart, one per values case, reviewed on change.

A change to the chart changes a snapshot; review the diff and accept it with
``HOTLINE_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/helm/test_snapshots.py``. Generated
secrets and the checksum annotations that follow them are masked (they differ per render).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helm.conftest import CASES, Renderer, values_args

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
_GENERATED = re.compile(r"^[A-Za-z0-9]{48}$")


def _masked(doc: dict[str, Any]) -> dict[str, Any]:
    if doc["kind"] == "Secret":
        doc["stringData"] = {
            key: "<generated>" if _GENERATED.match(value) else value
            for key, value in (doc.get("stringData") or {}).items()
        }
    template = doc.get("spec", {}).get("template", {}).get("metadata", {})
    if "checksum/secret" in template.get("annotations", {}):
        template["annotations"]["checksum/secret"] = "<checksum>"
    return doc


def snapshot(docs: tuple[dict[str, Any], ...]) -> str:
    """The rendered objects as reviewable YAML."""
    parts = [
        yaml.safe_dump(_masked(yaml.safe_load(yaml.safe_dump(doc))), sort_keys=False, width=100)
        for doc in docs
    ]
    return "---\n" + "---\n".join(parts)


@pytest.mark.parametrize("case", CASES)
def test_the_rendered_chart_matches_its_snapshot(chart: Renderer, case: str) -> None:
    path = SNAPSHOTS / f"{case}.yaml"
    rendered = snapshot(chart.docs(*values_args(case)))
    if os.environ.get("HOTLINE_UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(rendered)
    assert path.exists(), f"no snapshot {path.name}: run with HOTLINE_UPDATE_SNAPSHOTS=1"
    assert rendered == path.read_text(), (
        f"the chart renders differently from {path.name}: review the difference and accept it "
        "with HOTLINE_UPDATE_SNAPSHOTS=1"
    )
