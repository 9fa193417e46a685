"""The images' Dockerfiles, linted (base images cannot be pulled here, so nothing is built):
each parses, runs as the chart's non-root user, installs only at build time, copies only
what exists and the build context keeps, and the media image has the Debian packages the
media tests run against."""

from __future__ import annotations

import re
from pathlib import Path

import dockerfile
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
IMAGES = {"app": ROOT / "infra" / "docker" / "app.Dockerfile",
          "media": ROOT / "infra" / "docker" / "media.Dockerfile"}  # fmt: skip


def _commands(name: str) -> list[dockerfile.Command]:
    return list(dockerfile.parse_file(str(IMAGES[name])))


def _final_stage(commands: list[dockerfile.Command]) -> list[dockerfile.Command]:
    last = max(i for i, c in enumerate(commands) if c.cmd == "FROM")
    return commands[last:]


@pytest.mark.parametrize("name", sorted(IMAGES))
def test_the_image_runs_as_the_charts_non_root_user(name: str) -> None:
    final = _final_stage(_commands(name))
    users = [c.value[0] for c in final if c.cmd == "USER"]
    pod = yaml.safe_load((ROOT / "helm" / "hotline" / "values.yaml").read_text())
    context = pod["podSecurityContext"]
    assert users[-1] == f"{context['runAsUser']}:{context['runAsGroup']}"
    (entrypoint,) = [c for c in final if c.cmd == "ENTRYPOINT"]
    assert entrypoint.json and entrypoint.value == ("hotline",)


@pytest.mark.parametrize("name", sorted(IMAGES))
def test_nothing_is_fetched_but_packages_at_build_time(name: str) -> None:
    commands = _commands(name)
    for command in commands:
        assert command.cmd != "ADD", "ADD may fetch URLs; COPY what the context holds"
        if command.cmd == "FROM":
            image = command.value[0]
            assert image.startswith("${") or ":" in image, f"unpinned base image {image}"
        if command.cmd != "RUN":
            continue
        script = " ".join(command.value)
        assert not re.search(r"\b(curl|wget)\b", script), script
        if "apt-get install" in script:
            assert "--no-install-recommends" in script and "rm -rf /var/lib/apt/lists/*" in script
    args = {
        c.value[0].split("=")[0]: c.value[0].split("=", 1)[1] for c in commands if c.cmd == "ARG"
    }
    assert all(":" in image and not image.endswith(":latest") for image in args.values())


@pytest.mark.parametrize("name", sorted(IMAGES))
def test_every_copied_path_exists_and_is_in_the_build_context(name: str) -> None:
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    for command in _commands(name):
        if command.cmd != "COPY" or any(f.startswith("--from") for f in command.flags):
            continue
        for source in command.value[:-1]:
            assert (ROOT / source).exists(), f"{name}: COPY {source} does not exist"
            assert source.split("/")[0] not in ignored, f"{name}: {source} is .dockerignored"


def test_the_media_image_has_the_packages_the_media_tests_use() -> None:
    script = " ".join(" ".join(c.value) for c in _final_stage(_commands("media")) if c.cmd == "RUN")
    ci = (ROOT / ".ci" / "run").read_text()
    wanted = set(re.findall(r"\b(kamailio[a-z-]*|rtpengine-daemon)\b", ci))
    assert wanted and {p for p in wanted if p not in script} == set()
