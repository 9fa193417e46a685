"""Every alert links to its section of the runbook (docs/operations.md)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_every_alert_has_a_runbook_section() -> None:
    rules = yaml.safe_load((ROOT / "infra" / "prometheus" / "rules.yml").read_text())
    alerts = [rule for group in rules["groups"] for rule in group["rules"] if "alert" in rule]
    headings = re.findall(r"^### (\S+)$", (ROOT / "docs" / "operations.md").read_text(), re.M)
    assert len(alerts) >= 9
    for alert in alerts:
        url = alert["annotations"]["runbook_url"]
        assert url == f"docs/operations.md#{alert['alert'].lower()}", alert["alert"]
        assert alert["alert"] in headings, f"docs/operations.md has no section {alert['alert']}"
        assert alert["labels"]["severity"] in {"warning", "critical"}
    assert set(headings) == {alert["alert"] for alert in alerts}
