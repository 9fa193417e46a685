"""The chart and the app share their sources: the PrometheusRule is the promtool-tested
rules file, the dashboards are infra/grafana's, every HOTLINE_* variable the chart sets is
a setting ``hotline settings`` lists (and parses), and the media pod's Kamailio config is
the one ``hotline`` renders for the same settings."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from media_plane.kamailio.config import node_config, render
from media_plane.processes import RtpengineOptions, kamailio_argv
from tenants.settings import Settings
from tests.helm.conftest import CASES, ROOT, Renderer, values_args
from tests.helm.pods import POD_IP, by_kind, containers, environment, named

RULES = ROOT / "infra" / "prometheus" / "rules.yml"
MONITORED = ("--values", str(ROOT / "helm" / "hotline" / "ci" / "external-values.yaml"))


def test_the_prometheus_rule_is_the_promtool_tested_file(chart: Renderer) -> None:
    (rule,) = by_kind(chart.docs(*MONITORED), "PrometheusRule")
    assert rule["spec"] == yaml.safe_load(RULES.read_text())
    link = ROOT / "helm" / "hotline" / "files" / "prometheus" / "rules.yml"
    assert link.is_symlink() and link.resolve() == RULES.resolve()


def test_the_dashboards_are_infra_grafanas_with_the_sidecar_label(chart: Renderer) -> None:
    maps = [
        doc
        for doc in by_kind(chart.docs(*MONITORED), "ConfigMap")
        if "-dashboard-" in doc["metadata"]["name"]
    ]
    assert {m["metadata"]["name"] for m in maps} == {
        "hotline-dashboard-sre",
        "hotline-dashboard-operations",
    }
    for config_map in maps:
        assert config_map["metadata"]["labels"]["grafana_dashboard"] == "1"
        ((name, text),) = config_map["data"].items()
        source = ROOT / "infra" / "grafana" / name.removeprefix("hotline-")
        assert json.loads(text) == json.loads(source.read_text())


def test_a_service_monitor_scrapes_each_process(chart: Renderer) -> None:
    docs = chart.docs(*MONITORED)
    for component, port in (("api", "http"), ("routing", "http"), ("worker", "http"),
                            ("media", "metrics")):  # fmt: skip
        monitor = named(docs, "ServiceMonitor", f"-{component}")
        service = named(docs, "Service", f"-{component}")
        assert monitor["spec"]["selector"]["matchLabels"].items() <= (
            service["metadata"]["labels"].items()
        )
        assert monitor["spec"]["endpoints"][0]["port"] == port
        assert port in {p["name"] for p in service["spec"]["ports"]}
        assert monitor["metadata"]["labels"]["release"] == "kube-prometheus-stack"


def _hotline_settings() -> set[str]:
    """The variables ``hotline settings`` prints."""
    result = subprocess.run(
        [sys.executable, "-c", "from api.cli import app; app()", "settings"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=60,
    )
    return {line.split("`")[1] for line in result.stdout.splitlines() if line.startswith("| `")}


def _hotline_containers(docs: tuple[dict[str, Any], ...]):  # type: ignore[no-untyped-def]
    for doc in docs:
        for container in containers(doc):
            argv = [*container.get("command", []), *container.get("args", [])]
            if not argv or argv[0] != "kamailio":  # the app image's entry point is hotline
                yield doc, container


@pytest.mark.parametrize("case", CASES)
def test_every_hotline_variable_is_a_setting_and_parses(
    chart: Renderer, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    known = _hotline_settings()
    assert "HOTLINE_DATABASE_URL" in known
    docs = chart.docs(*values_args(case))
    checked = 0
    for doc, container in _hotline_containers(docs):
        env = environment(container, docs)
        unknown = {name for name in env if name.startswith("HOTLINE_")} - known
        where = f"{doc['metadata']['name']}/{container['name']}"
        assert unknown == set(), f"{where} sets variables hotline does not read: {unknown}"
        for name in list(os.environ):
            if name.startswith("HOTLINE_"):
                monkeypatch.delenv(name)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        Settings()  # refuses bad types, bad JSON lists and placeholder secrets in prod
        checked += 1
    assert checked >= 4


def _media_pod(chart: Renderer) -> tuple[dict[str, Any], tuple[dict[str, Any], ...]]:
    docs = chart.docs(*MONITORED)
    return named(docs, "DaemonSet", "-media")["spec"]["template"]["spec"], docs


def test_the_charts_kamailio_config_is_hotlines(
    chart: Renderer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pod, docs = _media_pod(chart)
    (init,) = pod["initContainers"]
    kamailio = next(c for c in pod["containers"] if c["name"] == "kamailio")
    command = init["command"]
    assert command[:2] == ["hotline", "kamailio-config"]
    runtime = Path(command[command.index("--runtime-dir") + 1])
    assert kamailio["command"] == kamailio_argv("kamailio", runtime)
    mounts = {m["mountPath"] for m in init["volumeMounts"]} & {
        m["mountPath"] for m in kamailio["volumeMounts"]
    }
    assert str(runtime) in mounts  # the rendered file reaches Kamailio

    env = environment(init, docs)
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    ours = tmp_path / "chart"
    result = subprocess.run(
        [sys.executable, "-c", "from api.cli import app; app()", *command[1:-1], str(ours)],
        env={**clean, **env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    rendered = (ours / "kamailio.cfg").read_text()

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    up = tmp_path / "up"
    expected = render(node_config(Settings(), up)).replace(str(up), str(ours))
    assert rendered == expected
    assert f"listen=udp:{POD_IP}:5060" in rendered
    assert 'is_in_subnet("$si", "10.244.0.0/16")' in rendered
    assert "http://hotline-routing:8100/v1/calls" in rendered
    kamailio_binary = shutil.which("kamailio") or "/usr/sbin/kamailio"
    if Path(kamailio_binary).exists():
        checked = subprocess.run(
            [kamailio_binary, "-c", "-f", str(ours / "kamailio.cfg")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert checked.returncode == 0, checked.stderr[-2000:]


def test_rtpengine_runs_with_hotlines_command_line_on_the_node_address(
    chart: Renderer, monkeypatch: pytest.MonkeyPatch
) -> None:
    pod, docs = _media_pod(chart)
    rtpengine = next(c for c in pod["containers"] if c["name"] == "rtpengine")
    assert rtpengine["command"] == ["hotline", "rtpengine"]
    for name, value in environment(rtpengine, docs).items():
        monkeypatch.setenv(name, value)
    argv = RtpengineOptions.from_settings(Settings()).argv("rtpengine")
    assert f"--interface={POD_IP}" in argv
    assert "--port-min=40000" in argv and "--port-max=44999" in argv
    assert "--recording-dir=/var/spool/hotline" in argv
    recordings = next(c for c in pod["containers"] if c["name"] == "recordings")
    assert environment(recordings, docs)["HOTLINE_RECORDINGS_SPOOL_DIR"] == "/var/spool/hotline"
