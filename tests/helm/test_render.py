"""The chart lints, renders valid Kubernetes 1.33 objects for every values file, and what
it renders is secure: non-root, read-only root filesystems, probes, disruption budgets,
host networking only for the media tier, and the network policies the issue asks for."""

from __future__ import annotations

from typing import Any

import kubernetes_validate
import pytest

from tests.helm.conftest import CASES, CHART, VALUES_FILES, Renderer, values_args
from tests.helm.pods import by_kind, containers, named, pod_spec

KUBERNETES = "1.33.0"
CRDS = {"ServiceMonitor", "PrometheusRule"}
"""The Prometheus operator's kinds: kubernetes-validate has no schema for them."""


def test_helm_lint_strict(chart: Renderer) -> None:
    result = chart.run("lint", "--strict", str(CHART))
    assert result.returncode == 0, result.stdout + result.stderr
    for path in VALUES_FILES:
        result = chart.run("lint", "--strict", str(CHART), "--values", str(path))
        assert result.returncode == 0, f"{path.name}: {result.stdout}{result.stderr}"


@pytest.mark.parametrize("case", CASES)
def test_every_object_is_valid_kubernetes(chart: Renderer, case: str) -> None:
    docs = chart.docs(*values_args(case))
    kinds = {doc["kind"] for doc in docs}
    assert {"Deployment", "Service", "Secret", "Job"} <= kinds
    for doc in docs:
        if doc["kind"] in CRDS:
            _check_operator_object(doc)
            continue
        try:
            kubernetes_validate.validate(doc, KUBERNETES, strict=True)
        except kubernetes_validate.ValidationError as err:
            raise AssertionError(
                f"{doc['kind']}/{doc['metadata']['name']}: {err.message} at {list(err.path)}"
            ) from err


def _check_operator_object(doc: dict[str, Any]) -> None:
    assert doc["apiVersion"] == "monitoring.coreos.com/v1"
    assert set(doc) == {"apiVersion", "kind", "metadata", "spec"}
    if doc["kind"] == "ServiceMonitor":
        assert set(doc["spec"]) == {"selector", "podTargetLabels", "endpoints"}
        for endpoint in doc["spec"]["endpoints"]:
            assert set(endpoint) == {"port", "path", "interval"}
    else:
        assert set(doc["spec"]) == {"groups"}


@pytest.mark.parametrize("case", CASES)
def test_every_container_is_non_root_and_read_only(chart: Renderer, case: str) -> None:
    for doc in chart.docs(*values_args(case)):
        spec = pod_spec(doc)
        if spec is None:
            continue
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert spec["securityContext"]["runAsUser"] != 0
        assert spec["automountServiceAccountToken"] is False
        for container in containers(doc):
            context = container["securityContext"]
            where = f"{doc['metadata']['name']}/{container['name']}"
            assert context["readOnlyRootFilesystem"] is True, where
            assert context["allowPrivilegeEscalation"] is False, where
            assert context["capabilities"]["drop"] == ["ALL"], where
            assert container["resources"]["requests"] and container["resources"]["limits"]


def test_app_tiers_have_replicas_probes_and_budgets(chart: Renderer) -> None:
    docs = chart.docs(*values_args("external-values"))
    for component, replicas in (("api", 3), ("routing", 3), ("worker", 2)):
        deployment = named(docs, "Deployment", f"-{component}")
        assert deployment["spec"]["replicas"] == replicas
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert "hostNetwork" not in deployment["spec"]["template"]["spec"]
        pdb = named(docs, "PodDisruptionBudget", f"-{component}")
        assert pdb["spec"]["selector"] == deployment["spec"]["selector"]
    assert by_kind(docs, "HorizontalPodAutoscaler") == []


def test_replica_counts_and_autoscaling_are_values(chart: Renderer) -> None:
    docs = chart.docs(
        "--set", "api.replicaCount=4", "--set", "routing.replicaCount=5",
        "--set", "worker.replicaCount=6", "--set", "worker.autoscaling.enabled=true",
    )  # fmt: skip
    assert named(docs, "Deployment", "-api")["spec"]["replicas"] == 4
    assert named(docs, "Deployment", "-routing")["spec"]["replicas"] == 5
    worker = named(docs, "Deployment", "-worker")
    assert "replicas" not in worker["spec"]  # the HPA owns it
    hpa = named(docs, "HorizontalPodAutoscaler", "-worker")
    assert hpa["spec"]["scaleTargetRef"]["name"] == worker["metadata"]["name"]


