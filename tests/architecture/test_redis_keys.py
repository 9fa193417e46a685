"""No module but the key contract (``tenants/redis_keys.py``) spells a Redis key.

A key literal is a string constant, or a constant part of an f-string, that contains the
hash tag's opening ``{t:`` or starts with the global prefix ``hotline:``. Docstrings are
prose, not keys, and are not checked.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROOMS = ("api", "tenants", "routing", "media_plane", "analytics", "loadtest", "infra")
CONTRACT = ROOT / "tenants" / "redis_keys.py"


def _is_key_literal(text: str) -> bool:
    return "{t:" in text or text.startswith("hotline:")


def _docstrings(tree: ast.AST) -> set[int]:
    """Bare string statements: module, class and function docstrings, attribute docs."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    }


def key_literals(source: str, filename: str = "<source>") -> Iterator[tuple[int, str]]:
    """(line, text) of every key literal in ``source``."""
    tree = ast.parse(source, filename)
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skip
            and _is_key_literal(node.value)
        ):
            yield node.lineno, node.value


def production_files() -> Iterator[Path]:
    for room in ROOMS:
        yield from sorted((ROOT / room).rglob("*.py"))


def test_no_key_literal_outside_the_contract() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in production_files()
        if path != CONTRACT
        for line, text in key_literals(path.read_text(), str(path))
    ]
    assert not found, "Redis keys belong in tenants/redis_keys.py:\n" + "\n".join(found)


def test_the_walk_covers_the_rooms() -> None:
    files = set(production_files())
    assert CONTRACT in files
    assert ROOT / "routing" / "config" / "directory.py" in files
    assert len(files) > 100


def test_the_check_finds_plain_and_formatted_keys() -> None:
    source = '''
"""A docstring may name ``{t:<tenant>}:events``."""
STREAMS = "hotline:event-streams"
def stream(tenant_id):
    """Nor is this checked: hotline:call:<id>."""
    return f"{{t:{tenant_id}}}:events"
def fine(t):
    return f"{t:.4f} rendered by hotline: no key", "hotline.logger"
'''
    assert [line for line, _ in key_literals(source)] == [3, 6]
