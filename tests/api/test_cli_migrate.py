"""``hotline migrate`` against an external database (the Helm chart's migration Job)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ServiceUrls


def test_migrate_against_urls_starts_nothing_embedded(
    service_urls: ServiceUrls, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    env.update(
        {
            "HOTLINE_DATABASE_URL": service_urls.database_url,
            "HOTLINE_DATABASE_MIGRATION_URL": service_urls.migration_url,
            "HOTLINE_VAR_DIR": str(tmp_path / "var"),
            "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", "from api.cli import app; app()", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Migrations applied." in result.stdout
    # No HOTLINE_REDIS_URL, yet no embedded Valkey (nor PostgreSQL) was started.
    assert not (tmp_path / "var" / "valkey").exists()
    assert not (tmp_path / "var" / "postgres").exists()
