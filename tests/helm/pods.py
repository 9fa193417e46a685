"""Reading rendered pods: their containers and their environment as a process sees it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

POD_IP = "10.20.30.41"
NODE_NAME = "media-node-a"
POD_OWNERS = {"Deployment", "DaemonSet", "StatefulSet", "Job"}


def pod_spec(doc: dict[str, Any]) -> dict[str, Any] | None:
    """The pod template's spec of a workload, else ``None``."""
    if doc.get("kind") not in POD_OWNERS:
        return None
    return doc["spec"]["template"]["spec"]


def containers(doc: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Init containers, then containers, of a workload."""
    spec = pod_spec(doc)
    if spec is None:
        return
    yield from spec.get("initContainers", [])
    yield from spec["containers"]


def by_kind(docs: tuple[dict[str, Any], ...], kind: str) -> list[dict[str, Any]]:
    """Every rendered object of ``kind``."""
    return [doc for doc in docs if doc["kind"] == kind]


def named(docs: tuple[dict[str, Any], ...], kind: str, suffix: str) -> dict[str, Any]:
    """The one object of ``kind`` whose name ends with ``suffix``."""
    (found,) = [d for d in by_kind(docs, kind) if d["metadata"]["name"].endswith(suffix)]
    return found


def secret_values(docs: tuple[dict[str, Any], ...]) -> dict[tuple[str, str], str]:
    """``{(secret, key): value}`` of the chart's own Secrets."""
    values = {}
    for secret in by_kind(docs, "Secret"):
        for key, value in (secret.get("stringData") or {}).items():
            values[(secret["metadata"]["name"], key)] = value
    return values


def existing_secret_value(secret: str, key: str) -> str:
    """What an operator's existing Secret would hold (a real-looking value per key)."""
    if "url" in key or secret.endswith(("database", "redis")):
        if "redis" in key or secret.endswith("redis"):
            return "rediss://:Qm8xV2kP7mW2rT8yL4nB6cF1hJ5dS0aG@redis.example.com:6379/0"
        return "postgresql+asyncpg://hotline_app:Qm8xV2kP7mW2rT8yL4nB6cF1hJ5dS0aG@db:5432/hotline"
    return f"{secret}-{key}-0123456789abcdefghijklmnopqrstuvwxyz"[:64]


def environment(container: dict[str, Any], docs: tuple[dict[str, Any], ...]) -> dict[str, str]:
    """The container's environment once Kubernetes resolved it (pod fields, Secrets)."""
    own = secret_values(docs)
    env: dict[str, str] = {}
    for entry in container.get("env", []):
        name = entry["name"]
        if "value" in entry:
            env[name] = str(entry["value"])
            continue
        source = entry["valueFrom"]
        if "fieldRef" in source:
            path = source["fieldRef"]["fieldPath"]
            env[name] = {"status.podIP": POD_IP, "status.hostIP": POD_IP}.get(path, NODE_NAME)
        else:
            ref = source["secretKeyRef"]
            key = (ref["name"], ref["key"])
            if key in own:
                env[name] = own[key]
            elif ref.get("optional"):
                continue
            else:
                env[name] = existing_secret_value(*key)
    return env
