"""The README documents every HOTLINE_* variable the code reads."""

from __future__ import annotations

from pathlib import Path

from tenants.settings_reference import environment_variables, markdown_table

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_lists_every_setting() -> None:
    readme = README.read_text()
    missing = [var.name for var in environment_variables() if f"`{var.name}`" not in readme]
    assert missing == [], f"add these to README (run `hotline settings`): {missing}"


def test_table_has_one_row_per_variable() -> None:
    names = [var.name for var in environment_variables()]
    assert len(names) == len(set(names))
    assert "HOTLINE_DATABASE_URL" in names and "HOTLINE_AUTH_SECRET_KEY" in names
    assert markdown_table().count("\n| `HOTLINE_") == len(names)
