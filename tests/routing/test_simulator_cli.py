"""``hotline simulate`` seeds a demo center and drives a real routing process."""

from __future__ import annotations

import ast
from pathlib import Path

from typer.testing import CliRunner

from api.cli import app
from routing.simulator.replicas import start_replicas
from tests.conftest import ServiceUrls


def test_simulate_command(service_urls: ServiceUrls, tmp_path: Path) -> None:
    secret = "simulate-secret-" + "y" * 24
    replicas = start_replicas(1, redis_url=service_urls.redis_url, secret=secret, var_dir=tmp_path)
    env = {
        "HOTLINE_ENV": "test",
        "HOTLINE_REDIS_URL": service_urls.redis_url,
        "HOTLINE_CALL_CONTROL_SECRET": secret,
        "HOTLINE_VAR_DIR": str(tmp_path),
    }
    try:
        result = CliRunner().invoke(
            app,
            [
                "simulate",
                "--calls",
                "20",
                "--rate",
                "20",
                "--handle",
                "0.1",
                "--answer-delay",
                "0.05",
                "--patience",
                "30",
                "--agents",
                "5",
                "--routing-url",
                replicas[0].url,
            ],
            env=env,
        )
    finally:
        replicas[0].stop()
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("round 1: "))
    outcomes = ast.literal_eval(line.removeprefix("round 1: ").split(";")[0])
    assert sum(outcomes.values()) == 20
    assert outcomes["answered"] > 0 and set(outcomes) <= {"answered", "abandoned"}
