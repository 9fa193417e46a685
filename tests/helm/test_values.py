"""The chart's values: the schema rejects unknown keys and bad types, placeholder secrets
are refused, existing Secrets replace the chart's, and the README documents every key."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from typing import Any

import pytest
import yaml

from tenants.settings import PLACEHOLDER_SECRETS
from tests.helm.conftest import CHART, ROOT, Renderer
from tests.helm.pods import by_kind, containers


def _chart_readme():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "chart_readme", ROOT / "infra" / "helm" / "chart_readme.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while defining
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--set", "apiReplicas=3"), "additional properties 'apiReplicas' not allowed"),
        (("--set", "routing.replicaCunt=3"), "additional properties 'replicaCunt' not allowed"),
        (("--set", "api.replicaCount=three"), "/api/replicaCount"),
        (("--set", "monitoring.enabled=maybe"), "/monitoring/enabled"),
        (("--set", "media.kind=Deployment"), "/media/kind"),
        (("--set", "media.rtpPortMin=80"), "/media/rtpPortMin"),
        (("--set-json", 'media.rpcAllowedSources=["any"]'), "/media/rpcAllowedSources/0"),
        (("--set-json", 'config={"LOG_LEVEL":"x"}'), "invalid propertyName 'LOG_LEVEL'"),
    ],
)
def test_the_schema_rejects_unknown_keys_and_bad_types(
    chart: Renderer, args: tuple[str, ...], message: str
) -> None:
    result = chart.template(*args)
    assert result.returncode != 0
    assert message in result.stderr, result.stderr


def test_the_schema_describes_exactly_the_values_keys() -> None:
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    schema = json.loads((CHART / "values.schema.json").read_text())

    def walk(value: Any, node: dict[str, Any], path: str) -> None:
        if "$ref" in node or "properties" not in node:
            return
        assert node.get("additionalProperties") is False, f"{path or 'root'} allows unknown keys"
        assert set(node["properties"]) == set(value), path
        for key, item in value.items():
            if isinstance(item, dict):
                walk(item, node["properties"][key], f"{path}.{key}")

    walk(values, schema, "")


@pytest.mark.parametrize(
    "args",
    [
        ("--set", "callControlSecret.value=change-me"),
        ("--set", "authSecretKey.value=short-but-not-a-word"),
        ("--set", "sipAuthSecret.value=Placeholder"),
        ("--set", "s3.accessKeyId=AKIA1", "--set", "s3.secretAccessKey=secret"),
        ("--set", "database.url=postgresql+asyncpg://app:change-me@db:5432/hotline"),
        ("--set", "allowPlaceholderSecrets=true"),  # only with env: dev
    ],
)
def test_placeholder_secrets_are_refused(chart: Renderer, args: tuple[str, ...]) -> None:
    result = chart.template(*args)
    assert result.returncode != 0
    assert "placeholder" in result.stderr.lower(), result.stderr


def test_a_dev_value_allows_placeholders(chart: Renderer) -> None:
    docs = chart.docs(
        "--set", "env=dev", "--set", "allowPlaceholderSecrets=true",
        "--set", "callControlSecret.value=change-me",
    )  # fmt: skip
    (secret,) = [s for s in by_kind(docs, "Secret") if s["metadata"]["name"] == "hotline"]
    assert secret["stringData"]["call-control-secret"] == "change-me"


def test_empty_secrets_are_generated_not_placeholders(chart: Renderer) -> None:
    (secret,) = [s for s in by_kind(chart.docs(), "Secret") if s["metadata"]["name"] == "hotline"]
    for key in ("call-control-secret", "auth-secret-key", "sip-auth-secret"):
        assert len(secret["stringData"][key]) == 48
        assert secret["stringData"][key].lower() not in PLACEHOLDER_SECRETS


def test_the_chart_knows_the_apps_placeholders() -> None:
    helpers = (CHART / "templates" / "_helpers.tpl").read_text()
    listed = re.search(r'define "hotline.placeholders" -\}\}\n(\[.*\])', helpers)
    assert listed is not None
    assert set(json.loads(listed.group(1))) == set(PLACEHOLDER_SECRETS)


def test_existing_secrets_replace_the_charts_own(chart: Renderer) -> None:
    docs = chart.docs("--values", str(CHART / "ci" / "existing-secrets-values.yaml"))
    own = [s for s in by_kind(docs, "Secret") if s["metadata"]["name"] == "hotline"]
    assert own == []  # nothing is left for the chart's Secret to hold
    refs = {
        (entry["name"], entry["valueFrom"]["secretKeyRef"]["name"])
        for doc in docs
        if doc["kind"] == "Deployment"
        for container in containers(doc)
        for entry in container["env"]
        if "secretKeyRef" in entry.get("valueFrom", {})
    }
    assert ("HOTLINE_DATABASE_URL", "hotline-database") in refs
    assert ("HOTLINE_REDIS_URL", "hotline-redis") in refs
    assert ("HOTLINE_S3_SECRET_ACCESS_KEY", "hotline-s3") in refs
    assert ("HOTLINE_AUTH_SECRET_KEY", "hotline-app-secrets") in refs
    assert ("HOTLINE_KAMAILIO_SIP_AUTH_SECRET", "hotline-app-secrets") in refs


def test_the_readme_documents_every_key_and_is_current() -> None:
    module = _chart_readme()
    docs = module.value_docs()
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    for key in ("api.replicaCount", "routing.replicaCount", "worker.replicaCount"):
        assert key in {doc.path for doc in docs}
    assert "monitoring.enabled" in {doc.path for doc in docs}
    assert all(doc.description for doc in docs)
    documented = {doc.path.split(".")[0] for doc in docs}
    assert documented == set(values)
    readme = (CHART / "README.md").read_text()
    assert readme == module.render_readme(readme, module.markdown_table(docs)), (
        "helm/hotline/README.md is stale: run python infra/helm/chart_readme.py"
    )