def test_the_media_tier_is_one_host_networked_pod_per_media_node(chart: Renderer) -> None:
    docs = chart.docs(*values_args("external-values"))
    media = named(docs, "DaemonSet", "-media")
    spec = media["spec"]["template"]["spec"]
    assert spec["hostNetwork"] is True and spec["dnsPolicy"] == "ClusterFirstWithHostNet"
    assert spec["nodeSelector"] == {"hotline.io/media": "true"}
    assert [c["name"] for c in spec["initContainers"]] == ["kamailio-config"]
    assert [c["name"] for c in spec["containers"]] == ["kamailio", "rtpengine", "recordings"]
    mounts = {c["name"]: {m["name"] for m in c["volumeMounts"]} for c in spec["containers"]}
    assert "spool" in mounts["rtpengine"] and "spool" in mounts["recordings"]
    (spool,) = [v for v in spec["volumes"] if v["name"] == "spool"]
    assert spool["hostPath"]["path"] == "/var/lib/hotline/spool"

    two = chart.docs(*values_args("existing-secrets-values"))
    stateful = named(two, "StatefulSet", "-media")
    assert stateful["spec"]["replicas"] == 2
    anti = stateful["spec"]["template"]["spec"]["affinity"]["podAntiAffinity"]
    assert anti["requiredDuringSchedulingIgnoredDuringExecution"][0]["topologyKey"] == (
        "kubernetes.io/hostname"
    )
    assert by_kind(two, "DaemonSet") == []


def test_the_migration_job_is_a_pre_install_and_pre_upgrade_hook(chart: Renderer) -> None:
    docs = chart.docs()
    job = named(docs, "Job", "-migrations")
    hooks = job["metadata"]["annotations"]
    assert hooks["helm.sh/hook"] == "pre-install,pre-upgrade"
    (container,) = job["spec"]["template"]["spec"]["containers"]
    assert container["args"] == ["migrate"]
    secret = named(docs, "Secret", "-migrations")
    assert secret["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
    # The hook's Secret exists before the Job (lower weight), unlike the release's Secret.
    assert int(secret["metadata"]["annotations"]["helm.sh/hook-weight"]) < int(
        hooks["helm.sh/hook-weight"]
    )


def test_ingress_serves_the_app_graphql_and_sip_over_wss(chart: Renderer) -> None:
    docs = chart.docs(*values_args("external-values"))
    ingress = named(docs, "Ingress", "hotline")
    rules = {rule["host"]: rule["http"]["paths"] for rule in ingress["spec"]["rules"]}
    app = {p["path"]: p["backend"]["service"]["name"] for p in rules["hotline.acme.example.com"]}
    assert app == {"/graphql": "hotline-api", "/": "hotline-api"}
    (sip,) = rules["sip.hotline.acme.example.com"]
    assert sip["backend"]["service"] == {"name": "hotline-media", "port": {"name": "sip-ws"}}
    assert set(ingress["spec"]["tls"][0]["hosts"]) == set(rules)
    service = named(docs, "Service", "-media")
    assert {p["name"] for p in service["spec"]["ports"]} == {"sip-ws", "metrics"}


def test_call_control_is_reachable_only_from_the_media_nodes(chart: Renderer) -> None:
    docs = chart.docs(*values_args("external-values"))
    routing = named(docs, "NetworkPolicy", "-routing")
    media_rule, monitoring_rule = routing["spec"]["ingress"]
    assert media_rule["from"] == [{"ipBlock": {"cidr": "10.20.30.0/24"}}]
    assert list(monitoring_rule["from"][0]) == ["namespaceSelector"]
    api = named(docs, "NetworkPolicy", "-api")
    assert all("namespaceSelector" in peer for peer in api["spec"]["ingress"][0]["from"])
    # Kamailio's JSON-RPC (host network, not selectable) admits only these sources.
    media = named(docs, "DaemonSet", "-media")
    (init,) = media["spec"]["template"]["spec"]["initContainers"]
    sources = {e["name"]: e.get("value") for e in init["env"]}
    assert sources["HOTLINE_KAMAILIO_RPC_ALLOWED_SOURCES"] == '["10.244.0.0/16","127.0.0.1"]'


def test_monitoring_is_off_by_default(chart: Renderer) -> None:
    kinds = {doc["kind"] for doc in chart.docs()}
    assert not kinds & CRDS
    assert all("grafana_dashboard" not in doc["metadata"].get("labels", {}) for doc in chart.docs())
